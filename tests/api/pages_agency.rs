//! The agency's pages (see browser.rs): the case board, a case's forms (milestones, status,
//! tasks, notes, assignee), the equivalence rules and the analytics — and who may see them.
//! What a form did is checked through the API, as another client sees it.

use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::browser::{Browser, Seen};
use crate::fixtures::{candidate, officer, task};
use crate::helpers::{PASSWORD, Session, TestApp};
use crate::on_both_backends;

/// A case opened by `officer` through the API; returns the case.
async fn open_case(app: &TestApp, officer: &Session, candidate_id: &str, summary: &str) -> Value {
    let opened = app
        .post(
            "/api/v1/cases",
            Some(&officer.access_token),
            json!({"candidate_id": candidate_id, "direction": "CN_TO_HK", "summary": summary}),
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    opened.body
}

async fn case_by_api(app: &TestApp, session: &Session, id: &str) -> Value {
    let answer = app
        .get(&format!("/api/v1/cases/{id}"), Some(&session.access_token))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body
}

/// A browser signed in as `session`'s account.
async fn browser_for(app: &TestApp, session: &Session) -> Browser {
    let mut browser = Browser::new(app);
    browser.sign_in(&session.email, PASSWORD).await;
    browser
}

fn at(seen: &Seen, needle: &str) -> usize {
    seen.html
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not on the page:\n{}", seen.html))
}

fn id_of(case: &Value) -> String {
    case["id"].as_str().unwrap().to_owned()
}

on_both_backends! {
    async fn the_board_shows_overdue_cases_first_and_links_to_each_case(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (_, candidate_id) = candidate(&app, "CN").await;
        let late = open_case(&app, &officer, &candidate_id, "Late paperwork").await;
        let fresh = open_case(&app, &officer, &candidate_id, "Fresh start").await;
        let (late_id, fresh_id) = (id_of(&late), id_of(&fresh));
        let mpf = task(&late, "mpf_enrolment")["id"].as_str().unwrap().to_owned();
        let past = (talentbridge::cases::today() - Duration::days(3)).to_string();
        let moved = app
            .call(Method::PATCH, &format!("/api/v1/cases/{late_id}/tasks/{mpf}"), Some(&officer.access_token), Some(json!({"due_on": past})))
            .await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);

        let mut browser = browser_for(&app, &officer).await;
        let board = browser.get("/agency/cases").await;
        assert_eq!(board.status, StatusCode::OK, "{}", board.html);
        let (late_link, fresh_link) = (format!("href=\"/agency/cases/{late_id}\""), format!("href=\"/agency/cases/{fresh_id}\""));
        assert!(at(&board, &late_link) < at(&board, &fresh_link), "the overdue case comes before the newer one");
        assert!(board.contains("Unassigned"), "the cases are grouped by assignee");
        assert!(board.contains("Chan Tai Man"), "the candidate is named");
        assert!(board.contains("CN_TO_HK") && board.contains("Late paperwork"));
        assert!(board.contains("class=\"badge bad\">Overdue</span>"));
        assert!(!board.contains("style=\"") && !board.contains("<script>"));

        let only_overdue = browser.get("/agency/cases?overdue=true").await;
        assert!(only_overdue.contains(&late_link) && !only_overdue.contains(&fresh_link));
        let resolved = browser.get("/agency/cases?status=resolved").await;
        assert!(!resolved.contains(&late_link) && resolved.contains("No case matches."));

        let page = browser.get(&format!("/agency/cases/{late_id}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.html);
        assert!(page.contains("Case of Chan Tai Man") && page.contains("Late paperwork"));
        assert!(page.contains("<label for=\"milestone-visa_approved\">Visa approved</label>"));
        assert!(page.contains(&format!("id=\"task-{mpf}-due\" name=\"due_on\" value=\"{past}\"")), "the checklist shows the due date");
        assert!(page.contains("Case opened"), "the timeline shows the opening");

        let traditional = Browser::speaking(&app, "zh-HK");
        let mut traditional = traditional;
        traditional.sign_in(&officer.email, PASSWORD).await;
        let board = traditional.get("/agency/cases").await;
        assert!(board.contains("個案看板") && board.contains("逾期"), "the board speaks the browser's language");

        let missing = browser.get("/agency/cases/no-such-case").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    }
}

on_both_backends! {
    async fn an_officer_sets_a_milestone_and_a_bad_date_is_shown_beside_its_field(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (_, candidate_id) = candidate(&app, "CN").await;
        let id = id_of(&open_case(&app, &officer, &candidate_id, "Moving for a new job").await);
        let mut browser = browser_for(&app, &officer).await;
        let path = format!("/agency/cases/{id}/milestones");
        browser.get(&format!("/agency/cases/{id}")).await;

        let bad = browser
            .submit(&path, &[("offer_accepted", ""), ("visa_approved", "2026-02-30"), ("arrival", "2026-06-01"), ("employment_start", "")])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.html);
        assert!(bad.contains("aria-describedby=\"milestone-visa_approved-error\""));
        assert!(bad.contains("<p class=\"error\" id=\"milestone-visa_approved-error\">Enter a date as YYYY-MM-DD"), "{}", bad.html);
        assert!(bad.contains("name=\"visa_approved\" value=\"2026-02-30\""), "the typed value is kept");
        assert!(bad.contains("name=\"arrival\" value=\"2026-06-01\""), "the other fields are kept");
        assert!(!bad.contains("milestone-arrival-error"), "a good field has no problem");
        let stored = case_by_api(&app, &officer, &id).await;
        assert_eq!(stored["milestones"]["arrival"], Value::Null, "nothing is written when a field is wrong");

        let set = browser
            .submit(&path, &[("offer_accepted", ""), ("visa_approved", "2026-05-01"), ("arrival", ""), ("employment_start", "")])
            .await;
        assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.html);
        assert_eq!(set.location.as_deref(), Some(format!("/agency/cases/{id}").as_str()));
        let stored = case_by_api(&app, &officer, &id).await;
        assert_eq!(stored["milestones"]["visa_approved"], "2026-05-01");
        assert_eq!(stored["milestones"]["arrival"], Value::Null);
        let page = browser.get(&format!("/agency/cases/{id}")).await;
        assert!(page.contains("name=\"visa_approved\" value=\"2026-05-01\""));
        assert!(page.contains("Milestones changed"), "the timeline shows the change");

        // The form shows the stored dates: an emptied field clears its milestone.
        let cleared = browser
            .submit(&path, &[("offer_accepted", ""), ("visa_approved", ""), ("arrival", ""), ("employment_start", "")])
            .await;
        assert_eq!(cleared.status, StatusCode::SEE_OTHER);
        assert_eq!(case_by_api(&app, &officer, &id).await["milestones"]["visa_approved"], Value::Null);
    }
}

on_both_backends! {
    async fn an_officer_works_a_case_through_its_forms(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (me, candidate_id) = candidate(&app, "CN").await;
        let case = open_case(&app, &officer, &candidate_id, "Moving for a new job").await;
        let id = id_of(&case);
        let mpf = task(&case, "mpf_enrolment")["id"].as_str().unwrap().to_owned();
        let mut browser = browser_for(&app, &officer).await;
        browser.get(&format!("/agency/cases/{id}")).await;

        let empty = browser.submit(&format!("/agency/cases/{id}/notes"), &[("body", "   ")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.contains("id=\"note-body-error\""), "{}", empty.html);
        let shared = browser
            .submit(&format!("/agency/cases/{id}/notes"), &[("body", "Bring your passport on Monday"), ("visible_to_candidate", "on")])
            .await;
        assert_eq!(shared.status, StatusCode::SEE_OTHER, "{}", shared.html);
        let internal = browser.submit(&format!("/agency/cases/{id}/notes"), &[("body", "Employer slow to answer")]).await;
        assert_eq!(internal.status, StatusCode::SEE_OTHER);
        let seen_by_candidate = case_by_api(&app, &me, &id).await;
        let bodies: Vec<&str> = seen_by_candidate["notes"].as_array().unwrap().iter().map(|n| n["body"].as_str().unwrap()).collect();
        assert_eq!(bodies, ["Bring your passport on Monday"], "only the note marked visible reaches the candidate");
        let page = browser.get(&format!("/agency/cases/{id}")).await;
        assert!(page.contains("Employer slow to answer") && page.contains(">Internal</span>"));
        assert!(page.contains("Internal note added"));

        let moved = browser.submit(&format!("/agency/cases/{id}/status"), &[("status", "in_progress")]).await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER);
        assert_eq!(case_by_api(&app, &officer, &id).await["status"], "in_progress");
        let illegal = browser.submit(&format!("/agency/cases/{id}/status"), &[("status", "closed")]).await;
        assert_eq!(illegal.status, StatusCode::CONFLICT, "the status machine still rules");

        let done = browser.submit(&format!("/agency/cases/{id}/tasks/{mpf}"), &[("status", "done"), ("due_on", "2026-07-01")]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
        let stored = case_by_api(&app, &officer, &id).await;
        assert_eq!(task(&stored, "mpf_enrolment")["status"], "done");
        assert_eq!(task(&stored, "mpf_enrolment")["due_on"], "2026-07-01");
        let bad = browser.submit(&format!("/agency/cases/{id}/tasks/{mpf}"), &[("status", "doing"), ("due_on", "1999-01-01")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.contains(&format!("id=\"task-{mpf}-due-error\"")) && bad.contains("value=\"1999-01-01\""));

        let assigned = browser.submit(&format!("/agency/cases/{id}/assignee"), &[("to", "me")]).await;
        assert_eq!(assigned.status, StatusCode::SEE_OTHER);
        assert_eq!(case_by_api(&app, &officer, &id).await["assignee_id"], officer.user_id.as_str());
        let board = browser.get("/agency/cases").await;
        assert!(board.contains("Assigned to me"));
        let page = browser.get(&format!("/agency/cases/{id}")).await;
        assert!(page.contains("Status changed") && page.contains("Assignee changed") && page.contains("Task updated"));
    }
}

on_both_backends! {
    async fn only_agency_staff_may_open_the_agency_pages(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (me, candidate_id) = candidate(&app, "CN").await;
        let id = id_of(&open_case(&app, &officer, &candidate_id, "Moving for a new job").await);

        let mut visitor = Browser::new(&app);
        let asked = visitor.get("/agency/cases").await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER);
        assert_eq!(asked.location.as_deref(), Some("/sign-in?next=%2Fagency%2Fcases"));

        let mut seeker = browser_for(&app, &me).await;
        for path in ["/agency/cases".to_string(), format!("/agency/cases/{id}"), "/agency/equivalences".into(), "/agency/analytics".into()] {
            let refused = seeker.get(&path).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
            assert!(refused.contains("Not allowed"), "{}", refused.html);
        }
        let forced = seeker.submit(&format!("/agency/cases/{id}/milestones"), &[("visa_approved", "2026-05-01")]).await;
        assert_eq!(forced.status, StatusCode::FORBIDDEN);
        assert_eq!(case_by_api(&app, &officer, &id).await["milestones"]["visa_approved"], Value::Null);

        let employer = app.sign_up("employer").await;
        let mut employer = browser_for(&app, &employer).await;
        assert_eq!(employer.get("/agency/cases").await.status, StatusCode::FORBIDDEN);
    }
}

on_both_backends! {
    async fn equivalence_rules_are_created_and_retired_through_the_page(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let mut browser = browser_for(&app, &officer).await;
        let page = browser.get("/agency/equivalences").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.html);
        assert!(page.contains("id=\"rule-mou2004-hk-bachelor-engineering-to-cn-academic-bachelor\""), "the shipped rules are listed");
        assert!(page.contains("<label for=\"from_qualification_id\">"));

        let missing = browser
            .submit("/agency/equivalences", &[("from_qualification_id", ""), ("relation", "comparable"), ("authority", ""), ("source", "Kept source")])
            .await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(missing.contains("id=\"from_qualification_id-error\"") && missing.contains("id=\"authority-error\""), "{}", missing.html);
        assert!(missing.contains("value=\"Kept source\""), "what was typed is kept");
        assert!(missing.contains("<option value=\"comparable\" selected>"));

        let same_place = browser
            .submit("/agency/equivalences", &[("from_qualification_id", "hk-hkdse"), ("to_jurisdiction", "HK"), ("relation", "comparable"), ("authority", "Test authority")])
            .await;
        assert_eq!(same_place.status, StatusCode::UNPROCESSABLE_ENTITY, "the registry's own rules are kept");
        assert!(same_place.contains("id=\"to_jurisdiction-error\">Must differ"), "{}", same_place.html);
        assert!(same_place.contains("value=\"Test authority\""));

        let fields = [
            ("from_qualification_id", "hk-hkdse"),
            ("to_level", "cn-academic-senior-secondary"),
            ("relation", "comparable"),
            ("authority", "Test authority"),
            ("conditions_en", "For employment only"),
            ("effective_from", ""),
        ];
        let created = browser.submit("/agency/equivalences", &fields).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
        let listed = app.get("/api/v1/equivalences?from_qualification_id=hk-hkdse", Some(&officer.access_token)).await;
        let rule = &listed.body["items"][0];
        assert_eq!(rule["to_jurisdiction"], "CN", "the target's jurisdiction is filled in");
        assert_eq!(rule["to_level"], "cn-academic-senior-secondary");
        assert_eq!(rule["conditions"]["en"], "For employment only");
        assert_eq!(rule["status"], "active");
        let rule_id = rule["id"].as_str().unwrap().to_owned();
        let page = browser.get("/agency/equivalences?done=created").await;
        assert!(page.contains("The rule is created.") && page.contains(&format!("id=\"rule-{rule_id}\"")));

        let again = browser.submit("/agency/equivalences", &fields).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "two rules for one pair and period are refused");
        assert!(again.contains("Another rule covers this pair"));

        browser.get("/agency/equivalences").await;
        let retired = browser.submit(&format!("/agency/equivalences/{rule_id}/retire"), &[]).await;
        assert_eq!(retired.status, StatusCode::SEE_OTHER);
        let rule = app.get(&format!("/api/v1/equivalences/{rule_id}"), Some(&officer.access_token)).await;
        assert_eq!(rule.body["status"], "retired", "{}", rule.body);
        let active = browser.get("/agency/equivalences").await;
        assert!(!active.contains(&format!("id=\"rule-{rule_id}\"")));
        let retired_list = browser.get("/agency/equivalences?status=retired").await;
        assert!(retired_list.contains(&format!("id=\"rule-{rule_id}\"")));
    }
}

on_both_backends! {
    async fn the_analytics_page_draws_its_charts_as_svg_with_the_figures_in_tables(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (_, candidate_id) = candidate(&app, "CN").await;
        open_case(&app, &officer, &candidate_id, "Moving for a new job").await;
        let mut browser = browser_for(&app, &officer).await;
        let page = browser.get("/agency/analytics").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.html);
        assert!(page.contains("<svg class=\"chart\""));
        assert!(page.contains("<title>Open: 1</title>"), "each bar is titled with its figure");
        assert!(page.contains("<th scope=\"row\">Open</th>"), "the figures are in a table too");
        assert!(page.contains("id=\"skill-gap-title\""));
        assert!(page.contains("class=\"bar alt\""), "the skill gap sets candidates against open jobs");
        assert!(!page.contains("style=\"") && !page.contains("<script>"));
        let filtered = browser.get("/agency/analytics?jurisdiction=HK").await;
        assert_eq!(filtered.status, StatusCode::OK);
        assert!(filtered.contains("<option value=\"HK\" selected>"));
    }
}

mod assignees;
mod route;
mod rule_edit;
