//! A case given to a colleague from its page, the board filtered by assignee, and the refusals:
//! only agency staff may be chosen, and only agency staff may choose.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{browser_for, case_by_api, id_of, open_case};
use crate::browser::Browser;
use crate::fixtures::{candidate, officer};
use crate::helpers::{PASSWORD, Session, TestApp};
use crate::on_both_backends;

/// An agency officer named `name`, created by an admin and signed in.
async fn colleague(app: &TestApp, name: &str) -> Session {
    let admin = app.admin().await;
    let email = format!("colleague-{}@example.com", uuid::Uuid::new_v4().simple());
    let body = json!({"email": email, "password": PASSWORD, "role": "agency_officer", "display_name": name});
    let created = app.create_staff(&admin.access_token, body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    app.sign_in(&email, PASSWORD).await
}

on_both_backends! {
    async fn an_officer_gives_a_case_to_a_colleague_and_the_board_filters_by_them(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let wong = colleague(&app, "Wong Siu Ming").await;
        let (me, candidate_id) = candidate(&app, "CN").await;
        let given = id_of(&open_case(&app, &officer, &candidate_id, "For a colleague").await);
        let kept = id_of(&open_case(&app, &officer, &candidate_id, "Still unassigned").await);
        let mut browser = browser_for(&app, &officer).await;

        let page = browser.get(&format!("/agency/cases/{given}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.html);
        assert!(page.contains("<label for=\"case-assignee\">Assign to</label>"));
        assert!(page.contains(&format!("<option value=\"{}\">Wong Siu Ming</option>", wong.user_id)), "{}", page.html);
        assert!(page.contains(&format!("<option value=\"{}\">Officer (you)</option>", officer.user_id)));
        assert!(page.contains("<option value=\"none\" selected>Nobody</option>"));
        assert!(!page.contains(&format!("value=\"{}\"", me.user_id)), "a job seeker is not offered");

        let assigned = browser.submit(&format!("/agency/cases/{given}/assignee"), &[("to", &wong.user_id)]).await;
        assert_eq!(assigned.status, StatusCode::SEE_OTHER, "{}", assigned.html);
        assert_eq!(assigned.location.as_deref(), Some(format!("/agency/cases/{given}").as_str()));
        assert_eq!(case_by_api(&app, &officer, &given).await["assignee_id"], wong.user_id.as_str());
        let page = browser.get(&format!("/agency/cases/{given}")).await;
        assert!(page.contains("<strong>Assigned to:</strong> Wong Siu Ming"), "{}", page.html);
        assert!(page.contains(&format!("<option value=\"{}\" selected>Wong Siu Ming</option>", wong.user_id)));
        assert!(page.contains("Assignee changed</strong>: Wong Siu Ming"), "the timeline names the new assignee");

        let board = browser.get(&format!("/agency/cases?assignee={}", wong.user_id)).await;
        assert_eq!(board.status, StatusCode::OK, "{}", board.html);
        assert!(board.contains(&format!("href=\"/agency/cases/{given}\"")), "{}", board.html);
        assert!(!board.contains(&format!("href=\"/agency/cases/{kept}\"")), "another's case is not listed");
        assert!(board.contains(&format!("<option value=\"{}\" selected>Wong Siu Ming</option>", wong.user_id)));
        let unassigned = browser.get("/agency/cases?assignee=none").await;
        assert!(unassigned.contains(&format!("href=\"/agency/cases/{kept}\"")));
        assert!(!unassigned.contains(&format!("href=\"/agency/cases/{given}\"")));
        let mine = browser.get("/agency/cases?assignee=me").await;
        assert!(mine.contains("No case matches."), "nothing is assigned to the officer yet");

        // The colleague sees it as theirs.
        let mut theirs = browser_for(&app, &wong).await;
        let board = theirs.get("/agency/cases?assignee=me").await;
        assert!(board.contains(&format!("href=\"/agency/cases/{given}\"")) && board.contains("Assigned to me"));

        let back = browser.submit(&format!("/agency/cases/{given}/assignee"), &[("to", "none")]).await;
        assert_eq!(back.status, StatusCode::SEE_OTHER);
        assert_eq!(case_by_api(&app, &officer, &given).await["assignee_id"], Value::Null);
    }
}

on_both_backends! {
    async fn only_agency_staff_may_be_given_a_case(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let wong = colleague(&app, "Wong Siu Ming").await;
        let (me, candidate_id) = candidate(&app, "CN").await;
        let employer = app.sign_up("employer").await;
        let id = id_of(&open_case(&app, &officer, &candidate_id, "Moving for a new job").await);
        let mut browser = browser_for(&app, &officer).await;
        browser.get(&format!("/agency/cases/{id}")).await;
        let given = browser.submit(&format!("/agency/cases/{id}/assignee"), &[("to", &wong.user_id)]).await;
        assert_eq!(given.status, StatusCode::SEE_OTHER);

        for outsider in [me.user_id.as_str(), employer.user_id.as_str(), "no-such-user"] {
            let refused = browser.submit(&format!("/agency/cases/{id}/assignee"), &[("to", outsider)]).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{outsider}: {}", refused.html);
            assert!(refused.contains("aria-invalid=\"true\" aria-describedby=\"case-assignee-error\""));
            assert!(
                refused.contains("<p class=\"error\" id=\"case-assignee-error\">Choose a member of the agency staff who can sign in.</p>"),
                "{}", refused.html
            );
            assert!(refused.contains(&format!("<option value=\"{}\" selected>Wong Siu Ming</option>", wong.user_id)), "the select shows who still has the case");
            assert_eq!(case_by_api(&app, &officer, &id).await["assignee_id"], wong.user_id.as_str(), "nothing changes");
        }
        let timeline = app.get(&format!("/api/v1/cases/{id}/timeline"), Some(&officer.access_token)).await;
        let assignments = timeline.body.as_array().map(|entries| entries.iter().filter(|e| e["action"] == "case.assigned").count());
        assert_eq!(assignments, Some(1), "only the accepted assignment is recorded: {}", timeline.body);
    }
}

on_both_backends! {
    async fn only_agency_staff_may_assign_or_filter_by_assignee(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (me, candidate_id) = candidate(&app, "CN").await;
        let id = id_of(&open_case(&app, &officer, &candidate_id, "Moving for a new job").await);
        let employer = app.sign_up("employer").await;

        let mut visitor = Browser::new(&app);
        let asked = visitor.get(&format!("/agency/cases?assignee={}", officer.user_id)).await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER);
        assert!(asked.location.as_deref().is_some_and(|to| to.starts_with("/sign-in?next=%2Fagency%2Fcases%3Fassignee%3D")));

        for session in [&me, &employer] {
            let mut outsider = browser_for(&app, session).await;
            let board = outsider.get(&format!("/agency/cases?assignee={}", officer.user_id)).await;
            assert_eq!(board.status, StatusCode::FORBIDDEN);
            let forced = outsider.submit(&format!("/agency/cases/{id}/assignee"), &[("to", &officer.user_id)]).await;
            assert_eq!(forced.status, StatusCode::FORBIDDEN, "{}", forced.html);
            assert!(forced.contains("Not allowed"));
        }
        assert_eq!(case_by_api(&app, &officer, &id).await["assignee_id"], Value::Null, "nothing changes");
    }
}
