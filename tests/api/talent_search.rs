//! Talent search through HTTP: the consent rule inside the query (totals and facets included),
//! cross-script matching, audit of cross-border hits, and candidates leaving the results when
//! they withdraw consent or are erased.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::fixtures::{
    CN_NUMBER, CN_NUMBER_2, HK_NUMBER, audit_actions, employer, officer, verified_employer,
};
use crate::helpers::{Answer, Session, TestApp};
use crate::on_both_backends;

async fn profile(
    app: &TestApp,
    residence: &str,
    headline: &str,
    skill: &str,
    visibility: &str,
) -> (Session, String) {
    let session = app.sign_up("candidate").await;
    let body = json!({
        "display_name": "Test Candidate", "headline": headline, "summary": "",
        "residence_jurisdiction": residence,
        "languages": [{"code": if residence == "HK" { "yue" } else { "zh" }, "level": 5}],
        "skills": [{"skill_id": skill, "level": 4, "years": 5}],
        "desired_jurisdictions": ["CN", "HK"], "visibility": visibility
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

async fn search(app: &TestApp, who: &Session, query: &str) -> Answer {
    app.get(
        &format!("/api/v1/candidates/search{query}"),
        Some(&who.access_token),
    )
    .await
}

/// Searches until the total is `total` (the index catches up within a poll), at most 10 s.
async fn search_until(app: &TestApp, who: &Session, query: &str, total: u64) -> Answer {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let answer = search(app, who, query).await;
        if answer.body["total"] == total || Instant::now() > deadline {
            return answer;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn ids(answer: &Answer) -> Vec<String> {
    let mut ids: Vec<String> = answer.body["hits"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|h| h["candidate"]["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

fn sorted(mut ids: Vec<&String>) -> Vec<String> {
    ids.sort();
    ids.into_iter().cloned().collect()
}

on_both_backends! {
    async fn employers_find_only_whom_the_consent_rule_lets_them_see(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (hk_employer, _) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let (cn_employer, _) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;
        let (unverified, _) = employer(&app, "CN", CN_NUMBER_2).await;
        let (_, hk) = profile(&app, "HK", "Rust backend engineer", "software-engineering", "employers").await;
        let (_, cn_analyst) = profile(&app, "CN", "数据分析师", "data-analysis", "employers").await;
        let (cn_consenting, cn_engineer) = profile(&app, "CN", "軟件工程師", "software-engineering", "employers").await;
        let (_, cn_private) = profile(&app, "CN", "Private person", "software-engineering", "private").await;
        let consent = app.post("/api/v1/candidates/me/consents", Some(&cn_consenting.access_token),
                               json!({"purpose": "cross_border_sharing", "to_jurisdiction": "HK"})).await;
        assert_eq!(consent.status, StatusCode::CREATED, "{}", consent.body);

        let everyone = search_until(&app, &officer, "", 4).await;
        assert_eq!(ids(&everyone), sorted(vec![&hk, &cn_analyst, &cn_engineer, &cn_private]), "{}", everyone.body);
        assert_eq!(everyone.body["facets"]["jurisdiction"], json!({"CN": 3, "HK": 1}));
        // Hong Kong: its own, and the Shenzhen candidate who consented to Hong Kong.
        let hk_view = search_until(&app, &hk_employer, "", 2).await;
        assert_eq!(ids(&hk_view), sorted(vec![&hk, &cn_engineer]), "{}", hk_view.body);
        assert_eq!(hk_view.body["facets"]["jurisdiction"], json!({"CN": 1, "HK": 1}), "facets obey the rule too");
        // Shenzhen: its own visible candidates; the Hong Kong one has not consented to the Mainland.
        let cn_view = search(&app, &cn_employer, "").await;
        assert_eq!(ids(&cn_view), sorted(vec![&cn_analyst, &cn_engineer]), "{}", cn_view.body);
        assert_eq!(search(&app, &unverified, "").await.body["total"], 0);

        // One search, three scripts: Simplified finds the Traditional headline and the skill label.
        let simplified = search(&app, &hk_employer, "?q=软件").await;
        assert_eq!(ids(&simplified), sorted(vec![&hk, &cn_engineer]), "{}", simplified.body);
        let traditional = search(&app, &officer, "?q=數據").await;
        assert_eq!(ids(&traditional), vec![cn_analyst.clone()], "{}", traditional.body);
        let filtered = search(&app, &officer, "?skill_id=software-engineering&jurisdiction=CN&language=zh").await;
        assert_eq!(ids(&filtered), sorted(vec![&cn_engineer, &cn_private]));
        // The same filters beside words (checked on the candidates' facet records), inside the
        // consent rule as ever: the skill's label holds 软件 for the private profile too.
        let with_words = search(&app, &officer, "?q=软件&skill_id=software-engineering&jurisdiction=CN&language=zh").await;
        assert_eq!(ids(&with_words), sorted(vec![&cn_engineer, &cn_private]), "{}", with_words.body);
        assert_eq!(with_words.body["total"], 2);
        let by_language = search(&app, &officer, "?q=软件&language=yue").await;
        assert_eq!(ids(&by_language), vec![hk.clone()], "{}", by_language.body);
        let hk_with_words = search(&app, &hk_employer, "?q=软件&jurisdiction=CN").await;
        assert_eq!(ids(&hk_with_words), vec![cn_engineer.clone()], "{}", hk_with_words.body);

        // The Hong Kong employer's searches that showed the Shenzhen candidate are on record.
        let reads = audit_actions(&app, "candidate", &cn_engineer).await;
        assert!(reads.iter().filter(|a| *a == "cross_border_read").count() >= 2, "{reads:?}");
        assert!(!audit_actions(&app, "candidate", &hk).await.contains(&"cross_border_read".to_owned()));

        // Withdrawal: gone from the page at once, from the index within a poll.
        let withdrawn = app.call(Method::DELETE, &format!("/api/v1/candidates/me/consents/{}", consent.body["id"].as_str().unwrap()),
                                 Some(&cn_consenting.access_token), None).await;
        assert_eq!(withdrawn.status, StatusCode::NO_CONTENT);
        assert!(!ids(&search(&app, &hk_employer, "").await).contains(&cn_engineer));
        let after = search_until(&app, &hk_employer, "", 1).await;
        assert_eq!(ids(&after), vec![hk.clone()], "{}", after.body);
        // Erasure likewise.
        let erased = app.call(Method::DELETE, "/api/v1/candidates/me", Some(&cn_consenting.access_token), None).await;
        assert_eq!(erased.status, StatusCode::NO_CONTENT);
        let remaining = search_until(&app, &officer, "", 3).await;
        assert!(!ids(&remaining).contains(&cn_engineer), "{}", remaining.body);
    }
}

on_both_backends! {
    /// A headline the vocabulary rewrote (程式設計師 is indexed as 程序员, 記憶體 as 内存: fewer
    /// characters) is marked on the words it holds, from the edits stored beside it.
    async fn talent_highlights_fall_on_the_words_the_headline_holds(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (_, id) = profile(&app, "HK", "資深程式設計師，專注記憶體資料庫", "software-engineering", "employers").await;
        let found = search_until(&app, &officer, "?q=内存", 1).await;
        assert_eq!(ids(&found), vec![id.clone()], "{}", found.body);
        assert_eq!(
            found.body["hits"][0]["highlights"]["headline"],
            "資深程式設計師，專注<b>記憶體</b>資料庫",
            "{}",
            found.body
        );
        let both = search(&app, &officer, "?q=程序员 内存").await;
        assert_eq!(
            both.body["hits"][0]["highlights"]["headline"],
            "資深<b>程式設計師</b>，專注<b>記憶體</b>資料庫",
            "{}",
            both.body
        );
    }
}

on_both_backends! {
    async fn talent_search_refuses_candidates_and_bad_filters(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let candidate = app.sign_up("candidate").await;
        search(&app, &candidate, "").await.problem(403);
        app.get("/api/v1/candidates/search", None).await.problem(401);
        let officer = officer(&app).await;
        let bad = search(&app, &officer, "?skill_id=nope&jurisdiction=XX&language=%20").await;
        bad.problem(422);
        let mut fields = bad.error_fields();
        fields.sort();
        assert_eq!(fields, vec!["jurisdiction", "language", "skill_id"]);
        search(&app, &officer, "?q=headline:(").await.problem(400);
        search(&app, &officer, "?visibility=private").await.problem(400);
        let empty = search(&app, &officer, "?limit=500").await;
        assert_eq!((empty.status, empty.body["total"].as_u64(), empty.body["limit"].as_u64()), (StatusCode::OK, Some(0), Some(100)));
    }
}

on_both_backends! {
    async fn a_page_of_cross_border_hits_logs_one_read_per_candidate(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (hk_employer, hk_employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let (hk_session, _) = profile(&app, "HK", "Rust backend engineer", "software-engineering", "employers").await;
        let mut mainland = Vec::new();
        for headline in ["软件工程师", "後端工程師", "Embedded engineer"] {
            let (session, id) = profile(&app, "CN", headline, "software-engineering", "employers").await;
            let consent = app.post("/api/v1/candidates/me/consents", Some(&session.access_token),
                                   json!({"purpose": "cross_border_sharing", "to_jurisdiction": "HK"})).await;
            assert_eq!(consent.status, StatusCode::CREATED, "{}", consent.body);
            mainland.push((session, id));
        }

        // Each poll logs reads for whom its page showed; once the index holds all four, one more
        // page adds exactly one entry per Shenzhen candidate, all written together.
        let page = search_until(&app, &hk_employer, "?skill_id=software-engineering", 4).await;
        assert_eq!(page.body["total"], 4, "{}", page.body);
        let mut before = Vec::new();
        for (session, _) in &mainland {
            before.push(cross_border_reads(&app, session).await.len());
        }
        let page = search(&app, &hk_employer, "?skill_id=software-engineering").await;
        assert_eq!(page.body["total"], 4, "{}", page.body);
        let mut logged_at = Vec::new();
        for ((session, id), earlier) in mainland.iter().zip(before) {
            let reads = cross_border_reads(&app, session).await;
            assert_eq!(reads.len(), earlier + 1, "{id}: {reads:?}");
            let newest = reads.iter().max_by_key(|r| logged_at_of(r)).unwrap();
            assert_eq!(newest["employer_id"], hk_employer_id.as_str());
            assert_eq!(newest["jurisdiction"], "HK");
            logged_at.push(newest["at"].clone());
        }
        assert!(logged_at.windows(2).all(|w| w[0] == w[1]), "one page, one moment: {logged_at:?}");
        assert!(cross_border_reads(&app, &hk_session).await.is_empty(), "a read inside Hong Kong is not cross-border");
    }
}

async fn cross_border_reads(app: &TestApp, candidate: &Session) -> Vec<serde_json::Value> {
    let export = app
        .get("/api/v1/candidates/me/export", Some(&candidate.access_token))
        .await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.body);
    export.body["cross_border_reads"].as_array().unwrap().clone()
}

/// A read's time as a time: the text's fraction has 3, 6 or 9 digits, so texts do not sort.
fn logged_at_of(read: &serde_json::Value) -> chrono::DateTime<chrono::Utc> {
    read["at"].as_str().unwrap().parse().unwrap()
}
