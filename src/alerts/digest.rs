//! Alerts: saved searches that are due are run on the jobs index, and the jobs new to each are
//! mailed to its candidate as one digest, through the outbox.
//!
//! - **Due:** instant searches at every run (every `alerts.interval_secs`), daily and weekly ones
//!   once their day or week has passed (`Frequency::next_due`).
//! - **New:** published since the previous run minus `alerts.lookback_secs` (a job the index had
//!   not caught up with then is found now), never before the search was saved, open at the time
//!   of the run, and not mailed for this search before.
//! - **Once:** a run claims a search by moving its `next_due_at` with a guarded update (one node
//!   wins), and in the same transaction writes a `saved_search_hits` row per job mailed
//!   (insert-or-ignore, and only what this run inserted is mailed) and queues the email. Several
//!   nodes, or a run repeated, never mail a job twice for one search.
//! - **Who:** only live candidate accounts; an erased candidate's searches are deleted with them.

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDateTime;
use tokio::sync::watch;

use super::model::{Frequency, SavedSearchRow};
use super::store;
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::{Locale, LocalizedText};
use crate::mail::{Template, outbox};
use crate::paging::{MAX_LIMIT, Page};
use crate::registry::{Registry, RegistryHandle};
use crate::search::Search;
use crate::search::job_search::on_index::{self as job_search, JobQuery};

/// The most jobs one digest lists (best matches first); the email links to the full search.
pub const MAX_JOBS_PER_EMAIL: usize = 20;
/// How many hits of one search a run looks through for jobs not mailed yet.
const MAX_HITS_SCANNED: i64 = 500;
/// How many due searches one run takes; the rest wait for the next run.
const MAX_SEARCHES_PER_RUN: i64 = 1000;

/// What the alerts need: the database, this node's jobs index and registry, the front end's
/// address for links, and the lookback.
#[derive(Clone)]
pub struct Alerts {
    pub db: Db,
    pub search: Arc<Search>,
    pub registry: Arc<RegistryHandle>,
    pub base_url: String,
    pub lookback: chrono::Duration,
}

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    /// Digests queued (one per saved search that had new jobs).
    pub emails: usize,
    /// Jobs listed in them.
    pub jobs: usize,
    /// Searches that could not be run (logged); they are tried again at the next run.
    pub failed: usize,
}

/// Runs every saved search due at `now` and queues the digests.
pub async fn send_due_alerts(alerts: &Alerts, now: NaiveDateTime) -> Result<Sent, AppError> {
    let due = alerts
        .db
        .read(move |conn| Ok(store::due(conn, now, MAX_SEARCHES_PER_RUN)?))
        .await?;
    let mut sent = Sent::default();
    for search in due {
        let id = search.id.clone();
        match run_one(alerts, search, now).await {
            Ok(0) => {}
            Ok(jobs) => {
                sent.emails += 1;
                sent.jobs += jobs;
            }
            Err(error) => {
                tracing::warn!(%error, saved_search = %id, "cannot run a saved search");
                sent.failed += 1;
            }
        }
    }
    Ok(sent)
}

/// Runs one due search; returns how many jobs were mailed.
async fn run_one(alerts: &Alerts, search: SavedSearchRow, now: NaiveDateTime) -> Result<usize, AppError> {
    let registry = alerts.registry.get();
    let mut query = crate::search::job_search::request::check_filters(
        &registry,
        &alerts.search.rates,
        search.saved_filters().job_filters(&search.query),
    )?;
    query.posted_since = Some(search.window_start(alerts.lookback));
    let index = alerts.search.clone();
    let found = actix_web::rt::task::spawn_blocking(move || hit_ids(&index, &query, now))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("search task failed: {e}")))??;
    let frequency = Frequency::parse(&search.frequency).unwrap_or(Frequency::Daily);
    let next_due = frequency.next_due(search.next_due_at, now);
    let base = alerts.base_url.trim_end_matches('/').to_owned();
    alerts
        .db
        .write(move |conn| {
            if !store::claim(conn, &search.id, search.next_due_at, next_due, now)? {
                return Ok(0); // another node ran it, or it was deleted meanwhile
            }
            let Some((email, locale)) = store::contact(conn, &search.user_id)? else {
                return Ok(0);
            };
            let locale: Locale = locale.parse().unwrap_or_default();
            let mut rows = store::jobs_with_employer(conn, &found)?;
            rows.sort_by_key(|(job, _)| found.iter().position(|id| *id == job.id));
            let mut mailed = Vec::new();
            for (job, employer) in rows {
                if mailed.len() == MAX_JOBS_PER_EMAIL {
                    break;
                }
                // The index may trail the database: the row decides. And never a job that was
                // there before the search was saved.
                let new = job.published_at.is_some_and(|at| at >= search.created_at);
                if !crate::jobs::status::is_open(&job, now) || !new {
                    continue;
                }
                if store::record_hit(conn, &search.id, &job.id, now)? {
                    let line = job_line(&registry, locale, &job.title, &employer, &job.location_id);
                    mailed.push((line, format!("{base}/jobs/{}", job.id)));
                }
            }
            if mailed.is_empty() {
                return Ok(0);
            }
            let count = mailed.len();
            let template = Template::JobAlert {
                query: search.query.clone(),
                jobs: mailed,
                search_link: format!("{base}/jobs/search?{}", search_parameters(&search)),
                manage_link: format!("{base}/saved-searches"),
            };
            outbox::enqueue(conn, &email, locale, &template)?;
            Ok(count)
        })
        .await
}

/// The ids of the jobs matching, best first, up to `MAX_HITS_SCANNED`. Blocking.
fn hit_ids(search: &Search, query: &JobQuery, now: NaiveDateTime) -> Result<Vec<String>, AppError> {
    let mut ids = Vec::new();
    let mut page = Page {
        limit: i64::from(MAX_LIMIT),
        offset: 0,
    };
    while page.offset < MAX_HITS_SCANNED {
        let found = job_search::search(search, query, page, now)?;
        let last = found.hits.len() < page.limit as usize;
        ids.extend(found.hits.into_iter().map(|hit| hit.id));
        if last {
            break;
        }
        page.offset += page.limit;
    }
    Ok(ids)
}

/// "Title — Employer · Place", the place in the reader's language.
fn job_line(registry: &Registry, locale: Locale, title: &str, employer: &str, location_id: &str) -> String {
    match registry.locations.iter().find(|l| l.id == location_id) {
        Some(place) => {
            let name = LocalizedText::new(&place.name_en, &place.name_zh_hans, &place.name_zh_hant);
            format!("{title} — {employer} · {}", name.get(locale))
        }
        None => format!("{title} — {employer}"),
    }
}

/// The saved search as `GET /jobs/search` parameters, for the "see all" link.
fn search_parameters(search: &SavedSearchRow) -> String {
    let filters = search.saved_filters();
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if !search.query.is_empty() {
        query.append_pair("q", &search.query);
    }
    let pairs = [
        ("jurisdiction", filters.jurisdiction),
        ("location_id", filters.location_id),
        ("skill_id", filters.skill_id),
        ("employment_type", filters.employment_type),
        ("sponsorship", filters.sponsorship.map(|s| s.to_string())),
        ("salary_min", filters.salary_min.map(|s| s.to_string())),
        ("salary_currency", filters.salary_currency),
    ];
    for (name, value) in pairs {
        if let Some(value) = value {
            query.append_pair(name, &value);
        }
    }
    query.finish()
}

/// The background task: runs the alerts every `every`, first after one interval, until shutdown.
pub async fn run(alerts: Alerts, every: Duration, shutdown: watch::Receiver<bool>) {
    crate::background::every(every, shutdown, || {
        let alerts = alerts.clone();
        async move {
            match send_due_alerts(&alerts, chrono::Utc::now().naive_utc()).await {
                Ok(sent) if sent != Sent::default() => tracing::info!(?sent, "job alerts queued"),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "cannot run the job alerts"),
            }
        }
    })
    .await
}
