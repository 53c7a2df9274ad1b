//! Fixtures shared by the marketplace test modules: agency staff, verified employers, job bodies
//! and open jobs, all made through HTTP as clients make them.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, Session, TestApp};

/// An agency officer, made by an admin.
pub async fn officer(app: &TestApp) -> Session {
    let admin = app.admin().await;
    let email = format!("officer-{}@example.com", uuid::Uuid::new_v4().simple());
    let body =
        json!({"email": email, "password": PASSWORD, "role": "agency_officer", "display_name": "Officer"});
    assert_eq!(
        app.create_staff(&admin.access_token, body).await.status,
        StatusCode::CREATED
    );
    app.sign_in(&email, PASSWORD).await
}

/// Valid Mainland unified social credit codes (check character per GB 32100-2015).
pub const CN_NUMBER: &str = "91440300708461136T";
pub const CN_NUMBER_2: &str = "914403001922038216";
/// Hong Kong business registration numbers.
pub const HK_NUMBER: &str = "12345678";
pub const HK_NUMBER_2: &str = "87654321";

/// An employer account owning an employer in `jurisdiction`, not yet verified.
pub async fn employer(app: &TestApp, jurisdiction: &str, number: &str) -> (Session, String) {
    let owner = app.sign_up("employer").await;
    let body = json!({"name": format!("{jurisdiction} Tech Ltd"), "jurisdiction": jurisdiction, "registration_number": number});
    let created = app
        .post("/api/v1/employers", Some(&owner.access_token), body)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    (owner, id)
}

/// An employer account owning a verified employer in `jurisdiction`.
pub async fn verified_employer(
    app: &TestApp,
    officer: &Session,
    jurisdiction: &str,
    number: &str,
) -> (Session, String) {
    let (owner, id) = employer(app, jurisdiction, number).await;
    let verified = app
        .post(
            &format!("/api/v1/employers/{id}/verification"),
            Some(&officer.access_token),
            json!({"verified": true}),
        )
        .await;
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);
    (owner, id)
}

pub fn job_body(employer_id: &str, location_id: &str, currency: &str) -> Value {
    json!({
        "employer_id": employer_id,
        "title": "Senior software engineer",
        "description": "Build cross-border hiring systems.",
        "location_id": location_id,
        "employment_type": "full_time",
        "salary_min": 40000,
        "salary_max": 60000,
        "salary_currency": currency,
        "salary_period": "month",
        "skills": [{"skill_id": "software-engineering", "min_level": 3, "required": true}],
        "languages": [{"code": "en", "level": 4}],
        "sponsorship": true
    })
}

/// A draft job of the employer; returns its id.
pub async fn draft_job(app: &TestApp, owner: &Session, body: Value) -> String {
    let created = app.post("/api/v1/jobs", Some(&owner.access_token), body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.body["id"].as_str().unwrap().to_owned()
}

/// A published job of the employer.
pub async fn open_job(
    app: &TestApp,
    owner: &Session,
    employer_id: &str,
    location_id: &str,
    currency: &str,
) -> String {
    let id = draft_job(app, owner, job_body(employer_id, location_id, currency)).await;
    let published = app
        .post(
            &format!("/api/v1/jobs/{id}/publish"),
            Some(&owner.access_token),
            json!({}),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    id
}

/// A published job with the given changes to the standard body.
pub async fn publish(app: &TestApp, owner: &Session, mut body: Value, changes: Value) -> String {
    for (key, value) in changes.as_object().unwrap() {
        body[key] = value.clone();
    }
    let id = draft_job(app, owner, body).await;
    let published = app
        .post(
            &format!("/api/v1/jobs/{id}/publish"),
            Some(&owner.access_token),
            json!({}),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    id
}

/// The actions of the audit entries about one record, oldest first (read by an admin).
pub async fn audit_actions(app: &TestApp, target_type: &str, target_id: &str) -> Vec<String> {
    let admin = app.admin().await;
    let path = format!("/api/v1/audit?target_type={target_type}&target_id={target_id}&limit=100");
    let entries = app.get(&path, Some(&admin.access_token)).await;
    assert_eq!(entries.status, StatusCode::OK, "{}", entries.body);
    let mut actions: Vec<String> = entries.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    actions.reverse();
    actions
}

/// A candidate with a profile, living in `jurisdiction`, visible to employers.
pub async fn candidate(app: &TestApp, jurisdiction: &str) -> (Session, String) {
    candidate_named(app, jurisdiction, "Chan Tai Man", "Backend engineer").await
}

/// [`candidate`] with the name and headline given.
pub async fn candidate_named(
    app: &TestApp,
    jurisdiction: &str,
    name: &str,
    headline: &str,
) -> (Session, String) {
    let session = app.sign_up("candidate").await;
    let profile = json!({
        "display_name": name,
        "headline": headline,
        "summary": "Rust and PostgreSQL.",
        "residence_jurisdiction": jurisdiction,
        "languages": [{"code": "yue", "level": 5}, {"code": "en", "level": 4}],
        "skills": [{"skill_id": "software-engineering", "level": 4, "years": 6}],
        "desired_jurisdictions": ["CN", "HK"],
        "visibility": "employers"
    });
    let saved = app
        .call(
            Method::PUT,
            "/api/v1/candidates/me",
            Some(&session.access_token),
            Some(profile),
        )
        .await;
    assert!(saved.status.is_success(), "{}", saved.body);
    let id = saved.body["id"].as_str().unwrap().to_owned();
    (session, id)
}

/// The task of a case with this code.
pub fn task<'a>(case: &'a Value, code: &str) -> &'a Value {
    case["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == code)
        .unwrap_or_else(|| panic!("no task {code} in {case}"))
}
