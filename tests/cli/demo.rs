//! `serve --demo`: a fresh data directory filled once, searchable in three scripts.

use std::process::Stdio;

use serde_json::{Value, json};

use super::{Running, free_port, stop, talentbridge, wait_for_line};

#[tokio::test]
async fn serve_with_demo_fills_a_fresh_data_dir_once() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let port = free_port();
    let bind = format!("127.0.0.1:{port}");
    let mut child = talentbridge(&data_dir)
        .args(["serve", "--demo", "--bind", &bind])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let printed = wait_for_line(&mut child, "API docs");
    let child = Running(child);
    assert!(
        printed.contains("candidate.hk@demo.talentbridge.example"),
        "{printed}"
    );
    assert!(printed.contains("2000 jobs"), "{printed}");

    // Searchable at once (the index was built before the service started), in every script.
    // No kept-alive connections: the same port serves a second process later.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let base = format!("http://{bind}/api/v1");
    let search = |query: &'static str| {
        let (client, base) = (client.clone(), base.clone());
        async move {
            let answer = client
                .get(format!("{base}/jobs/search?q={query}"))
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), 200);
            answer.json::<Value>().await.unwrap()["total"].as_u64().unwrap()
        }
    };
    let all = search("").await;
    assert!(
        (1500..=2000).contains(&all),
        "about 90% of 2000 jobs are open: {all}"
    );
    assert!(search("engineer").await > 0);
    assert!(search("工程师").await > 0);
    assert!(
        search("工程師").await > 0,
        "Traditional finds Simplified and Traditional"
    );
    let login = client
        .post(format!("{base}/auth/login"))
        .json(&json!({"email": "candidate.cn@demo.talentbridge.example", "password": "demo-password-2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let token = login.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let matches = client
        .get(format!("{base}/candidates/me/matches"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(matches.status(), 200);
    let matches = matches.json::<Value>().await.unwrap();
    assert!(!matches["hits"].as_array().unwrap().is_empty(), "{matches}");
    stop(child);

    // A second start leaves the data as it is.
    let mut child = talentbridge(&data_dir)
        .args(["serve", "--demo", "--bind", &bind])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let printed = wait_for_line(&mut child, "API docs");
    let child = Running(child);
    assert!(printed.contains("Demo data present"), "{printed}");
    assert_eq!(search("").await, all);
    stop(child);

    // Without its index (as after an upgrade whose index has another schema: it is recreated
    // empty), the service builds it from the database; the demo's rows have no events to replay.
    std::fs::remove_dir_all(data_dir.join("index")).unwrap();
    let mut child = talentbridge(&data_dir)
        .args(["serve", "--bind", &bind])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_line(&mut child, "API docs");
    let child = Running(child);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let found = search("").await;
        if found == all {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{found} of {all} jobs found again"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(search("工程師").await > 0);
    stop(child);
}
