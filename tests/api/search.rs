//! Job search through HTTP: the index is fed by the indexer from index events, so every test
//! waits for the index to catch up (by polling the answer, never by asserting a time).

use std::time::{Duration, Instant};

use diesel::RunQueryDsl;
use reqwest::StatusCode;
use serde_json::json;
use talentbridge::search::Search;
use talentbridge::search::indexing::indexer;

use crate::fixtures::{CN_NUMBER, HK_NUMBER, draft_job, job_body, officer, publish, verified_employer};
use crate::helpers::{Answer, Session, TestApp};
use crate::on_both_backends;

/// Searches until `ready` holds for the answer (the index catches up within a poll interval),
/// giving up after 10 s; returns the last answer.
pub async fn search_until(app: &TestApp, query: &str, ready: impl Fn(&Answer) -> bool) -> Answer {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let answer = app.get(&format!("/api/v1/jobs/search{query}"), None).await;
        if ready(&answer) || Instant::now() > deadline {
            return answer;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub fn hit_ids(answer: &Answer) -> Vec<String> {
    answer.body["hits"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|h| h["job"]["id"].as_str().unwrap().to_owned())
        .collect()
}

struct Market {
    hk_engineer: String,
    cn_analyst: String,
    cn_contract: String,
    hk_draft: String,
    hk_owner: Session,
}

/// A Hong Kong job in Traditional Chinese, a Shenzhen job in English with the data-analysis
/// skill, a Shenzhen contract without sponsorship, and a Hong Kong draft.
async fn market(app: &TestApp) -> Market {
    let officer = officer(app).await;
    let (hk_owner, hk) = verified_employer(app, &officer, "HK", HK_NUMBER).await;
    let (cn_owner, cn) = verified_employer(app, &officer, "CN", CN_NUMBER).await;
    let hk_engineer = publish(
        app,
        &hk_owner,
        job_body(&hk, "hk-wan-chai", "HKD"),
        json!({
            "title": "高級軟件工程師", "description": "負責跨境招聘平台的後端開發。"
        }),
    )
    .await;
    let cn_analyst = publish(
        app,
        &cn_owner,
        job_body(&cn, "cn-sz-nanshan", "CNY"),
        json!({
            "title": "Data analyst", "description": "Reports for the Qianhai office.",
            "skills": [{"skill_id": "data-analysis", "min_level": 3, "required": true}],
            "sponsorship": false
        }),
    )
    .await;
    let cn_contract = publish(
        app,
        &cn_owner,
        job_body(&cn, "cn-sz-futian", "CNY"),
        json!({
            "title": "Rust contractor", "employment_type": "contract", "sponsorship": false
        }),
    )
    .await;
    let hk_draft = draft_job(app, &hk_owner, job_body(&hk, "hk-central-and-western", "HKD")).await;
    Market {
        hk_engineer,
        cn_analyst,
        cn_contract,
        hk_draft,
        hk_owner,
    }
}

on_both_backends! {
    async fn one_search_finds_jobs_across_scripts_and_languages(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let m = market(&app).await;
        let all = search_until(&app, "", |a| a.body["total"] == 3).await;
        assert_eq!(all.status, StatusCode::OK, "{}", all.body);
        assert_eq!(all.body["total"], 3, "open jobs only, never the draft: {}", all.body);
        assert!(!hit_ids(&all).contains(&m.hk_draft));

        // Simplified finds a job written in Traditional, and the reverse through skill labels.
        let simplified = app.get("/api/v1/jobs/search?q=软件工程师", None).await;
        assert_eq!(hit_ids(&simplified)[0], m.hk_engineer, "{}", simplified.body);
        let highlighted = simplified.body["hits"][0]["highlights"]["title"].as_str().unwrap();
        assert!(highlighted.contains("<b>"), "{highlighted}");
        // A Traditional query finds the English job through the skill it lists.
        let traditional = app.get("/api/v1/jobs/search?q=數據分析", None).await;
        assert_eq!(hit_ids(&traditional), vec![m.cn_analyst.clone()], "{}", traditional.body);
        // English stems: "analysts" finds "analyst".
        let english = app.get("/api/v1/jobs/search?q=analysts", None).await;
        assert_eq!(hit_ids(&english), vec![m.cn_analyst.clone()], "{}", english.body);
        let hit = &english.body["hits"][0];
        assert!(hit["score"].as_f64().unwrap() > 0.0);
        assert_eq!(hit["job"]["employer"]["jurisdiction"], "CN");
    }
}

on_both_backends! {
    async fn filters_narrow_the_hits_without_changing_their_scores(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let m = market(&app).await;
        search_until(&app, "", |a| a.body["total"] == 3).await;
        let score_of = |answer: &Answer, id: &str| {
            answer.body["hits"]
                .as_array()
                .unwrap()
                .iter()
                .find(|hit| hit["job"]["id"] == id)
                .map(|hit| hit["score"].as_f64().unwrap())
                .unwrap_or_else(|| panic!("{id} is not a hit: {}", answer.body))
        };

        let words = app.get("/api/v1/jobs/search?q=analyst", None).await;
        let relevance = score_of(&words, &m.cn_analyst);
        assert!(relevance > 0.0, "{}", words.body);
        // A skill is a field of several values per job: scored as a term, its filter ranked jobs
        // listing fewer skills first. Every filter now only narrows.
        for filter in ["skill_id=data-analysis", "jurisdiction=CN", "sponsorship=false", "employment_type=full_time"] {
            let narrowed = app.get(&format!("/api/v1/jobs/search?q=analyst&{filter}"), None).await;
            assert_eq!(narrowed.status, StatusCode::OK, "{filter}: {}", narrowed.body);
            assert_eq!(score_of(&narrowed, &m.cn_analyst), relevance, "{filter}: {}", narrowed.body);
        }
        // The highlight marks the field holding the word; the other field has nothing to mark.
        let hit = &words.body["hits"][0];
        assert_eq!(hit["highlights"]["title"], "Data <b>analyst</b>", "{}", words.body);
        assert!(hit["highlights"]["description"].is_null(), "{}", words.body);

        // No words, no relevance: every hit scores alike and nothing is highlighted.
        let browse = app.get("/api/v1/jobs/search?jurisdiction=CN&skill_id=data-analysis", None).await;
        assert_eq!(hit_ids(&browse), vec![m.cn_analyst.clone()], "{}", browse.body);
        let all = app.get("/api/v1/jobs/search?sponsorship=false", None).await;
        let hits = all.body["hits"].as_array().unwrap();
        assert_eq!(hits.len(), 2, "{}", all.body);
        assert_eq!(hits[0]["score"], hits[1]["score"], "{}", all.body);
        for hit in hits.iter().chain(browse.body["hits"].as_array().unwrap()) {
            assert!(
                hit["highlights"]["title"].is_null() && hit["highlights"]["description"].is_null(),
                "{hit}"
            );
        }
    }
}

on_both_backends! {
    async fn a_search_without_words_lists_the_newest_jobs_first(backend: Backend) {
        use diesel::{ExpressionMethods, QueryDsl};
        use talentbridge::db::schema::jobs;

        let app = TestApp::spawn(backend).await;
        let m = market(&app).await;
        // Published 1, 5 and 10 days ago, against the order they were written in.
        let now = chrono::Utc::now().naive_utc();
        let ages = [(m.cn_analyst.clone(), 1), (m.hk_engineer.clone(), 5), (m.cn_contract.clone(), 10)];
        app.db()
            .await
            .write(move |conn| {
                for (id, days) in &ages {
                    diesel::update(jobs::table.find(id))
                        .set(jobs::published_at.eq(Some(now - chrono::Duration::days(*days))))
                        .execute(conn)?;
                    talentbridge::index_events::job_changed(conn, id)?;
                }
                Ok(())
            })
            .await
            .unwrap();
        let newest_first = vec![m.cn_analyst.clone(), m.hk_engineer.clone(), m.cn_contract.clone()];
        let browse = search_until(&app, "", |a| hit_ids(a) == newest_first).await;
        assert_eq!(hit_ids(&browse), newest_first, "{}", browse.body);
        assert!(browse.body["hits"].as_array().unwrap().iter().all(|hit| hit["score"] == 0.0), "{}", browse.body);
        assert_eq!(browse.body["facets"]["jurisdiction"], json!({"CN": 2, "HK": 1}), "{}", browse.body);
        // Pages follow the same order; filters keep it.
        let second = app.get("/api/v1/jobs/search?limit=1&offset=1", None).await;
        assert_eq!(hit_ids(&second), vec![m.hk_engineer.clone()], "{}", second.body);
        let shenzhen = app.get("/api/v1/jobs/search?jurisdiction=CN", None).await;
        assert_eq!(hit_ids(&shenzhen), vec![m.cn_analyst.clone(), m.cn_contract.clone()], "{}", shenzhen.body);
        // With words, relevance decides, not age.
        let words = app.get("/api/v1/jobs/search?q=rust%20OR%20analyst%20OR%20analysts", None).await;
        assert!(words.body["hits"].as_array().unwrap().iter().all(|hit| hit["score"].as_f64().unwrap() > 0.0), "{}", words.body);
    }
}

on_both_backends! {
    async fn every_word_must_match_unless_or_is_asked_for(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let m = market(&app).await;
        search_until(&app, "", |a| a.body["total"] == 3).await;
        let sorted = |mut ids: Vec<String>| {
            ids.sort();
            ids
        };

        let both = app.get("/api/v1/jobs/search?q=data%20analyst", None).await;
        assert_eq!(hit_ids(&both), vec![m.cn_analyst.clone()], "{}", both.body);
        // Each word is in a different job: no job has both.
        let apart = app.get("/api/v1/jobs/search?q=rust%20analyst", None).await;
        assert_eq!(apart.status, StatusCode::OK, "{}", apart.body);
        assert_eq!(apart.body["total"], 0, "{}", apart.body);
        let either = app.get("/api/v1/jobs/search?q=rust%20OR%20analyst", None).await;
        assert_eq!(
            sorted(hit_ids(&either)),
            sorted(vec![m.cn_analyst.clone(), m.cn_contract.clone()]),
            "{}",
            either.body
        );
        // The rule holds across scripts: both Traditional words are in the Hong Kong job (one in
        // its title, one in its description); a Simplified word of that job with an English word
        // of another finds nothing.
        let traditional = app.get("/api/v1/jobs/search?q=軟件%20後端", None).await;
        assert_eq!(hit_ids(&traditional), vec![m.hk_engineer.clone()], "{}", traditional.body);
        let mixed = app.get("/api/v1/jobs/search?q=后端%20analyst", None).await;
        assert_eq!(mixed.body["total"], 0, "{}", mixed.body);
    }
}

on_both_backends! {
    async fn two_chinese_words_typed_as_one_match_only_side_by_side(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, hk) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let mut posted = Vec::new();
        for (title, description) in [
            ("軟件工程師", "負責後端開發。"),
            ("軟件 工程師", "兩個詞之間有空格。"),
            ("測試工程師", "熟悉軟件測試流程。"),
        ] {
            // Not the fixture's skill, software engineering, whose labels hold both words.
            let skills = json!([{"skill_id": "data-analysis", "min_level": 3, "required": true}]);
            let text = json!({"title": title, "description": description, "skills": skills});
            posted.push(publish(&app, &owner, job_body(&hk, "hk-wan-chai", "HKD"), text).await);
        }
        search_until(&app, "", |a| a.body["total"] == 3).await;

        // 软件工程师 is 软件 + 工程师 to jieba: searched as one term of the pairs' fields, found
        // where the two words stand side by side, in either script, and marked where they stand.
        for q in ["软件工程师", "軟件工程師", "title:軟體工程師"] {
            let side_by_side = app.get(&format!("/api/v1/jobs/search?q={q}"), None).await;
            assert_eq!(hit_ids(&side_by_side), vec![posted[0].clone()], "{q}: {}", side_by_side.body);
            let title = side_by_side.body["hits"][0]["highlights"]["title"].as_str().unwrap();
            let marked: String = title
                .split("<b>")
                .skip(1)
                .filter_map(|part| part.split_once("</b>").map(|(bold, _)| bold))
                .collect();
            assert_eq!(marked, "軟件工程師", "both words marked: {title}");
        }
        // A phrase with room between its words, and either word, are read as before.
        let with_slop = app.get("/api/v1/jobs/search?q=%22软件工程师%22~1", None).await;
        let mut found = hit_ids(&with_slop);
        found.sort();
        let mut expected = vec![posted[0].clone(), posted[1].clone()];
        expected.sort();
        assert_eq!(found, expected, "{}", with_slop.body);
        let either = app.get("/api/v1/jobs/search?q=软件工程师%20OR%20测试", None).await;
        assert_eq!(either.body["total"], 2, "{}", either.body);
        assert!(!hit_ids(&either).contains(&posted[1]), "{}", either.body);
    }
}

on_both_backends! {
    async fn filters_and_facets_narrow_and_count(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let m = market(&app).await;
        let all = search_until(&app, "", |a| a.body["total"] == 3).await;
        let facets = &all.body["facets"];
        assert_eq!(facets["jurisdiction"], json!({"CN": 2, "HK": 1}), "{}", all.body);
        assert_eq!(facets["employment_type"], json!({"contract": 1, "full_time": 2}));
        assert_eq!(facets["skills"], json!({"data-analysis": 1, "software-engineering": 2}));

        let cn = app.get("/api/v1/jobs/search?jurisdiction=CN", None).await;
        assert_eq!(cn.body["total"], 2);
        assert_eq!(cn.body["facets"]["jurisdiction"], json!({"CN": 2}), "facets follow the filters");
        let sponsored = app.get("/api/v1/jobs/search?sponsorship=true", None).await;
        assert_eq!(hit_ids(&sponsored), vec![m.hk_engineer.clone()]);
        let contract = app.get("/api/v1/jobs/search?employment_type=contract&location_id=cn-sz-futian", None).await;
        assert_eq!(hit_ids(&contract), vec![m.cn_contract.clone()]);
        let skill = app.get("/api/v1/jobs/search?skill_id=software-engineering&jurisdiction=HK", None).await;
        assert_eq!(hit_ids(&skill), vec![m.hk_engineer.clone()]);
        let future = app.get("/api/v1/jobs/search?posted_since=2999-01-01", None).await;
        assert_eq!(future.body["total"], 0, "{}", future.body);
        let past = app.get("/api/v1/jobs/search?posted_since=0001-01-01", None).await;
        assert_eq!(past.body["total"], 3, "{}", past.body);
        let today = chrono::Utc::now().date_naive().to_string();
        assert_eq!(app.get(&format!("/api/v1/jobs/search?posted_since={today}"), None).await.body["total"], 3);

        // Ranges top out at 60,000 a month: 60,000 HKD, and 60,000 CNY ≈ 64,800 HKD.
        let hkd = app.get("/api/v1/jobs/search?salary_min=62000&salary_currency=HKD", None).await;
        assert_eq!(hkd.body["total"], 2, "only the yuan jobs reach 62,000 HKD: {}", hkd.body);
        assert!(hkd.body["hits"].as_array().unwrap().iter().all(|h| h["job"]["salary_currency"] == "CNY"));
        let cny = app.get("/api/v1/jobs/search?salary_min=56000&salary_currency=CNY", None).await;
        assert_eq!(cny.body["total"], 2, "56,000 CNY ≈ 60,480 HKD is above the dollar job: {}", cny.body);
        assert_eq!(app.get("/api/v1/jobs/search?salary_min=40000&salary_currency=CNY", None).await.body["total"], 3);

        let page = app.get("/api/v1/jobs/search?limit=2&offset=2", None).await;
        assert_eq!(page.body["total"], 3);
        assert_eq!(page.body["hits"].as_array().unwrap().len(), 1);
        assert_eq!((page.body["limit"].as_i64(), page.body["offset"].as_i64()), (Some(2), Some(2)));
        assert_eq!(app.get("/api/v1/jobs/search?limit=100000", None).await.body["limit"], 100);
    }
}

on_both_backends! {
    async fn closing_a_job_takes_it_out_of_search(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let m = market(&app).await;
        search_until(&app, "", |a| a.body["total"] == 3).await;
        let closed = app.post(&format!("/api/v1/jobs/{}/close", m.hk_engineer), Some(&m.hk_owner.access_token), json!({})).await;
        assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
        let after = search_until(&app, "", |a| a.body["total"] == 2).await;
        assert_eq!(after.body["total"], 2, "{}", after.body);
        assert!(!hit_ids(&after).contains(&m.hk_engineer));
        assert_eq!(after.body["facets"]["jurisdiction"], json!({"CN": 2}));
        // Each index moves past the event in its own pass: both within a poll or two.
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut ready = app.get("/readyz", None).await;
        while ready.body["index_lag"] != 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
            ready = app.get("/readyz", None).await;
        }
        assert_eq!(ready.body["index_lag"], 0, "{}", ready.body);
    }
}

on_both_backends! {
    async fn bad_searches_are_client_errors(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let syntax = app.get("/api/v1/jobs/search?q=title:(rust", None).await;
        syntax.problem(400);
        let unknown = app.get("/api/v1/jobs/search?jurisdiction=XX&skill_id=nope&employment_type=gig&posted_since=yesterday&location_id=moon", None).await;
        unknown.problem(422);
        let mut fields = unknown.error_fields();
        fields.sort();
        assert_eq!(fields, vec!["employment_type", "jurisdiction", "location_id", "posted_since", "skill_id"]);
        app.get("/api/v1/jobs/search?sponsorship=maybe", None).await.problem(400);
        let salary = app.get("/api/v1/jobs/search?salary_min=-5", None).await;
        assert_eq!(salary.problem(422)["errors"][0]["field"], "salary_min");
        let currency = app.get("/api/v1/jobs/search?salary_min=5000", None).await;
        assert_eq!(currency.problem(422)["errors"][0]["field"], "salary_currency");
        let usd = app.get("/api/v1/jobs/search?salary_min=5000&salary_currency=USD", None).await;
        assert_eq!(usd.problem(422)["errors"][0]["field"], "salary_currency");
        app.get("/api/v1/jobs/search?colour=red", None).await.problem(400);
        let long = format!("/api/v1/jobs/search?q={}", "a".repeat(501));
        assert_eq!(app.get(&long, None).await.problem(422)["errors"][0]["field"], "q");
    }
}

on_both_backends! {
    async fn an_index_resumes_from_its_committed_position(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        market(&app).await;
        let db = app.db().await;
        let registry = std::sync::Arc::new(talentbridge::registry::open(&db).await.unwrap());
        let dir = tempfile::tempdir().unwrap();

        // A fresh index is built from the database, up to the newest event: the log need not
        // hold an event for every record.
        let search = std::sync::Arc::new(Search::open(dir.path(), talentbridge::money::Rates::new(&app.settings.rates)).unwrap());
        assert!(!search.jobs().was_committed());
        indexer::catch_up(&db, &search, &registry).await.unwrap();
        let position = search.jobs().applied_through();
        assert!(search.jobs().was_committed());
        assert_eq!(position, db.read(|c| Ok(talentbridge::index_events::newest(c)?)).await.unwrap());
        assert!(position >= 3, "{position}");
        assert_eq!(search.jobs().reader.searcher().num_docs(), 3);
        drop(search);

        // Reopened (a restart), it starts where its last commit ended: nothing to apply twice.
        let reopened = std::sync::Arc::new(Search::open(dir.path(), talentbridge::money::Rates::new(&app.settings.rates)).unwrap());
        assert_eq!(reopened.jobs().applied_through(), position);
        assert_eq!(indexer::catch_up(&db, &reopened, &registry).await.unwrap(), 0);
        assert_eq!(reopened.jobs().reader.searcher().num_docs(), 3);
    }
}

on_both_backends! {
    async fn a_served_index_is_read_beside_its_service_without_taking_its_writer(backend: Backend) {
        use talentbridge::search::job_search::on_index::{self as job_search, JobQuery};

        let app = TestApp::spawn(backend).await;
        let m = market(&app).await;
        search_until(&app, "", |a| a.body["total"] == 3).await;
        let rates = talentbridge::money::Rates::new(&app.settings.rates);
        // The benchmark's floor opens the indexes this way while the service keeps writing them.
        let beside = Search::open_read_only(&app.settings.application.data_dir, rates).unwrap();
        let query = JobQuery {
            text: Some("软件工程师".into()),
            ..JobQuery::default()
        };
        let page = talentbridge::paging::Page::new(Some(20), None);
        let found = job_search::search(&beside, &query, page, chrono::Utc::now().naive_utc()).unwrap();
        let ids: Vec<String> = found.hits.iter().map(|h| h.id.clone()).collect();
        let served = app.get("/api/v1/jobs/search?q=软件工程师", None).await;
        assert_eq!(ids, hit_ids(&served), "the same answer as the service's");
        assert!(ids.contains(&m.hk_engineer), "{ids:?}");

        // The service still owns its writer: a close reaches its search while the reader is open.
        let closed = app.post(&format!("/api/v1/jobs/{}/close", m.hk_engineer), Some(&m.hk_owner.access_token), json!({})).await;
        assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
        let after = search_until(&app, "", |a| a.body["total"] == 2).await;
        assert_eq!(after.body["total"], 2, "{}", after.body);
        // The read-only reader keeps showing what was committed when it was opened.
        let again = job_search::search(&beside, &query, page, chrono::Utc::now().naive_utc()).unwrap();
        assert_eq!(again.total, found.total);
        assert!(again.hits.iter().any(|h| h.id == m.hk_engineer));
    }
}

on_both_backends! {
    async fn a_search_page_is_what_the_index_stores_and_reads_no_row(backend: Backend) {
        // Without the answer cache, or the second search would be the first one's answer.
        let app = TestApp::spawn_with(backend, |s| s.search.job_cache_mib = 0).await;
        let m = market(&app).await;
        search_until(&app, "", |a| a.body["total"] == 3).await;
        let before = app.get("/api/v1/jobs/search?q=软件工程师", None).await;
        let job = &before.body["hits"][0]["job"];
        assert_eq!(job["id"], m.hk_engineer.as_str());
        assert_eq!(job["title"], "高級軟件工程師");
        assert_eq!(job["description"], "負責跨境招聘平台的後端開發。");
        assert_eq!(job["employer"]["verified"], true);
        assert_eq!(job["status"], "open");
        assert_eq!(job["skills"][0]["skill_id"], "software-engineering");
        assert_eq!(job["jurisdiction"], "HK");
        let direct = app.get(&format!("/api/v1/jobs/{}", m.hk_engineer), None).await;
        assert_eq!(direct.status, StatusCode::OK, "{}", direct.body);
        assert_eq!(*job, direct.body, "the page shows the job as the job's own endpoint does");

        // The tables a page was read from are out of reach: the job's own endpoint fails, and the
        // search answers as before.
        let db = app.db().await;
        db.write(|conn| {
            for table in ["jobs", "employers"] {
                diesel::sql_query(format!("ALTER TABLE {table} RENAME TO {table}_away")).execute(conn)?;
            }
            Ok(())
        })
        .await
        .unwrap();
        let unreachable = app.get(&format!("/api/v1/jobs/{}", m.hk_engineer), None).await;
        assert_eq!(unreachable.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", unreachable.body);
        let after = app.get("/api/v1/jobs/search?q=软件工程师", None).await;
        assert_eq!(after.status, StatusCode::OK, "{}", after.body);
        assert_eq!(after.body, before.body);
    }
}

on_both_backends! {
    async fn an_employers_verification_reaches_its_jobs_in_search(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let m = market(&app).await;
        search_until(&app, "", |a| a.body["total"] == 3).await;
        let verified = app.get("/api/v1/jobs/search?q=软件工程师", None).await;
        assert_eq!(verified.body["hits"][0]["job"]["id"], m.hk_engineer.as_str());
        let employer = verified.body["hits"][0]["job"]["employer"]["id"].as_str().unwrap().to_owned();
        let officer = officer(&app).await;
        let withdrawn = app
            .post(&format!("/api/v1/employers/{employer}/verification"), Some(&officer.access_token), json!({"verified": false}))
            .await;
        assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
        let after = search_until(&app, "?q=软件工程师", |a| a.body["hits"][0]["job"]["employer"]["verified"] == false).await;
        assert_eq!(after.body["hits"][0]["job"]["employer"]["verified"], false, "{}", after.body);
        assert_eq!(after.body["hits"][0]["job"]["id"], m.hk_engineer.as_str());
    }
}

/// A counter of the metrics listener, by name.
async fn counter(app: &TestApp, name: &str) -> u64 {
    let address = app.metrics_address.as_ref().expect("a metrics listener");
    let text = reqwest::get(format!("{address}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} not in {text}"))
}

on_both_backends! {
    async fn answers_are_kept_until_the_index_changes(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.application.metrics_bind = Some("127.0.0.1:0".into())).await;
        let m = market(&app).await;
        search_until(&app, "", |a| a.body["total"] == 3).await;
        let (hits, misses) = ("job_search_cache_hits_total", "job_search_cache_misses_total");
        // A commit or a new minute between the two searches rightly makes the second a miss (a
        // draft's event may still be on its way): such a pair is sent again, with a page size
        // not asked for before so that nothing of the last pair is in the cache.
        let mut counted = (0, 0);
        let mut first = None;
        for limit in (15..20).rev() {
            let (hits_before, misses_before) = (counter(&app, hits).await, counter(&app, misses).await);
            let once = app.get(&format!("/api/v1/jobs/search?q=软件工程师&limit={limit}"), None).await;
            // The same words with other spaces are the same search.
            let again = app.get(&format!("/api/v1/jobs/search?q=%20软件工程师%20%20&limit={limit}"), None).await;
            assert_eq!(once.status, StatusCode::OK, "{}", once.body);
            assert_eq!(again.body, once.body);
            assert_eq!(again.content_type, "application/json");
            counted = (counter(&app, hits).await - hits_before, counter(&app, misses).await - misses_before);
            first = Some(once);
            if counted != (0, 2) {
                break;
            }
        }
        assert_eq!(counted, (1, 1), "(hits, misses) of a search and its repetition");
        let first = first.unwrap();

        // A new job that matches: the next commit makes a new generation, and the answer with it.
        let added = publish(&app, &m.hk_owner, job_body(first.body["hits"][0]["job"]["employer_id"].as_str().unwrap(), "hk-wan-chai", "HKD"),
            json!({"title": "軟件工程師（初級）"})).await;
        let after = search_until(&app, "?q=软件工程师", |a| hit_ids(a).contains(&added)).await;
        assert!(hit_ids(&after).contains(&added), "{}", after.body);
        assert_eq!(after.body["total"].as_u64(), first.body["total"].as_u64().map(|t| t + 1));
    }
}

on_both_backends! {
    async fn a_search_past_the_running_ones_and_the_queue_is_refused_with_retry_after(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| {
            s.application.metrics_bind = Some("127.0.0.1:0".into());
            s.search.job_cache_mib = 0;
            s.search.max_running_searches = 1;
            s.search.max_waiting_searches = 1;
        })
        .await;
        market(&app).await;
        search_until(&app, "", |a| a.body["total"] == 3).await;
        let refused_before = counter(&app, "search_gate_refused_total").await;

        // One search at a time and one place to wait: of a burst, those that arrive while one
        // computes and another waits are refused. A burst whose searches all happened to run
        // one after another proves nothing, so bursts are sent until one has a refusal.
        let mut refused = 0;
        for _ in 0..10 {
            let burst = (0..48).map(|_| app.get("/api/v1/jobs/search", None));
            for answer in futures_util::future::join_all(burst).await {
                if answer.status == StatusCode::OK {
                    assert_eq!(answer.body["total"], 3, "{}", answer.body);
                    continue;
                }
                let problem = answer.problem(503);
                assert_eq!(problem["detail"], talentbridge::search::gate::BUSY);
                assert!(answer.headers.contains_key("retry-after"), "{:?}", answer.headers);
                refused += 1;
            }
            if refused > 0 {
                break;
            }
        }
        assert!(refused > 0, "no burst of 48 had three searches at once");
        assert_eq!(counter(&app, "search_gate_refused_total").await - refused_before, refused);

        // Refusing kept nothing: the next search is answered.
        let after = app.get("/api/v1/jobs/search?q=analysts", None).await;
        assert_eq!(after.status, StatusCode::OK, "{}", after.body);
        assert_eq!(after.body["total"], 1, "{}", after.body);
    }
}
