//! The job form's languages and qualification, and editing a job through the pages: the same
//! form filled with the job, saved through the jobs service's update, refused where the API
//! refuses.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{between, jobs_of, signed_in};
use crate::fixtures::{CN_NUMBER, HK_NUMBER, draft_job, job_body, officer, verified_employer};
use crate::helpers::{Session, TestApp};
use crate::on_both_backends;

async fn job(app: &TestApp, owner: &Session, id: &str) -> Value {
    let read = app
        .get(&format!("/api/v1/jobs/{id}"), Some(&owner.access_token))
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    read.body
}

/// The form as a browser sends it: every field of a job, `changes` laid over.
fn fields<'a>(employer_id: &'a str, changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("employer_id", employer_id),
        ("title", "Senior software engineer"),
        ("description", "Build cross-border hiring systems."),
        ("location_id", "hk-wan-chai"),
        ("employment_type", "full_time"),
        ("salary_min", "40000"),
        ("salary_max", "60000"),
        ("salary_currency", "HKD"),
        ("salary_period", "month"),
        ("sponsorship", "on"),
        ("skill_1", "Software engineering"),
        ("skill_1_id", "software-engineering"),
        ("skill_1_level", "3"),
        ("language_1", "en"),
        ("language_1_level", "4"),
        ("qualification", ""),
        ("expires_at", ""),
    ];
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
        fields.push((name, value));
    }
    fields
}

/// A job's languages as `(code, level)`, by code (the order they are stored in is the store's).
fn languages(job: &Value) -> Vec<(String, i64)> {
    let mut languages: Vec<(String, i64)> = job["languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["code"].as_str().unwrap().to_owned(),
                l["level"].as_i64().unwrap(),
            )
        })
        .collect();
    languages.sort();
    languages
}

fn problem_beside(html: &str, field: &str) -> String {
    let marker = format!("<p class=\"error\" id=\"{field}-error\">");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no problem beside {field}: {html}"));
    html[at + marker.len()..]
        .split("</p>")
        .next()
        .unwrap_or_default()
        .to_owned()
}

on_both_backends! {
    async fn the_job_form_asks_for_languages_and_a_qualification(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let mut browser = signed_in(&app, &owner).await;

        let form = browser.get("/employer/jobs/new").await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.html);
        assert!(form.contains("<label for=\"language_1\">") && form.contains("<option value=\"yue\">Cantonese</option>"));
        assert!(form.contains("<option value=\"hk-bachelor-engineering\">Bachelor of Engineering (Hong Kong)</option>"), "{}", form.html);
        assert!(form.contains("<option value=\"level:hkqf-5\">HKQF Level 5</option>"), "framework levels too");

        let bad = fields(&employer_id, &[
            ("language_1", "yue"), ("language_1_level", "5"), ("language_2", "yue"), ("language_2_level", "3"),
            ("qualification", "nothing-of-the-sort"), ("salary_max", "many"),
        ]);
        let refused = browser.submit("/employer/jobs/new", &bad).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
        assert_eq!(problem_beside(&refused.html, "language_2"), "is listed twice");
        assert_eq!(problem_beside(&refused.html, "qualification"), "names no qualification");
        assert!(problem_beside(&refused.html, "salary_max").starts_with("Enter a whole number"));
        assert!(!refused.contains("id=\"language_1-error\""));
        let second = between(&refused, "id=\"language_2\"", "</select>");
        assert!(second.contains("<option value=\"yue\" selected>"), "the choice is kept: {second}");
        assert_eq!(jobs_of(&app, &owner, &employer_id).await["total"], 0, "nothing saved");

        let good = fields(&employer_id, &[
            ("language_1", "yue"), ("language_1_level", "5"), ("language_2", "en"), ("language_2_level", "3"),
            ("qualification", "hk-bachelor-engineering"),
        ]);
        let created = browser.submit("/employer/jobs/new", &good).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
        let saved = &jobs_of(&app, &owner, &employer_id).await["items"][0];
        assert_eq!(languages(saved), vec![("en".to_owned(), 3), ("yue".to_owned(), 5)]);
        assert_eq!(saved["qualification"]["qualification_id"], "hk-bachelor-engineering");

        let by_level = fields(&employer_id, &[("title", "Graduate engineer"), ("qualification", "level:hkqf-5")]);
        assert_eq!(browser.submit("/employer/jobs/new", &by_level).await.status, StatusCode::SEE_OTHER);
        let saved = &jobs_of(&app, &owner, &employer_id).await["items"][0];
        assert_eq!(saved["title"], "Graduate engineer");
        assert_eq!(saved["qualification"], json!({"qualification_id": null, "min_level": "hkqf-5", "jurisdiction": "HK"}));
    }
}

on_both_backends! {
    async fn an_employer_edits_a_job_with_the_form_it_was_posted_with(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let (rival, rival_employer) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;
        let mut body = job_body(&employer_id, "hk-wan-chai", "HKD");
        body["qualification"] = json!({"min_level": "hkqf-5"});
        body["expires_at"] = json!("2099-06-01T10:30:00Z");
        body["skills"] = json!([
            {"skill_id": "software-engineering", "min_level": 3}, {"skill_id": "data-analysis", "min_level": 2},
            {"skill_id": "rtl-design", "min_level": 1}, {"skill_id": "ic-layout", "min_level": 5},
        ]);
        let id = draft_job(&app, &owner, body).await;
        let path = format!("/employer/jobs/{id}/edit");
        let mut browser = signed_in(&app, &owner).await;

        assert!(browser.get("/employer/jobs").await.contains(&format!("href=\"{path}\"")), "linked from the jobs");
        let form = browser.get(&path).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.html);
        assert!(form.contains("<h1>Edit the job</h1>") && form.contains(&format!("action=\"{path}\"")));
        assert!(form.contains("value=\"Senior software engineer\"") && form.contains("value=\"2099-06-01\""));
        assert!(form.contains("<option value=\"level:hkqf-5\" selected>"), "the qualification is chosen");
        assert!(between(&form, "id=\"language_1\"", "</select>").contains("<option value=\"en\" selected>"));
        assert!(form.contains("id=\"skill_4\"") && form.contains("value=\"IC layout design\""), "every skill is shown");
        assert!(form.contains("id=\"skill_5\"") && !form.contains("id=\"skill_6\""), "and one row to add another");
        assert!(form.contains("<strong>HK Tech Ltd</strong>") && !form.contains("name=\"employer_id\""), "the employer stays");

        let skills = [
            ("skill_1", "Software engineering"), ("skill_1_id", "software-engineering"), ("skill_1_level", "4"),
            ("skill_2", "data-analysis"), ("skill_2_level", "2"), ("skill_3", "RTL design"), ("skill_3_level", "1"),
            ("skill_4", "IC layout design"), ("skill_4_level", "5"), ("expires_at", "2099-06-01"),
        ];
        let mut bad = skills.to_vec();
        bad.extend([("title", " "), ("salary_min", "lots"), ("language_2", "en"), ("language_2_level", "2")]);
        let refused = browser.submit(&path, &fields(&employer_id, &bad)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
        assert_eq!(problem_beside(&refused.html, "title"), "is required");
        assert!(problem_beside(&refused.html, "salary_min").starts_with("Enter a whole number"));
        assert_eq!(problem_beside(&refused.html, "language_2"), "is listed twice");
        assert!(!refused.contains("id=\"expires_at-error\""), "the stored expiry is no problem");
        assert!(refused.contains("value=\"lots\"") && refused.contains("<h1>Edit the job</h1>"), "kept, still editing");
        assert_eq!(job(&app, &owner, &id).await["title"], "Senior software engineer", "nothing saved");

        let mut good = skills.to_vec();
        good.extend([
            ("title", "Lead platform engineer"), ("salary_min", "45,000"), ("language_1", "yue"), ("language_1_level", "5"),
            ("language_2", "en"), ("language_2_level", "3"), ("qualification", "hk-bachelor-engineering"),
            ("employer_id", rival_employer.as_str()), ("sponsorship", ""),
        ]);
        let saved = browser.submit(&path, &fields(&employer_id, &good)).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
        assert_eq!(saved.location.as_deref(), Some("/employer/jobs"));
        let after = job(&app, &owner, &id).await;
        assert_eq!(after["title"], "Lead platform engineer");
        assert_eq!(after["salary_min"], 45000);
        assert_eq!(after["sponsorship"], false);
        assert_eq!(after["employer_id"], employer_id.as_str(), "the employer does not change");
        assert_eq!(languages(&after), vec![("en".to_owned(), 3), ("yue".to_owned(), 5)]);
        assert_eq!(after["qualification"]["qualification_id"], "hk-bachelor-engineering");
        assert!(after["qualification"]["min_level"].is_null());
        assert_eq!(after["expires_at"], "2099-06-01T10:30:00Z", "an expiry left as shown is kept to the second");
        let skill_levels: Vec<(String, i64)> = after["skills"].as_array().unwrap().iter()
            .map(|s| (s["skill_id"].as_str().unwrap().to_owned(), s["min_level"].as_i64().unwrap())).collect();
        assert_eq!(skill_levels.len(), 4, "{skill_levels:?}");
        assert!(skill_levels.contains(&("software-engineering".into(), 4)) && skill_levels.contains(&("ic-layout".into(), 5)));

        // Another employer: a draft is not known to them, an open job is not theirs to change.
        let mut rivals = signed_in(&app, &rival).await;
        assert_eq!(rivals.get(&path).await.status, StatusCode::NOT_FOUND);
        let published = app.post(&format!("/api/v1/jobs/{id}/publish"), Some(&owner.access_token), json!({})).await;
        assert_eq!(published.status, StatusCode::OK, "{}", published.body);
        let theirs = rivals.get(&path).await;
        assert_eq!(theirs.status, StatusCode::FORBIDDEN);
        assert!(!theirs.contains("Lead platform engineer"));
        rivals.get("/employer/jobs/new").await;
        let hijack = rivals.submit(&path, &fields(&rival_employer, &[("title", "Hijacked")])).await;
        assert_eq!(hijack.status, StatusCode::FORBIDDEN);
        assert_eq!(job(&app, &owner, &id).await["title"], "Lead platform engineer", "unchanged");

        // A closed job is final: no form, no change.
        let closed = app.post(&format!("/api/v1/jobs/{id}/close"), Some(&owner.access_token), json!({})).await;
        assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
        assert!(!browser.get("/employer/jobs").await.contains(&format!("href=\"{path}\"")), "no edit link");
        assert_eq!(browser.get(&path).await.status, StatusCode::CONFLICT);
        let late = browser.submit(&path, &fields(&employer_id, &[("title", "Too late")])).await;
        assert_eq!(late.status, StatusCode::CONFLICT);
        assert_eq!(job(&app, &owner, &id).await["title"], "Lead platform engineer");
    }
}
