//! The employer's pages through a browser (see browser.rs): posting a job with the form,
//! publishing and closing it, the applicants of a job as the consent rule allows, moving them
//! through the pipeline, talent search, and what other employers may not open. Editing a job
//! and the form's languages and qualification: `job_edit`; organisations, their members and
//! invitations: `organisations`.

mod job_edit;
mod organisations;

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::browser::{Browser, Seen};
use crate::fixtures::{
    CN_NUMBER, HK_NUMBER, audit_actions, candidate_named, draft_job, job_body, officer, open_job,
    verified_employer,
};
use crate::helpers::{PASSWORD, Session, TestApp};
use crate::on_both_backends;

async fn consent_to(app: &TestApp, who: &Session, jurisdiction: &str) -> String {
    let consent = app
        .post(
            "/api/v1/candidates/me/consents",
            Some(&who.access_token),
            json!({"purpose": "cross_border_sharing", "to_jurisdiction": jurisdiction}),
        )
        .await;
    assert_eq!(consent.status, StatusCode::CREATED, "{}", consent.body);
    consent.body["id"].as_str().unwrap().to_owned()
}

async fn apply(app: &TestApp, who: &Session, job_id: &str, letter: &str) -> String {
    let applied = app
        .post(
            &format!("/api/v1/jobs/{job_id}/applications"),
            Some(&who.access_token),
            json!({"cover_letter": letter}),
        )
        .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
    applied.body["id"].as_str().unwrap().to_owned()
}

async fn signed_in(app: &TestApp, who: &Session) -> Browser {
    let mut browser = Browser::new(app);
    browser.sign_in(&who.email, PASSWORD).await;
    browser
}

async fn jobs_of(app: &TestApp, owner: &Session, employer_id: &str) -> Value {
    let listed = app
        .get(
            &format!("/api/v1/employers/{employer_id}/jobs"),
            Some(&owner.access_token),
        )
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    listed.body
}

/// The part of a page from `from` up to `to` (or the end).
fn between<'a>(seen: &'a Seen, from: &str, to: &str) -> &'a str {
    let start = seen
        .html
        .find(from)
        .unwrap_or_else(|| panic!("no {from} in {}", seen.html));
    let rest = &seen.html[start..];
    match rest[from.len()..].find(to) {
        Some(end) => &rest[..from.len() + end],
        None => rest,
    }
}

on_both_backends! {
    async fn an_employer_posts_a_job_with_the_form_then_publishes_and_closes_it(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let mut browser = signed_in(&app, &owner).await;

        let list = browser.get("/employer/jobs").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.html);
        assert!(list.contains("href=\"/employer/jobs/new\""));
        let emailed = browser.get("/employer/applications").await;
        assert_eq!(emailed.location.as_deref(), Some("/employer/jobs"), "the emails' link leads to the jobs");
        assert!(list.contains("HK Tech Ltd"));

        let form = browser.get("/employer/jobs/new").await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.html);
        assert!(form.contains(&format!("<option value=\"{employer_id}\" selected>")), "the employer is offered");
        assert!(form.contains("<option value=\"hk-wan-chai\""), "registry locations are offered");
        assert!(form.contains("list=\"skill-options\" data-suggest=\"/suggest/skills?q=\" data-suggest-target=\"skill_1_id\""));
        assert!(form.contains("<label for=\"skill_1\">"));
        assert!(!form.contains("style=\"") && !form.contains("<script>"), "nothing inline for the CSP");

        // Suggestions in any script, for a signed-in person only.
        let suggested = browser.get(&format!("/suggest/skills?q={}", "軟件")).await;
        assert_eq!(suggested.status, StatusCode::OK);
        let items: Value = serde_json::from_str(&suggested.html).expect("JSON suggestions");
        assert!(items["items"].as_array().unwrap().iter().any(|s| s["id"] == "software-engineering"), "{items}");
        let anonymous = Browser::new(&app).get("/suggest/skills?q=soft").await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

        let mut bad = vec![
            ("employer_id", employer_id.as_str()), ("title", "  "), ("description", "Build cross-border systems."),
            ("location_id", "hk-wan-chai"), ("employment_type", "full_time"), ("salary_min", "lots"),
            ("salary_max", "60000"), ("salary_currency", "HKD"), ("salary_period", "month"),
            ("skill_1", "Underwater basket weaving"), ("skill_1_id", ""), ("skill_1_level", "3"),
            ("expires_at", "2020-01-01"),
        ];
        let refused = browser.submit("/employer/jobs/new", &bad).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
        for field in ["title", "salary_min", "skill_1", "expires_at"] {
            assert!(refused.contains(&format!("aria-describedby=\"{field}-error")), "{field} is marked invalid");
            assert!(refused.contains(&format!("<p class=\"error\" id=\"{field}-error\">")), "a problem beside {field}");
        }
        assert!(refused.contains("Enter a whole number"), "{}", refused.html);
        assert!(refused.contains("value=\"lots\""), "what was typed is kept");
        assert!(refused.contains(">Build cross-border systems.</textarea>"));
        assert!(refused.contains("value=\"Underwater basket weaving\""));
        assert!(refused.contains("<option value=\"hk-wan-chai\" selected>"));
        assert!(!refused.contains("id=\"description-error\""), "no problem where there is none");
        assert_eq!(jobs_of(&app, &owner, &employer_id).await["total"], 0, "nothing saved");

        // Typed in Simplified Chinese without the script's help: the server finds the skill.
        bad.retain(|(name, _)| !matches!(*name, "title" | "salary_min" | "skill_1" | "expires_at"));
        let mut good = bad.clone();
        good.extend([
            ("title", "Cross-border data engineer"), ("salary_min", "40,000"), ("skill_1", "软件工程"),
            ("skill_2", "Data analysis"), ("skill_2_level", "2"), ("sponsorship", "on"), ("expires_at", "2099-12-31"),
        ]);
        let created = browser.submit("/employer/jobs/new", &good).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
        assert_eq!(created.location.as_deref(), Some("/employer/jobs"));
        let jobs = jobs_of(&app, &owner, &employer_id).await;
        assert_eq!(jobs["total"], 1);
        let job = &jobs["items"][0];
        let job_id = job["id"].as_str().unwrap().to_owned();
        assert_eq!(job["status"], "draft");
        assert_eq!(job["title"], "Cross-border data engineer");
        assert_eq!(job["salary_min"], 40000);
        assert_eq!(job["sponsorship"], true);
        let mut skills: Vec<(&str, i64)> = job["skills"].as_array().unwrap().iter()
            .map(|s| (s["skill_id"].as_str().unwrap(), s["min_level"].as_i64().unwrap())).collect();
        skills.sort();
        assert_eq!(skills, vec![("data-analysis", 2), ("software-engineering", 3)]);

        let list = browser.get("/employer/jobs").await;
        assert!(list.contains("Cross-border data engineer"));
        assert!(list.contains("<span class=\"badge warn\">Draft</span>"), "{}", list.html);
        assert!(list.contains(&format!("action=\"/employer/jobs/{job_id}/publish\"")));
        let published = browser.submit(&format!("/employer/jobs/{job_id}/publish"), &[]).await;
        assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.html);
        assert_eq!(jobs_of(&app, &owner, &employer_id).await["items"][0]["status"], "open");

        let list = browser.get("/employer/jobs").await;
        assert!(list.contains("<span class=\"badge good\">Open</span>"));
        assert!(!list.contains(&format!("action=\"/employer/jobs/{job_id}/publish\"")));
        assert!(list.contains(&format!("action=\"/employer/jobs/{job_id}/close\"")));
        let again = browser.submit(&format!("/employer/jobs/{job_id}/publish"), &[]).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "an open job is not published twice");
        let closed = browser.submit(&format!("/employer/jobs/{job_id}/close"), &[]).await;
        assert_eq!(closed.status, StatusCode::SEE_OTHER);
        assert_eq!(jobs_of(&app, &owner, &employer_id).await["items"][0]["status"], "closed");
        assert!(browser.get("/employer/jobs").await.contains("<span class=\"badge bad\">Closed</span>"));
    }
}

on_both_backends! {
    async fn the_pages_speak_the_employers_language(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, _) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let mut browser = Browser::speaking(&app, "zh-HK");
        browser.sign_in(&owner.email, PASSWORD).await;
        let form = browser.get("/employer/jobs/new").await;
        assert!(form.contains("<h1>刊登職位</h1>"), "{}", form.html);
        assert!(form.contains("灣仔"), "location names in Traditional Chinese");
        let suggested = browser.get("/suggest/skills?q=software").await;
        let items: Value = serde_json::from_str(&suggested.html).unwrap();
        let label = items["items"].as_array().unwrap().iter()
            .find(|s| s["id"] == "software-engineering").map(|s| s["label"].clone());
        assert_eq!(label, Some(json!("軟件工程")), "{items}");
    }
}

on_both_backends! {
    async fn applicants_show_as_the_consent_rule_allows_and_move_through_the_pipeline(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let job_id = open_job(&app, &owner, &employer_id, "hk-wan-chai", "HKD").await;
        let (local, _) = candidate_named(&app, "HK", "Wong Ka Yan", "Backend engineer").await;
        let (shenzhen, shenzhen_id) = candidate_named(&app, "CN", "Li Xiaoming", "Data engineer").await;
        let local_application = apply(&app, &local, &job_id, "From Kowloon").await;
        let consent = consent_to(&app, &shenzhen, "HK").await;
        let far_application = apply(&app, &shenzhen, &job_id, "From Shenzhen").await;
        let withdrawn = app
            .call(Method::DELETE, &format!("/api/v1/candidates/me/consents/{consent}"), Some(&shenzhen.access_token), None)
            .await;
        assert_eq!(withdrawn.status, StatusCode::NO_CONTENT);

        let mut browser = signed_in(&app, &owner).await;
        let list = browser.get("/employer/jobs").await;
        assert!(list.contains(&format!("href=\"/employer/jobs/{job_id}/applicants\">Applicants (2)")), "{}", list.html);
        let path = format!("/employer/jobs/{job_id}/applicants");
        let hidden = browser.get(&path).await;
        assert_eq!(hidden.status, StatusCode::OK, "{}", hidden.html);
        assert!(hidden.contains("Wong Ka Yan") && hidden.contains("From Kowloon"), "the local applicant is seen");
        assert!(!hidden.contains("Li Xiaoming") && !hidden.contains("From Shenzhen") && !hidden.contains("Data engineer"),
                "without consent nothing identifies the applicant across the boundary");
        let hidden_entry = between(&hidden, &format!("id=\"application-{far_application}\""), "</li>\n");
        assert!(hidden_entry.contains("Applicant not shown"), "{hidden_entry}");
        let reads = |actions: Vec<String>| actions.iter().filter(|a| *a == "cross_border_read").count();
        assert_eq!(reads(audit_actions(&app, "candidate", &shenzhen_id).await), 0, "nobody was seen across the boundary");

        consent_to(&app, &shenzhen, "HK").await;
        let seen = browser.get(&path).await;
        assert!(seen.contains("Li Xiaoming") && seen.contains("From Shenzhen"), "with consent the applicant is seen");
        assert!(!seen.contains("Applicant not shown"));
        assert_eq!(reads(audit_actions(&app, "candidate", &shenzhen_id).await), 1, "the read across the boundary is audited");

        // Both are new; one moves to screening.
        let new = between(&seen, "id=\"stage-submitted\"", "id=\"stage-screening\"");
        assert!(new.contains(&format!("id=\"application-{local_application}\"")));
        assert!(new.contains(&format!("id=\"application-{far_application}\"")));
        assert!(new.contains("<option value=\"screening\">") && new.contains("<option value=\"rejected\">"));
        assert!(!new.contains("<option value=\"offer\">"), "only the moves the pipeline allows are offered");
        let moved = browser
            .submit(&format!("/employer/applications/{local_application}/stage"), &[("status", "screening")])
            .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.html);
        assert_eq!(moved.location.as_deref(), Some(path.as_str()));
        let read = app.get(&format!("/api/v1/applications/{local_application}"), Some(&owner.access_token)).await;
        assert_eq!(read.body["status"], "screening");
        let after = browser.get(&path).await;
        let screening = between(&after, "id=\"stage-screening\"", "id=\"stage-interview\"");
        assert!(screening.contains(&format!("id=\"application-{local_application}\"")), "{screening}");
        assert!(!between(&after, "id=\"stage-submitted\"", "id=\"stage-screening\"")
            .contains(&format!("id=\"application-{local_application}\"")));

        let skipping = browser
            .submit(&format!("/employer/applications/{local_application}/stage"), &[("status", "hired")])
            .await;
        assert_eq!(skipping.status, StatusCode::CONFLICT, "no skipping stages");
        let nonsense = browser
            .submit(&format!("/employer/applications/{local_application}/stage"), &[("status", "promoted")])
            .await;
        assert_eq!(nonsense.status, StatusCode::UNPROCESSABLE_ENTITY);
        let read = app.get(&format!("/api/v1/applications/{local_application}"), Some(&owner.access_token)).await;
        assert_eq!(read.body["status"], "screening", "refused moves change nothing");
    }
}

on_both_backends! {
    async fn other_employers_and_other_roles_cannot_open_an_employers_pages(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let open = open_job(&app, &owner, &employer_id, "hk-wan-chai", "HKD").await;
        let draft = draft_job(&app, &owner, job_body(&employer_id, "hk-wan-chai", "HKD")).await;
        let (applicant, _) = candidate_named(&app, "HK", "Wong Ka Yan", "Backend engineer").await;
        let application = apply(&app, &applicant, &open, "Hello").await;
        let (rival, _) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;

        let mut browser = signed_in(&app, &rival).await;
        let open_page = browser.get(&format!("/employer/jobs/{open}/applicants")).await;
        assert_eq!(open_page.status, StatusCode::FORBIDDEN, "a public job, but not theirs");
        assert!(!open_page.contains("Wong Ka Yan"));
        let draft_page = browser.get(&format!("/employer/jobs/{draft}/applicants")).await;
        assert_eq!(draft_page.status, StatusCode::NOT_FOUND, "another's draft is not known to exist");
        let list = browser.get("/employer/jobs").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(!list.contains(&open) && !list.contains("HK Tech Ltd"), "only their own jobs are listed");
        let moved = browser
            .submit(&format!("/employer/applications/{application}/stage"), &[("status", "rejected")])
            .await;
        assert_eq!(moved.status, StatusCode::NOT_FOUND);
        let publish = browser.submit(&format!("/employer/jobs/{draft}/publish"), &[]).await;
        assert_eq!(publish.status, StatusCode::NOT_FOUND);
        let read = app.get(&format!("/api/v1/applications/{application}"), Some(&owner.access_token)).await;
        assert_eq!(read.body["status"], "submitted");
        let still = app.get(&format!("/api/v1/jobs/{draft}"), Some(&owner.access_token)).await;
        assert_eq!(still.body["status"], "draft", "another's draft is not published");

        let mut candidate = signed_in(&app, &applicant).await;
        assert_eq!(candidate.get("/employer/jobs").await.status, StatusCode::FORBIDDEN);
        assert_eq!(candidate.get("/employer/talent").await.status, StatusCode::FORBIDDEN);

        let anonymous = Browser::new(&app).get(&format!("/employer/jobs/{open}/applicants")).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
        assert_eq!(
            anonymous.location.as_deref(),
            Some(format!("/sign-in?next=%2Femployer%2Fjobs%2F{open}%2Fapplicants").as_str())
        );
    }
}

on_both_backends! {
    async fn talent_search_finds_only_whom_the_employer_may_see_with_highlights_escaped(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, _) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        candidate_named(&app, "HK", "Wong Ka Yan", "Backend <i>engineer</i>").await;
        candidate_named(&app, "CN", "Li Xiaoming", "Backend engineer").await;

        let mut browser = signed_in(&app, &owner).await;
        let deadline = Instant::now() + Duration::from_secs(10);
        let found = loop {
            let page = browser.get("/employer/talent?q=backend").await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.html);
            if page.contains("Wong Ka Yan") || Instant::now() > deadline {
                break page;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert!(found.contains("Wong Ka Yan"), "{}", found.html);
        assert!(!found.contains("Li Xiaoming"), "across the boundary without consent: not found");
        assert!(found.contains("<b>Backend</b>"), "the matched word is marked: {}", found.html);
        assert!(!found.contains("<i>engineer</i>"), "the candidate's own text is escaped");
        assert!(found.contains("Candidates found: 1"));
        assert!(found.contains("value=\"backend\""), "the query is kept");

        let unknown = browser.get("/employer/talent?skill=Underwater+basket+weaving").await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown.contains("id=\"skill-error\""));
        let by_skill = browser.get("/employer/talent?skill=%E8%BD%AF%E4%BB%B6%E5%B7%A5%E7%A8%8B&jurisdiction=HK").await;
        assert_eq!(by_skill.status, StatusCode::OK);
        assert!(by_skill.contains("Wong Ka Yan"), "a skill typed in Chinese filters: {}", by_skill.html);
    }
}
