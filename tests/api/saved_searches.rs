//! Saved searches and job alerts through HTTP on both backends: saving, listing and deleting
//! one's own, the checks job search makes, who may do what; then the alerts, run with a chosen
//! clock against a jobs index built from the event log by the indexer's own code, and read back
//! from the mail files.

use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use talentbridge::alerts::digest::{Alerts, Sent, send_due_alerts};
use talentbridge::money::Rates;
use talentbridge::search::Search;
use talentbridge::search::indexing::indexer;

use crate::fixtures::{CN_NUMBER, HK_NUMBER, candidate, draft_job, job_body, officer, verified_employer};
use crate::helpers::{Answer, ReceivedMail, Session, TestApp, answer};
use crate::on_both_backends;

const PATH: &str = "/api/v1/saved-searches";

async fn save(app: &TestApp, session: &Session, body: Value) -> Answer {
    app.post(PATH, Some(&session.access_token), body).await
}

async fn saved(app: &TestApp, session: &Session, body: Value) -> Value {
    let answer = save(app, session, body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    answer.body
}

async fn delete(app: &TestApp, session: Option<&Session>, id: &str) -> Answer {
    app.call(
        Method::DELETE,
        &format!("{PATH}/{id}"),
        session.map(|s| s.access_token.as_str()),
        None,
    )
    .await
}

/// Times are RFC 3339 with their offset (`Z`), like every time the API answers.
fn time(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().unwrap())
        .unwrap()
        .to_utc()
}

on_both_backends! {
    async fn a_candidate_saves_lists_and_deletes_their_own_searches(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let me = app.sign_up("candidate").await;
        let other = app.sign_up("candidate").await;

        let filters = json!({"jurisdiction": "HK", "skill_id": "software-engineering", "employment_type": "full_time",
                             "sponsorship": true, "salary_min": 30000, "salary_currency": "HKD"});
        let daily = saved(&app, &me, json!({"query": " rust engineer ", "filters": filters, "frequency": "daily"})).await;
        assert_eq!(daily["query"], "rust engineer");
        assert_eq!(daily["filters"], filters);
        assert_eq!(daily["frequency"], "daily");
        assert_eq!(daily["last_run_at"], Value::Null);
        assert_eq!(time(&daily["next_due_at"]) - time(&daily["created_at"]), Duration::days(1), "{daily}");
        // No words and no filters: every new job, at every run.
        let everything = saved(&app, &me, json!({"frequency": "instant"})).await;
        assert_eq!((everything["query"].clone(), everything["filters"].clone()), (json!(""), json!({})));
        assert_eq!(everything["next_due_at"], everything["created_at"]);

        let mine = app.get(PATH, Some(&me.access_token)).await;
        assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
        assert_eq!(mine.body["total"], 2);
        assert_eq!(mine.body["items"], json!([daily, everything]), "GET answers what POST answered");
        assert_eq!(app.get(PATH, Some(&other.access_token)).await.body["total"], 0);

        // Another candidate's search is unknown to them, for reading and deleting alike.
        let id = daily["id"].as_str().unwrap();
        delete(&app, Some(&other), id).await.problem(404);
        assert_eq!(app.get(PATH, Some(&me.access_token)).await.body["total"], 2);
        assert_eq!(delete(&app, Some(&me), id).await.status, StatusCode::NO_CONTENT);
        delete(&app, Some(&me), id).await.problem(404);
        let left = app.get(PATH, Some(&me.access_token)).await;
        assert_eq!(left.body["total"], 1);
        assert_eq!(left.body["items"][0]["id"], everything["id"]);

        // Candidates only: other roles are refused before anything is looked up.
        let employer = app.sign_up("employer").await;
        app.get(PATH, Some(&employer.access_token)).await.problem(403);
        save(&app, &employer, json!({"frequency": "daily"})).await.problem(403);
        delete(&app, Some(&employer), everything["id"].as_str().unwrap()).await.problem(403);
        app.get(PATH, None).await.problem(401);
        delete(&app, None, everything["id"].as_str().unwrap()).await.problem(401);
    }
}

on_both_backends! {
    async fn saved_searches_are_checked_like_job_search(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let me = app.sign_up("candidate").await;

        let bad = save(&app, &me, json!({"query": "rust", "frequency": "hourly"})).await;
        assert_eq!(bad.problem(422)["errors"][0]["field"], "frequency");
        let unknown = save(&app, &me, json!({"filters": {"skill_id": "basket-weaving-on-mars"}, "frequency": "daily"})).await;
        assert_eq!(unknown.problem(422)["errors"][0]["field"], "filters.skill_id");
        let long = save(&app, &me, json!({"query": "a".repeat(501), "frequency": "daily"})).await;
        assert_eq!(long.problem(422)["errors"][0]["field"], "query");
        // Every bad field at once, with job search's own messages.
        let many = save(&app, &me, json!({
            "query": "b".repeat(600),
            "filters": {"jurisdiction": "XX", "location_id": "moon", "employment_type": "gig", "salary_min": 5000, "posted_since": "2026-01-01"},
            "frequency": "sometimes"
        })).await;
        many.problem(422);
        let mut fields = many.error_fields();
        fields.sort();
        assert_eq!(fields, ["filters.employment_type", "filters.jurisdiction", "filters.location_id",
                            "filters.posted_since", "filters.salary_currency", "frequency", "query"]);
        let currency = save(&app, &me, json!({"filters": {"salary_min": 5000, "salary_currency": "USD"}, "frequency": "daily"})).await;
        assert_eq!(currency.problem(422)["errors"][0]["field"], "filters.salary_currency");
        // Text the query parser refuses could never run: refused now.
        let syntax = save(&app, &me, json!({"query": "title:(rust", "frequency": "daily"})).await;
        assert_eq!(syntax.problem(422)["errors"][0]["field"], "query");

        // Malformed bodies and wrong shapes are 400, naming the field where there is one.
        let truncated = app.client.post(app.url(PATH)).bearer_auth(&me.access_token)
            .header("content-type", "application/json").body("{\"frequency\": ").send().await.unwrap();
        assert!(answer(truncated).await.problem(400)["detail"].as_str().unwrap().contains("not valid JSON"));
        let missing = save(&app, &me, json!({"query": "rust"})).await;
        assert_eq!(missing.problem(400)["errors"][0]["field"], "frequency");
        let stranger = save(&app, &me, json!({"frequency": "daily", "user_id": "someone-else"})).await;
        assert_eq!(stranger.problem(400)["errors"][0]["field"], "user_id");
        let colour = save(&app, &me, json!({"frequency": "daily", "filters": {"colour": "red"}})).await;
        assert_eq!(colour.problem(400)["errors"][0]["field"], "filters.colour");
        let typed = save(&app, &me, json!({"frequency": "daily", "filters": {"sponsorship": "maybe"}})).await;
        assert_eq!(typed.problem(400)["errors"][0]["field"], "filters.sponsorship");
        assert_eq!(app.get(PATH, Some(&me.access_token)).await.body["total"], 0, "nothing refused was saved");

        // At most 20 per candidate.
        for n in 0..20 {
            saved(&app, &me, json!({"query": format!("job {n}"), "frequency": "weekly"})).await;
        }
        save(&app, &me, json!({"query": "one more", "frequency": "weekly"})).await.problem(409);
        assert_eq!(app.get(&format!("{PATH}?limit=100"), Some(&me.access_token)).await.body["total"], 20);
    }
}

/// The alerts of one node: its own jobs index, fed from the event log by the indexer's code, so
/// the test knows when it has caught up, and runs with the clock the test chooses.
struct Node {
    alerts: Alerts,
    _index_dir: tempfile::TempDir,
}

impl Node {
    async fn new(app: &TestApp, lookback: Duration) -> Node {
        let db = app.db().await;
        let registry = Arc::new(talentbridge::registry::open(&db).await.unwrap());
        let dir = tempfile::tempdir().unwrap();
        let search = Arc::new(Search::open(dir.path(), Rates::new(&app.settings.rates)).unwrap());
        Node {
            alerts: Alerts {
                db,
                search,
                registry,
                base_url: app.settings.application.base_url.clone(),
                lookback,
            },
            _index_dir: dir,
        }
    }

    /// Brings the index up to date with every committed change, then runs the alerts at `now`.
    async fn run(&self, now: NaiveDateTime) -> Sent {
        let a = &self.alerts;
        indexer::catch_up(&a.db, &a.search, &a.registry).await.unwrap();
        send_due_alerts(a, now).await.unwrap()
    }
}

fn sent(emails: usize, jobs: usize) -> Sent {
    Sent {
        emails,
        jobs,
        failed: 0,
    }
}

/// The job alerts `to` received, oldest first.
fn alerts_to(app: &TestApp, to: &str) -> Vec<ReceivedMail> {
    app.mails_to(to)
        .into_iter()
        .filter(|m| m.subject.contains("new job"))
        .collect()
}

/// Waits (up to 10 s) for `count` job alerts to `to`.
async fn wait_for_alerts(app: &TestApp, to: &str, count: usize) -> Vec<ReceivedMail> {
    let deadline = Instant::now() + StdDuration::from_secs(10);
    loop {
        let mails = alerts_to(app, to);
        if mails.len() >= count || Instant::now() > deadline {
            assert_eq!(mails.len(), count, "job alerts to {to}");
            return mails;
        }
        tokio::time::sleep(StdDuration::from_millis(25)).await;
    }
}

/// A published job: the standard body with `changes`.
async fn publish(app: &TestApp, owner: &Session, mut body: Value, changes: Value) -> String {
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

/// Polls job search until `query` finds `total` jobs (the service's own index caught up).
async fn searchable(app: &TestApp, query: &str, total: u64) {
    let deadline = Instant::now() + StdDuration::from_secs(10);
    loop {
        let answer = app.get(&format!("/api/v1/jobs/search?{query}"), None).await;
        if answer.body["total"] == total {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "search never found {total}: {}",
            answer.body
        );
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
}

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

on_both_backends! {
    async fn an_instant_alert_mails_each_new_matching_job_once(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (hk_owner, hk) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let (cn_owner, cn) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;
        let (me, _) = candidate(&app, "HK").await;
        let node = Node::new(&app, Duration::hours(1)).await;

        // There before the search is saved: never mailed by it.
        let before = publish(&app, &hk_owner, job_body(&hk, "hk-wan-chai", "HKD"), json!({"title": "Rust platform engineer"})).await;
        let search = saved(&app, &me, json!({"query": "rust", "filters": {"jurisdiction": "HK"}, "frequency": "instant"})).await;
        let wanted = publish(&app, &hk_owner, job_body(&hk, "hk-wan-chai", "HKD"), json!({"title": "Rust backend engineer"})).await;
        let other_side = publish(&app, &cn_owner, job_body(&cn, "cn-sz-nanshan", "CNY"), json!({"title": "Rust systems engineer"})).await;
        let other_words = publish(&app, &hk_owner, job_body(&hk, "hk-wan-chai", "HKD"), json!({"title": "Payroll accountant", "description": "Keep the books."})).await;
        searchable(&app, "q=rust", 3).await;
        searchable(&app, "q=accountant", 1).await;

        assert_eq!(node.run(now()).await, sent(1, 1));
        let mail = wait_for_alerts(&app, &me.email, 1).await.remove(0);
        assert!(mail.subject.contains("1 new job(s) for \u{201c}rust\u{201d}"), "{}", mail.subject);
        assert!(mail.text.contains("Rust backend engineer — HK Tech Ltd · Wan Chai District"), "{}", mail.text);
        assert!(mail.text.contains(&format!("/jobs/{wanted}")), "{}", mail.text);
        for absent in [&before, &other_side, &other_words] {
            assert!(!mail.text.contains(absent.as_str()), "{absent} mailed: {}", mail.text);
        }
        assert!(mail.text.contains("/jobs/search?q=rust&jurisdiction=HK"), "{}", mail.text);
        assert!(mail.text.contains("/saved-searches"), "{}", mail.text);

        // Run again, now or later: nothing new, nothing mailed.
        assert_eq!(node.run(now()).await, Sent::default());
        assert_eq!(node.run(now() + Duration::minutes(1)).await, Sent::default());
        let listed = app.get(PATH, Some(&me.access_token)).await;
        assert!(listed.body["items"][0]["last_run_at"].is_string(), "{}", listed.body);

        // Two nodes run at once: the new job is mailed by one of them, once.
        let later = publish(&app, &hk_owner, job_body(&hk, "hk-kwun-tong", "HKD"), json!({"title": "Senior Rust developer"})).await;
        let second = Node::new(&app, Duration::hours(1)).await;
        let at = now() + Duration::minutes(2);
        let (a, b) = tokio::join!(node.run(at), second.run(at));
        assert_eq!((a.emails + b.emails, a.jobs + b.jobs, a.failed + b.failed), (1, 1, 0), "{a:?} {b:?}");
        let mails = wait_for_alerts(&app, &me.email, 2).await;
        assert!(mails[1].text.contains(&format!("/jobs/{later}")), "{}", mails[1].text);
        assert!(!mails[1].text.contains(&wanted), "{}", mails[1].text);
        tokio::time::sleep(StdDuration::from_millis(300)).await;
        assert_eq!(alerts_to(&app, &me.email).len(), 2);

        // The export lists the search; erasure deletes it, and nothing more is mailed.
        let export = app.get("/api/v1/candidates/me/export", Some(&me.access_token)).await;
        assert_eq!(export.body["saved_searches"][0]["id"], search["id"], "{}", export.body);
        assert_eq!(export.body["saved_searches"][0]["query"], "rust");
        assert_eq!(export.body["saved_searches"][0]["jobs_mailed"], 2);
        let erased = app.call(Method::DELETE, "/api/v1/candidates/me", Some(&me.access_token), None).await;
        assert_eq!(erased.status, StatusCode::NO_CONTENT, "{}", erased.body);
        publish(&app, &hk_owner, job_body(&hk, "hk-wan-chai", "HKD"), json!({"title": "Rust trainee"})).await;
        assert_eq!(node.run(now() + Duration::minutes(3)).await, Sent::default());
        let user_id = me.user_id.clone();
        let left = node.alerts.db.read(move |conn| Ok(talentbridge::alerts::store::list_of(conn, &user_id)?)).await.unwrap();
        assert!(left.is_empty(), "{left:?}");
    }
}

on_both_backends! {
    async fn a_daily_search_mails_at_most_once_a_day(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, hk) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let me = app.sign_up("candidate").await;
        // The test's clock runs days ahead of the real times the jobs are published at, so the
        // window reaches back a week (in service it trails the previous run by an hour).
        let node = Node::new(&app, Duration::days(7)).await;
        let start = now();

        saved(&app, &me, json!({"query": "rust", "frequency": "daily"})).await;
        let first = publish(&app, &owner, job_body(&hk, "hk-wan-chai", "HKD"), json!({"title": "Rust backend engineer"})).await;
        searchable(&app, "q=rust", 1).await;

        // Not before a day has passed since saving.
        assert_eq!(node.run(start).await, Sent::default());
        assert_eq!(node.run(start + Duration::hours(23)).await, Sent::default());
        assert_eq!(node.run(start + Duration::days(1) + Duration::minutes(1)).await, sent(1, 1));
        let mails = wait_for_alerts(&app, &me.email, 1).await;
        assert!(mails[0].text.contains(&first), "{}", mails[0].text);

        // A new job the same day waits for the next day's digest.
        let second = publish(&app, &owner, job_body(&hk, "hk-wan-chai", "HKD"), json!({"title": "Rust platform engineer"})).await;
        searchable(&app, "q=rust", 2).await;
        assert_eq!(node.run(start + Duration::days(1) + Duration::hours(2)).await, Sent::default());
        assert_eq!(node.run(start + Duration::days(1) + Duration::hours(23)).await, Sent::default());
        assert_eq!(node.run(start + Duration::days(2) + Duration::minutes(2)).await, sent(1, 1));
        let mails = wait_for_alerts(&app, &me.email, 2).await;
        assert!(mails[1].text.contains(&second), "{}", mails[1].text);
        assert!(!mails[1].text.contains(&first), "{}", mails[1].text);
    }
}
