//! The indexer: one task per process applies index events in id order, in batches, each batch
//! committed together with the id of its last event. A crash between a write and its commit
//! loses only uncommitted work, which the next start replays from the committed position: nothing
//! is lost and, since applying an event re-reads the record from the database and replaces its
//! document, nothing is applied twice in effect.

use std::sync::Arc;
use std::time::Duration;

use tantivy::Term;
use tokio::sync::watch;

use super::candidates_index;
use super::events::{self, Kind};
use super::{Search, jobs_index};
use crate::candidates::model::CandidateRecords;
use crate::db::{Db, DbConnection};
use crate::error::AppError;
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

/// Applies every pending event to both indexes; returns how many events each index read.
pub async fn catch_up(db: &Db, search: &Arc<Search>, registry: &RegistryHandle) -> anyhow::Result<usize> {
    let jobs = catch_up_index(db, search, registry, Kind::Job).await?;
    let candidates = catch_up_index(db, search, registry, Kind::Candidate).await?;
    Ok(jobs.max(candidates))
}

/// What an event turns into for its index: the record to (re)index, or nothing to delete it.
enum Loaded {
    Job(Option<FullJob>),
    Candidate(Option<CandidateRecords>),
    /// An event for the other index: only the position moves.
    Elsewhere,
}

/// Each index reads the one event log from its own committed position.
async fn catch_up_index(
    db: &Db,
    search: &Arc<Search>,
    registry: &RegistryHandle,
    kind: Kind,
) -> anyhow::Result<usize> {
    let index = match kind {
        Kind::Job => &search.jobs,
        Kind::Candidate => &search.candidates,
    };
    let mut applied = 0;
    loop {
        let last = index.applied_through();
        let batch = db
            .read(move |conn| {
                let pending = events::after(conn, last, BATCH)?;
                let mut loaded = Vec::with_capacity(pending.len());
                for event in pending {
                    let record = match (event.kind.as_str(), kind) {
                        ("job", Kind::Job) => Loaded::Job(open_job(conn, &event.target_id)?),
                        ("candidate", Kind::Candidate) => {
                            Loaded::Candidate(live_candidate(conn, &event.target_id)?)
                        }
                        _ => Loaded::Elsewhere,
                    };
                    loaded.push((event, record));
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
            let index = match kind {
                Kind::Job => &search.jobs,
                Kind::Candidate => &search.candidates,
            };
            index.apply(through, |writer| {
                for (event, record) in &batch {
                    match record {
                        Loaded::Job(job) => {
                            let fields = &search.job_fields;
                            writer.delete_term(Term::from_field_text(fields.id, &event.target_id));
                            if let Some(full) = job {
                                writer.add_document(jobs_index::document(
                                    fields,
                                    full,
                                    &registry,
                                    &search.rates,
                                ))?;
                            }
                        }
                        Loaded::Candidate(candidate) => {
                            let fields = &search.candidate_fields;
                            writer.delete_term(Term::from_field_text(fields.id, &event.target_id));
                            if let Some(candidate) = candidate {
                                writer.add_document(candidates_index::document(
                                    fields,
                                    candidate,
                                    &registry,
                                    &search.rates,
                                ))?;
                            }
                        }
                        Loaded::Elsewhere => {}
                    }
                }
                Ok(())
            })
        })
        .await??;
    }
}

/// The job with its lists when it is open now; `None` when it must not be in the index.
fn open_job(conn: &mut DbConnection, id: &str) -> Result<Option<FullJob>, AppError> {
    let now = chrono::Utc::now().naive_utc();
    match crate::jobs::store::find_job(conn, id)? {
        Some(job) if crate::jobs::service::is_open(&job, now) => {
            Ok(Some(crate::jobs::service::load_full(conn, job)?))
        }
        _ => Ok(None),
    }
}

/// The candidate with what the index holds of them; `None` once erased (or never created).
fn live_candidate(conn: &mut DbConnection, id: &str) -> Result<Option<CandidateRecords>, AppError> {
    Ok(crate::candidates::store::records(conn, id)?)
}
