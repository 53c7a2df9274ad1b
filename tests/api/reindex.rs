//! `reindex` while the service serves: the rebuild (the library function the CLI wraps) writes
//! new index directories and swaps them in through the pointer files; the running service keeps
//! answering every search throughout, then answers from the new indexes, drops the old ones and
//! keeps indexing new changes into the new ones.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use talentbridge::index_events::Kind;
use talentbridge::jobs::records::open_jobs_after;
use talentbridge::search::indexing::layout;
use talentbridge::search::indexing::rebuild::{Quiet, rebuild};

use crate::fixtures::{HK_NUMBER, candidate, job_body, officer, open_job, publish, verified_employer};
use crate::helpers::{Answer, TestApp};
use crate::on_both_backends;

const JOBS: u64 = 6;
const CANDIDATES: u64 = 2;

/// Polls `check` every 50 ms until it holds, at most 10 s; returns whether it did.
async fn eventually(mut check: impl AsyncFnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if check().await {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn live_dir(root: &Path, kind: Kind) -> PathBuf {
    root.join(layout::read_pointer(root, kind).unwrap().expect("a pointer file"))
}

on_both_backends! {
    async fn a_rebuild_is_swapped_in_while_searches_keep_being_answered(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        for _ in 0..JOBS {
            open_job(&app, &owner, &employer, "hk-wan-chai", "HKD").await;
        }
        for _ in 0..CANDIDATES {
            candidate(&app, "HK").await;
        }
        let talent = |app: &TestApp| {
            let token = owner.access_token.clone();
            let url = app.url("/api/v1/candidates/search");
            let client = app.client.clone();
            async move {
                let response = client.get(url).bearer_auth(token).send().await.unwrap();
                crate::helpers::answer(response).await
            }
        };
        assert!(eventually(async || app.get("/api/v1/jobs/search", None).await.body["total"] == JOBS).await);
        assert!(eventually(async || talent(&app).await.body["total"] == CANDIDATES).await);

        let root = layout::root(&app.settings.application.data_dir);
        let old_jobs = live_dir(&root, Kind::Job);
        let old_candidates = live_dir(&root, Kind::Candidate);
        assert!(layout::in_use(&old_jobs), "the service writes its index");

        // Searches run without a pause while the rebuild runs and is swapped in.
        let stop = Arc::new(AtomicBool::new(false));
        let count = Arc::new(AtomicUsize::new(0));
        let searching = {
            let (client, url) = (app.client.clone(), app.url("/api/v1/jobs/search"));
            let (stop, count) = (stop.clone(), count.clone());
            tokio::spawn(async move {
                let mut answers: Vec<(StatusCode, Value)> = Vec::new();
                // Bounded: the test stops it long before.
                while !stop.load(Ordering::Acquire) && answers.len() < 100_000 {
                    let response = client.get(&url).send().await.unwrap();
                    let answer: Answer = crate::helpers::answer(response).await;
                    answers.push((answer.status, answer.body["total"].clone()));
                    count.fetch_add(1, Ordering::Release);
                }
                answers
            })
        };

        let db = app.db().await;
        let registry = talentbridge::registry::open(&db).await.unwrap().get();
        let rates = talentbridge::money::Rates::new(&app.settings.rates);
        let rebuilt = rebuild(&db, &app.settings.application.data_dir, registry, &rates, &Quiet).await.unwrap();
        assert_eq!(rebuilt.len(), 2);
        assert_eq!((rebuilt[0].kind, rebuilt[0].documents), (Kind::Job, JOBS));
        assert_eq!((rebuilt[1].kind, rebuilt[1].documents), (Kind::Candidate, CANDIDATES));
        assert_eq!(live_dir(&root, Kind::Job), rebuilt[0].dir, "the pointer names the new directory");
        assert_eq!(live_dir(&root, Kind::Candidate), rebuilt[1].dir);

        // The service swaps the new indexes in and lets go of the old ones: it holds the new
        // directories' writer locks and the old directories are gone.
        assert!(eventually(async || !old_jobs.exists() && !old_candidates.exists()).await,
            "the service dropped the replaced indexes");
        assert!(layout::in_use(&rebuilt[0].dir) && layout::in_use(&rebuilt[1].dir));
        let swapped_at = count.load(Ordering::Acquire);
        assert!(eventually(async || count.load(Ordering::Acquire) >= swapped_at + 10).await);
        stop.store(true, Ordering::Release);
        let answers = searching.await.unwrap();
        assert!(answers.len() >= swapped_at + 10, "searches ran on after the swap");
        for (status, total) in &answers {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(*total, JOBS, "every answer, before, during and after the swap, has every job");
        }

        // The new indexes answer and keep following changes.
        assert_eq!(talent(&app).await.body["total"], CANDIDATES);
        let late = open_job(&app, &owner, &employer, "hk-wan-chai", "HKD").await;
        let found = eventually(async || {
            let answer = app.get("/api/v1/jobs/search", None).await;
            answer.body["total"] == JOBS + 1
                && answer.body["hits"].as_array().unwrap().iter().any(|h| h["job"]["id"] == late.as_str())
        })
        .await;
        assert!(found, "a job published after the swap is indexed into the new index");
        // Both indexes follow the log to its end (the candidates index may commit a moment later).
        assert!(eventually(async || app.get("/readyz", None).await.body["index_lag"] == 0).await);
    }
}

on_both_backends! {
    async fn old_events_are_pruned_and_an_index_behind_them_rebuilds_itself(backend: Backend) {
        use diesel::prelude::*;
        use talentbridge::db::schema::index_events;
        use talentbridge::index_events as events;
        use talentbridge::search::Search;
        use talentbridge::search::indexing::{indexer, prune};

        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        for _ in 0..3 {
            open_job(&app, &owner, &employer, "hk-wan-chai", "HKD").await;
        }
        candidate(&app, "HK").await;
        let db = app.db().await;
        let registry = Arc::new(talentbridge::registry::open(&db).await.unwrap());
        let rates = || talentbridge::money::Rates::new(&app.settings.rates);

        // What is written so far happened a month ago; one more job is written now.
        let month_ago = chrono::Utc::now().naive_utc() - chrono::Duration::days(30);
        db.write(move |conn| {
            let aged = diesel::update(index_events::table)
                .set(index_events::created_at.eq(month_ago))
                .execute(conn)?;
            assert!(aged >= 5, "{aged}");
            Ok(())
        })
        .await
        .unwrap();
        open_job(&app, &owner, &employer, "hk-wan-chai", "HKD").await;
        let (oldest, newest) = db.read(|c| Ok((events::oldest(c)?, events::newest(c)?))).await.unwrap();

        // A node whose indexes applied nothing yet prunes nothing: its events must stay.
        let node_dir = tempfile::tempdir().unwrap();
        let node = Arc::new(Search::open(node_dir.path(), rates()).unwrap());
        assert_eq!(prune::prune(&db, &node, chrono::Duration::days(7)).await.unwrap(), 0);
        // Once it has applied them, the month-old ones go; the recent ones and the one at its
        // position stay.
        indexer::catch_up(&db, &node, &registry).await.unwrap();
        assert_eq!(node.jobs().applied_through(), newest);
        let pruned = prune::prune(&db, &node, chrono::Duration::days(7)).await.unwrap();
        assert!(pruned >= 5, "{pruned} pruned");
        let (kept_from, kept_to) = db.read(|c| Ok((events::oldest(c)?, events::newest(c)?))).await.unwrap();
        assert!(kept_from > oldest && kept_to == newest, "{oldest}..{newest} -> {kept_from}..{kept_to}");

        // A node whose position is before the oldest event kept (here: a new one) cannot replay
        // the log: it rebuilds its indexes from the database and then follows the log.
        let late_dir = tempfile::tempdir().unwrap();
        let late = Arc::new(Search::open(late_dir.path(), rates()).unwrap());
        let first = late.jobs().dir().to_owned();
        indexer::catch_up(&db, &late, &registry).await.unwrap();
        assert_ne!(late.jobs().dir(), first, "the jobs index was rebuilt and swapped in");
        assert_eq!(late.jobs().reader.searcher().num_docs(), 4);
        assert_eq!(late.candidates().reader.searcher().num_docs(), 1);
        assert_eq!(late.jobs().applied_through(), newest);
        let job = open_job(&app, &owner, &employer, "hk-wan-chai", "HKD").await;
        indexer::catch_up(&db, &late, &registry).await.unwrap();
        assert_eq!(late.jobs().reader.searcher().num_docs(), 5, "{job} indexed by replay again");

        // The service itself was never behind: it still finds every job.
        assert!(eventually(async || app.get("/api/v1/jobs/search", None).await.body["total"] == 5).await);
        assert!(eventually(async || app.get("/readyz", None).await.body["index_lag"] == 0).await);
    }
}

on_both_backends! {
    /// A rebuild reads the open jobs a page at a time, each page with its employers and lists:
    /// every job comes with exactly its own, on whichever page it falls and whatever closed jobs
    /// lie between, as `GET /jobs/{id}` shows them.
    async fn each_page_of_a_rebuild_holds_each_open_job_with_its_own_lists(backend: Backend) {
        const SKILLS: [&str; 4] = ["software-engineering", "data-analysis", "machine-vision", "investment-banking"];
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let mut open = Vec::new();
        for i in 0..8 {
            let lists = json!({
                "skills": [{"skill_id": SKILLS[i % 4], "min_level": 1 + i % 5, "required": i % 2 == 0}],
                "languages": [{"code": "en", "level": 1 + (i + 2) % 5}],
            });
            let id = publish(&app, &owner, job_body(&employer, "hk-wan-chai", "HKD"), lists).await;
            if i % 3 == 1 {
                let closed = app.post(&format!("/api/v1/jobs/{id}/close"), Some(&owner.access_token), json!({})).await;
                assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
            } else {
                open.push(id);
            }
        }
        open.sort();

        let db = app.db().await;
        let now = chrono::Utc::now().naive_utc();
        let (mut after, mut read) = (String::new(), Vec::new());
        loop {
            let from = after.clone();
            let page = db.read(move |conn| open_jobs_after(conn, &from, now, 2)).await.unwrap();
            let Some(last) = page.last() else { break };
            assert!(page.len() <= 2);
            after = last.job.id.clone();
            read.extend(page);
        }
        let ids: Vec<&str> = read.iter().map(|full| full.job.id.as_str()).collect();
        assert_eq!(ids, open, "every open job once, by id, and no closed one");
        for full in &read {
            let shown = app.get(&format!("/api/v1/jobs/{}", full.job.id), None).await.body;
            let skills: Vec<Value> = full.skills.iter()
                .map(|s| json!({"skill_id": s.skill_id, "min_level": s.min_level, "required": s.required}))
                .collect();
            let languages: Vec<Value> = full.languages.iter().map(|l| json!({"code": l.code, "level": l.level})).collect();
            assert_eq!(Value::from(skills), shown["skills"], "{}", full.job.id);
            assert_eq!(Value::from(languages), shown["languages"], "{}", full.job.id);
            assert_eq!((full.employer_name.as_str(), full.employer_verified), (shown["employer"]["name"].as_str().unwrap(), true));
        }
    }
}
