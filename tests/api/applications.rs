//! Applications through HTTP: apply once to an open job, the pipeline with its legal and illegal
//! moves, history, emails to the other side, and what an employer across the boundary sees.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::{
    CN_NUMBER, HK_NUMBER, audit_actions, candidate, job_body, officer, open_job, verified_employer,
};
use crate::helpers::{Answer, Session, TestApp};
use crate::on_both_backends;

async fn apply(app: &TestApp, who: &Session, job_id: &str, body: Value) -> Answer {
    app.post(
        &format!("/api/v1/jobs/{job_id}/applications"),
        Some(&who.access_token),
        body,
    )
    .await
}

async fn move_to(app: &TestApp, who: &Session, id: &str, status: &str) -> Answer {
    app.call(
        Method::PATCH,
        &format!("/api/v1/applications/{id}"),
        Some(&who.access_token),
        Some(json!({"status": status})),
    )
    .await
}

on_both_backends! {
    async fn apply_once_then_the_pipeline_with_history_and_emails(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let job_id = open_job(&app, &owner, &employer_id, "hk-central-and-western", "HKD").await;
        let (applicant, candidate_id) = candidate(&app, "HK").await;

        let applied = apply(&app, &applicant, &job_id, json!({"cover_letter": "I would love to join."})).await;
        assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
        assert_eq!(applied.body["status"], "submitted");
        assert_eq!(applied.body["candidate_id"], candidate_id.as_str());
        let id = applied.body["id"].as_str().unwrap().to_owned();
        apply(&app, &applicant, &job_id, json!({})).await.problem(409);

        // The employer is told, and sees the applicant.
        // The first email was the address verification; the second tells of the application.
        let received = app.wait_for_mail(&owner.email, 2).await;
        assert!(received.iter().any(|m| m.subject.contains("Senior software engineer")), "{received:?}");
        let listed = app.get("/api/v1/applications", Some(&owner.access_token)).await;
        assert_eq!(listed.body["total"], 1);
        assert_eq!(listed.body["items"][0]["candidate"]["display_name"], "Chan Tai Man");
        assert_eq!(listed.body["items"][0]["cover_letter"], "I would love to join.");

        // Illegal moves are 409 and change nothing.
        move_to(&app, &owner, &id, "offer").await.problem(409);
        move_to(&app, &owner, &id, "withdrawn").await.problem(409);
        move_to(&app, &applicant, &id, "screening").await.problem(409);
        move_to(&app, &owner, &id, "pending").await.problem(400);

        for (step, status) in ["screening", "interview", "offer"].into_iter().enumerate() {
            let moved = move_to(&app, &owner, &id, status).await;
            assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
            assert_eq!(moved.body["status"], status);
            let mails = app.wait_for_mail(&applicant.email, step + 2).await;
            assert!(mails.last().unwrap().text.contains(status), "{}", mails.last().unwrap().text);
        }
        let withdrawn = move_to(&app, &applicant, &id, "withdrawn").await;
        assert_eq!(withdrawn.status, StatusCode::OK);
        move_to(&app, &owner, &id, "hired").await.problem(409);

        let mine = app.get(&format!("/api/v1/applications/{id}"), Some(&applicant.access_token)).await;
        let history: Vec<(&str, &str)> = mine.body["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["from_status"].as_str().unwrap_or("-"), h["to_status"].as_str().unwrap()))
            .collect();
        assert_eq!(history, vec![("-", "submitted"), ("submitted", "screening"), ("screening", "interview"),
                                 ("interview", "offer"), ("offer", "withdrawn")]);
        assert_eq!(mine.body["history"][1]["actor_id"], owner.user_id.as_str());
        assert_eq!(mine.body["history"][4]["actor_id"], applicant.user_id.as_str());
    }
}

on_both_backends! {
    async fn closed_jobs_drafts_and_missing_profiles_refuse_applications(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;
        let job_id = open_job(&app, &owner, &employer_id, "cn-sz-futian", "CNY").await;
        let draft = app.post("/api/v1/jobs", Some(&owner.access_token), job_body(&employer_id, "cn-sz-nanshan", "CNY")).await;
        let draft_id = draft.body["id"].as_str().unwrap();
        let (applicant, _) = candidate(&app, "CN").await;

        apply(&app, &applicant, draft_id, json!({})).await.problem(404);
        apply(&app, &applicant, "no-such-job", json!({})).await.problem(404);
        let no_profile = app.sign_up("candidate").await;
        apply(&app, &no_profile, &job_id, json!({})).await.problem(409);
        apply(&app, &owner, &job_id, json!({})).await.problem(403);
        let long = apply(&app, &applicant, &job_id, json!({"cover_letter": "x".repeat(10_001)})).await;
        long.problem(422);
        assert_eq!(long.error_fields(), vec!["cover_letter"]);

        let closed = app.post(&format!("/api/v1/jobs/{job_id}/close"), Some(&owner.access_token), json!({})).await;
        assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
        apply(&app, &applicant, &job_id, json!({})).await.problem(409);
        assert_eq!(app.get("/api/v1/applications", Some(&applicant.access_token)).await.body["total"], 0);
    }
}

on_both_backends! {
    async fn across_the_boundary_applicant_details_follow_consent(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let job_id = open_job(&app, &owner, &employer_id, "hk-wan-chai", "HKD").await;
        let (shenzhen, shenzhen_id) = candidate(&app, "CN").await;

        // Applying to Hong Kong from Shenzhen shares data across the boundary: consent first.
        let refused = apply(&app, &shenzhen, &job_id, json!({"cover_letter": "Hello"})).await;
        assert!(refused.problem(409)["detail"].as_str().unwrap().contains("consent"));
        let consent = app
            .post("/api/v1/candidates/me/consents", Some(&shenzhen.access_token),
                  json!({"purpose": "cross_border_sharing", "to_jurisdiction": "HK"}))
            .await;
        assert_eq!(consent.status, StatusCode::CREATED, "{}", consent.body);
        let applied = apply(&app, &shenzhen, &job_id, json!({"cover_letter": "Hello"})).await;
        assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
        let id = applied.body["id"].as_str().unwrap();

        let seen = app.get(&format!("/api/v1/applications/{id}"), Some(&owner.access_token)).await;
        assert_eq!(seen.body["candidate"]["display_name"], "Chan Tai Man");
        // The employer's read across the boundary is on the record; the applicant's own reads are not.
        app.get(&format!("/api/v1/applications/{id}"), Some(&shenzhen.access_token)).await;
        let reads = audit_actions(&app, "candidate", &shenzhen_id).await;
        assert_eq!(reads.iter().filter(|a| *a == "cross_border_read").count(), 1, "{reads:?}");

        // Withdrawn consent: the employer keeps the record but loses sight of the person.
        let consent_id = consent.body["id"].as_str().unwrap();
        let withdrawn = app
            .call(Method::DELETE, &format!("/api/v1/candidates/me/consents/{consent_id}"), Some(&shenzhen.access_token), None)
            .await;
        assert_eq!(withdrawn.status, StatusCode::NO_CONTENT);
        let hidden = app.get(&format!("/api/v1/applications/{id}"), Some(&owner.access_token)).await;
        assert_eq!(hidden.status, StatusCode::OK);
        assert!(hidden.body["candidate"].is_null(), "{}", hidden.body);
        assert!(hidden.body["cover_letter"].is_null());
        let own_view = app.get(&format!("/api/v1/applications/{id}"), Some(&shenzhen.access_token)).await;
        assert_eq!(own_view.body["candidate"]["display_name"], "Chan Tai Man");
    }
}

on_both_backends! {
    async fn strangers_cannot_reach_an_application(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let (other_owner, _) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;
        let job_id = open_job(&app, &owner, &employer_id, "hk-wan-chai", "HKD").await;
        let (applicant, _) = candidate(&app, "HK").await;
        let (other_candidate, _) = candidate(&app, "HK").await;
        let applied = apply(&app, &applicant, &job_id, json!({})).await;
        let path = format!("/api/v1/applications/{}", applied.body["id"].as_str().unwrap());

        for stranger in [&other_owner, &other_candidate] {
            app.get(&path, Some(&stranger.access_token)).await.problem(404);
            app.call(Method::PATCH, &path, Some(&stranger.access_token), Some(json!({"status": "rejected"}))).await.problem(404);
            assert_eq!(app.get("/api/v1/applications", Some(&stranger.access_token)).await.body["total"], 0);
        }
        app.get(&path, Some(&officer.access_token)).await.problem(404);
        app.get("/api/v1/applications", Some(&officer.access_token)).await.problem(403);
        app.get(&path, None).await.problem(401);
        app.call(Method::PATCH, &path, Some(&owner.access_token), Some(json!({"status": "rejected", "candidate_id": "x"})))
            .await
            .problem(400);
    }
}
