//! The test harness: each test gets the real service, built by `Application::build` exactly as
//! production builds it, on a random port, with its own database (a fresh PostgreSQL database
//! cloned from a migrated template, or a SQLite file) and its own mail directory, all removed
//! when the test ends.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use talentbridge::auth::Role;
use talentbridge::auth::domain::{DisplayName, Email, Password};
use talentbridge::auth::service::{NewAccount, create_verified_account};
use talentbridge::i18n::Locale;
use talentbridge::settings::{Environment, Settings};
use talentbridge::startup::{Application, open_database};
use tempfile::TempDir;

pub const PASSWORD: &str = "harbour-lantern-31-crossing";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

/// Runs a test body once on PostgreSQL and once on SQLite: `name::postgres` and `name::sqlite`.
#[macro_export]
macro_rules! on_both_backends {
    ($(#[$meta:meta])* async fn $name:ident($backend:ident: Backend) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            $(#[$meta])*
            async fn run($backend: $crate::helpers::Backend) $body

            #[tokio::test]
            async fn postgres() {
                run($crate::helpers::Backend::Postgres).await
            }

            #[tokio::test]
            async fn sqlite() {
                run($crate::helpers::Backend::Sqlite).await
            }
        }
    };
}

pub struct TestApp {
    pub address: String,
    /// The metrics listener's base URL, when the test set `application.metrics_bind`.
    pub metrics_address: Option<String>,
    pub client: reqwest::Client,
    pub settings: Settings,
    mail_dir: PathBuf,
    server: Option<(actix_web::dev::ServerHandle, std::thread::JoinHandle<()>)>,
    postgres_database: Option<String>,
    _data_dir: TempDir,
}

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: String,
    pub email: String,
    pub access_token: String,
    pub refresh_token: String,
}

/// An answer as a client sees it.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    /// Asserts a problem+json answer with this status; returns the problem document.
    pub fn problem(&self, status: u16) -> &Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.body
        );
        assert!(
            self.content_type.starts_with("application/problem+json"),
            "content type {:?}",
            self.content_type
        );
        assert_eq!(self.body["status"], status, "{}", self.body);
        for key in ["type", "title", "detail"] {
            assert!(self.body[key].is_string(), "problem lacks {key}: {}", self.body);
        }
        &self.body
    }

    /// The fields named in a problem's `errors`.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// One email read back from the file transport.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl ReceivedMail {
    /// The value of the `token=` parameter of the first link carrying one.
    pub fn token(&self) -> String {
        let start = self.text.find("token=").expect("the email carries a token link") + "token=".len();
        self.text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect()
    }

    /// The first link of the text part that carries a token.
    pub fn link(&self) -> String {
        let token_at = self.text.find("token=").expect("the email carries a token link");
        let start = self.text[..token_at].rfind("http").expect("the link is absolute");
        self.text[start..]
            .split(|c: char| c.is_whitespace() || c == '>' || c == ')')
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Spawns the app after letting the test adjust its settings.
    pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut Settings)) -> TestApp {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let mail_dir = data_dir.path().join("mail");
        let config_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
        let mut settings = Settings::load_from(Environment::Test, &config_dir).expect("test settings");
        settings.application.port = 0;
        settings.application.data_dir = data_dir.path().to_owned();
        settings.mail.transport = format!("file://{}", mail_dir.display());
        let postgres_database = match backend {
            Backend::Postgres => {
                let name = create_postgres_database();
                settings.database.url = database_url(&name);
                Some(name)
            }
            Backend::Sqlite => {
                settings.database.url = format!("sqlite://{}", data_dir.path().join("test.db").display());
                None
            }
        };
        configure(&mut settings);

        // The server runs on its own thread and actix system, so it can be stopped and its pool
        // closed when the test ends, before its database is dropped.
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
        let app_settings = settings.clone();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                match Application::build(app_settings).await {
                    Ok(app) => {
                        let _ = ready_tx.send(Ok((app.port(), app.metrics_port(), app.handle())));
                        app.run_until_stopped().await.expect("server ran");
                    }
                    Err(error) => {
                        let _ = ready_tx.send(Err(format!("{error:#}")));
                    }
                }
            })
        });
        let (port, metrics_port, handle) = ready_rx
            .await
            .expect("server thread answered")
            .expect("the app starts");
        TestApp {
            address: format!("http://127.0.0.1:{port}"),
            metrics_address: metrics_port.map(|port| format!("http://127.0.0.1:{port}")),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            settings,
            mail_dir,
            server: Some((handle, thread)),
            postgres_database,
            _data_dir: data_dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Sends a request; `body` is sent as JSON when given.
    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Answer {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        answer(request.send().await.expect("request sent")).await
    }

    /// Sends raw bytes with a content type, for malformed-body tests.
    pub async fn post_raw(&self, path: &str, content_type: &str, body: impl Into<reqwest::Body>) -> Answer {
        let response = self
            .client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request sent");
        answer(response).await
    }

    /// A GET in a language (`Accept-Language`).
    pub async fn get_in(&self, path: &str, token: &str, language: &str) -> Answer {
        let request = self
            .client
            .get(self.url(path))
            .bearer_auth(token)
            .header("accept-language", language);
        answer(request.send().await.expect("request sent")).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Answer {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn register(&self, email: &str, password: &str, role: &str) -> Answer {
        self.register_named(email, password, role, "Test User").await
    }

    pub async fn register_named(
        &self,
        email: &str,
        password: &str,
        role: &str,
        display_name: &str,
    ) -> Answer {
        let body = json!({"email": email, "password": password, "role": role, "display_name": display_name});
        self.post("/api/v1/auth/register", None, body).await
    }

    pub async fn verify_email(&self, token: &str) -> Answer {
        self.post("/api/v1/auth/verify-email", None, json!({ "token": token }))
            .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Answer {
        self.post(
            "/api/v1/auth/login",
            None,
            json!({"email": email, "password": password}),
        )
        .await
    }

    /// Logs in with extra request headers (`X-Forwarded-For`, `Forwarded`), as through a proxy.
    pub async fn login_with_headers(&self, email: &str, password: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request = self
            .client
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({"email": email, "password": password}));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        answer(request.send().await.expect("request sent")).await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Answer {
        self.post(
            "/api/v1/auth/refresh",
            None,
            json!({ "refresh_token": refresh_token }),
        )
        .await
    }

    pub async fn logout(&self, refresh_token: &str) -> Answer {
        self.post(
            "/api/v1/auth/logout",
            None,
            json!({ "refresh_token": refresh_token }),
        )
        .await
    }

    pub async fn request_password_reset(&self, email: &str) -> Answer {
        self.post(
            "/api/v1/auth/password-reset/request",
            None,
            json!({ "email": email }),
        )
        .await
    }

    pub async fn confirm_password_reset(&self, token: &str, new_password: &str) -> Answer {
        let body = json!({"token": token, "new_password": new_password});
        self.post("/api/v1/auth/password-reset/confirm", None, body).await
    }

    pub async fn me(&self, access_token: &str) -> Answer {
        self.get("/api/v1/me", Some(access_token)).await
    }

    pub async fn create_staff(&self, access_token: &str, body: Value) -> Answer {
        self.post("/api/v1/admin/users", Some(access_token), body).await
    }

    /// Registers, verifies through the emailed link and signs in.
    pub async fn sign_up(&self, role: &str) -> Session {
        let email = format!("{}-{}@example.com", role, uuid::Uuid::new_v4().simple());
        self.sign_up_as(role, &email, "Test User").await
    }

    /// [`Self::sign_up`] with the email and account name given.
    pub async fn sign_up_as(&self, role: &str, email: &str, display_name: &str) -> Session {
        assert_eq!(
            self.register_named(email, PASSWORD, role, display_name)
                .await
                .status,
            StatusCode::ACCEPTED
        );
        let mail = self.wait_for_mail(email, 1).await.remove(0);
        assert_eq!(
            self.verify_email(&mail.token()).await.status,
            StatusCode::NO_CONTENT
        );
        self.sign_in(email, PASSWORD).await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Session {
        let answer = self.login(email, password).await;
        assert_eq!(answer.status, StatusCode::OK, "login failed: {}", answer.body);
        let access_token = answer.body["access_token"].as_str().unwrap().to_owned();
        let me = self.me(&access_token).await;
        Session {
            user_id: me.body["user_id"].as_str().unwrap().to_owned(),
            email: email.to_owned(),
            access_token,
            refresh_token: answer.body["refresh_token"].as_str().unwrap().to_owned(),
        }
    }

    /// An admin made the way operators make the first one (the CLI's code path), signed in.
    pub async fn admin(&self) -> Session {
        let email = format!("admin-{}@example.com", uuid::Uuid::new_v4().simple());
        let db = self.db().await;
        create_verified_account(
            &db,
            NewAccount {
                email: Email::parse(&email).unwrap(),
                password: Password::parse(PASSWORD).unwrap(),
                role: Role::Admin,
                display_name: DisplayName::parse("Admin").unwrap(),
                locale: Locale::En,
            },
        )
        .await
        .expect("admin created");
        self.sign_in(&email, PASSWORD).await
    }

    /// A second handle on the test's database, for checking what was (not) written.
    pub async fn db(&self) -> talentbridge::db::Db {
        open_database(&self.settings).await.expect("database opens")
    }

    /// Every column of every table (as `table.column`) where some row's value, cast to text,
    /// contains `needle`: what a reader of the database or of a backup would find.
    /// `needle`: lowercase letters and digits (it is written into the SQL).
    pub async fn columns_containing(&self, needle: &str) -> Vec<String> {
        assert!(
            needle
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
            "{needle}"
        );
        let needle = needle.to_owned();
        self.db()
            .await
            .read(move |conn| Ok(scan_columns(conn, &needle)))
            .await
            .expect("the database scan runs")
    }

    /// Every email delivered so far to `to`, oldest first.
    pub fn mails_to(&self, to: &str) -> Vec<ReceivedMail> {
        let Ok(entries) = std::fs::read_dir(&self.mail_dir) else {
            return Vec::new();
        };
        let mut mails: Vec<(std::time::SystemTime, ReceivedMail)> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .filter_map(|e| {
                let raw = std::fs::read(e.path()).ok()?;
                let modified = e.metadata().ok()?.modified().ok()?;
                Some((modified, parse_mail(&raw)?))
            })
            .filter(|(_, mail)| mail.to.eq_ignore_ascii_case(to))
            .collect();
        mails.sort_by_key(|(modified, _)| *modified);
        mails.into_iter().map(|(_, mail)| mail).collect()
    }

    /// Waits (up to 10 s) until at least `count` emails reached `to`.
    pub async fn wait_for_mail(&self, to: &str, count: usize) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let mails = self.mails_to(to);
            if mails.len() >= count {
                return mails;
            }
            assert!(
                Instant::now() < deadline,
                "expected {count} email(s) to {to}, got {}",
                mails.len()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Asserts that no email reaches `to` within a short while.
    pub async fn assert_no_mail(&self, to: &str) {
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert!(self.mails_to(to).is_empty(), "unexpected email to {to}");
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((handle, thread)) = self.server.take() {
            // `stop` sends its command at once; the server's own thread carries it out.
            drop(handle.stop(false));
            let _ = thread.join();
        }
        if let Some(name) = self.postgres_database.take() {
            drop_postgres_database(&name);
        }
    }
}

/// A response as a client sees it.
pub async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status();
    let headers = response.headers().clone();
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let bytes = response.bytes().await.expect("body read");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    Answer {
        status,
        content_type,
        headers,
        body,
    }
}

fn parse_mail(raw: &[u8]) -> Option<ReceivedMail> {
    let message = mail_parser::MessageParser::default().parse(raw)?;
    let to = message.to()?.first()?.address()?.to_owned();
    Some(ReceivedMail {
        to,
        subject: message.subject().unwrap_or_default().to_owned(),
        text: message.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
        html: message.body_html(0).map(|t| t.into_owned()).unwrap_or_default(),
    })
}

/// The server tests use: `TEST_DATABASE_URL` (a PostgreSQL URL whose user may create
/// databases), or the local trust-auth server.
fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn database_url(name: &str) -> String {
    let mut url = url::Url::parse(&admin_url()).expect("TEST_DATABASE_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// A template database migrated once per version of the migrations (named by their hash), so
/// each test's database is a cheap copy instead of a full migration run.
fn template_database() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = format!("tb_template_{}", &migrations_hash()[..16]);
        let mut admin = PgConnection::establish(&admin_url()).expect("PostgreSQL is reachable for tests");
        // Test binaries may run at once; one of them builds the template, the others wait.
        admin.batch_execute("SELECT pg_advisory_lock(724011)").unwrap();
        let exists = database_exists(&mut admin, &name);
        if !exists {
            let building = format!("{name}_building_{}", std::process::id());
            admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS {building}"))
                .unwrap();
            admin
                .batch_execute(&format!("CREATE DATABASE {building}"))
                .unwrap();
            let manager = talentbridge::db::ConnectionManager::new(&database_url(&building), 5000).unwrap();
            talentbridge::db::run_migrations(&manager).expect("migrations apply to the template");
            // The shipped reference data too, so each test's app finds it loaded already.
            let mut conn = manager.establish().unwrap();
            talentbridge::registry::seed::apply(&mut conn).expect("reference data loads into the template");
            drop(conn);
            admin
                .batch_execute(&format!("ALTER DATABASE {building} RENAME TO {name}"))
                .unwrap();
        }
        admin.batch_execute("SELECT pg_advisory_unlock(724011)").unwrap();
        name
    })
}

fn database_exists(conn: &mut PgConnection, name: &str) -> bool {
    use diesel::RunQueryDsl;
    use diesel::sql_types::{BigInt, Text};
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        count: i64,
    }
    diesel::sql_query("SELECT count(*) AS count FROM pg_database WHERE datname = $1")
        .bind::<Text, _>(name)
        .get_result::<Count>(conn)
        .unwrap()
        .count
        > 0
}

/// Names the template after what it holds: the migrations and the shipped reference data.
fn migrations_hash() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres");
    let mut files: Vec<PathBuf> = walk(&dir);
    files.sort();
    let mut hasher = Sha256::new();
    hasher.update(talentbridge::registry::seed::fingerprint().as_bytes());
    for file in files {
        hasher.update(file.strip_prefix(&dir).unwrap().to_string_lossy().as_bytes());
        hasher.update(std::fs::read(&file).unwrap());
    }
    hex::encode(hasher.finalize())
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .flat_map(|entry| {
            let path = entry.path();
            if path.is_dir() { walk(&path) } else { vec![path] }
        })
        .collect()
}

fn create_postgres_database() -> String {
    let template = template_database();
    let name = format!("tb_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::establish(&admin_url()).expect("PostgreSQL is reachable for tests");
    // Copying a template fails while another session briefly holds it; try again.
    for attempt in 1.. {
        match admin.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}")) {
            Ok(()) => break,
            Err(error) if attempt < 20 => {
                eprintln!("creating {name} failed ({error}); retrying");
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(error) => panic!("cannot create the test database: {error}"),
        }
    }
    name
}

fn drop_postgres_database(name: &str) {
    if let Ok(mut admin) = PgConnection::establish(&admin_url()) {
        let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    }
}

#[derive(diesel::QueryableByName)]
struct ColumnName {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    column_name: String,
}

#[derive(diesel::QueryableByName)]
struct Hits {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    hits: i64,
}

/// The columns (`table.column`) holding `needle` in a value cast to text, in any case. The
/// column list comes from the database itself, so a table added later is scanned too.
fn scan_columns(conn: &mut talentbridge::db::DbConnection, needle: &str) -> Vec<String> {
    use diesel::RunQueryDsl;
    use talentbridge::db::DbConnection;
    let listing = match conn {
        DbConnection::Postgresql(_) => {
            "SELECT table_name::text AS table_name, column_name::text AS column_name \
             FROM information_schema.columns WHERE table_schema = 'public'"
        }
        DbConnection::Sqlite(_) => {
            "SELECT m.name AS table_name, p.name AS column_name \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'"
        }
    };
    let columns: Vec<ColumnName> = diesel::sql_query(listing).load(conn).unwrap();
    assert!(
        columns.len() > 50,
        "the scan sees the schema: {} columns",
        columns.len()
    );
    columns
        .into_iter()
        .filter(|c| {
            let count = format!(
                "SELECT count(*) AS hits FROM \"{}\" WHERE LOWER(CAST(\"{}\" AS TEXT)) LIKE '%{needle}%'",
                c.table_name, c.column_name
            );
            diesel::sql_query(count).get_result::<Hits>(conn).unwrap().hits > 0
        })
        .map(|c| format!("{}.{}", c.table_name, c.column_name))
        .collect()
}
