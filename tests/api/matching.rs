//! Matching through HTTP: jobs for a candidate and candidates for a job, each hit explained —
//! a qualification met through an equivalence rule, a permit the job sponsors, hits without any
//! authorisation last — and the consent rule inside job matches.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::{
    CN_NUMBER, HK_NUMBER, HK_NUMBER_2, audit_actions, draft_job, job_body, officer, publish,
    verified_employer,
};
use crate::helpers::{Answer, Session, TestApp};
use crate::on_both_backends;

/// A candidate profile with one skill; returns the session and the candidate id.
async fn profile(
    app: &TestApp,
    residence: &str,
    headline: &str,
    desired: Value,
    visibility: &str,
) -> (Session, String) {
    let session = app.sign_up("candidate").await;
    let body = json!({
        "display_name": "Test Candidate", "headline": headline, "summary": "",
        "residence_jurisdiction": residence,
        "languages": [{"code": "en", "level": 4}, {"code": "cmn", "level": 5}],
        "skills": [{"skill_id": "software-engineering", "level": 4, "years": 5}],
        "desired_jurisdictions": desired, "visibility": visibility,
        "salary_expectation": {"amount": 45000, "currency": "HKD", "period": "month"}
    });
    let saved = app
        .call(
            Method::PUT,
            "/api/v1/candidates/me",
            Some(&session.access_token),
            Some(body),
        )
        .await;
    assert!(saved.status.is_success(), "{}", saved.body);
    let id = saved.body["id"].as_str().unwrap().to_owned();
    (session, id)
}

/// Asks until `ready` holds (the index catches up within a poll), at most 10 s.
async fn until(app: &TestApp, path: &str, who: &Session, ready: impl Fn(&Answer) -> bool) -> Answer {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let answer = app.get(path, Some(&who.access_token)).await;
        if ready(&answer) || Instant::now() > deadline {
            return answer;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn hit_ids(answer: &Answer, key: &str) -> Vec<String> {
    answer.body["hits"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|hit| hit[key].as_str().unwrap().to_owned())
        .collect()
}

on_both_backends! {
    async fn a_candidate_sees_jobs_explained_with_equivalence_and_sponsorship(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (hk_owner, hk) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let (cn_owner, cn) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;
        // In Hong Kong but sharing neither a skill nor a word with the candidate: never a match.
        // Published first, so the index holds it before the jobs the test waits for.
        let unrelated = publish(&app, &hk_owner, job_body(&hk, "hk-wan-chai", "HKD"), json!({
            "title": "Freight coordinator", "description": "Customs paperwork for shipments.",
            "skills": [{"skill_id": "data-analysis", "min_level": 2, "required": true}]
        })).await;
        // Asks for a degree at HKQF level 5 and sponsors the permit.
        let sponsoring = publish(&app, &hk_owner, job_body(&hk, "hk-central-and-western", "HKD"), json!({
            "title": "Backend engineer", "qualification": {"min_level": "hkqf-5"}, "sponsorship": true
        })).await;
        // Same work, no sponsorship: a Shenzhen candidate without a Hong Kong permit cannot take it.
        let unsponsored = publish(&app, &hk_owner, job_body(&hk, "hk-wan-chai", "HKD"), json!({
            "title": "Backend engineer", "sponsorship": false
        })).await;
        // In Shenzhen, which the candidate does not want.
        publish(&app, &cn_owner, job_body(&cn, "cn-sz-futian", "CNY"), json!({"title": "Backend engineer"})).await;
        let (candidate, _) = profile(&app, "CN", "Backend engineer", json!(["HK"]), "employers").await;
        let credential = app.post("/api/v1/candidates/me/credentials", Some(&candidate.access_token),
                                  json!({"qualification_id": "cn-bachelor-engineering", "awarded_on": "2015-07-01"})).await;
        assert_eq!(credential.status, StatusCode::CREATED, "{}", credential.body);

        let path = "/api/v1/candidates/me/matches";
        let matches = until(&app, path, &candidate, |a| a.body["hits"].as_array().is_some_and(|h| h.len() == 2)).await;
        assert_eq!(matches.status, StatusCode::OK, "{}", matches.body);
        assert_eq!(hit_ids(&matches, "job_id"), vec![sponsoring.clone(), unsponsored.clone()], "{}", matches.body);
        assert!(!hit_ids(&matches, "job_id").contains(&unrelated), "{}", matches.body);
        let best = &matches.body["hits"][0];
        assert_eq!(best["job"]["id"], sponsoring.as_str());
        assert_eq!(best["qualification"]["status"], "met_via_equivalence");
        assert_eq!(best["qualification"]["equivalence_id"], "mou2004-cn-bachelor-engineering-to-hkqf-5");
        assert_eq!(best["qualification"]["qualification_id"], "cn-bachelor-engineering");
        assert_eq!(best["work_authorization"], json!({"status": "sponsored"}));
        assert_eq!(best["skills"]["matched"][0]["skill_id"], "software-engineering");
        assert_eq!(best["skills"]["missing_required"], json!([]));
        assert_eq!(best["languages"], json!({"matched": ["en"], "missing": []}));
        assert_eq!(best["salary"]["status"], "overlap");
        let score = best["score"].as_f64().unwrap();
        assert!(score > 0.8 && score <= 1.0, "{score}");
        // No permit and no sponsorship: listed last, or left out on request.
        let last = &matches.body["hits"][1];
        assert_eq!(last["work_authorization"]["status"], "none");
        assert_eq!(last["qualification"]["status"], "not_required");
        let authorised = app.get(&format!("{path}?authorized_only=true"), Some(&candidate.access_token)).await;
        assert_eq!(hit_ids(&authorised, "job_id"), vec![sponsoring.clone()]);

        // A Hong Kong permit changes the answer at once (the candidate's side is read from the database).
        let permit = app.post("/api/v1/candidates/me/work-authorizations", Some(&candidate.access_token),
                              json!({"jurisdiction": "HK", "basis": "HK_TTPS", "valid_until": "2099-01-01"})).await;
        assert_eq!(permit.status, StatusCode::CREATED, "{}", permit.body);
        let after = app.get(path, Some(&candidate.access_token)).await;
        for hit in after.body["hits"].as_array().unwrap() {
            assert_eq!(hit["work_authorization"], json!({"status": "held", "basis": "HK_TTPS"}), "{}", after.body);
        }

        // Closing a job takes it out of the matches even before the index hears of it.
        let closed = app.post(&format!("/api/v1/jobs/{sponsoring}/close"), Some(&hk_owner.access_token), json!({})).await;
        assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
        assert_eq!(hit_ids(&app.get(path, Some(&candidate.access_token)).await, "job_id"), vec![unsponsored]);
    }
}

on_both_backends! {
    async fn candidate_matches_need_a_candidate_with_a_profile(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let path = "/api/v1/candidates/me/matches";
        app.get(path, None).await.problem(401);
        app.get(path, Some(&officer.access_token)).await.problem(403);
        let newcomer = app.sign_up("candidate").await;
        app.get(path, Some(&newcomer.access_token)).await.problem(404);
        let (candidate, _) = profile(&app, "HK", "Engineer", json!([]), "private").await;
        let empty = app.get(path, Some(&candidate.access_token)).await;
        assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
        assert_eq!(empty.body["hits"], json!([]));
        app.get(&format!("{path}?limit=many"), Some(&candidate.access_token)).await.problem(400);
        app.get(&format!("{path}?color=red"), Some(&candidate.access_token)).await.problem(400);
    }
}

on_both_backends! {
    async fn job_matches_show_only_candidates_the_consent_rule_allows(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (hk_owner, hk) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let (rival, rival_id) = verified_employer(&app, &officer, "HK", HK_NUMBER_2).await;
        let job = publish(&app, &hk_owner, job_body(&hk, "hk-central-and-western", "HKD"),
                          json!({"title": "Backend engineer", "sponsorship": false})).await;
        let (_, local) = profile(&app, "HK", "Backend engineer", json!(["HK"]), "employers").await;
        let (consenting, across) = profile(&app, "CN", "后端工程师", json!(["HK"]), "employers").await;
        let (_, silent) = profile(&app, "CN", "Backend engineer", json!(["HK"]), "employers").await;
        let (_, private) = profile(&app, "HK", "Backend engineer", json!(["HK"]), "private").await;
        let consent = app.post("/api/v1/candidates/me/consents", Some(&consenting.access_token),
                               json!({"purpose": "cross_border_sharing", "to_jurisdiction": "HK"})).await;
        assert_eq!(consent.status, StatusCode::CREATED, "{}", consent.body);
        let permit = app.post("/api/v1/candidates/me/work-authorizations", Some(&consenting.access_token),
                              json!({"jurisdiction": "HK", "basis": "HK_TTPS", "valid_until": "2099-01-01"})).await;
        assert_eq!(permit.status, StatusCode::CREATED, "{}", permit.body);

        let path = format!("/api/v1/jobs/{job}/matches");
        // The agency sees every candidate.
        let everyone = until(&app, &path, &officer, |a| a.body["hits"].as_array().is_some_and(|h| h.len() == 4)).await;
        let mut all = hit_ids(&everyone, "candidate_id");
        all.sort();
        let mut expected = vec![local.clone(), across.clone(), silent.clone(), private.clone()];
        expected.sort();
        assert_eq!(all, expected, "{}", everyone.body);
        // Each page the agency reads is on record with the candidates it showed.
        let admin = app.admin().await;
        let audit_path = format!("/api/v1/audit?actor_id={}&limit=100", officer.user_id);
        let by_officer = app.get(&audit_path, Some(&admin.access_token)).await;
        let pages: Vec<Value> = by_officer.body["items"].as_array().unwrap().iter()
            .filter(|e| e["action"] == "job_matches.page")
            .map(|e| serde_json::from_str(e["after"].as_str().unwrap()).unwrap())
            .collect();
        assert!(!pages.is_empty(), "{}", by_officer.body);
        let mut shown: Vec<String> = pages.iter()
            .find(|page| page["candidate_ids"].as_array().unwrap().len() == 4)
            .map(|page| serde_json::from_value(page["candidate_ids"].clone()).unwrap())
            .expect("a page with the four candidates");
        shown.sort();
        assert_eq!(shown, expected);
        // The employer: its own side, and the Shenzhen candidate who consented — who holds a permit,
        // so ranks first among equals before those with none.
        // The permit is indexed after the profile: wait for both, not only for the two hits.
        let seen = until(&app, &path, &hk_owner, |a| {
            a.body["hits"].as_array().is_some_and(|h| {
                h.len() == 2 && h.iter().any(|hit| hit["work_authorization"]["status"] == "held")
            })
        })
        .await;
        assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
        assert_eq!(hit_ids(&seen, "candidate_id"), vec![across.clone(), local.clone()], "{}", seen.body);
        assert_eq!(seen.body["hits"][0]["work_authorization"], json!({"status": "held", "basis": "HK_TTPS"}));
        assert_eq!(seen.body["hits"][0]["candidate"]["id"], across.as_str());
        assert_eq!(seen.body["hits"][1]["work_authorization"]["status"], "none");
        assert!(audit_actions(&app, "candidate", &across).await.contains(&"cross_border_read".to_owned()));
        assert!(!audit_actions(&app, "candidate", &local).await.contains(&"cross_border_read".to_owned()));
        let by_employer = app.get(&format!("/api/v1/audit?actor_id={}&limit=100", hk_owner.user_id), Some(&admin.access_token)).await;
        assert!(!by_employer.body.to_string().contains("job_matches.page"), "an employer's match page is no agency read");

        // Another employer may not see this job's matches; a candidate never; a draft is unknown.
        app.get(&path, Some(&rival.access_token)).await.problem(403);
        app.get(&path, Some(&consenting.access_token)).await.problem(403);
        let rival_draft = draft_job(&app, &rival, job_body(&rival_id, "hk-wan-chai", "HKD")).await;
        app.get(&format!("/api/v1/jobs/{rival_draft}/matches"), Some(&hk_owner.access_token)).await.problem(404);
        app.get("/api/v1/jobs/no-such-job/matches", Some(&officer.access_token)).await.problem(404);

        // Withdrawing consent hides the candidate at once, before the index hears of it.
        let withdrawn = app.call(Method::DELETE, &format!("/api/v1/candidates/me/consents/{}", consent.body["id"].as_str().unwrap()),
                                 Some(&consenting.access_token), None).await;
        assert_eq!(withdrawn.status, StatusCode::NO_CONTENT);
        let after = app.get(&path, Some(&hk_owner.access_token)).await;
        assert_eq!(hit_ids(&after, "candidate_id"), vec![local.clone()], "{}", after.body);
        let only_authorised = app.get(&format!("{path}?authorized_only=true"), Some(&officer.access_token)).await;
        // The agency still sees them; only they hold a Hong Kong permit.
        assert_eq!(hit_ids(&only_authorised, "candidate_id"), vec![across.clone()], "{}", only_authorised.body);
    }
}

on_both_backends! {
    async fn a_senior_worker_certificate_never_meets_a_bachelors_minimum(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (cn_owner, cn) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;
        // The academic ladder's bachelor and the vocational ladder's senior worker (高级工) share
        // rank 3 in the registry; only the bachelor meets the minimum.
        let job = publish(&app, &cn_owner, job_body(&cn, "cn-sz-nanshan", "CNY"), json!({
            "title": "Backend engineer", "qualification": {"min_level": "cn-academic-bachelor"}
        })).await;
        let mut statuses = Vec::new();
        for qualification in ["cn-vocational-skill-level-3", "cn-bachelor-engineering"] {
            let (candidate, _) = profile(&app, "CN", "Backend engineer", json!(["CN"]), "employers").await;
            let credential = app.post("/api/v1/candidates/me/credentials", Some(&candidate.access_token),
                                      json!({"qualification_id": qualification, "awarded_on": "2018-07-01"})).await;
            assert_eq!(credential.status, StatusCode::CREATED, "{}", credential.body);
            let path = "/api/v1/candidates/me/matches";
            let matches = until(&app, path, &candidate, |a| hit_ids(a, "job_id") == vec![job.clone()]).await;
            assert_eq!(hit_ids(&matches, "job_id"), vec![job.clone()], "{}", matches.body);
            statuses.push(matches.body["hits"][0]["qualification"]["status"].clone());
        }
        assert_eq!(statuses, vec![json!("missing"), json!("met")]);
    }
}
