//! Demo data: `demo::seed` writes a whole market that the API serves — accounts that sign in,
//! employers with registration numbers the API accepts, jobs, candidates, applications and cases
//! — reproducibly from its seed, once.

use reqwest::StatusCode;

use talentbridge::demo::{self, DEMO_PASSWORD, Quiet, Size};
use talentbridge::employers::registration::RegistrationNumber;
use talentbridge::registry::model::RegistrationFormat;

use crate::helpers::TestApp;
use crate::on_both_backends;

const SIZE: Size = Size {
    jobs: 400,
    candidates: 300,
    seed: 7,
};

async fn seed(app: &TestApp) -> demo::Seeded {
    let db = app.db().await;
    let registry = talentbridge::registry::open(&db).await.unwrap().get();
    demo::seed(&db, registry, SIZE, &Quiet).await.unwrap()
}

on_both_backends! {
    async fn the_demo_market_is_served_by_the_api(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let seeded = seed(&app).await;
        assert_eq!((seeded.jobs, seeded.candidates, seeded.employers), (400, 300, 16));
        assert!(seeded.applications > 50, "{seeded:?}");

        // Every printed account signs in with the demo password.
        for account in &seeded.accounts {
            let login = app.login(&account.email, DEMO_PASSWORD).await;
            assert_eq!(login.status, StatusCode::OK, "{}: {}", account.email, login.body);
        }
        let officer = app.sign_in("officer@demo.talentbridge.example", DEMO_PASSWORD).await;
        let overview = app.get("/api/v1/analytics/overview", Some(&officer.access_token)).await;
        assert_eq!(overview.status, StatusCode::OK, "{}", overview.body);
        assert_eq!(overview.body["candidates"], 300);
        assert_eq!(overview.body["employers"], 16);
        let open = overview.body["open_jobs"].as_i64().unwrap();
        assert!((300..=400).contains(&open), "about 90% of the jobs are open: {open}");
        let applications: i64 = overview.body["applications_by_status"].as_object().unwrap().values().map(|v| v.as_i64().unwrap()).sum();
        assert_eq!(applications as usize, seeded.applications);
        let cases: i64 = overview.body["cases_by_status"].as_object().unwrap().values().map(|v| v.as_i64().unwrap()).sum();
        assert_eq!(cases as usize, seeded.cases);
        // Demo cases show a route, milestones and items an officer acts on, dated from them.
        let listed = app.get("/api/v1/cases?limit=100", Some(&officer.access_token)).await;
        let demo_cases = listed.body["items"].as_array().unwrap();
        assert!(!demo_cases.is_empty(), "{}", listed.body);
        for case in demo_cases {
            assert!(case["route"].is_string() && case["milestones"]["offer_accepted"].is_string(), "{case}");
        }
        let tasks: Vec<&serde_json::Value> = demo_cases.iter().flat_map(|c| c["tasks"].as_array().unwrap()).collect();
        assert!(tasks.iter().any(|t| t["due_rule"]["anchor"] == "arrival" && t["due_on"].is_string()), "a date from arrival");
        assert!(tasks.iter().any(|t| !t["documents"].as_array().unwrap().is_empty() && t["fee"].is_object() && t["processing_days"].is_object()));

        // Employers carry registration numbers the API's own parser accepts.
        let employers = app.get("/api/v1/employers?limit=100", Some(&officer.access_token)).await;
        assert_eq!(employers.status, StatusCode::OK, "{}", employers.body);
        let items = employers.body["items"].as_array().unwrap();
        assert_eq!(items.len(), 16);
        let jurisdictions = app.get("/api/v1/jurisdictions", Some(&officer.access_token)).await;
        let form = |code: &str| -> RegistrationFormat {
            let entry = jurisdictions.body["items"].as_array().unwrap().iter().find(|j| j["code"] == code).unwrap();
            serde_json::from_value(entry["registration_number"].clone()).unwrap()
        };
        for employer in items {
            let (jurisdiction, number) = (employer["jurisdiction"].as_str().unwrap(), employer["registration_number"].as_str().unwrap());
            assert!(RegistrationNumber::parse(Some(&form(jurisdiction)), number).is_ok(), "{employer}");
        }
        assert!(items.iter().any(|e| e["jurisdiction"] == "HK") && items.iter().any(|e| e["jurisdiction"] == "CN"));

        // A demo candidate's profile reads back through the API, in a script of their side.
        let candidate = app.sign_in("candidate.cn@demo.talentbridge.example", DEMO_PASSWORD).await;
        let profile = app.get("/api/v1/candidates/me", Some(&candidate.access_token)).await;
        assert_eq!(profile.status, StatusCode::OK, "{}", profile.body);
        assert_eq!(profile.body["residence_jurisdiction"], "CN");
        assert!(!profile.body["skills"].as_array().unwrap().is_empty());

        // Once only.
        let db = app.db().await;
        let registry = talentbridge::registry::open(&db).await.unwrap().get();
        assert!(demo::seed(&db, registry, SIZE, &Quiet).await.is_err());
    }
}

on_both_backends! {
    async fn the_same_seed_gives_the_same_market(backend: Backend) {
        let first = TestApp::spawn(backend).await;
        let second = TestApp::spawn(backend).await;
        let (a, b) = (seed(&first).await, seed(&second).await);
        assert_eq!((a.applications, a.cases), (b.applications, b.cases));
        let (x, y) = (titles(&first).await, titles(&second).await);
        assert_eq!(x.len(), 400);
        assert_eq!(x, y);
        // Written in the three scripts.
        assert!(x.iter().any(|t| t.is_ascii()));
        assert!(x.iter().any(|t| t.contains("工程师") || t.contains("专家") || t.contains("经理")));
        assert!(x.iter().any(|t| t.contains("工程師") || t.contains("專家") || t.contains("經理")));
    }
}

/// Every job title, by job id.
async fn titles(app: &TestApp) -> Vec<String> {
    use diesel::prelude::*;
    use talentbridge::db::schema::jobs;
    app.db()
        .await
        .read(|conn| {
            Ok(jobs::table
                .select(jobs::title)
                .order(jobs::id)
                .load::<String>(conn)?)
        })
        .await
        .unwrap()
}

on_both_backends! {
    /// The bulk-loaded tables carry planner statistics, so the index build walks the primary key
    /// instead of sorting every open job per page.
    async fn seeding_leaves_planner_statistics(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        seed(&app).await;
        let analysed = app.db().await.read(|conn| Ok(tables_with_statistics(conn))).await.unwrap();
        for table in ["jobs", "candidates", "job_skills"] {
            assert!(analysed.iter().any(|t| t == table), "{table} has no statistics: {analysed:?}");
        }
    }
}

/// The tables the planner has statistics for (gathered by `ANALYZE`, not by autovacuum).
fn tables_with_statistics(conn: &mut talentbridge::db::DbConnection) -> Vec<String> {
    use diesel::RunQueryDsl;
    use diesel::sql_types::Text;
    #[derive(diesel::QueryableByName)]
    struct Table {
        #[diesel(sql_type = Text)]
        name: String,
    }
    let tables: Vec<Table> = match conn {
        talentbridge::db::DbConnection::Postgresql(pg) => diesel::sql_query(
            "SELECT relname AS name FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL",
        )
        .load(pg),
        talentbridge::db::DbConnection::Sqlite(lite) => {
            diesel::sql_query("SELECT DISTINCT tbl AS name FROM sqlite_stat1").load(lite)
        }
    }
    .unwrap();
    tables.into_iter().map(|t| t.name).collect()
}
