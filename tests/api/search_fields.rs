//! Search text reaches only the public text fields: `field:` works for the fields the API
//! documents for `q`, and any other name — the consent rule's, the filters', or one that does not
//! exist — is the same 400, which lists the public fields and names no other.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fixtures::{CN_NUMBER, HK_NUMBER, candidate, officer, open_job, verified_employer};
use crate::helpers::{Answer, Session, TestApp};
use crate::on_both_backends;

/// Searches `path` until it has `total` hits (the index catches up within a poll), at most 10 s.
async fn search_until(app: &TestApp, who: Option<&Session>, path: &str, total: u64) -> Answer {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let answer = app.get(path, who.map(|s| s.access_token.as_str())).await;
        if answer.body["total"] == total || std::time::Instant::now() > deadline {
            return answer;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The 400's detail, after checking that it names none of `hidden`.
fn refusal(answer: &Answer, hidden: &[&str]) -> String {
    let problem = answer.problem(400);
    let text = problem.to_string();
    for name in hidden {
        assert!(!text.contains(name), "the answer names {name}: {text}");
    }
    assert_eq!(answer.error_fields(), vec!["q"]);
    problem["detail"].as_str().unwrap().to_owned()
}

/// What the OpenAPI document says of `q` on `path`.
async fn q_description(app: &TestApp, path: &str) -> String {
    let document = app.get("/api/v1/openapi.json", None).await.body;
    let parameters = document["paths"][path]["get"]["parameters"]
        .as_array()
        .unwrap()
        .clone();
    let q = parameters
        .iter()
        .find(|p| p["name"] == "q")
        .cloned()
        .unwrap_or(Value::Null);
    q["description"].as_str().unwrap_or_default().to_owned()
}

on_both_backends! {
    async fn talent_search_text_cannot_test_consent(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (cn_employer, _) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;
        let (consenting, consenting_id) = candidate(&app, "CN").await;
        let (_, _other_id) = candidate(&app, "CN").await;
        let consent = app
            .post("/api/v1/candidates/me/consents", Some(&consenting.access_token),
                  json!({"purpose": "cross_border_sharing", "to_jurisdiction": "HK"}))
            .await;
        assert_eq!(consent.status, StatusCode::CREATED, "{}", consent.body);
        let all = search_until(&app, Some(&cn_employer), "/api/v1/candidates/search", 2).await;
        assert_eq!(all.body["total"], 2, "{}", all.body);
        assert!(all.body.to_string().contains(&consenting_id));

        // The attack of the issue: which of its own candidates consented to Hong Kong.
        let hidden = ["consented_to", "visibility", "residence", "skill_id", "facts", "skills_text"];
        let attack = app.get("/api/v1/candidates/search?q=consented_to:HK", Some(&cn_employer.access_token)).await;
        let detail = refusal(&attack, &hidden);
        assert!(detail.contains("headline, skills, summary"), "{detail}");
        for other in ["visibility:private", "residence:CN", "skills_text:rust", "nosuch:HK",
                      "headline:engineer%20OR%20consented_to:HK", "consented_to:*", "consented_to:%5BA%20TO%20Z%5D"] {
            let answer = app.get(&format!("/api/v1/candidates/search?q={other}"), Some(&cn_employer.access_token)).await;
            assert_eq!(refusal(&answer, &hidden), detail, "{other}: the same answer whatever the name");
        }

        // The public fields work.
        let headline = app.get("/api/v1/candidates/search?q=headline:engineer", Some(&cn_employer.access_token)).await;
        assert_eq!((headline.status, &headline.body["total"]), (StatusCode::OK, &json!(2)), "{}", headline.body);
        let summary = app.get("/api/v1/candidates/search?q=summary:engineer", Some(&cn_employer.access_token)).await;
        assert_eq!(summary.body["total"], 0, "the word is in the headline only: {}", summary.body);
        let described = q_description(&app, "/api/v1/candidates/search").await;
        assert!(["`headline`", "`skills`", "`summary`"].iter().all(|name| described.contains(name)), "{described}");
        assert!(!described.contains("consented_to"));
    }
}

on_both_backends! {
    async fn job_search_text_reaches_only_its_public_fields(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        open_job(&app, &owner, &employer_id, "hk-central-and-western", "HKD").await;
        search_until(&app, None, "/api/v1/jobs/search", 1).await;

        for (query, total) in [("title:engineer", 1), ("employer:tech", 1), ("description:hiring", 1),
                               ("title:hiring", 0), ("skills:software", 1)] {
            let found = app.get(&format!("/api/v1/jobs/search?q={query}"), None).await;
            assert_eq!((found.status, &found.body["total"]), (StatusCode::OK, &json!(total)), "{query}: {}", found.body);
        }
        let hidden = ["jurisdiction", "salary_max_monthly", "expires_at", "facts", "employer_name", "skills_text"];
        let detail = refusal(&app.get("/api/v1/jobs/search?q=nosuch:x", None).await, &hidden);
        assert!(detail.contains("title, skills, employer, description"), "{detail}");
        for internal in ["jurisdiction:HK", "salary_max_monthly:%5B0%20TO%2099999999%5D", "employer_name:tech",
                         "expires_at:*", "facts:x", "title:engineer%20-sponsorship:false"] {
            let answer = app.get(&format!("/api/v1/jobs/search?q={internal}"), None).await;
            assert_eq!(refusal(&answer, &hidden), detail, "{internal}");
        }
        let described = q_description(&app, "/api/v1/jobs/search").await;
        assert!(["`title`", "`skills`", "`employer`", "`description`"].iter().all(|name| described.contains(name)), "{described}");
    }
}
