//! The indexer: one task per process applies index events in id order, in batches, each batch
//! committed together with the id of its last event. A crash between a write and its commit
//! loses only uncommitted work, which the next start replays from the committed position: nothing
//! is lost and, since applying an event re-reads the record from the database and replaces its
//! document, nothing is applied twice in effect.

use std::sync::Arc;
use std::time::Duration;

use tantivy::Term;
use tokio::sync::watch;

use super::Search;
use super::events::{self, IndexEvent, Kind};
use super::jobs_index::document;
use crate::db::Db;
use crate::jobs::model::FullJob;
use crate::registry::RegistryHandle;

/// Events read and committed at once: large enough to amortise a commit's fsync, small enough to
/// keep a batch's memory and latency low.
const BATCH: i64 = 500;

/// Keeps the indexes in step until shutdown; polls every `every`.
pub async fn run(
    db: Db,
    search: Arc<Search>,
    registry: Arc<RegistryHandle>,
    every: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        if let Err(error) = catch_up(&db, &search, &registry).await {
            tracing::warn!(%error, "search indexing failed; retrying");
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            return;
        }
    }
}

/// Applies every pending event; returns how many.
pub async fn catch_up(db: &Db, search: &Arc<Search>, registry: &RegistryHandle) -> anyhow::Result<usize> {
    let mut applied = 0;
    loop {
        let last = search.jobs.applied_through()?;
        let batch = db
            .read(move |conn| {
                let pending = events::after(conn, last, BATCH)?;
                let mut loaded = Vec::with_capacity(pending.len());
                for event in pending {
                    let job = match event.kind.as_str() {
                        "job" => open_job(conn, &event.target_id)?,
                        _ => None,
                    };
                    loaded.push((event, job));
                }
                Ok(loaded)
            })
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let Some(through) = batch.last().map(|(event, _)| event.id) else {
            return Ok(applied);
        };
        applied += batch.len();
        let (search, registry) = (search.clone(), registry.get());
        tokio::task::spawn_blocking(move || {
            let fields = &search.job_fields;
            search.jobs.apply(through, |writer| {
                for (event, job) in &batch {
                    if !is_job(event) {
                        continue;
                    }
                    writer.delete_term(Term::from_field_text(fields.id, &event.target_id));
                    if let Some(full) = job {
                        writer.add_document(document(fields, full, &registry, &search.rates))?;
                    }
                }
                Ok(())
            })
        })
        .await??;
    }
}

fn is_job(event: &IndexEvent) -> bool {
    event.kind == Kind::Job.as_str()
}

/// The job with its lists when it is open now; `None` when it must not be in the index.
fn open_job(conn: &mut crate::db::DbConnection, id: &str) -> Result<Option<FullJob>, crate::error::AppError> {
    let now = chrono::Utc::now().naive_utc();
    match crate::jobs::store::find_job(conn, id)? {
        Some(job) if crate::jobs::service::is_open(&job, now) => {
            Ok(Some(crate::jobs::service::load_full(conn, job)?))
        }
        _ => Ok(None),
    }
}
