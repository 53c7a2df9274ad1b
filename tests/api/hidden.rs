//! What stays hidden: an applicant the employer may no longer see (consent withdrawn across the
//! boundary, or erased) leaves no id of theirs in the employer's applications, and the agency's
//! verification notes reach only the agency and the record's own side.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::{
    CN_NUMBER, HK_NUMBER, HK_NUMBER_2, candidate, employer, officer, open_job, verified_employer,
};
use crate::helpers::{Answer, Session, TestApp};
use crate::on_both_backends;

async fn apply(app: &TestApp, who: &Session, job_id: &str) -> String {
    let applied = app
        .post(
            &format!("/api/v1/jobs/{job_id}/applications"),
            Some(&who.access_token),
            json!({"cover_letter": "Please consider me."}),
        )
        .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
    applied.body["id"].as_str().unwrap().to_owned()
}

async fn move_to(app: &TestApp, who: &Session, id: &str, status: &str) -> Answer {
    let moved = app
        .call(
            Method::PATCH,
            &format!("/api/v1/applications/{id}"),
            Some(&who.access_token),
            Some(json!({"status": status})),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    moved
}

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

/// Asserts that no text anywhere in the answer holds any of `ids`.
fn assert_names_none(answer: &Answer, ids: &[&str]) {
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let text = answer.body.to_string();
    for id in ids {
        assert!(!text.contains(id), "{id} in {text}");
    }
}

/// The employer's three views of one application (the list, by id, after a move): each still
/// shows the application and its status, and names none of `ids`.
async fn assert_employer_sees_anonymous(
    app: &TestApp,
    owner: &Session,
    id: &str,
    status: &str,
    ids: &[&str],
) {
    let listed = app.get("/api/v1/applications", Some(&owner.access_token)).await;
    assert_names_none(&listed, ids);
    assert_eq!(listed.body["total"], 1);
    assert_eq!(listed.body["items"][0]["id"], id);
    assert_eq!(listed.body["items"][0]["status"], status);
    let one = app
        .get(&format!("/api/v1/applications/{id}"), Some(&owner.access_token))
        .await;
    assert_names_none(&one, ids);
    assert_eq!(one.body["status"], status);
    assert!(
        one.body["candidate_id"].is_null() && one.body["candidate"].is_null(),
        "{}",
        one.body
    );
    assert!(one.body["cover_letter"].is_null(), "{}", one.body);
}

/// The employer's own moves keep their actor in the history.
fn actors(answer: &Answer) -> Vec<Value> {
    answer.body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor_id"].clone())
        .collect()
}

on_both_backends! {
    async fn an_applicant_who_withdraws_consent_is_not_identified(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let job_id = open_job(&app, &owner, &employer_id, "hk-wan-chai", "HKD").await;
        let (shenzhen, candidate_id) = candidate(&app, "CN").await;
        let consent_id = consent_to(&app, &shenzhen, "HK").await;
        let id = apply(&app, &shenzhen, &job_id).await;
        move_to(&app, &owner, &id, "screening").await;

        // With consent, the employer knows who applied.
        let seen = app.get(&format!("/api/v1/applications/{id}"), Some(&owner.access_token)).await;
        assert_eq!(seen.body["candidate_id"], candidate_id.as_str());
        assert!(seen.body.to_string().contains(&shenzhen.user_id), "{}", seen.body);

        let withdrawn = app
            .call(Method::DELETE, &format!("/api/v1/candidates/me/consents/{consent_id}"), Some(&shenzhen.access_token), None)
            .await;
        assert_eq!(withdrawn.status, StatusCode::NO_CONTENT);
        let ids = [candidate_id.as_str(), shenzhen.user_id.as_str()];
        assert_employer_sees_anonymous(&app, &owner, &id, "screening", &ids).await;
        let moved = move_to(&app, &owner, &id, "interview").await;
        assert_names_none(&moved, &ids);
        assert_eq!(actors(&moved), vec![Value::Null, json!(owner.user_id), json!(owner.user_id)]);

        // The applicant's own later move names nobody either; their own view still has everything.
        move_to(&app, &shenzhen, &id, "withdrawn").await;
        assert_employer_sees_anonymous(&app, &owner, &id, "withdrawn", &ids).await;
        let own = app.get(&format!("/api/v1/applications/{id}"), Some(&shenzhen.access_token)).await;
        assert_eq!(own.body["candidate_id"], candidate_id.as_str());
        assert_eq!(own.body["cover_letter"], "Please consider me.");
        assert_eq!(own.body["history"][3]["actor_id"], shenzhen.user_id.as_str());

        // Consenting again shows them again: hiding is a view, the record is whole.
        consent_to(&app, &shenzhen, "HK").await;
        let again = app.get(&format!("/api/v1/applications/{id}"), Some(&owner.access_token)).await;
        assert_eq!(again.body["candidate_id"], candidate_id.as_str());
        assert_eq!(again.body["history"][0]["actor_id"], shenzhen.user_id.as_str());
    }
}

on_both_backends! {
    async fn an_erased_applicant_is_not_identified(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let job_id = open_job(&app, &owner, &employer_id, "hk-wan-chai", "HKD").await;
        let (applicant, candidate_id) = candidate(&app, "HK").await;
        let id = apply(&app, &applicant, &job_id).await;
        let seen = app.get(&format!("/api/v1/applications/{id}"), Some(&owner.access_token)).await;
        assert_eq!(seen.body["candidate_id"], candidate_id.as_str());

        let erased = app.call(Method::DELETE, "/api/v1/candidates/me", Some(&applicant.access_token), None).await;
        assert!(erased.status.is_success(), "{}", erased.body);
        let ids = [candidate_id.as_str(), applicant.user_id.as_str()];
        assert_employer_sees_anonymous(&app, &owner, &id, "submitted", &ids).await;
        let rejected = move_to(&app, &owner, &id, "rejected").await;
        assert_names_none(&rejected, &ids);
        assert_eq!(actors(&rejected), vec![Value::Null, json!(owner.user_id)]);
    }
}

on_both_backends! {
    async fn verification_notes_reach_only_the_agency_and_the_candidate(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, _) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;
        let (me, candidate_id) = candidate(&app, "CN").await;
        let credential = app
            .post("/api/v1/candidates/me/credentials", Some(&me.access_token),
                  json!({"qualification_id": "hk-higher-diploma", "awarded_on": "2019-07-01"}))
            .await;
        assert_eq!(credential.status, StatusCode::CREATED, "{}", credential.body);
        let authorization = app
            .post("/api/v1/candidates/me/work-authorizations", Some(&me.access_token),
                  json!({"jurisdiction": "HK", "basis": "HK_PR"}))
            .await;
        assert_eq!(authorization.status, StatusCode::CREATED, "{}", authorization.body);
        let base = format!("/api/v1/candidates/{candidate_id}");
        for (path, note) in [
            (format!("{base}/credentials/{}/verification", credential.body["id"].as_str().unwrap()), "credential: CHSI record 4411"),
            (format!("{base}/work-authorizations/{}/verification", authorization.body["id"].as_str().unwrap()), "permit: ImmD call with Ms Wong"),
        ] {
            let verified = app.post(&path, Some(&officer.access_token), json!({"status": "verified", "note": note})).await;
            assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);
        }

        let as_employer = app.get(&base, Some(&owner.access_token)).await;
        assert_eq!(as_employer.status, StatusCode::OK, "{}", as_employer.body);
        assert_eq!(as_employer.body["credentials"][0]["status"], "verified");
        assert_eq!(as_employer.body["work_authorizations"][0]["status"], "verified");
        assert!(as_employer.body["credentials"][0]["verification_note"].is_null(), "{}", as_employer.body);
        assert!(as_employer.body["work_authorizations"][0]["verification_note"].is_null(), "{}", as_employer.body);
        assert!(!as_employer.body.to_string().contains("CHSI") && !as_employer.body.to_string().contains("ImmD"));

        for reader in [&officer, &me] {
            let full = app.get(&base, Some(&reader.access_token)).await;
            assert_eq!(full.status, StatusCode::OK, "{}", full.body);
            assert_eq!(full.body["credentials"][0]["verification_note"], "credential: CHSI record 4411");
            assert_eq!(full.body["work_authorizations"][0]["verification_note"], "permit: ImmD call with Ms Wong");
        }
        let own = app.get("/api/v1/candidates/me/credentials", Some(&me.access_token)).await;
        assert_eq!(own.body["items"][0]["verification_note"], "credential: CHSI record 4411");
    }
}

on_both_backends! {
    async fn an_employers_verification_note_reaches_only_the_agency_and_its_members(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = employer(&app, "HK", HK_NUMBER).await;
        let note = "BR certificate checked by phone with Mr Lee";
        let verified = app
            .post(&format!("/api/v1/employers/{employer_id}/verification"), Some(&officer.access_token),
                  json!({"verified": true, "note": note}))
            .await;
        assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);
        assert_eq!(verified.body["verification_note"], note);

        let path = format!("/api/v1/employers/{employer_id}");
        let (other_owner, _) = employer(&app, "HK", HK_NUMBER_2).await;
        let (a_candidate, _) = candidate(&app, "HK").await;
        for stranger in [&other_owner, &a_candidate] {
            let seen = app.get(&path, Some(&stranger.access_token)).await;
            assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
            assert_eq!(seen.body["verified"], true);
            assert!(seen.body["verification_note"].is_null(), "{}", seen.body);
        }
        for insider in [&officer, &owner] {
            let seen = app.get(&path, Some(&insider.access_token)).await;
            assert_eq!(seen.body["verification_note"], note, "{}", seen.body);
        }
        let listed = app.get("/api/v1/employers", Some(&officer.access_token)).await;
        assert!(listed.body.to_string().contains(note), "{}", listed.body);
    }
}
