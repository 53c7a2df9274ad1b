//! What the API fuzzer (`tests/fuzz/run.py`, schemathesis) found, one regression test each: the
//! findings and their fixes are listed in docs/fuzzing.md.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::{HK_NUMBER, candidate, job_body, officer, verified_employer};
use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends! {
    /// `offset=2147483648` made tantivy reserve room for 2^31 hits: the allocation failed and
    /// the process aborted, for anyone, without signing in.
    async fn a_search_page_past_the_deepest_offset_is_422(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        for offset in ["10001", "2147483648", "4294967295"] {
            let jobs = app.get(&format!("/api/v1/jobs/search?offset={offset}"), None).await;
            jobs.problem(422);
            assert_eq!(jobs.error_fields(), vec!["offset"]);
            let people =
                app.get(&format!("/api/v1/candidates/search?offset={offset}"), Some(&officer.access_token)).await;
            people.problem(422);
            assert_eq!(people.error_fields(), vec!["offset"]);
        }
        let deepest = app.get("/api/v1/jobs/search?offset=10000&limit=100", None).await;
        assert_eq!(deepest.status, StatusCode::OK, "{}", deepest.body);
        assert_eq!(deepest.body["offset"], 10_000);
        assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
    }
}

on_both_backends! {
    /// Profiles, holdings, consents, staff accounts, cases, equivalences and audit entries
    /// answered `2026-11-29T09:06:47.940952302`: no offset, so not the RFC 3339 `date-time`
    /// the document promises (jobs and employers already had the `Z`).
    async fn every_time_carries_its_utc_offset(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let admin = app.admin().await;
        let officer = officer(&app).await;
        let (person, candidate_id) = candidate(&app, "HK").await;
        let token = Some(person.access_token.as_str());
        let consent = json!({"purpose": "cross_border_sharing", "to_jurisdiction": "CN"});
        assert_eq!(app.post("/api/v1/candidates/me/consents", token, consent).await.status, StatusCode::CREATED);
        let credential = json!({"qualification_id": "hk-bachelor-science", "awarded_on": "2019-07-01"});
        assert_eq!(app.post("/api/v1/candidates/me/credentials", token, credential).await.status, StatusCode::CREATED);
        let case = json!({"candidate_id": candidate_id, "direction": "HK_TO_CN"});
        let case = app.post("/api/v1/cases", Some(&officer.access_token), case).await;
        assert_eq!(case.status, StatusCode::CREATED, "{}", case.body);
        let case_id = case.body["id"].as_str().unwrap();

        let staff = json!({"email": "staff@example.com", "password": crate::helpers::PASSWORD,
            "role": "agency_officer", "display_name": "Staff"});
        let mut answers = vec![app.create_staff(&admin.access_token, staff).await.body];
        for path in ["/api/v1/candidates/me", "/api/v1/candidates/me/consents", "/api/v1/candidates/me/credentials",
            "/api/v1/candidates/me/export"] {
            answers.push(app.get(path, token).await.body);
        }
        for path in [format!("/api/v1/cases/{case_id}"), format!("/api/v1/cases/{case_id}/timeline"),
            "/api/v1/equivalences?limit=3".to_owned()] {
            answers.push(app.get(&path, Some(&officer.access_token)).await.body);
        }
        answers.push(app.get("/api/v1/audit?limit=5", Some(&admin.access_token)).await.body);

        let mut times = Vec::new();
        for answer in &answers {
            collect_times(answer, &mut times);
        }
        assert!(times.len() >= 15, "too few times to judge: {times:?}");
        for time in times {
            assert!(chrono::DateTime::parse_from_rfc3339(&time).is_ok(), "{time} is not RFC 3339");
        }
    }
}

/// Every string under a key `at` or ending in `_at`.
fn collect_times(value: &Value, times: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields {
                match field {
                    Value::String(time) if key == "at" || key.ends_with("_at") => times.push(time.clone()),
                    _ => collect_times(field, times),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_times(item, times)),
        _ => {}
    }
}

on_both_backends! {
    /// `"salary_min": 947406840.0` is the integer 947406840 in JSON (and to JSON Schema); serde
    /// refused it with a 400 for clients that hold numbers as floats.
    async fn whole_numbers_written_with_a_fraction_are_integers(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let mut body = job_body(&employer, "hk-wan-chai", "HKD");
        body["salary_min"] = json!(30000.0);
        body["salary_max"] = json!(4.5e4);
        body["skills"] = json!([{"skill_id": "software-engineering", "min_level": 3.0, "required": true}]);
        let created = app.post("/api/v1/jobs", Some(&owner.access_token), body.clone()).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.body["salary_min"], 30000);
        assert_eq!(created.body["salary_max"], 45000);
        assert_eq!(created.body["skills"][0]["min_level"], 3);

        body["salary_min"] = json!(30000.5);
        let fractional = app.post("/api/v1/jobs", Some(&owner.access_token), body).await;
        fractional.problem(400);
        assert_eq!(fractional.error_fields(), vec!["salary_min"]);
    }
}

on_both_backends! {
    /// The candidates' and the employers' verification bodies were both named
    /// `VerificationInput`; the document kept the employers' `{verified, note}`, so clients of the
    /// credential and work-authorisation verifications were told to send a body that is a 400.
    async fn each_verification_is_documented_with_its_own_body(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let document = app.get("/api/v1/openapi.json", None).await.body;
        let body_of = |path: &str| {
            let reference = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]
                ["schema"]["$ref"]
                .as_str()
                .unwrap_or_else(|| panic!("{path} has no body schema"))
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned();
            document["components"]["schemas"][&reference]["required"].clone()
        };
        assert_eq!(body_of("/api/v1/employers/{id}/verification"), json!(["verified"]));
        for path in ["/api/v1/candidates/{id}/credentials/{credential_id}/verification",
            "/api/v1/candidates/{id}/work-authorizations/{authorization_id}/verification"] {
            assert_eq!(body_of(path), json!(["status"]), "{path}");
        }

        // And the body the document now names is the one the service takes.
        let officer = officer(&app).await;
        let (person, candidate_id) = candidate(&app, "HK").await;
        let credential = json!({"qualification_id": "hk-bachelor-science"});
        let added = app.post("/api/v1/candidates/me/credentials", Some(&person.access_token), credential).await;
        let path = format!("/api/v1/candidates/{candidate_id}/credentials/{}/verification", added.body["id"].as_str().unwrap());
        let verified = app.call(Method::POST, &path, Some(&officer.access_token), Some(json!({"status": "verified"}))).await;
        assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);
    }
}
