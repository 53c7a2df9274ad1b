//! Typed, layered configuration: the compiled-in `config/default.toml`, then
//! `config/{TALENTBRIDGE_ENV}.toml` (its compiled-in copy where that directory has no such file),
//! then `TALENTBRIDGE__SECTION__KEY` environment variables.

use std::path::{Path, PathBuf};

use config::{Config, File, FileFormat};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::cidr::Cidr;

const DEFAULT_TOML: &str = include_str!("../config/default.toml");
/// The secret `config/development.toml` once named: production still refuses it.
const DEVELOPMENT_SECRET: &str = "development-only-secret-do-not-use-in-production";

/// Each environment's own file, compiled in: the layer used when the configuration directory has
/// no file for the environment (the binary started outside the repository), so that it behaves
/// alike wherever it is started: in development, mail lands as files in the data directory.
fn compiled_environment_toml(environment: Environment) -> &'static str {
    match environment {
        Environment::Development => include_str!("../config/development.toml"),
        Environment::Test => include_str!("../config/test.toml"),
        Environment::Production => include_str!("../config/production.toml"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Test,
    Production,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Development => "development",
            Environment::Test => "test",
            Environment::Production => "production",
        }
    }
}

impl TryFrom<&str> for Environment {
    type Error = String;
    fn try_from(value: &str) -> Result<Self, String> {
        match value.to_ascii_lowercase().as_str() {
            "development" | "dev" => Ok(Environment::Development),
            "test" => Ok(Environment::Test),
            "production" | "prod" => Ok(Environment::Production),
            other => Err(format!(
                "TALENTBRIDGE_ENV={other:?}: use development, test or production"
            )),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    #[serde(skip, default = "default_environment")]
    pub environment: Environment,
    pub application: ApplicationSettings,
    pub database: DatabaseSettings,
    pub auth: AuthSettings,
    pub mail: MailSettings,
    /// What one unit of each currency is worth in the reference currency (HKD), for comparing
    /// salaries across the boundary.
    pub rates: std::collections::BTreeMap<String, f64>,
    #[serde(default)]
    pub cases: CasesSettings,
    #[serde(default)]
    pub alerts: AlertsSettings,
    #[serde(default)]
    pub search: SearchSettings,
    #[serde(default)]
    pub employers: EmployersSettings,
}

fn default_environment() -> Environment {
    Environment::Development
}

#[derive(Debug, Clone, Deserialize)]
pub struct ApplicationSettings {
    pub host: String,
    pub port: u16,
    pub data_dir: PathBuf,
    pub base_url: String,
    pub max_body_bytes: usize,
    pub workers: usize,
    pub shutdown_timeout_secs: u64,
    pub registry_poll_ms: u64,
    /// How often the indexer looks for new index events: the floor of search freshness.
    pub index_poll_ms: u64,
    /// Browser origins (`https://app.example.org`) whose pages may call the API; empty: none.
    #[serde(default)]
    pub cors_allowed_origins: Vec<String>,
    /// Proxies whose `Forwarded` / `X-Forwarded-For` name the client (limits are kept per client
    /// address); empty: those headers are ignored and the TCP peer is the client.
    #[serde(default)]
    pub trusted_proxies: Vec<Cidr>,
    /// Where `/metrics` is served (`127.0.0.1:9464`), apart from the public listener; unset or
    /// empty: metrics are not served at all.
    #[serde(default)]
    pub metrics_bind: Option<String>,
}

impl ApplicationSettings {
    /// The metrics listener's address, if one is configured.
    pub fn metrics_bind(&self) -> Option<&str> {
        self.metrics_bind
            .as_deref()
            .map(str::trim)
            .filter(|bind| !bind.is_empty())
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    pub url: String,
    pub pool_size: u32,
    pub connect_timeout_secs: u64,
    pub startup_wait_secs: u64,
    pub sqlite_busy_timeout_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuthSettings {
    pub jwt_secret: Option<SecretString>,
    pub issuer: String,
    pub audience: String,
    pub access_token_ttl_secs: i64,
    pub refresh_token_ttl_days: i64,
    pub verification_token_ttl_hours: i64,
    pub reset_token_ttl_minutes: i64,
    pub account_max_failures: i32,
    pub ip_max_failures: i32,
    pub failure_window_secs: i64,
    pub lockout_secs: i64,
    pub ip_requests_per_minute: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MailSettings {
    pub transport: String,
    pub from: String,
    pub smtp_password: Option<SecretString>,
    pub poll_interval_ms: u64,
    pub batch_size: i64,
    pub max_attempts: i32,
    pub retry_base_secs: i64,
    /// The longest wait between two attempts (the doubling stops there).
    pub retry_cap_secs: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CasesSettings {
    /// How often deadline reminders are looked for; each task reminds a recipient once a day.
    pub reminder_interval_secs: u64,
}

impl Default for CasesSettings {
    fn default() -> Self {
        Self {
            reminder_interval_secs: 3600,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct AlertsSettings {
    /// How often saved searches that are due are run and mailed; instant ones are due every run.
    pub interval_secs: u64,
    /// How far before the previous run each run looks for newly published jobs, so a job the
    /// index had not caught up with then is still found; jobs mailed already are never mailed
    /// again, so the overlap costs nothing but a little search.
    pub lookback_secs: u64,
}

impl Default for AlertsSettings {
    fn default() -> Self {
        Self {
            interval_secs: 60,
            lookback_secs: 3600,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct SearchSettings {
    /// Applied index events older than this are deleted (0: keep them all). Each node follows
    /// the log from its own position, so this is how long a node may be down and still catch up
    /// by replay; one further behind rebuilds its indexes from the database by itself.
    pub event_retention_days: u64,
    /// How often old index events are pruned.
    pub prune_interval_secs: u64,
    /// Memory for job search answers kept for reuse (MiB); 0 switches the cache off.
    pub job_cache_mib: u64,
    /// Searches that compute at once (0: `search::gate::default_running`); more queue in arrival
    /// order.
    pub max_running_searches: usize,
    /// Searches that may queue; one more is answered 503 with Retry-After. At a few milliseconds
    /// each on a couple of cores, the default is about a second of work: past that a client is
    /// better told to come back.
    pub max_waiting_searches: usize,
    /// Whether Hong Kong and Taiwan words are written as the Mainland's before segmentation
    /// (`search::schema::vocabulary`). Off only to measure what the rewriting costs: an index
    /// written one way is rebuilt when opened the other way.
    pub vocabulary: bool,
}

/// Search threads beyond this would only share the cores (and each holds a stack).
pub const MAX_SEARCH_THREADS: usize = 256;

impl Default for SearchSettings {
    fn default() -> Self {
        Self {
            event_retention_days: 7,
            prune_interval_secs: 3600,
            job_cache_mib: 64,
            max_running_searches: 0,
            max_waiting_searches: 256,
            vocabulary: true,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct EmployersSettings {
    /// Invitations one employer may send in any 24 hours (cancelled ones count): each is an
    /// email naming the employer, sent to any address an owner types.
    pub invitations_per_day: u32,
}

impl Default for EmployersSettings {
    fn default() -> Self {
        Self {
            invitations_per_day: 20,
        }
    }
}

impl Settings {
    /// Loads the settings for `TALENTBRIDGE_ENV` (default development) from
    /// `TALENTBRIDGE_CONFIG_DIR` (default `config`).
    pub fn load() -> anyhow::Result<Self> {
        let environment = match std::env::var("TALENTBRIDGE_ENV") {
            Ok(value) => Environment::try_from(value.as_str()).map_err(anyhow::Error::msg)?,
            Err(_) => Environment::Development,
        };
        let config_dir = std::env::var("TALENTBRIDGE_CONFIG_DIR").unwrap_or_else(|_| "config".into());
        Self::load_from(environment, Path::new(&config_dir))
    }

    pub fn load_from(environment: Environment, config_dir: &Path) -> anyhow::Result<Self> {
        Self::load_layers(environment, config_dir, None)
    }

    /// `variables` stands in for the process environment (tests); `None` reads the real one.
    fn load_layers(
        environment: Environment,
        config_dir: &Path,
        variables: Option<config::Map<String, String>>,
    ) -> anyhow::Result<Self> {
        let defaults = Config::builder().add_source(File::from_str(DEFAULT_TOML, FileFormat::Toml));
        let own_file = config_dir.join(format!("{}.toml", environment.as_str()));
        let with_environment = if own_file.is_file() {
            defaults.add_source(File::from(own_file))
        } else {
            defaults.add_source(File::from_str(
                compiled_environment_toml(environment),
                FileFormat::Toml,
            ))
        };
        let layered = with_environment
            .add_source(
                config::Environment::with_prefix("TALENTBRIDGE")
                    .prefix_separator("__")
                    .separator("__")
                    .try_parsing(true)
                    .list_separator(",")
                    .with_list_parse_key("application.cors_allowed_origins")
                    .with_list_parse_key("application.trusted_proxies")
                    .source(variables),
            )
            .build()?;
        let mut settings: Settings = layered
            .try_deserialize()
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        settings.environment = environment;
        Ok(settings)
    }

    /// The database URL, defaulting to a SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        if self.database.url.trim().is_empty() {
            format!(
                "sqlite://{}",
                self.application.data_dir.join("talentbridge.db").display()
            )
        } else {
            self.database.url.trim().to_owned()
        }
    }

    /// In development with no signing key configured (`config/development.toml` names none, so
    /// no two development servers share a key anyone can read), the key kept in
    /// `<data_dir>/jwt-secret`: made at random on first use, readable
    /// by the owner only (0600), and the same at every later start so sessions survive restarts.
    /// Returns the file when it is used. Production is untouched: `check` refuses it there.
    pub fn ensure_development_key(&mut self) -> anyhow::Result<Option<PathBuf>> {
        if self.environment != Environment::Development || !self.jwt_secret().is_empty() {
            return Ok(None);
        }
        let path = self.application.data_dir.join("jwt-secret");
        let key = match std::fs::read_to_string(&path) {
            Ok(text) if text.trim().len() >= 32 => text.trim().to_owned(),
            _ => {
                std::fs::create_dir_all(&self.application.data_dir)?;
                let mut bytes = [0u8; 32];
                rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
                let key = hex::encode(bytes);
                write_private(&path, &key).map_err(|e| {
                    anyhow::anyhow!("cannot write the development signing key {}: {e}", path.display())
                })?;
                key
            }
        };
        self.auth.jwt_secret = Some(key.into());
        Ok(Some(path))
    }

    /// Refuses settings that would run insecurely or not at all, with a message saying what to set.
    pub fn check(&self) -> anyhow::Result<()> {
        let secret = self
            .auth
            .jwt_secret
            .as_ref()
            .map(|s| s.expose_secret())
            .unwrap_or("");
        if secret.is_empty() {
            anyhow::bail!(
                "no JWT signing key: set TALENTBRIDGE__AUTH__JWT_SECRET (at least 32 random bytes)"
            );
        }
        if self.auth.access_token_ttl_secs <= 0 || self.auth.access_token_ttl_secs > 900 {
            anyhow::bail!("auth.access_token_ttl_secs must be between 1 and 900 (15 minutes)");
        }
        if self.search.max_running_searches > MAX_SEARCH_THREADS {
            anyhow::bail!(
                "search.max_running_searches must be at most {MAX_SEARCH_THREADS} (a thread each; 0 sizes it to the cores)"
            );
        }
        if self.environment == Environment::Production {
            if secret.len() < 32 || secret == DEVELOPMENT_SECRET {
                anyhow::bail!(
                    "TALENTBRIDGE__AUTH__JWT_SECRET must be a secret of your own of at least 32 bytes in production"
                );
            }
            let transport = self.mail.transport.trim();
            if !(transport.starts_with("smtp://") || transport.starts_with("smtps://")) {
                anyhow::bail!(
                    "production sends real email: set TALENTBRIDGE__MAIL__TRANSPORT to an smtp:// or smtps:// URL"
                );
            }
            let has_user = url::Url::parse(transport).is_ok_and(|u| !u.username().is_empty());
            if has_user && self.mail.smtp_password.is_none() {
                anyhow::bail!("the SMTP URL names a user: set TALENTBRIDGE__MAIL__SMTP_PASSWORD");
            }
        }
        Ok(())
    }

    pub fn jwt_secret(&self) -> &str {
        self.auth
            .jwt_secret
            .as_ref()
            .map(|s| s.expose_secret())
            .unwrap_or("")
    }
}

/// Writes a file only its owner may read.
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The repository's settings for `environment`; development with a signing key, as its
    /// first start makes one (`ensure_development_key`).
    fn settings(environment: Environment) -> Settings {
        let mut settings = Settings::load_from(
            environment,
            Path::new(env!("CARGO_MANIFEST_DIR")).join("config").as_path(),
        )
        .unwrap();
        if environment == Environment::Development {
            settings.auth.jwt_secret = Some("a-development-key-of-at-least-32-bytes".into());
        }
        settings
    }

    #[test]
    fn development_runs_on_sqlite_in_the_data_dir() {
        let mut s = settings(Environment::Development);
        s.database.url = String::new();
        s.application.data_dir = PathBuf::from("/tmp/tb");
        assert_eq!(s.database_url(), "sqlite:///tmp/tb/talentbridge.db");
        s.check().unwrap();
    }

    #[test]
    fn without_a_config_directory_each_environment_reads_its_compiled_in_file() {
        let empty = tempfile::tempdir().unwrap();
        let development = Settings::load_from(Environment::Development, empty.path()).unwrap();
        assert_eq!(development.mail.transport, "file://mail");
        assert!(
            development.jwt_secret().is_empty(),
            "made per data directory, never shared"
        );
        let production = Settings::load_from(Environment::Production, empty.path()).unwrap();
        assert_eq!(production.application.host, "0.0.0.0");
        assert!(
            production.check().is_err(),
            "still no secret and no SMTP of its own"
        );
        // A file in the directory takes the compiled-in copy's place.
        std::fs::write(
            empty.path().join("development.toml"),
            "[mail]\ntransport = \"log\"\n",
        )
        .unwrap();
        let own = Settings::load_from(Environment::Development, empty.path()).unwrap();
        assert_eq!(own.mail.transport, "log");
    }

    #[test]
    fn search_threads_are_bounded() {
        let mut s = settings(Environment::Development);
        s.search.max_running_searches = MAX_SEARCH_THREADS;
        s.check().unwrap();
        s.search.max_running_searches = MAX_SEARCH_THREADS + 1;
        let refused = s.check().unwrap_err().to_string();
        assert!(refused.contains("search.max_running_searches"), "{refused}");
    }

    #[test]
    fn development_without_a_key_makes_one_in_the_data_dir_and_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = settings(Environment::Development);
        s.auth.jwt_secret = None;
        s.application.data_dir = dir.path().join("data");
        let path = s.ensure_development_key().unwrap().expect("a key file");
        let key = s.jwt_secret().to_owned();
        assert!(key.len() >= 32, "{key}");
        s.check().unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let mut again = settings(Environment::Development);
        again.auth.jwt_secret = None;
        again.application.data_dir = dir.path().join("data");
        again.ensure_development_key().unwrap();
        assert_eq!(again.jwt_secret(), key, "the same key at the next start");
        // A configured key is used as it is; production never gets one made.
        assert_eq!(
            settings(Environment::Development)
                .ensure_development_key()
                .unwrap(),
            None
        );
        let mut production = settings(Environment::Production);
        production.auth.jwt_secret = None;
        production.application.data_dir = dir.path().join("prod");
        assert_eq!(production.ensure_development_key().unwrap(), None);
        assert!(production.check().is_err());
    }

    #[test]
    fn production_refuses_default_secret_and_non_smtp_mail() {
        let mut s = settings(Environment::Production);
        s.auth.jwt_secret = None;
        assert!(s.check().unwrap_err().to_string().contains("JWT_SECRET"));
        s.auth.jwt_secret = Some(DEVELOPMENT_SECRET.into());
        assert!(s.check().unwrap_err().to_string().contains("JWT_SECRET"));
        s.auth.jwt_secret = Some("0123456789abcdef0123456789abcdef-prod".into());
        s.mail.transport = "log".into();
        assert!(s.check().unwrap_err().to_string().contains("smtp"));
        s.mail.transport = "smtp://mailer@smtp.example.org:587".into();
        assert!(s.check().unwrap_err().to_string().contains("SMTP_PASSWORD"));
        s.mail.smtp_password = Some("hunter2".into());
        s.check().unwrap();
    }

    fn with_variables(variables: &[(&str, &str)]) -> anyhow::Result<Settings> {
        let variables = variables
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect();
        Settings::load_layers(
            Environment::Test,
            Path::new(env!("CARGO_MANIFEST_DIR")).join("config").as_path(),
            Some(variables),
        )
    }

    #[test]
    fn trusted_proxies_come_comma_separated_from_the_environment() {
        assert!(
            with_variables(&[])
                .unwrap()
                .application
                .trusted_proxies
                .is_empty()
        );
        let s = with_variables(&[(
            "TALENTBRIDGE__APPLICATION__TRUSTED_PROXIES",
            "10.0.0.0/8, 2001:db8::/32,192.0.2.7",
        )])
        .unwrap();
        let blocks: Vec<String> = s
            .application
            .trusted_proxies
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(blocks, ["10.0.0.0/8", "2001:db8::/32", "192.0.2.7/32"]);
    }

    #[test]
    fn an_invalid_trusted_proxy_refuses_the_configuration_naming_it() {
        let error = with_variables(&[(
            "TALENTBRIDGE__APPLICATION__TRUSTED_PROXIES",
            "10.0.0.0/8,10.0.0.0/40",
        )])
        .unwrap_err()
        .to_string();
        assert!(error.contains("invalid configuration"), "{error}");
        assert!(error.contains("\"10.0.0.0/40\" is not a CIDR block"), "{error}");
        assert!(error.contains("application.trusted_proxies"), "{error}");
    }

    #[test]
    fn metrics_are_served_only_where_configured() {
        assert_eq!(with_variables(&[]).unwrap().application.metrics_bind(), None);
        let blank = with_variables(&[("TALENTBRIDGE__APPLICATION__METRICS_BIND", " ")]).unwrap();
        assert_eq!(blank.application.metrics_bind(), None);
        let set = with_variables(&[("TALENTBRIDGE__APPLICATION__METRICS_BIND", "127.0.0.1:9464")]).unwrap();
        assert_eq!(set.application.metrics_bind(), Some("127.0.0.1:9464"));
    }
}
