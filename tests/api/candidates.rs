//! Candidates through HTTP: the profile and its validation, credentials and work authorisations
//! with agency verification, consents, the cross-border visibility rule end to end with its
//! audit trail, export and erasure.

use diesel::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use talentbridge::db::schema::{applications, candidates, cases, consents, credentials, mail_outbox};

use crate::fixtures::{
    CN_NUMBER, CN_NUMBER_2, HK_NUMBER, HK_NUMBER_2, employer, officer, open_job, verified_employer,
};
use crate::helpers::{Answer, Session, TestApp};
use crate::on_both_backends;

/// An employer account owning an employer of `jurisdiction` made through the API, verified by
/// an agency officer when asked.
async fn employer_member(
    app: &TestApp,
    jurisdiction: &str,
    number: &str,
    verified: bool,
) -> (Session, String) {
    if verified {
        verified_employer(app, &officer(app).await, jurisdiction, number).await
    } else {
        employer(app, jurisdiction, number).await
    }
}

fn profile(residence: &str, visibility: &str) -> Value {
    let location = if residence == "CN" {
        "cn-sz-futian"
    } else {
        "hk-wan-chai"
    };
    json!({
        "display_name": "Chan Tai Man",
        "headline": "Backend engineer",
        "summary": "Ten years of payments systems.",
        "residence_jurisdiction": residence,
        "location_id": location,
        "languages": [{"code": "yue", "level": 5}, {"code": "en", "level": 4}],
        "skills": [{"skill_id": "software-engineering", "level": 4, "years": 8}],
        "desired_jurisdictions": ["CN", "HK"],
        "desired_location_ids": ["hk-central-and-western"],
        "salary_expectation": {"amount": 45000, "currency": "HKD", "period": "month"},
        "visibility": visibility
    })
}

async fn put_profile(app: &TestApp, session: &Session, body: Value) -> Answer {
    app.call(
        Method::PUT,
        "/api/v1/candidates/me",
        Some(&session.access_token),
        Some(body),
    )
    .await
}

/// A signed-up candidate with a profile; returns the session and the candidate id.
async fn candidate(app: &TestApp, residence: &str, visibility: &str) -> (Session, String) {
    let session = app.sign_up("candidate").await;
    let answer = put_profile(app, &session, profile(residence, visibility)).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let id = answer.body["id"].as_str().unwrap().to_owned();
    (session, id)
}

async fn delete(app: &TestApp, path: &str, session: &Session) -> Answer {
    app.call(Method::DELETE, path, Some(&session.access_token), None)
        .await
}

async fn audit(app: &TestApp, admin: &Session, query: &str) -> Vec<Value> {
    let answer = app
        .get(
            &format!("/api/v1/audit?limit=100&{query}"),
            Some(&admin.access_token),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body["items"].as_array().unwrap().clone()
}

fn actions(entries: &[Value]) -> Vec<&str> {
    entries.iter().map(|e| e["action"].as_str().unwrap()).collect()
}

on_both_backends! {
    async fn a_profile_is_validated_stored_replaced_and_audited(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let me = app.sign_up("candidate").await;
        app.get("/api/v1/candidates/me", Some(&me.access_token)).await.problem(404);
        let (employer, _) = employer_member(&app, "HK", HK_NUMBER, true).await;
        put_profile(&app, &employer, profile("HK", "employers")).await.problem(403);

        let mut bad = profile("CN", "employers");
        bad["display_name"] = json!("  ");
        bad["headline"] = json!("x".repeat(201));
        bad["residence_jurisdiction"] = json!("MO");
        bad["location_id"] = json!("nowhere");
        bad["languages"] = json!([{"code": "English", "level": 3}, {"code": "cmn", "level": 9}]);
        bad["skills"] = json!([
            {"skill_id": "software-engineering", "level": 0, "years": 3},
            {"skill_id": "no-such-skill", "level": 3, "years": 61},
            {"skill_id": "software-engineering", "level": 3, "years": 1}
        ]);
        bad["desired_jurisdictions"] = json!(["HK", "XX"]);
        bad["desired_location_ids"] = json!(["atlantis"]);
        bad["salary_expectation"] = json!({"amount": -5, "currency": "USD", "period": "month"});
        let answer = put_profile(&app, &me, bad).await;
        answer.problem(422);
        let fields = answer.error_fields();
        for field in ["display_name", "headline", "residence_jurisdiction", "location_id", "languages[0].code",
            "languages[1].level", "skills[0].level", "skills[1].skill_id", "skills[1].years", "skills[2].skill_id",
            "desired_jurisdictions[1]", "desired_location_ids[0]", "salary_expectation.amount", "salary_expectation.currency"] {
            assert!(fields.contains(&field.to_owned()), "{field} missing from {fields:?}");
        }
        // A location of the other jurisdiction.
        let mut elsewhere = profile("CN", "employers");
        elsewhere["location_id"] = json!("hk-wan-chai");
        assert_eq!(put_profile(&app, &me, elsewhere).await.error_fields(), vec!["location_id"]);
        // Malformed shapes are 400s naming the field.
        let mut period = profile("CN", "employers");
        period["salary_expectation"]["period"] = json!("week");
        assert_eq!(put_profile(&app, &me, period).await.problem(400)["errors"][0]["field"], "salary_expectation.period");
        let mut extra = profile("CN", "employers");
        extra["erased_at"] = json!("2026-01-01T00:00:00");
        put_profile(&app, &me, extra).await.problem(400);
        app.get("/api/v1/candidates/me", Some(&me.access_token)).await.problem(404);

        let created = put_profile(&app, &me, profile("CN", "employers")).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let id = created.body["id"].as_str().unwrap().to_owned();
        let read = app.get("/api/v1/candidates/me", Some(&me.access_token)).await;
        assert_eq!(read.status, StatusCode::OK);
        assert_eq!(read.body, created.body);
        assert_eq!(read.body["languages"], json!([{"code": "en", "level": 4}, {"code": "yue", "level": 5}]));
        assert_eq!(read.body["skills"][0]["skill_id"], "software-engineering");
        assert_eq!(read.body["skills"][0]["years"], 8);
        assert_eq!(read.body["salary_expectation"], json!({"amount": 45000, "currency": "HKD", "period": "month"}));
        assert_eq!(read.body["desired_jurisdictions"], json!(["CN", "HK"]));
        assert_eq!(read.body["location_id"], "cn-sz-futian");
        assert_eq!(read.body["visibility"], "employers");

        let mut changed = profile("CN", "private");
        changed["skills"] = json!([{"skill_id": "software-engineering", "level": 5, "years": 9}]);
        changed["languages"] = json!([{"code": "cmn", "level": 5}]);
        changed["salary_expectation"] = Value::Null;
        let replaced = put_profile(&app, &me, changed).await;
        assert_eq!(replaced.status, StatusCode::OK, "{}", replaced.body);
        assert_eq!(replaced.body["id"], id.as_str());
        assert_eq!(replaced.body["languages"], json!([{"code": "cmn", "level": 5}]));
        assert_eq!(replaced.body["skills"][0]["level"], 5);
        assert_eq!(replaced.body["salary_expectation"], Value::Null);
        assert_eq!(replaced.body["visibility"], "private");

        let admin = app.admin().await;
        let entries = audit(&app, &admin, &format!("target_type=candidate&target_id={id}")).await;
        assert_eq!(actions(&entries), vec!["update", "create"]);
        assert_eq!(entries[0]["actor_id"], me.user_id.as_str());
        assert!(!entries[0]["after"].as_str().unwrap().contains("Chan Tai Man"), "the audit log holds no names");
    }
}

on_both_backends! {
    async fn credentials_are_added_verified_by_the_agency_and_kept_private(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let me = app.sign_up("candidate").await;
        let path = "/api/v1/candidates/me/credentials";
        let body = json!({"qualification_id": "hk-higher-diploma", "awarded_on": "2019-07-01"});
        app.post(path, Some(&me.access_token), body.clone()).await.problem(409);
        app.get(path, Some(&me.access_token)).await.problem(404);
        let created = put_profile(&app, &me, profile("HK", "employers")).await;
        let candidate_id = created.body["id"].as_str().unwrap().to_owned();

        let bad = app.post(path, Some(&me.access_token), json!({"qualification_id": "hk-nothing", "awarded_on": "2999-01-01"})).await;
        bad.problem(422);
        assert_eq!(bad.error_fields(), vec!["qualification_id", "awarded_on"]);
        let added = app.post(path, Some(&me.access_token), body).await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
        assert_eq!(added.body["status"], "pending");
        assert_eq!(added.body["qualification_id"], "hk-higher-diploma");
        assert_eq!(added.body["qualification"]["jurisdiction"], "HK");
        assert_eq!(added.body["qualification"]["title"], "Higher Diploma");
        assert!(added.body["qualification"]["level_id"].is_string(), "{}", added.body);
        assert_eq!(added.body["awarded_on"], "2019-07-01");
        assert_eq!(added.body["verified_at"], Value::Null);
        let credential_id = added.body["id"].as_str().unwrap().to_owned();

        let verification = format!("/api/v1/candidates/{candidate_id}/credentials/{credential_id}/verification");
        let verdict = json!({"status": "verified", "note": "HKCAAVQ register checked"});
        app.post(&verification, Some(&me.access_token), verdict.clone()).await.problem(403);
        let officer = officer(&app).await;
        let (stranger, stranger_id) = candidate(&app, "HK", "employers").await;
        let wrong = format!("/api/v1/candidates/{stranger_id}/credentials/{credential_id}/verification");
        app.post(&wrong, Some(&officer.access_token), verdict.clone()).await.problem(404);
        let bad_status = app.post(&verification, Some(&officer.access_token), json!({"status": "maybe"})).await;
        assert_eq!(bad_status.status, StatusCode::BAD_REQUEST);
        let verified = app.post(&verification, Some(&officer.access_token), verdict).await;
        assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);
        assert_eq!(verified.body["status"], "verified");
        assert_eq!(verified.body["verification_note"], "HKCAAVQ register checked");
        assert!(verified.body["verified_at"].is_string());
        let listed = app.get(path, Some(&me.access_token)).await;
        assert_eq!(listed.body["total"], 1);
        assert_eq!(listed.body["items"][0]["status"], "verified");

        let admin = app.admin().await;
        let entries = audit(&app, &admin, &format!("target_type=credential&target_id={credential_id}")).await;
        assert_eq!(actions(&entries), vec!["verification", "create"]);
        assert!(entries[0]["before"].as_str().unwrap().contains("pending"));
        assert!(entries[0]["after"].as_str().unwrap().contains("verified"));
        assert_eq!(entries[0]["actor_id"], officer.user_id.as_str());

        // Another candidate can neither see nor remove it.
        assert_eq!(app.get(path, Some(&stranger.access_token)).await.body["total"], 0);
        delete(&app, &format!("{path}/{credential_id}"), &stranger).await.problem(404);
        assert_eq!(delete(&app, &format!("{path}/{credential_id}"), &me).await.status, StatusCode::NO_CONTENT);
        assert_eq!(app.get(path, Some(&me.access_token)).await.body["total"], 0);
        delete(&app, &format!("{path}/{credential_id}"), &me).await.problem(404);
    }
}

on_both_backends! {
    async fn work_authorisations_follow_the_bases_and_expire(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let (me, candidate_id) = candidate(&app, "CN", "employers").await;
        let path = "/api/v1/candidates/me/work-authorizations";
        let wrong_place = app.post(path, Some(&me.access_token), json!({"jurisdiction": "CN", "basis": "HK_PR"})).await;
        wrong_place.problem(422);
        assert_eq!(wrong_place.error_fields(), vec!["basis"]);
        let unknown = app.post(path, Some(&me.access_token), json!({"jurisdiction": "MO", "basis": "NOPE"})).await;
        assert_eq!(unknown.error_fields(), vec!["jurisdiction", "basis"]);
        let open_ended = app.post(path, Some(&me.access_token), json!({"jurisdiction": "HK", "basis": "HK_TTPS"})).await;
        assert_eq!(open_ended.error_fields(), vec!["valid_until"]);

        let expired = app.post(path, Some(&me.access_token), json!({"jurisdiction": "HK", "basis": "HK_TTPS", "valid_until": "2020-01-31"})).await;
        assert_eq!(expired.status, StatusCode::CREATED, "{}", expired.body);
        assert_eq!(expired.body["active"], false);
        assert_eq!(expired.body["status"], "pending");
        let permanent = app.post(path, Some(&me.access_token), json!({"jurisdiction": "HK", "basis": "HK_PR"})).await;
        assert_eq!(permanent.status, StatusCode::CREATED, "{}", permanent.body);
        assert_eq!(permanent.body["active"], true);
        assert_eq!(permanent.body["authorizes_work"], true);
        assert!(permanent.body["basis_name"].is_string());
        let future = app.post(path, Some(&me.access_token), json!({"jurisdiction": "CN", "basis": "CN_CITIZEN", "valid_until": "2099-12-31"})).await;
        assert_eq!(future.body["active"], true);

        let permanent_id = permanent.body["id"].as_str().unwrap();
        let officer = officer(&app).await;
        let verification = format!("/api/v1/candidates/{candidate_id}/work-authorizations/{permanent_id}/verification");
        let rejected = app.post(&verification, Some(&officer.access_token), json!({"status": "rejected", "note": "ImmD record does not match"})).await;
        assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.body);
        assert_eq!(rejected.body["status"], "rejected");
        assert_eq!(rejected.body["active"], false);
        let (stranger, stranger_id) = candidate(&app, "CN", "employers").await;
        let wrong = format!("/api/v1/candidates/{stranger_id}/work-authorizations/{permanent_id}/verification");
        app.post(&wrong, Some(&officer.access_token), json!({"status": "verified"})).await.problem(404);

        let listed = app.get(path, Some(&me.access_token)).await;
        let active: Vec<bool> = listed.body["items"].as_array().unwrap().iter().map(|w| w["active"].as_bool().unwrap()).collect();
        assert_eq!(active, vec![false, false, true]);
        delete(&app, &format!("{path}/{permanent_id}"), &stranger).await.problem(404);
        assert_eq!(delete(&app, &format!("{path}/{permanent_id}"), &me).await.status, StatusCode::NO_CONTENT);
        assert_eq!(app.get(path, Some(&me.access_token)).await.body["total"], 2);
    }
}

on_both_backends! {
    async fn consents_are_granted_withdrawn_and_never_deleted(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let (me, candidate_id) = candidate(&app, "CN", "employers").await;
        let path = "/api/v1/candidates/me/consents";
        let own = app.post(path, Some(&me.access_token), json!({"purpose": "cross_border_sharing", "to_jurisdiction": "CN"})).await;
        own.problem(422);
        assert_eq!(own.error_fields(), vec!["to_jurisdiction"]);
        let unknown = app.post(path, Some(&me.access_token), json!({"purpose": "cross_border_sharing", "to_jurisdiction": "XX"})).await;
        assert_eq!(unknown.error_fields(), vec!["to_jurisdiction"]);
        let purpose = app.post(path, Some(&me.access_token), json!({"purpose": "marketing", "to_jurisdiction": "HK"})).await;
        assert_eq!(purpose.problem(400)["errors"][0]["field"], "purpose");

        let granted = app.post(path, Some(&me.access_token), json!({"purpose": "cross_border_sharing", "to_jurisdiction": "HK"})).await;
        assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.body);
        assert_eq!(granted.body["purpose"], "cross_border_sharing");
        assert_eq!(granted.body["to_jurisdiction"], "HK");
        assert_eq!(granted.body["notice_version"], talentbridge::candidates::CONSENT_NOTICE_VERSION);
        assert_eq!(granted.body["active"], true);
        assert_eq!(granted.body["withdrawn_at"], Value::Null);
        app.post(path, Some(&me.access_token), json!({"purpose": "cross_border_sharing", "to_jurisdiction": "HK"})).await.problem(409);

        let consent_id = granted.body["id"].as_str().unwrap().to_owned();
        let (stranger, _) = candidate(&app, "CN", "employers").await;
        delete(&app, &format!("{path}/{consent_id}"), &stranger).await.problem(404);
        assert_eq!(app.get(path, Some(&stranger.access_token)).await.body["total"], 0);
        assert_eq!(delete(&app, &format!("{path}/{consent_id}"), &me).await.status, StatusCode::NO_CONTENT);
        delete(&app, &format!("{path}/{consent_id}"), &me).await.problem(409);
        let again = app.post(path, Some(&me.access_token), json!({"purpose": "cross_border_sharing", "to_jurisdiction": "HK"})).await;
        assert_eq!(again.status, StatusCode::CREATED);

        let listed = app.get(path, Some(&me.access_token)).await;
        assert_eq!(listed.body["total"], 2);
        let first = &listed.body["items"][0];
        assert_eq!(first["id"], consent_id.as_str());
        assert_eq!(first["active"], false);
        assert!(first["withdrawn_at"].is_string());
        assert_eq!(listed.body["items"][1]["active"], true);
        let stored: i64 = app.db().await.read(move |conn| Ok(consents::table.filter(consents::candidate_id.eq(&candidate_id)).count().get_result(conn)?)).await.unwrap();
        assert_eq!(stored, 2);

        let admin = app.admin().await;
        let entries = audit(&app, &admin, &format!("target_type=consent&target_id={consent_id}")).await;
        assert_eq!(actions(&entries), vec!["withdraw", "grant"]);
    }
}

on_both_backends! {
    async fn employers_see_across_the_boundary_only_with_consent_and_are_audited(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let (me, id) = candidate(&app, "CN", "employers").await;
        let by_id = format!("/api/v1/candidates/{id}");
        let (hk, _) = employer_member(&app, "HK", HK_NUMBER, true).await;
        let (cn, _) = employer_member(&app, "CN", CN_NUMBER, true).await;
        let (cn_unverified, _) = employer_member(&app, "CN", CN_NUMBER_2, false).await;
        let officer = officer(&app).await;
        let admin = app.admin().await;
        let (other_candidate, _) = candidate(&app, "CN", "employers").await;

        app.get(&by_id, Some(&hk.access_token)).await.problem(404);
        app.get(&by_id, Some(&cn_unverified.access_token)).await.problem(404);
        app.get(&by_id, Some(&other_candidate.access_token)).await.problem(404);
        app.get("/api/v1/candidates/no-such-id", Some(&officer.access_token)).await.problem(404);
        let domestic = app.get(&by_id, Some(&cn.access_token)).await;
        assert_eq!(domestic.status, StatusCode::OK, "{}", domestic.body);
        assert_eq!(domestic.body["id"], id.as_str());
        assert_eq!(domestic.body["display_name"], "Chan Tai Man");
        assert!(domestic.body["credentials"].is_array() && domestic.body["work_authorizations"].is_array());
        for reader in [&officer, &admin, &me] {
            assert_eq!(app.get(&by_id, Some(&reader.access_token)).await.status, StatusCode::OK);
        }
        let reads = format!("target_type=candidate&target_id={id}");
        assert!(!actions(&audit(&app, &admin, &reads).await).contains(&"cross_border_read"), "a domestic read is not audited as cross-border");

        let granted = app.post("/api/v1/candidates/me/consents", Some(&me.access_token), json!({"purpose": "cross_border_sharing", "to_jurisdiction": "HK"})).await;
        let consent_id = granted.body["id"].as_str().unwrap().to_owned();
        let across = app.get(&by_id, Some(&hk.access_token)).await;
        assert_eq!(across.status, StatusCode::OK, "{}", across.body);
        let entries = audit(&app, &admin, &reads).await;
        let crossing: Vec<&Value> = entries.iter().filter(|e| e["action"] == "cross_border_read").collect();
        assert_eq!(crossing.len(), 1, "{entries:?}");
        assert_eq!(crossing[0]["actor_id"], hk.user_id.as_str());
        assert!(crossing[0]["after"].as_str().unwrap().contains("\"HK\""));
        // Consent to HK does not change what unverified or domestic readers get, nor audits them.
        app.get(&by_id, Some(&cn_unverified.access_token)).await.problem(404);
        app.get(&by_id, Some(&cn.access_token)).await;
        let entries = audit(&app, &admin, &reads).await;
        assert_eq!(entries.iter().filter(|e| e["action"] == "cross_border_read").count(), 1);

        assert_eq!(delete(&app, &format!("/api/v1/candidates/me/consents/{consent_id}"), &me).await.status, StatusCode::NO_CONTENT);
        app.get(&by_id, Some(&hk.access_token)).await.problem(404);

        // Private: only the agency and the candidate.
        put_profile(&app, &me, profile("CN", "private")).await;
        app.post("/api/v1/candidates/me/consents", Some(&me.access_token), json!({"purpose": "cross_border_sharing", "to_jurisdiction": "HK"})).await;
        app.get(&by_id, Some(&cn.access_token)).await.problem(404);
        app.get(&by_id, Some(&hk.access_token)).await.problem(404);
        assert_eq!(app.get(&by_id, Some(&officer.access_token)).await.status, StatusCode::OK);
        assert_eq!(app.get(&by_id, Some(&me.access_token)).await.status, StatusCode::OK);
    }
}

/// An open Hong Kong job and the candidate's application to it, moved on to screening.
async fn application_for(app: &TestApp, applicant: &Session) -> String {
    let (owner, employer_id) = employer_member(app, "HK", HK_NUMBER_2, true).await;
    let job_id = open_job(app, &owner, &employer_id, "hk-central-and-western", "HKD").await;
    let applied = app
        .post(
            &format!("/api/v1/jobs/{job_id}/applications"),
            Some(&applicant.access_token),
            json!({"cover_letter": "I grew up in Sham Shui Po."}),
        )
        .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
    let id = applied.body["id"].as_str().unwrap().to_owned();
    let moved = app
        .call(
            Method::PATCH,
            &format!("/api/v1/applications/{id}"),
            Some(&owner.access_token),
            Some(json!({"status": "screening"})),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    id
}

on_both_backends! {
    async fn export_holds_everything_and_erasure_removes_the_person(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let (me, id) = candidate(&app, "CN", "employers").await;
        let token = Some(me.access_token.as_str());
        app.post("/api/v1/candidates/me/credentials", token, json!({"qualification_id": "hk-higher-diploma"})).await;
        app.post("/api/v1/candidates/me/work-authorizations", token, json!({"jurisdiction": "HK", "basis": "HK_PR"})).await;
        let first = app.post("/api/v1/candidates/me/consents", token, json!({"purpose": "cross_border_sharing", "to_jurisdiction": "HK"})).await;
        delete(&app, &format!("/api/v1/candidates/me/consents/{}", first.body["id"].as_str().unwrap()), &me).await;
        app.post("/api/v1/candidates/me/consents", token, json!({"purpose": "cross_border_sharing", "to_jurisdiction": "HK"})).await;
        let application_id = application_for(&app, &me).await;
        let case = app.post("/api/v1/cases", token, json!({"direction": "CN_TO_HK", "summary": "Moving with my two children"})).await;
        assert_eq!(case.status, StatusCode::CREATED, "{}", case.body);

        let export = app.get("/api/v1/candidates/me/export", token).await;
        assert_eq!(export.status, StatusCode::OK, "{}", export.body);
        let disposition = export.headers.get("content-disposition").unwrap().to_str().unwrap();
        assert!(disposition.starts_with("attachment") && disposition.contains(".json"), "{disposition}");
        let body = &export.body;
        assert_eq!(body["account"]["email"], me.email.as_str());
        assert_eq!(body["account"]["display_name"], "Test User");
        assert_eq!(body["account"]["locale"], "en");
        assert!(body["account"]["created_at"].is_string());
        assert_eq!(body["profile"]["id"], id.as_str());
        assert_eq!(body["profile"]["display_name"], "Chan Tai Man");
        assert_eq!(body["profile"]["skills"][0]["skill_id"], "software-engineering");
        assert_eq!(body["credentials"].as_array().unwrap().len(), 1);
        assert_eq!(body["work_authorizations"][0]["basis"], "HK_PR");
        assert_eq!(body["consents"].as_array().unwrap().len(), 2, "withdrawn consents are exported too");
        let application = &body["applications"][0];
        assert_eq!(application["id"], application_id.as_str());
        assert_eq!(application["job_title"], "Senior software engineer");
        assert_eq!(application["cover_letter"], "I grew up in Sham Shui Po.");
        assert_eq!(application["events"].as_array().unwrap().len(), 2);
        assert_eq!(body["cases"][0]["summary"], "Moving with my two children", "{}", body["cases"]);
        assert!(!body["cases"][0]["tasks"].as_array().unwrap().is_empty());

        let employer = app.sign_up("employer").await;
        delete(&app, "/api/v1/candidates/me", &employer).await.problem(403);
        assert_eq!(delete(&app, "/api/v1/candidates/me", &me).await.status, StatusCode::NO_CONTENT);

        app.login(&me.email, crate::helpers::PASSWORD).await.problem(401);
        app.refresh(&me.refresh_token).await.problem(401);
        app.get("/api/v1/candidates/me/export", token).await.problem(401);
        app.get("/api/v1/candidates/me", token).await.problem(404);
        let officer = officer(&app).await;
        let (cn, _) = employer_member(&app, "CN", CN_NUMBER, true).await;
        for reader in [&officer, &cn] {
            app.get(&format!("/api/v1/candidates/{id}"), Some(&reader.access_token)).await.problem(404);
        }

        let candidate_id = id.clone();
        let (row, credentials_left, consents_left, cover_letter) = app
            .db()
            .await
            .read(move |conn| {
                let row: (String, String, Option<chrono::NaiveDateTime>, String) = candidates::table
                    .find(&candidate_id)
                    .select((candidates::display_name, candidates::summary, candidates::erased_at, candidates::visibility))
                    .first(conn)?;
                let credentials_left: i64 = credentials::table.filter(credentials::candidate_id.eq(&candidate_id)).count().get_result(conn)?;
                let consents_left: Vec<Option<chrono::NaiveDateTime>> = consents::table
                    .filter(consents::candidate_id.eq(&candidate_id))
                    .select(consents::withdrawn_at)
                    .load(conn)?;
                let cover_letter: Option<String> = applications::table.find(&application_id).select(applications::cover_letter).first(conn)?;
                Ok((row, credentials_left, consents_left, cover_letter))
            })
            .await
            .unwrap();
        assert_eq!((row.0.as_str(), row.1.as_str(), row.3.as_str()), ("", "", "private"));
        assert!(row.2.is_some());
        assert_eq!(credentials_left, 0);
        assert_eq!(consents_left.len(), 2, "consents are kept");
        assert!(consents_left.iter().all(Option::is_some), "and all withdrawn");
        assert_eq!(cover_letter, None);
        let address = me.email.clone();
        let mails_left: i64 = app
            .db()
            .await
            .read(move |conn| Ok(mail_outbox::table.filter(mail_outbox::recipient.eq(&address)).count().get_result(conn)?))
            .await
            .unwrap();
        assert_eq!(mails_left, 0, "emails to the erased address are forgotten");
        let case_id = case.body["id"].as_str().unwrap().to_owned();
        let summary: String = app
            .db()
            .await
            .read(move |conn| Ok(cases::table.find(&case_id).select(cases::summary).first(conn)?))
            .await
            .unwrap();
        assert_eq!(summary, "", "the case stays, its free text goes");

        let admin = app.admin().await;
        assert!(actions(&audit(&app, &admin, &format!("target_type=candidate&target_id={id}")).await).contains(&"erase"));
        // The address is free again.
        assert_eq!(app.register(&me.email, crate::helpers::PASSWORD, "candidate").await.status, StatusCode::ACCEPTED);
    }
}

on_both_backends! {
    async fn a_candidate_without_profile_can_be_erased(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let me = app.sign_up("candidate").await;
        let export = app.get("/api/v1/candidates/me/export", Some(&me.access_token)).await;
        assert_eq!(export.status, StatusCode::OK);
        assert_eq!(export.body["profile"], Value::Null);
        assert_eq!(export.body["consents"], json!([]));
        assert_eq!(delete(&app, "/api/v1/candidates/me", &me).await.status, StatusCode::NO_CONTENT);
        app.login(&me.email, crate::helpers::PASSWORD).await.problem(401);
        delete(&app, "/api/v1/candidates/me", &me).await.problem(401);
    }
}

on_both_backends! {
    async fn a_candidates_situation_is_private_to_them_and_the_agency(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let me = app.sign_up("candidate").await;
        let mut body = profile("CN", "employers");
        body["nationality"] = json!("CN");
        body["dependent_children"] = json!(2);
        let saved = put_profile(&app, &me, body.clone()).await;
        assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
        assert_eq!((saved.body["nationality"].clone(), saved.body["dependent_children"].clone()), (json!("CN"), json!(2)));
        let id = saved.body["id"].as_str().unwrap().to_owned();

        // Bad values are refused, each naming its field, and the stored situation stays.
        for (field, value, why) in [
            ("nationality", json!("HK"), "are CN"),
            ("nationality", json!("XX"), "ISO 3166-1"),
            ("nationality", json!("cn"), "ISO 3166-1"),
            ("dependent_children", json!(-1), "between 0 and 20"),
            ("dependent_children", json!(21), "between 0 and 20"),
        ] {
            let mut bad = body.clone();
            bad[field] = value;
            let refused = put_profile(&app, &me, bad).await;
            let problem = refused.problem(422);
            assert_eq!(problem["errors"][0]["field"], field, "{problem}");
            assert!(problem["errors"][0]["message"].as_str().unwrap().contains(why), "{problem}");
        }
        let mut wrong_type = body.clone();
        wrong_type["dependent_children"] = json!("two");
        put_profile(&app, &me, wrong_type).await.problem(400);
        let own = app.get("/api/v1/candidates/me", Some(&me.access_token)).await;
        assert_eq!((own.body["nationality"].clone(), own.body["dependent_children"].clone()), (json!("CN"), json!(2)), "{}", own.body);

        // The agency and the candidate see it; an employer who may see the profile does not.
        let officer = officer(&app).await;
        let (cn, _) = employer_member(&app, "CN", CN_NUMBER, true).await;
        let by_id = format!("/api/v1/candidates/{id}");
        for reader in [&officer, &me] {
            let read = app.get(&by_id, Some(&reader.access_token)).await;
            assert_eq!((read.body["nationality"].clone(), read.body["dependent_children"].clone()), (json!("CN"), json!(2)), "{}", read.body);
        }
        let employer_read = app.get(&by_id, Some(&cn.access_token)).await;
        assert_eq!(employer_read.status, StatusCode::OK, "{}", employer_read.body);
        assert_eq!(employer_read.body["nationality"], Value::Null, "{}", employer_read.body);
        assert_eq!(employer_read.body["dependent_children"], Value::Null, "{}", employer_read.body);
        // Nor in a talent-search hit (waiting for the index to hold the profile).
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let hit = loop {
            let found = app.get("/api/v1/candidates/search?q=engineer", Some(&cn.access_token)).await;
            if let Some(hit) = found.body["hits"].as_array().and_then(|hits| hits.first()).cloned() {
                break hit;
            }
            assert!(std::time::Instant::now() < deadline, "the profile never reached talent search: {}", found.body);
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        };
        assert_eq!(hit["candidate"]["id"], id.as_str(), "{hit}");
        assert_eq!((hit["candidate"]["nationality"].clone(), hit["candidate"]["dependent_children"].clone()), (Value::Null, Value::Null), "{hit}");

        // The export holds it; erasure takes it.
        let export = app.get("/api/v1/candidates/me/export", Some(&me.access_token)).await;
        assert_eq!(export.body["profile"]["nationality"], "CN", "{}", export.body);
        assert_eq!(delete(&app, "/api/v1/candidates/me", &me).await.status, StatusCode::NO_CONTENT);
        let situation: (Option<String>, Option<i32>) = app
            .db()
            .await
            .read(move |conn| {
                Ok(candidates::table
                    .find(&id)
                    .select((candidates::nationality, candidates::dependent_children))
                    .first(conn)?)
            })
            .await
            .unwrap();
        assert_eq!(situation, (None, None));
    }
}
