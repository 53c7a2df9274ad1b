//! Two nodes, one market: two services, each with its own data directory and indexes, against
//! one PostgreSQL. What one node writes, the other's index follows through the event log; what
//! must hold across nodes (refresh-token families, login lockouts) lives in the database.

use std::future::Future;
use std::time::{Duration, Instant};

use serde_json::json;

use super::site::{Database, PASSWORD, Service, Site, create_admin, marketplace};

/// Polls `done` until it holds; fails after 20 s. Returns how long it took (printed: a figure,
/// not an assertion).
async fn until<F: Future<Output = bool>>(what: &str, mut done: impl FnMut() -> F) -> Duration {
    let started = Instant::now();
    while !done().await {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{what} did not happen"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = started.elapsed();
    println!("{what}: {} ms", took.as_millis());
    took
}

async fn login(node: &Service, email: &str, password: &str) -> (u16, serde_json::Value) {
    node.post(
        "/api/v1/auth/login",
        None,
        json!({"email": email, "password": password}),
    )
    .await
}

async fn refresh(node: &Service, token: &str) -> (u16, serde_json::Value) {
    node.post("/api/v1/auth/refresh", None, json!({"refresh_token": token}))
        .await
}

/// How many candidates talent search counts (the index's figure, not the page's).
async fn talent_total(node: &Service, officer: &str) -> u64 {
    node.get("/api/v1/candidates/search", Some(officer)).await["total"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn two_nodes_serve_one_market() {
    let first = Site::new(Database::postgres());
    let second = first.another_node("node-b");
    create_admin(&first);
    let a = first.serve();
    let b = second.serve();
    let (owner, employer) = marketplace(&first, &a).await;

    // Published on one node, searchable on the other; closed there, gone from the first.
    let job = a.publish(&owner, &employer).await.expect("published");
    until("a job published on node A is searchable on node B", || async {
        b.searched_job_ids().await.1.contains(&job)
    })
    .await;
    let (status, _) = b
        .post(&format!("/api/v1/jobs/{job}/close"), Some(&owner), json!({}))
        .await;
    assert_eq!(status, 200);
    until("a job closed on node B leaves node A's index", || async {
        !a.searched_job_ids().await.1.contains(&job)
    })
    .await;

    // A candidate erased on one node leaves the other's index (its totals, not just its pages).
    let email = "chan@example.com";
    let body = json!({"email": email, "password": PASSWORD, "role": "candidate", "display_name": "Chan"});
    assert_eq!(a.post("/api/v1/auth/register", None, body).await.0, 202);
    let token = {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(token) = first.token_for(email) {
                break token;
            }
            assert!(Instant::now() < deadline, "no verification email");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    };
    let verified = a
        .post("/api/v1/auth/verify-email", None, json!({"token": token}))
        .await;
    assert_eq!(verified.0, 204);
    let candidate = a.sign_in(email).await;
    let profile = json!({"display_name": "Chan", "headline": "Backend engineer", "summary": "",
        "residence_jurisdiction": "HK", "languages": [], "desired_jurisdictions": ["HK"], "visibility": "employers",
        "skills": [{"skill_id": "software-engineering", "level": 4, "years": 5}]});
    let (status, saved) = a
        .call(
            reqwest::Method::PUT,
            "/api/v1/candidates/me",
            Some(&candidate),
            Some(profile),
        )
        .await
        .unwrap();
    assert_eq!(status, 201, "{saved}");
    let officer = b.sign_in("officer@example.com").await;
    until("a candidate saved on node A is found on node B", || async {
        talent_total(&b, &officer).await == 1
    })
    .await;
    let (status, _) = b
        .call(
            reqwest::Method::DELETE,
            "/api/v1/candidates/me",
            Some(&candidate),
            None,
        )
        .await
        .unwrap();
    assert_eq!(status, 204);
    until("a candidate erased on node B leaves node A's index", || async {
        talent_total(&a, &officer).await == 0
    })
    .await;

    // Refresh-token reuse is detected across nodes: the family dies on both.
    let (status, session) = login(&a, "owner@example.com", PASSWORD).await;
    assert_eq!(status, 200);
    let first_refresh = session["refresh_token"].as_str().unwrap().to_owned();
    let (status, rotated) = refresh(&b, &first_refresh).await;
    assert_eq!(status, 200, "{rotated}");
    let second_refresh = rotated["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(
        refresh(&a, &first_refresh).await.0,
        401,
        "reuse is caught on the other node"
    );
    assert_eq!(
        refresh(&b, &second_refresh).await.0,
        401,
        "and the whole family is revoked"
    );

    // Failed logins count in the database: alternating nodes, the account locks on both.
    for attempt in 0..5 {
        let node = if attempt % 2 == 0 { &a } else { &b };
        assert_eq!(
            login(node, "owner@example.com", "wrong-password-guess-1").await.0,
            401
        );
    }
    assert_eq!(login(&a, "owner@example.com", PASSWORD).await.0, 429);
    assert_eq!(login(&b, "owner@example.com", PASSWORD).await.0, 429);
    a.stop();
    b.stop();
}
