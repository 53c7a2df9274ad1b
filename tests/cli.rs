//! The binary as an operator runs it: `serve` on a fresh data directory with the SQLite default,
//! `migrate`, `admin create`, graceful shutdown on SIGTERM, and refusal of insecure production
//! settings.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use serde_json::{Value, json};

const BINARY: &str = env!("CARGO_BIN_EXE_talentbridge");

fn talentbridge(data_dir: &Path) -> Command {
    let mut command = Command::new(BINARY);
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("TALENTBRIDGE_ENV", "development")
        .env_remove("TALENTBRIDGE__DATABASE__URL")
        .env("TALENTBRIDGE__MAIL__TRANSPORT", "log")
        .env("RUST_LOG", "warn")
        .arg("--data-dir")
        .arg(data_dir);
    command
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Reads the child's output until `needle`, then keeps draining it so the child never writes
/// into a closed pipe.
fn wait_for_line(child: &mut Child, needle: &str) -> String {
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = String::new();
    while let Some(Ok(line)) = lines.next() {
        seen.push_str(&line);
        seen.push('\n');
        if line.contains(needle) {
            std::thread::spawn(move || lines.for_each(drop));
            return seen;
        }
    }
    panic!("the service ended before printing {needle:?}; it printed:\n{seen}");
}

fn get(port: u16, path: &str) -> Option<u16> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    answer.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn serve_starts_on_a_fresh_data_dir_and_stops_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let port = free_port();
    let mut command = talentbridge(&data_dir);
    let mut child = command
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let printed = wait_for_line(&mut child, "API docs");
    assert!(
        printed.contains(&format!("http://127.0.0.1:{port}/docs/")),
        "{printed}"
    );
    assert_eq!(get(port, "/healthz"), Some(200));
    assert_eq!(get(port, "/readyz"), Some(200));
    assert!(
        data_dir.join("talentbridge.db").exists(),
        "the SQLite default lives in the data dir"
    );

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "the service did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
}

#[test]
fn migrate_and_admin_create() {
    let dir = tempfile::tempdir().unwrap();
    let migrated = talentbridge(dir.path()).arg("migrate").output().unwrap();
    assert!(
        migrated.status.success(),
        "{}",
        String::from_utf8_lossy(&migrated.stderr)
    );
    assert!(String::from_utf8_lossy(&migrated.stdout).contains("migrations applied"));

    let args = [
        "admin",
        "create",
        "--email",
        "Root@Example.com",
        "--password",
        "harbour-lantern-31-crossing",
    ];
    let created = talentbridge(dir.path()).args(args).output().unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    assert!(String::from_utf8_lossy(&created.stdout).contains("admin root@example.com created"));

    let again = talentbridge(dir.path()).args(args).output().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    let weak = [
        "admin",
        "create",
        "--email",
        "x@example.com",
        "--password",
        "short",
    ];
    let refused = talentbridge(dir.path()).args(weak).output().unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--password must be at least 12"));
}

#[test]
fn production_refuses_to_start_without_its_own_secret_and_smtp() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = talentbridge(dir.path());
    let output = command
        .env("TALENTBRIDGE_ENV", "production")
        .env_remove("TALENTBRIDGE__AUTH__JWT_SECRET")
        .args(["serve", "--bind", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("TALENTBRIDGE__AUTH__JWT_SECRET"), "{stderr}");

    let mut command = talentbridge(dir.path());
    let output = command
        .env("TALENTBRIDGE_ENV", "production")
        .env(
            "TALENTBRIDGE__AUTH__JWT_SECRET",
            "a-long-enough-production-secret-0123456789",
        )
        .args(["serve", "--bind", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("TALENTBRIDGE__MAIL__TRANSPORT"));
}

// ---------------------------------------------------------------------------------------------
// Search indexes as an operator meets them: `reindex`, and a kill -9 in the middle of writes.

const PASSWORD: &str = "harbour-lantern-31-crossing";

/// Where the service keeps its data: SQLite in the data directory, or a PostgreSQL database of
/// its own (created for the test, dropped after it).
enum Database {
    Sqlite,
    Postgres {
        url: String,
        admin_url: String,
        name: String,
    },
}

impl Database {
    fn postgres() -> Database {
        let admin_url = std::env::var("TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = format!("tb_cli_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::establish(&admin_url).expect("PostgreSQL is reachable for tests");
        admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let mut url = url::Url::parse(&admin_url).unwrap();
        url.set_path(&format!("/{name}"));
        Database::Postgres {
            url: url.to_string(),
            admin_url,
            name,
        }
    }

    fn apply(&self, command: &mut Command) {
        if let Database::Postgres { url, .. } = self {
            command.env("TALENTBRIDGE__DATABASE__URL", url);
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Database::Postgres { admin_url, name, .. } = self
            && let Ok(mut admin) = PgConnection::establish(admin_url)
        {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// A data directory with its database and mail folder.
struct Site {
    dir: tempfile::TempDir,
    database: Database,
}

impl Site {
    fn new(database: Database) -> Site {
        Site {
            dir: tempfile::tempdir().unwrap(),
            database,
        }
    }

    fn data_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("data")
    }

    fn mail_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("mail")
    }

    fn index_root(&self) -> std::path::PathBuf {
        self.data_dir().join("index")
    }

    fn command(&self) -> Command {
        let mut command = talentbridge(&self.data_dir());
        command
            .env(
                "TALENTBRIDGE__MAIL__TRANSPORT",
                format!("file://{}", self.mail_dir().display()),
            )
            .env("TALENTBRIDGE__APPLICATION__INDEX_POLL_MS", "100");
        self.database.apply(&mut command);
        command
    }

    /// Runs a one-off command to success; returns what it printed.
    fn run(&self, args: &[&str]) -> String {
        let output = self.command().args(args).output().unwrap();
        assert!(
            output.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn serve(&self) -> Service {
        let port = free_port();
        let mut child = self
            .command()
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        wait_for_line(&mut child, "API docs");
        Service {
            child: Mutex::new(child),
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
        }
    }

    /// The directory the pointer file of `base` (`jobs`, `candidates`) names.
    fn live_index(&self, base: &str) -> std::path::PathBuf {
        let name = std::fs::read_to_string(self.index_root().join(format!("{base}.current"))).unwrap();
        self.index_root().join(name.trim())
    }

    /// The verification token last emailed to `to`.
    fn token_for(&self, to: &str) -> Option<String> {
        for entry in std::fs::read_dir(self.mail_dir()).ok()?.filter_map(Result::ok) {
            let raw = std::fs::read(entry.path()).ok()?;
            let Some(message) = mail_parser::MessageParser::default().parse(&raw) else {
                continue;
            };
            let addressed = message
                .to()
                .and_then(|a| a.first())
                .and_then(|a| a.address())
                .is_some_and(|a| a.eq_ignore_ascii_case(to));
            let text = message.body_text(0).unwrap_or_default();
            if addressed && let Some(start) = text.find("token=") {
                let token: String = text[start + "token=".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                return Some(token);
            }
        }
        None
    }
}

/// A running `serve`.
struct Service {
    child: Mutex<Child>,
    base: String,
    http: reqwest::Client,
}

impl Service {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> reqwest::Result<(u16, Value)> {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await?;
        Ok((status, serde_json::from_slice(&bytes).unwrap_or(Value::Null)))
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Value {
        let (status, body) = self.call(reqwest::Method::GET, path, token, None).await.unwrap();
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::POST, path, token, Some(body))
            .await
            .unwrap()
    }

    async fn sign_in(&self, email: &str) -> String {
        let (status, body) = self
            .post(
                "/api/v1/auth/login",
                None,
                json!({"email": email, "password": PASSWORD}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["access_token"].as_str().unwrap().to_owned()
    }

    /// Waits (at most 30 s) until every index event is searchable.
    async fn wait_until_indexed(&self) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = self.get("/readyz", None).await;
            if ready["index_lag"] == 0 {
                return ready;
            }
            assert!(Instant::now() < deadline, "the index did not catch up: {ready}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Every job id search finds (paging through), and the total it reports.
    async fn searched_job_ids(&self) -> (u64, Vec<String>) {
        let mut ids = Vec::new();
        let mut total;
        loop {
            let page = self
                .get(
                    &format!("/api/v1/jobs/search?limit=100&offset={}", ids.len()),
                    None,
                )
                .await;
            total = page["total"].as_u64().unwrap();
            let hits = page["hits"].as_array().unwrap();
            ids.extend(hits.iter().map(|h| h["job"]["id"].as_str().unwrap().to_owned()));
            if hits.is_empty() || ids.len() as u64 >= total {
                return (total, ids);
            }
        }
    }

    /// The open jobs of an employer as the database holds them (the listing reads the
    /// database, not the index).
    async fn open_job_ids(&self, employer: &str) -> HashSet<String> {
        let mut ids = HashSet::new();
        loop {
            let page = self
                .get(
                    &format!("/api/v1/employers/{employer}/jobs?limit=100&offset={}", ids.len()),
                    None,
                )
                .await;
            let items = page["items"].as_array().unwrap();
            ids.extend(items.iter().map(|j| j["id"].as_str().unwrap().to_owned()));
            if items.is_empty() || ids.len() as i64 >= page["total"].as_i64().unwrap() {
                return ids;
            }
        }
    }

    /// Publishes one standard job; `None` when the service did not answer 200 (it was killed).
    async fn publish(&self, owner: &str, employer: &str) -> Option<String> {
        let body = json!({
            "employer_id": employer, "title": "Senior software engineer",
            "description": "Build cross-border hiring systems.", "location_id": "hk-wan-chai",
            "employment_type": "full_time", "salary_min": 40000, "salary_max": 60000,
            "salary_currency": "HKD", "salary_period": "month",
            "skills": [{"skill_id": "software-engineering", "min_level": 3, "required": true}],
            "languages": [{"code": "en", "level": 4}], "sponsorship": true
        });
        let (status, draft) = self
            .call(reqwest::Method::POST, "/api/v1/jobs", Some(owner), Some(body))
            .await
            .ok()?;
        if status != 201 {
            return None;
        }
        let id = draft["id"].as_str()?.to_owned();
        let path = format!("/api/v1/jobs/{id}/publish");
        let (status, _) = self
            .call(reqwest::Method::POST, &path, Some(owner), Some(json!({})))
            .await
            .ok()?;
        (status == 200).then_some(id)
    }

    fn kill_9(&self) {
        let mut child = self.child.lock().unwrap();
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
    }

    fn stop(&self) {
        let mut child = self.child.lock().unwrap();
        let status = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        assert!(child.wait().unwrap().success());
    }
}

/// A test that fails midway leaves no service behind.
impl Drop for Service {
    fn drop(&mut self) {
        if let Ok(child) = self.child.get_mut()
            && child.try_wait().ok().flatten().is_none()
        {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// An admin (made with `admin create`), an agency officer, and a verified Hong Kong employer
/// whose owner signed up and verified their email: returns (owner token, employer id).
async fn marketplace(site: &Site, service: &Service) -> (String, String) {
    let admin = service.sign_in("root@example.com").await;
    let officer_email = "officer@example.com";
    let body = json!({"email": officer_email, "password": PASSWORD, "role": "agency_officer", "display_name": "Officer"});
    assert_eq!(
        service.post("/api/v1/admin/users", Some(&admin), body).await.0,
        201
    );
    let officer = service.sign_in(officer_email).await;

    let owner_email = "owner@example.com";
    let body =
        json!({"email": owner_email, "password": PASSWORD, "role": "employer", "display_name": "Owner"});
    assert_eq!(service.post("/api/v1/auth/register", None, body).await.0, 202);
    let deadline = Instant::now() + Duration::from_secs(10);
    let token = loop {
        if let Some(token) = site.token_for(owner_email) {
            break token;
        }
        assert!(Instant::now() < deadline, "no verification email");
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    assert_eq!(
        service
            .post("/api/v1/auth/verify-email", None, json!({"token": token}))
            .await
            .0,
        204
    );
    let owner = service.sign_in(owner_email).await;
    let body = json!({"name": "HK Tech Ltd", "jurisdiction": "HK", "registration_number": "12345678"});
    let (status, employer) = service.post("/api/v1/employers", Some(&owner), body).await;
    assert_eq!(status, 201, "{employer}");
    let employer = employer["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/employers/{employer}/verification");
    assert_eq!(
        service
            .post(&path, Some(&officer), json!({"verified": true}))
            .await
            .0,
        200
    );
    (owner, employer)
}

fn create_admin(site: &Site) {
    site.run(&[
        "admin",
        "create",
        "--email",
        "root@example.com",
        "--password",
        PASSWORD,
    ]);
}

/// Publishes from two clients at once until the service stops answering; kills it with SIGKILL
/// once `before_kill` jobs are published, restarts it on the same data directory, and checks
/// that search finds exactly the open jobs of the database, each once.
async fn survives_kill_9(database: Database) {
    let site = Site::new(database);
    create_admin(&site);
    let service = site.serve();
    let (owner, employer) = marketplace(&site, &service).await;

    let service = Arc::new(service);
    let publishers: Vec<_> = (0..2)
        .map(|_| {
            let (service, owner, employer) = (service.clone(), owner.clone(), employer.clone());
            tokio::spawn(async move {
                let mut published = Vec::new();
                // Bounded: the service is killed long before.
                while published.len() < 10_000 {
                    match service.publish(&owner, &employer).await {
                        Some(id) => published.push(id),
                        None => break,
                    }
                }
                published
            })
        })
        .collect();
    // Kill once writes are flowing, part of them is searchable and more are waiting: the
    // indexer has committed batches and has work in hand.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ready = service.get("/readyz", None).await;
        let listed = service
            .get(&format!("/api/v1/employers/{employer}/jobs?limit=1"), None)
            .await;
        let searchable = service.get("/api/v1/jobs/search?limit=1", None).await;
        if listed["total"].as_i64().unwrap() >= 40
            && searchable["total"].as_i64().unwrap() > 0
            && ready["index_lag"].as_i64().unwrap() > 0
        {
            break;
        }
        assert!(Instant::now() < deadline, "publishing too slow: {listed}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    service.kill_9();
    let mut acknowledged = HashSet::new();
    for publisher in publishers {
        acknowledged.extend(publisher.await.unwrap());
    }

    let service = site.serve();
    let lag_at_start = service.get("/readyz", None).await["index_lag"].clone();
    service.wait_until_indexed().await;
    let open = service.open_job_ids(&employer).await;
    eprintln!(
        "killed with {} publishes acknowledged; {} open jobs in the database; index lag {lag_at_start} at restart",
        acknowledged.len(),
        open.len()
    );
    assert!(
        acknowledged.is_subset(&open),
        "every publish answered 200 is open in the database"
    );
    let (total, found) = service.searched_job_ids().await;
    let distinct: HashSet<String> = found.iter().cloned().collect();
    assert_eq!(found.len() as u64, total, "the total counts the hits");
    assert_eq!(distinct.len(), found.len(), "no job is in the index twice");
    assert_eq!(
        distinct, open,
        "search finds exactly the open jobs of the database"
    );
    assert!(open.len() >= 40);
    service.stop();
}

#[tokio::test]
async fn the_index_survives_kill_9_during_writes_on_sqlite() {
    survives_kill_9(Database::Sqlite).await;
}

#[tokio::test]
async fn the_index_survives_kill_9_during_writes_on_postgres() {
    survives_kill_9(Database::postgres()).await;
}

#[tokio::test]
async fn reindex_on_a_fresh_data_dir_then_while_serving() {
    let site = Site::new(Database::Sqlite);
    let printed = site.run(&["reindex"]);
    assert!(printed.contains("jobs: 0 documents"), "{printed}");
    assert!(printed.contains("candidates: 0 documents"), "{printed}");
    let first = site.live_index("jobs");
    assert!(first.is_dir(), "the pointer names the rebuilt directory");

    // The service starts on the rebuilt index and indexes into it.
    create_admin(&site);
    let service = site.serve();
    let (owner, employer) = marketplace(&site, &service).await;
    let mut jobs = HashSet::new();
    for _ in 0..3 {
        jobs.insert(service.publish(&owner, &employer).await.unwrap());
    }
    service.wait_until_indexed().await;
    assert_eq!(site.live_index("jobs"), first);
    let (_, found) = service.searched_job_ids().await;
    assert_eq!(found.into_iter().collect::<HashSet<_>>(), jobs);

    // A reindex from another process while the service runs: the service swaps the new index
    // in and drops the old one, and finds the same jobs.
    let printed = site.run(&["reindex"]);
    assert!(printed.contains("jobs: 3 documents"), "{printed}");
    let second = site.live_index("jobs");
    assert_ne!(second, first);
    let deadline = Instant::now() + Duration::from_secs(10);
    while first.exists() {
        assert!(
            Instant::now() < deadline,
            "the service did not swap in the rebuilt index"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (_, found) = service.searched_job_ids().await;
    assert_eq!(found.into_iter().collect::<HashSet<_>>(), jobs);
    jobs.insert(service.publish(&owner, &employer).await.unwrap());
    service.wait_until_indexed().await;
    let (_, found) = service.searched_job_ids().await;
    assert_eq!(
        found.into_iter().collect::<HashSet<_>>(),
        jobs,
        "new jobs go into the new index"
    );
    service.stop();

    // A rebuild that died half-way leaves a directory the next start removes.
    let crashed = site.index_root().join("jobs-1");
    std::fs::create_dir_all(&crashed).unwrap();
    let service = site.serve();
    assert!(!crashed.exists(), "leftovers are removed on start");
    let (_, found) = service.searched_job_ids().await;
    assert_eq!(found.into_iter().collect::<HashSet<_>>(), jobs);
    service.stop();
}

/// A service that is killed if a test fails before it stops it, so no process outlives its test.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Stops a service with SIGTERM and waits for it.
fn stop(mut running: Running) {
    let status = Command::new("kill")
        .args(["-TERM", &running.0.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    while running.0.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the service did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

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
}
