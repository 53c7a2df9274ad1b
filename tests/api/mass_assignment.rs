//! Mass assignment (OWASP API3, property-level authorization): no body sets a role, a
//! verification state, an employer, an owner, a status outside its own endpoint, or an erasure.
//! Each row sends one hostile body through HTTP and must be refused with a 4xx problem; then
//! every record is read back and must be exactly as before.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::*;
use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;

/// Reads each path with its token; every read must succeed.
async fn read_all(app: &TestApp, reads: &[(String, String)]) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (path, token) in reads {
        let answer = app.get(path, Some(token)).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.body);
        out.push((path.clone(), answer.body));
    }
    out
}

on_both_backends! {
    async fn no_body_sets_role_verification_owner_or_employer(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let admin = app.admin().await;
        let (owner, employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let (other_owner, unverified_id) = employer(&app, "CN", CN_NUMBER).await;
        let job_id = open_job(&app, &owner, &employer_id, "hk-wan-chai", "HKD").await;
        let draft_id = draft_job(&app, &owner, job_body(&employer_id, "hk-wan-chai", "HKD")).await;
        let (candidate, candidate_id) = candidate(&app, "HK").await;
        let (other_candidate, other_candidate_id) = crate::fixtures::candidate(&app, "HK").await;
        let applied = app
            .post(&format!("/api/v1/jobs/{job_id}/applications"), Some(&candidate.access_token), json!({}))
            .await;
        assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
        let application_id = applied.body["id"].as_str().unwrap().to_owned();
        let opened = app
            .post(
                "/api/v1/cases",
                Some(&officer.access_token),
                json!({"candidate_id": candidate_id, "direction": "HK_TO_CN", "summary": "Moving"}),
            )
            .await;
        assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
        let case_id = opened.body["id"].as_str().unwrap().to_owned();

        // What must not change, each read as its owner (or staff) would read it.
        let snapshot_reads: Vec<(String, String)> = vec![
            ("/api/v1/me".into(), candidate.access_token.clone()),
            ("/api/v1/me".into(), owner.access_token.clone()),
            (format!("/api/v1/employers/{employer_id}"), owner.access_token.clone()),
            (format!("/api/v1/employers/{unverified_id}"), other_owner.access_token.clone()),
            (format!("/api/v1/employers/{employer_id}/members"), owner.access_token.clone()),
            ("/api/v1/employers?limit=100".into(), admin.access_token.clone()),
            (format!("/api/v1/jobs/{job_id}"), owner.access_token.clone()),
            (format!("/api/v1/jobs/{draft_id}"), owner.access_token.clone()),
            ("/api/v1/candidates/me".into(), candidate.access_token.clone()),
            ("/api/v1/candidates/me".into(), other_candidate.access_token.clone()),
            (format!("/api/v1/applications/{application_id}"), candidate.access_token.clone()),
            (format!("/api/v1/cases/{case_id}"), officer.access_token.clone()),
        ];
        let before = read_all(&app, &snapshot_reads).await;

        let fresh_employer = app.sign_up("employer").await;
        let new_employer = json!({"name": "Sneaky Ltd", "jurisdiction": "HK", "registration_number": HK_NUMBER_2});
        let profile = |extra: Value| {
            let mut body = json!({
                "display_name": "Chan Tai Man", "headline": "Backend engineer", "summary": "Rust and PostgreSQL.",
                "residence_jurisdiction": "HK",
                "languages": [{"code": "yue", "level": 5}, {"code": "en", "level": 4}],
                "skills": [{"skill_id": "software-engineering", "level": 4, "years": 6}],
                "desired_jurisdictions": ["CN", "HK"], "visibility": "employers"
            });
            for (k, v) in extra.as_object().unwrap() {
                body[k] = v.clone();
            }
            body
        };
        let with = |mut body: Value, extra: Value| {
            for (k, v) in extra.as_object().unwrap() {
                body[k] = v.clone();
            }
            body
        };
        let admin_email = "would-be-admin@example.com";
        let verified_email = "pre-verified@example.com";

        // (what, method, path, token, body)
        let rows: Vec<(&str, Method, String, Option<String>, Value)> = vec![
            ("register as admin", Method::POST, "/api/v1/auth/register".into(), None,
             json!({"email": admin_email, "password": PASSWORD, "role": "admin", "display_name": "Eve"})),
            ("register as agency officer", Method::POST, "/api/v1/auth/register".into(), None,
             json!({"email": admin_email, "password": PASSWORD, "role": "agency_officer", "display_name": "Eve"})),
            ("register pre-verified", Method::POST, "/api/v1/auth/register".into(), None,
             json!({"email": verified_email, "password": PASSWORD, "role": "candidate", "display_name": "Eve", "email_verified": true})),
            ("register with an id", Method::POST, "/api/v1/auth/register".into(), None,
             json!({"email": verified_email, "password": PASSWORD, "role": "candidate", "display_name": "Eve", "id": candidate.user_id})),
            ("create a verified employer", Method::POST, "/api/v1/employers".into(), Some(fresh_employer.access_token.clone()),
             with(new_employer.clone(), json!({"verified": true}))),
            ("create an employer with a verification time", Method::POST, "/api/v1/employers".into(), Some(fresh_employer.access_token.clone()),
             with(new_employer.clone(), json!({"verified_at": "2026-01-01T00:00:00Z"}))),
            ("create an employer for another owner", Method::POST, "/api/v1/employers".into(), Some(fresh_employer.access_token.clone()),
             with(new_employer.clone(), json!({"owner_id": owner.user_id}))),
            ("verify one's own employer by patch", Method::PATCH, format!("/api/v1/employers/{unverified_id}"), Some(other_owner.access_token.clone()),
             json!({"verified": true})),
            ("take over an employer by patch", Method::PATCH, format!("/api/v1/employers/{unverified_id}"), Some(other_owner.access_token.clone()),
             json!({"owner_id": other_candidate.user_id})),
            ("move an employer across the boundary", Method::PATCH, format!("/api/v1/employers/{employer_id}"), Some(owner.access_token.clone()),
             json!({"jurisdiction": "CN"})),
            ("verify one's own employer", Method::POST, format!("/api/v1/employers/{unverified_id}/verification"), Some(other_owner.access_token.clone()),
             json!({"verified": true})),
            ("move a job to another employer", Method::PATCH, format!("/api/v1/jobs/{draft_id}"), Some(owner.access_token.clone()),
             json!({"employer_id": unverified_id})),
            ("publish a job by patch", Method::PATCH, format!("/api/v1/jobs/{draft_id}"), Some(owner.access_token.clone()),
             json!({"status": "open"})),
            ("reopen or close a job by patch", Method::PATCH, format!("/api/v1/jobs/{job_id}"), Some(owner.access_token.clone()),
             json!({"status": "closed"})),
            ("create a job for another employer", Method::POST, "/api/v1/jobs".into(), Some(owner.access_token.clone()),
             job_body(&unverified_id, "hk-wan-chai", "HKD")),
            ("create an open job", Method::POST, "/api/v1/jobs".into(), Some(owner.access_token.clone()),
             with(job_body(&employer_id, "hk-wan-chai", "HKD"), json!({"status": "open"}))),
            ("profile for another user", Method::PUT, "/api/v1/candidates/me".into(), Some(candidate.access_token.clone()),
             profile(json!({"user_id": other_candidate.user_id}))),
            ("profile with another id", Method::PUT, "/api/v1/candidates/me".into(), Some(candidate.access_token.clone()),
             profile(json!({"id": other_candidate_id}))),
            ("profile erased", Method::PUT, "/api/v1/candidates/me".into(), Some(candidate.access_token.clone()),
             profile(json!({"erased_at": "2026-01-01T00:00:00Z"}))),
            ("profile verified", Method::PUT, "/api/v1/candidates/me".into(), Some(candidate.access_token.clone()),
             profile(json!({"verified": true}))),
            ("apply as another candidate", Method::POST, format!("/api/v1/jobs/{job_id}/applications"), Some(other_candidate.access_token.clone()),
             json!({"candidate_id": candidate_id})),
            ("apply already hired", Method::POST, format!("/api/v1/jobs/{job_id}/applications"), Some(other_candidate.access_token.clone()),
             json!({"status": "hired"})),
            ("application moved to another job", Method::PATCH, format!("/api/v1/applications/{application_id}"), Some(owner.access_token.clone()),
             json!({"status": "screening", "job_id": draft_id})),
            ("application given to another candidate", Method::PATCH, format!("/api/v1/applications/{application_id}"), Some(owner.access_token.clone()),
             json!({"status": "screening", "candidate_id": other_candidate_id})),
            ("application given to another employer", Method::PATCH, format!("/api/v1/applications/{application_id}"), Some(owner.access_token.clone()),
             json!({"status": "screening", "employer_id": unverified_id})),
            ("candidate hires themself", Method::PATCH, format!("/api/v1/applications/{application_id}"), Some(candidate.access_token.clone()),
             json!({"status": "hired"})),
            ("case moved to another candidate", Method::PATCH, format!("/api/v1/cases/{case_id}"), Some(officer.access_token.clone()),
             json!({"candidate_id": other_candidate_id})),
            ("case direction rewritten", Method::PATCH, format!("/api/v1/cases/{case_id}"), Some(officer.access_token.clone()),
             json!({"direction": "CN_TO_HK"})),
            ("case opened by its candidate", Method::POST, "/api/v1/cases".into(), Some(candidate.access_token.clone()),
             json!({"candidate_id": candidate_id, "direction": "HK_TO_CN"})),
            ("staff made with a chosen role by a non-admin", Method::POST, "/api/v1/admin/users".into(), Some(officer.access_token.clone()),
             json!({"email": admin_email, "password": PASSWORD, "role": "admin", "display_name": "Eve"})),
            ("admin made through the staff endpoint", Method::POST, "/api/v1/admin/users".into(), Some(admin.access_token.clone()),
             json!({"email": admin_email, "password": PASSWORD, "role": "agency_officer", "display_name": "Eve", "email_verified": false, "disabled": false})),
        ];

        for (what, method, path, token, body) in rows {
            let answer = app.call(method.clone(), &path, token.as_deref(), Some(body)).await;
            let status = answer.status.as_u16();
            assert!(
                matches!(status, 400 | 403 | 404 | 409 | 422),
                "{what}: {method} {path} answered {status}: {}",
                answer.body
            );
            answer.problem(status);
        }

        // Nothing that was read before changed, and no account or employer came into being.
        let after = read_all(&app, &snapshot_reads).await;
        for ((path, was), (_, is)) in before.iter().zip(after.iter()) {
            assert_eq!(was, is, "{path} changed");
        }
        for email in [admin_email, verified_email] {
            app.login(email, PASSWORD).await.problem(401);
        }
        app.assert_no_mail(admin_email).await;
        app.assert_no_mail(verified_email).await;
        let none = app.get("/api/v1/employers?limit=100", Some(&fresh_employer.access_token)).await;
        assert!(
            !none.body.to_string().contains("Sneaky Ltd"),
            "an employer was created: {}",
            none.body
        );
    }
}
