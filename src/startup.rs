//! Builds the service exactly as production runs it — tests call the same code with port 0.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{ErrorHandlers, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing_actix_web::TracingLogger;
use utoipa_swagger_ui::SwaggerUi;

use crate::db::{ConnectionManager, Db, redact_url, run_migrations_waiting};
use crate::http::metrics::{self, Metrics};
use crate::http::request_span::RequestSpan;
use crate::http::{self as plumbing, BodyLimit};
use crate::mail::MailSignal;
use crate::mail::dispatcher::Dispatcher;
use crate::money::Rates;
use crate::search::{self, Search};
use crate::settings::Settings;
use crate::state::AppState;
use crate::{
    alerts, analytics, applications, audit, auth, candidates, cases, eligibility, employers, health, jobs,
    matching, registry,
};

pub struct Application {
    port: u16,
    server: Server,
    metrics: Option<MetricsListener>,
    shutdown: watch::Sender<bool>,
    background: Vec<JoinHandle<()>>,
}

impl Application {
    /// Checks the settings, migrates, opens the pool, starts the background tasks and binds.
    pub async fn build(mut settings: Settings) -> anyhow::Result<Self> {
        if let Some(path) = settings.ensure_development_key()? {
            tracing::info!(
                key = %path.display(),
                "development: no JWT signing key configured, using the one kept in the data directory"
            );
        }
        settings.check()?;
        let settings = Arc::new(settings);
        let db = open_database(&settings).await?;
        let listener = TcpListener::bind((settings.application.host.as_str(), settings.application.port))
            .map_err(|e| {
                anyhow::anyhow!(
                    "cannot listen on {}:{}: {e}",
                    settings.application.host,
                    settings.application.port
                )
            })?;
        let port = listener.local_addr()?.port();
        let metrics_listener = settings
            .application
            .metrics_bind()
            .map(|bind| {
                TcpListener::bind(bind)
                    .map_err(|e| anyhow::anyhow!("cannot listen for metrics on {bind}: {e}"))
            })
            .transpose()?;

        let registry = Arc::new(registry::open(&db).await?);
        let search = Arc::new(open_search(&settings)?);
        cases::templates::open(&db).await?;
        let mail = MailSignal::default();
        let (shutdown, shutdown_rx) = watch::channel(false);
        let data_dir = &settings.application.data_dir;
        let dispatcher = Dispatcher::new(db.clone(), &settings.mail, data_dir, mail.notify_handle())?;
        let follow_every = Duration::from_millis(settings.application.registry_poll_ms.max(100));
        let background = vec![
            tokio::spawn(dispatcher.run(shutdown_rx.clone())),
            tokio::spawn(registry::follow_changes(
                db.clone(),
                registry.clone(),
                follow_every,
                shutdown_rx.clone(),
            )),
            tokio::spawn(search::indexing::indexer::run(
                db.clone(),
                search.clone(),
                registry.clone(),
                Duration::from_millis(settings.application.index_poll_ms.max(10)),
                shutdown_rx.clone(),
            )),
            tokio::spawn(search::indexing::prune::run(
                db.clone(),
                search.clone(),
                settings.search.clone(),
                shutdown_rx.clone(),
            )),
            tokio::spawn(cases::reminders::run(
                db.clone(),
                settings.application.base_url.clone(),
                Duration::from_secs(settings.cases.reminder_interval_secs.max(1)),
                shutdown_rx.clone(),
            )),
            tokio::spawn(alerts::digest::run(
                alerts::digest::Alerts {
                    db: db.clone(),
                    search: search.clone(),
                    registry: registry.clone(),
                    base_url: settings.application.base_url.clone(),
                    lookback: chrono::Duration::seconds(
                        settings.alerts.lookback_secs.min(i64::MAX as u64) as i64
                    ),
                },
                Duration::from_secs(settings.alerts.interval_secs.max(1)),
                shutdown_rx,
            )),
        ];
        actix_web::rt::task::spawn_blocking(|| {
            auth::password::warm_up();
            registry::fold::warm_up();
            search::schema::analysis::warm_up();
        });

        let state = web::Data::new(AppState::new(db, settings.clone(), mail, registry, search)?);
        let jwt = web::Data::new(state.jwt.clone());
        let metrics = web::Data::new(Metrics::new());
        let (job_pages, gate) = (&state.search.job_pages, &state.search.gate);
        metrics.register([
            job_pages.hits.clone(),
            job_pages.misses.clone(),
            gate.queued.clone(),
            gate.refused.clone(),
        ]);
        let scraped = metrics.clone();
        let body_limit = BodyLimit(settings.application.max_body_bytes);
        let openapi = crate::openapi::document();
        let server = HttpServer::new(move || {
            App::new()
                .wrap(ErrorHandlers::new().default_handler(plumbing::problem_for_bare_errors))
                .wrap(from_fn(metrics::record))
                .wrap(from_fn(plumbing::cors))
                .wrap(from_fn(plumbing::response_headers))
                .wrap(TracingLogger::<RequestSpan>::new())
                .app_data(state.clone())
                .app_data(jwt.clone())
                .app_data(metrics.clone())
                .app_data(web::Data::new(body_limit))
                .app_data(web::PayloadConfig::new(body_limit.0))
                .app_data(plumbing::query_config())
                .app_data(plumbing::path_config())
                .service(web::resource("/healthz").get(health::healthz))
                .service(web::resource("/readyz").get(health::readyz))
                .route(
                    "/docs",
                    web::get().to(|| async {
                        HttpResponse::PermanentRedirect()
                            .insert_header(("Location", "/docs/"))
                            .finish()
                    }),
                )
                .service(SwaggerUi::new("/docs/{_:.*}").url("/api/v1/openapi.json", openapi.clone()))
                .service(
                    web::scope("/api/v1")
                        .configure(auth::routes::configure)
                        .configure(registry::routes::configure)
                        .configure(employers::routes::configure)
                        .configure(search::routes::configure)
                        .configure(matching::routes::configure)
                        .configure(jobs::routes::configure)
                        .configure(eligibility::routes::configure)
                        .configure(candidates::routes::configure)
                        .configure(applications::routes::configure)
                        .configure(cases::routes::configure)
                        .configure(alerts::routes::configure)
                        .configure(analytics::routes::configure)
                        .configure(audit::routes::configure),
                )
                .configure(crate::web::configure)
                .default_service(web::to(crate::web::not_found))
        })
        .listen(listener)?
        .workers(worker_count(&settings))
        .shutdown_timeout(settings.application.shutdown_timeout_secs)
        .run();
        let metrics = metrics_listener
            .map(|listener| MetricsListener::start(listener, scraped))
            .transpose()?;
        Ok(Self {
            port,
            server,
            metrics,
            shutdown,
            background,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port `/metrics` is served on, if `application.metrics_bind` is set.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|metrics| metrics.port)
    }

    /// Stops the server from elsewhere (tests, embedding).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until the server stops (SIGINT/SIGTERM: in-flight requests finish first), then
    /// stops the background tasks and waits for them.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        if let Some(metrics) = self.metrics {
            metrics.stop().await;
        }
        let _ = self.shutdown.send(true);
        for task in self.background {
            let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
        }
        served
    }
}

/// `/metrics` on a listener of its own, so that the public one (behind the proxy) never serves
/// it: request counts by route and status are for the operators, not for clients.
struct MetricsListener {
    port: u16,
    handle: ServerHandle,
    served: JoinHandle<std::io::Result<()>>,
}

impl MetricsListener {
    fn start(listener: TcpListener, recorded: web::Data<Metrics>) -> anyhow::Result<Self> {
        let port = listener.local_addr()?.port();
        let server = HttpServer::new(move || {
            App::new()
                .wrap(ErrorHandlers::new().default_handler(plumbing::problem_for_bare_errors))
                .app_data(recorded.clone())
                .service(web::resource("/metrics").get(metrics::endpoint))
                .default_service(web::to(plumbing::not_found))
        })
        .listen(listener)?
        .workers(1)
        // The public server's signal handling stops this one (run_until_stopped).
        .disable_signals()
        .run();
        Ok(Self {
            port,
            handle: server.handle(),
            served: actix_web::rt::spawn(server),
        })
    }

    async fn stop(self) {
        self.handle.stop(true).await;
        let _ = self.served.await;
    }
}

/// Runs the migrations on a dedicated connection, then opens the pool.
pub async fn open_database(settings: &Settings) -> anyhow::Result<Db> {
    std::fs::create_dir_all(&settings.application.data_dir).map_err(|e| {
        anyhow::anyhow!(
            "cannot create the data directory {}: {e}",
            settings.application.data_dir.display()
        )
    })?;
    let url = settings.database_url();
    let manager =
        ConnectionManager::new(&url, settings.database.sqlite_busy_timeout_ms).map_err(anyhow::Error::msg)?;
    let pool_size = settings.database.pool_size.max(1);
    let timeout = Duration::from_secs(settings.database.connect_timeout_secs.max(1));
    let wait = Duration::from_secs(settings.database.startup_wait_secs);
    actix_web::rt::task::spawn_blocking(move || {
        let applied = run_migrations_waiting(&manager, wait)?;
        if !applied.is_empty() {
            tracing::info!(migrations = ?applied, "database migrated");
        }
        tracing::info!(database = %redact_url(&url), "database ready");
        Db::connect(manager, pool_size, timeout)
    })
    .await?
}

/// Opens the indexes after checking that their directory takes writes. A node whose disk is full
/// or read-only refuses to start, naming the directory and the file system's error: it could
/// only serve a search that no longer follows the database, and readiness would keep traffic
/// away from it anyway. (A disk that fills up later is reported by `/readyz` instead.)
fn open_search(settings: &Settings) -> anyhow::Result<Search> {
    let root = search::indexing::layout::root(&settings.application.data_dir);
    let unwritable = |error: std::io::Error| {
        anyhow::anyhow!(
            "the search index directory {} cannot be written: {error}",
            root.display()
        )
    };
    search::schema::vocabulary::configure(settings.search.vocabulary);
    std::fs::create_dir_all(&root).map_err(unwritable)?;
    search::indexing::layout::check_writable(&root).map_err(unwritable)?;
    Search::open(&settings.application.data_dir, Rates::new(&settings.rates))
        .map(|search| {
            search
                .with_job_page_cache(settings.search.job_cache_mib << 20)
                .with_gate(
                    settings.search.max_running_searches,
                    settings.search.max_waiting_searches,
                )
        })
        .map_err(|error| error.context(format!("cannot open the search indexes in {}", root.display())))
}

fn worker_count(settings: &Settings) -> usize {
    match settings.application.workers {
        0 => std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
        n => n,
    }
}
