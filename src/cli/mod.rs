//! The command line: `serve` (default), `migrate`, `reindex`, `seed-demo`, `admin create`,
//! `analyze`.

mod analyze;
mod demo;
mod progress;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::auth::Role;
use crate::auth::domain::{DisplayName, Email, Password};
use crate::auth::service::{NewAccount, create_verified_account};
use crate::i18n::Locale;
use crate::search::indexing::rebuild::rebuild;
use crate::settings::{Environment, Settings};
use crate::startup::{Application, open_database};
use progress::Bars;

#[derive(Debug, Parser)]
#[command(
    name = "talentbridge",
    version,
    about = "Cross-border labour market service for Shenzhen and Hong Kong"
)]
pub struct Cli {
    /// Directory for the SQLite database (when no database URL is set), mail files and indexes.
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service (the default).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Rebuild both search indexes from the database into new directories and put them live;
    /// a service running on the same data directory swaps them in without stopping.
    Reindex,
    /// Write a realistic demo market (reproducible from its seed), then rebuild the indexes and
    /// print the demo accounts. Once per database.
    SeedDemo(demo::SeedArgs),
    /// Print the terms search reads each line of standard input as (or, with --vocabulary, the
    /// Hong Kong / Taiwan / Mainland word pairs it bridges). Needs no database.
    Analyze(analyze::AnalyzeArgs),
    /// Administration tasks.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Debug, Args, Default)]
pub struct ServeArgs {
    /// Address to listen on, HOST:PORT.
    #[arg(long)]
    pub bind: Option<String>,
    /// On first start, fill the database with a small demo market (see `seed-demo`).
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an administrator account, verified from the start.
    Create {
        #[arg(long)]
        email: String,
        /// Or set TALENTBRIDGE_ADMIN_PASSWORD, which keeps it out of the shell history.
        #[arg(long, env = "TALENTBRIDGE_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long, default_value = "Administrator")]
        display_name: String,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let data_dir = cli.data_dir;
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => serve(args, data_dir).await,
        Command::Migrate => {
            let settings = load_settings(data_dir)?;
            open_database(&settings).await?;
            println!(
                "migrations applied to {}",
                crate::db::redact_url(&settings.database_url())
            );
            Ok(())
        }
        Command::Reindex => reindex(data_dir).await,
        Command::Analyze(args) => analyze::analyze(args),
        Command::SeedDemo(args) => {
            let settings = load_settings(data_dir)?;
            demo::seed_demo(&settings, args.size()).await
        }
        Command::Admin {
            command:
                AdminCommand::Create {
                    email,
                    password,
                    display_name,
                },
        } => {
            let settings = load_settings(data_dir)?;
            let account = NewAccount {
                email: Email::parse(&email).map_err(|e| anyhow::anyhow!("--email {e}"))?,
                password: Password::parse(&password).map_err(|e| anyhow::anyhow!("--password {e}"))?,
                role: Role::Admin,
                display_name: DisplayName::parse(&display_name)
                    .map_err(|e| anyhow::anyhow!("--display-name {e}"))?,
                locale: Locale::En,
            };
            let db = open_database(&settings).await?;
            let user = create_verified_account(&db, account)
                .await
                .map_err(|e| anyhow::anyhow!("cannot create the admin: {e}"))?;
            println!("admin {} created with id {}", user.email, user.id);
            Ok(())
        }
    }
}

async fn serve(args: ServeArgs, data_dir: Option<PathBuf>) -> anyhow::Result<()> {
    let mut settings = load_settings(data_dir)?;
    if let Some(bind) = &args.bind {
        let (host, port) = bind
            .rsplit_once(':')
            .ok_or_else(|| anyhow::anyhow!("--bind takes HOST:PORT, got {bind:?}"))?;
        settings.application.host = host.trim_matches(['[', ']']).to_owned();
        settings.application.port = port
            .parse()
            .map_err(|_| anyhow::anyhow!("--bind: invalid port {port:?}"))?;
    }
    if args.demo {
        demo::seed_once(&settings).await?;
    }
    let app = Application::build(settings.clone()).await?;
    let base = format!(
        "http://{}:{}",
        display_host(&settings.application.host),
        app.port()
    );
    tracing::info!(address = %base, "TalentBridge is listening");
    println!(
        "TalentBridge is listening on {base}\n  Site:     {base}/\n  API docs: {base}/docs/\n  OpenAPI:  {base}/api/v1/openapi.json"
    );
    app.run_until_stopped().await?;
    Ok(())
}

async fn reindex(data_dir: Option<PathBuf>) -> anyhow::Result<()> {
    let settings = load_settings(data_dir)?;
    let db = open_database(&settings).await?;
    let registry = crate::registry::open(&db).await?.get();
    let rates = crate::money::Rates::new(&settings.rates);
    rebuild(
        &db,
        &settings.application.data_dir,
        registry,
        &rates,
        &Bars::default(),
    )
    .await?;
    Ok(())
}

fn display_host(host: &str) -> &str {
    if host == "0.0.0.0" { "localhost" } else { host }
}

fn load_settings(data_dir: Option<PathBuf>) -> anyhow::Result<Settings> {
    let mut settings = Settings::load()?;
    if let Some(dir) = data_dir {
        settings.application.data_dir = dir;
    }
    crate::search::schema::vocabulary::configure(settings.search.vocabulary);
    crate::telemetry::init(settings.environment == Environment::Production);
    Ok(settings)
}
