//! Skill-gap analytics against a known market built through the API: which jobs count (open, by
//! the jurisdiction of their location, optional skills too), which candidates count (not erased,
//! where they live or want to work), the ratio and the order, labels by Accept-Language.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::{CN_NUMBER, HK_NUMBER, draft_job, job_body, officer, open_job, verified_employer};
use crate::helpers::{Session, TestApp, answer};
use crate::on_both_backends;

const SE: &str = "software-engineering";
const DA: &str = "data-analysis";

/// A published job at `location` listing `skills` as `(skill, required)`.
async fn job(
    app: &TestApp,
    owner: &Session,
    employer: &str,
    location: &str,
    currency: &str,
    skills: &[(&str, bool)],
) -> String {
    let mut body = job_body(employer, location, currency);
    body["skills"] = skills
        .iter()
        .map(|(skill, required)| json!({"skill_id": skill, "min_level": 2, "required": required}))
        .collect();
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

/// A candidate living in `residence`, wanting to work in `desired`, offering `skills`.
async fn person(app: &TestApp, residence: &str, desired: &[&str], skills: &[&str]) -> Session {
    let session = app.sign_up("candidate").await;
    let profile = json!({
        "display_name": "Lee", "headline": "", "summary": "", "residence_jurisdiction": residence,
        "languages": [], "desired_jurisdictions": desired, "visibility": "private",
        "skills": skills.iter().map(|s| json!({"skill_id": s, "level": 3, "years": 2})).collect::<Vec<_>>(),
    });
    let put = app
        .call(
            Method::PUT,
            "/api/v1/candidates/me",
            Some(&session.access_token),
            Some(profile),
        )
        .await;
    assert!(put.status.is_success(), "{}", put.body);
    session
}

/// (jurisdiction, skill, open_jobs, open_jobs_requiring, candidates, ratio) of each row, in order.
fn rows(body: &Value) -> Vec<(String, String, i64, i64, i64, f64)> {
    body.as_array()
        .unwrap_or_else(|| panic!("an array: {body}"))
        .iter()
        .map(|r| {
            (
                r["jurisdiction"].as_str().unwrap().to_owned(),
                r["skill_id"].as_str().unwrap().to_owned(),
                r["open_jobs"].as_i64().unwrap(),
                r["open_jobs_requiring"].as_i64().unwrap(),
                r["candidates"].as_i64().unwrap(),
                r["ratio"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn row(
    j: &str,
    skill: &str,
    jobs: i64,
    requiring: i64,
    candidates: i64,
    ratio: f64,
) -> (String, String, i64, i64, i64, f64) {
    (j.into(), skill.into(), jobs, requiring, candidates, ratio)
}

on_both_backends! {
    async fn the_skill_gap_of_a_known_market(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (hk_owner, hk) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let (cn_owner, cn) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;

        // Hong Kong: three open jobs ask for software engineering, one of them for data analysis
        // as a nice-to-have. A draft and a closed job do not count.
        job(&app, &hk_owner, &hk, "hk-wan-chai", "HKD", &[(SE, true), (DA, false)]).await;
        job(&app, &hk_owner, &hk, "hk-kwun-tong", "HKD", &[(SE, true)]).await;
        job(&app, &hk_owner, &hk, "hk-science-park", "HKD", &[(SE, false)]).await;
        let mut draft = job_body(&hk, "hk-wan-chai", "HKD");
        draft["skills"] = json!([{"skill_id": DA, "min_level": 2, "required": true}]);
        draft_job(&app, &hk_owner, draft).await;
        let closed = open_job(&app, &hk_owner, &hk, "hk-central-and-western", "HKD").await;
        let close = app.post(&format!("/api/v1/jobs/{closed}/close"), Some(&hk_owner.access_token), json!({})).await;
        assert_eq!(close.status, StatusCode::OK, "{}", close.body);
        // A Shenzhen employer's job in a Hong Kong location counts for Hong Kong.
        job(&app, &cn_owner, &cn, "hk-northern-metropolis", "HKD", &[(SE, true)]).await;
        // Shenzhen: one job for data analysis.
        job(&app, &cn_owner, &cn, "cn-sz-nanshan", "CNY", &[(DA, true)]).await;

        // Supply: a Hong Kong engineer; a Shenzhen engineer and analyst who wants Hong Kong too;
        // a Shenzhen analyst staying home; a Hong Kong analyst who erased themself.
        person(&app, "HK", &["HK"], &[SE]).await;
        person(&app, "CN", &["CN", "HK"], &[SE, DA]).await;
        person(&app, "CN", &[], &[DA]).await;
        let gone = person(&app, "HK", &[], &[DA]).await;
        let erased = app.call(Method::DELETE, "/api/v1/candidates/me", Some(&gone.access_token), None).await;
        assert!(erased.status.is_success(), "{}", erased.body);

        let token = Some(officer.access_token.as_str());
        let hk_gap = app.get("/api/v1/analytics/skill-gap?jurisdiction=HK", token).await;
        assert_eq!(hk_gap.status, StatusCode::OK, "{}", hk_gap.body);
        assert_eq!(rows(&hk_gap.body), vec![
            row("HK", SE, 4, 3, 2, 2.0),
            row("HK", DA, 1, 0, 1, 1.0),
        ]);
        assert_eq!(hk_gap.body[0]["label"], "Software engineering");

        let everywhere = app.get("/api/v1/analytics/skill-gap", token).await;
        assert_eq!(rows(&everywhere.body), vec![
            row("HK", SE, 4, 3, 2, 2.0),
            row("HK", DA, 1, 0, 1, 1.0),
            row("CN", DA, 1, 1, 2, 0.5),
            row("CN", SE, 0, 0, 1, 0.0),
        ]);

        // Labels follow Accept-Language.
        let response = app.client.get(app.url("/api/v1/analytics/skill-gap?jurisdiction=CN"))
            .bearer_auth(&officer.access_token)
            .header("accept-language", "zh-Hant")
            .send().await.unwrap();
        let traditional = answer(response).await;
        assert_eq!(traditional.body[0]["label"], "數據分析", "{}", traditional.body);
        assert_eq!(traditional.body[1]["label"], "軟件工程");

        // Agency only; bad parameters are the caller's mistake.
        let admin = app.admin().await;
        assert_eq!(app.get("/api/v1/analytics/skill-gap", Some(&admin.access_token)).await.status, StatusCode::OK);
        app.get("/api/v1/analytics/skill-gap", Some(&hk_owner.access_token)).await.problem(403);
        let candidate = app.sign_up("candidate").await;
        app.get("/api/v1/analytics/skill-gap", Some(&candidate.access_token)).await.problem(403);
        app.get("/api/v1/analytics/skill-gap", None).await.problem(401);
        let unknown = app.get("/api/v1/analytics/skill-gap?jurisdiction=XX", token).await;
        assert_eq!(unknown.problem(422)["errors"][0]["field"], "jurisdiction");
        app.get("/api/v1/analytics/skill-gap?colour=red", token).await.problem(400);
    }
}
