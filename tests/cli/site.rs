//! A market as an operator runs it: a data directory (or several, one per node) with its
//! database and mail folder, running services, and the clients' few calls.

use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use serde_json::{Value, json};

use super::{free_port, talentbridge, wait_for_line};

pub const PASSWORD: &str = "harbour-lantern-31-crossing";

/// Two tests of `$run(database, label)`: `$name::sqlite` and `$name::postgres` (a database of its
/// own), as the API tests' `on_both_backends!`.
#[macro_export]
macro_rules! on_both_databases {
    ($name:ident, $run:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$run($crate::site::Database::Sqlite, "sqlite").await;
            }

            #[tokio::test]
            async fn postgres() {
                super::$run($crate::site::Database::postgres(), "postgres").await;
            }
        }
    };
}

/// Where the service keeps its data: SQLite in the data directory, or a PostgreSQL database of
/// its own (created for the test, dropped after it).
pub enum Database {
    Sqlite,
    Postgres {
        url: String,
        admin_url: String,
        name: String,
    },
}

impl Database {
    pub fn postgres() -> Database {
        let admin_url = std::env::var("TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        Database::postgres_on(&admin_url)
    }

    /// A database of its own on the server `admin_url` names (whose user may create databases).
    pub fn postgres_on(admin_url: &str) -> Database {
        let admin_url = admin_url.to_owned();
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

    pub fn apply(&self, command: &mut Command) {
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
pub struct Site {
    dir: std::sync::Arc<tempfile::TempDir>,
    /// Shared by the nodes of one market.
    database: std::sync::Arc<Database>,
    /// Where this node's data lives, under `dir`.
    node: String,
}

impl Site {
    pub fn new(database: Database) -> Site {
        Site {
            dir: std::sync::Arc::new(tempfile::tempdir().unwrap()),
            database: std::sync::Arc::new(database),
            node: "data".into(),
        }
    }

    /// A second node of the same market: the same database, mail folder and signing key (as
    /// every node of one deployment needs), a data directory (and so indexes) of its own.
    pub fn another_node(&self, name: &str) -> Site {
        Site {
            dir: self.dir.clone(),
            database: self.database.clone(),
            node: name.into(),
        }
    }

    pub fn data_dir(&self) -> std::path::PathBuf {
        self.dir.path().join(&self.node)
    }

    pub fn mail_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("mail")
    }

    pub fn index_root(&self) -> std::path::PathBuf {
        self.data_dir().join("index")
    }

    pub fn command(&self) -> Command {
        /// One key for every node: development would otherwise make one per data directory.
        const MARKET_SIGNING_KEY: &str = "one-market-signing-key-for-every-node-2026";
        let mut command = talentbridge(&self.data_dir());
        command
            .env(
                "TALENTBRIDGE__MAIL__TRANSPORT",
                format!("file://{}", self.mail_dir().display()),
            )
            .env("TALENTBRIDGE__APPLICATION__INDEX_POLL_MS", "100")
            .env("TALENTBRIDGE__AUTH__JWT_SECRET", MARKET_SIGNING_KEY);
        self.database.apply(&mut command);
        command
    }

    /// Runs a one-off command to success; returns what it printed.
    pub fn run(&self, args: &[&str]) -> String {
        let output = self.command().args(args).output().unwrap();
        assert!(
            output.status.success(),
            "{args:?} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    pub fn serve(&self) -> Service {
        self.serve_with(|_| {})
    }

    /// `serve` with settings of the test's own (environment, where its output goes).
    pub fn serve_with(&self, configure: impl FnOnce(&mut Command)) -> Service {
        let port = free_port();
        let mut command = self.command();
        command
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::piped());
        configure(&mut command);
        let mut child = command.spawn().unwrap();
        wait_for_line(&mut child, "API docs");
        Service {
            child: Mutex::new(child),
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
        }
    }

    /// The directory the pointer file of `base` (`jobs`, `candidates`) names.
    pub fn live_index(&self, base: &str) -> std::path::PathBuf {
        let name = std::fs::read_to_string(self.index_root().join(format!("{base}.current"))).unwrap();
        self.index_root().join(name.trim())
    }

    /// The verification token last emailed to `to`.
    pub fn token_for(&self, to: &str) -> Option<String> {
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

/// An answer with the headers the fault tests look at.
pub struct Answer {
    pub status: u16,
    #[cfg_attr(not(feature = "fault-tests"), allow(dead_code))]
    pub content_type: String,
    #[cfg_attr(not(feature = "fault-tests"), allow(dead_code))]
    pub retry_after: Option<String>,
    pub body: Value,
}

/// A running `serve`.
pub struct Service {
    child: Mutex<Child>,
    base: String,
    http: reqwest::Client,
}

impl Service {
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> reqwest::Result<(u16, Value)> {
        let answer = self.send(method, path, token, body).await?;
        Ok((answer.status, answer.body))
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> reqwest::Result<Answer> {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let header = |name: reqwest::header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header(reqwest::header::CONTENT_TYPE).unwrap_or_default();
        let retry_after = header(reqwest::header::RETRY_AFTER);
        let bytes = response.bytes().await?;
        Ok(Answer {
            status,
            content_type,
            retry_after,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        })
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Value {
        let (status, body) = self.call(reqwest::Method::GET, path, token, None).await.unwrap();
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::POST, path, token, Some(body))
            .await
            .unwrap()
    }

    pub async fn sign_in(&self, email: &str) -> String {
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
    pub async fn wait_until_indexed(&self) -> Value {
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
    pub async fn searched_job_ids(&self) -> (u64, Vec<String>) {
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
    pub async fn open_job_ids(&self, employer: &str) -> HashSet<String> {
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

    /// Every job of an employer as the database holds them, drafts included (`owner` is a
    /// member). Read by the fault suite.
    #[cfg_attr(not(feature = "fault-tests"), allow(dead_code))]
    pub async fn all_jobs(&self, owner: &str, employer: &str) -> Vec<Value> {
        let mut jobs = Vec::new();
        loop {
            let path = format!(
                "/api/v1/employers/{employer}/jobs?limit=100&offset={}",
                jobs.len()
            );
            let page = self.get(&path, Some(owner)).await;
            let items = page["items"].as_array().unwrap();
            jobs.extend(items.iter().cloned());
            if items.is_empty() || jobs.len() as i64 >= page["total"].as_i64().unwrap() {
                return jobs;
            }
        }
    }

    /// Publishes one standard job; `None` when the service did not answer 200 (it was killed).
    pub async fn publish(&self, owner: &str, employer: &str) -> Option<String> {
        let body = job_body(employer, "Senior software engineer");
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

    /// How the process ended, if it has. Read by the fault suite.
    #[cfg_attr(not(feature = "fault-tests"), allow(dead_code))]
    pub fn exited(&self) -> Option<std::process::ExitStatus> {
        self.child.lock().unwrap().try_wait().unwrap()
    }

    pub fn kill_9(&self) {
        let mut child = self.child.lock().unwrap();
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
    }

    pub fn stop(&self) {
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

/// The body of a standard job titled `title`.
pub fn job_body(employer: &str, title: &str) -> Value {
    json!({
        "employer_id": employer, "title": title,
        "description": "Build cross-border hiring systems.", "location_id": "hk-wan-chai",
        "employment_type": "full_time", "salary_min": 40000, "salary_max": 60000,
        "salary_currency": "HKD", "salary_period": "month",
        "skills": [{"skill_id": "software-engineering", "min_level": 3, "required": true}],
        "languages": [{"code": "en", "level": 4}], "sponsorship": true
    })
}

/// An admin (made with `admin create`), an agency officer, and a verified Hong Kong employer
/// whose owner signed up and verified their email: returns (owner token, employer id).
pub async fn marketplace(site: &Site, service: &Service) -> (String, String) {
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

pub fn create_admin(site: &Site) {
    site.run(&[
        "admin",
        "create",
        "--email",
        "root@example.com",
        "--password",
        PASSWORD,
    ]);
}
