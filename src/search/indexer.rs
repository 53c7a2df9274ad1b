//! The indexer: one task per process applies index events in id order, in batches, each batch
//! committed together with the id of its last event. A crash between a write and its commit
//! loses only uncommitted work, which the next start replays from the committed position: nothing
//! is lost and, since applying an event re-reads the record from the database and replaces its
//! document, nothing is applied twice in effect.
//!
//! On each poll it also looks at the pointer files (see `layout`): when `reindex` has put a
//! rebuilt index live, it opens it, brings it up to date, swaps it in and drops the old one.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tantivy::Term;
use tokio::sync::watch;

use super::candidates_index;
use super::events::{self, Kind};
use super::index::SearchIndex;
use super::{Search, jobs_index, layout, source};
use crate::candidates::model::CandidateRecords;
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
        if let Err(error) = follow_rebuilds(&db, &search, &registry).await {
            tracing::warn!(error = %format!("{error:#}"), "cannot swap in a rebuilt index; retrying");
        }
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

/// Applies every pending event to both indexes, a batch for each in turn (so a stream of job
/// changes does not hold back the candidates index); returns how many events each index read.
pub async fn catch_up(db: &Db, search: &Arc<Search>, registry: &RegistryHandle) -> anyhow::Result<usize> {
    let (jobs, candidates) = (search.jobs(), search.candidates());
    let (mut jobs_read, mut candidates_read) = (0, 0);
    loop {
        let job_batch = apply_batch(db, search, registry, Kind::Job, &jobs).await?;
        let candidate_batch = apply_batch(db, search, registry, Kind::Candidate, &candidates).await?;
        jobs_read += job_batch;
        candidates_read += candidate_batch;
        if job_batch == 0 && candidate_batch == 0 {
            return Ok(jobs_read.max(candidates_read));
        }
    }
}

/// Swaps in the indexes that `reindex` put live through their pointer files since the last
/// poll; returns which. The new index is brought up to date before the swap, so searches never
/// step back in time; the old one is retired (its directory removed once the searches still
/// on it finish).
pub async fn follow_rebuilds(
    db: &Db,
    search: &Arc<Search>,
    registry: &RegistryHandle,
) -> anyhow::Result<Vec<Kind>> {
    let root = search.root().to_owned();
    let pointers = tokio::task::spawn_blocking(move || {
        [Kind::Job, Kind::Candidate].map(|kind| {
            let name = layout::read_pointer(&root, kind)?;
            Ok::<_, std::io::Error>(name.filter(|name| root.join(name).is_dir()))
        })
    })
    .await?;
    let mut swapped = Vec::new();
    for (kind, pointer) in [Kind::Job, Kind::Candidate].into_iter().zip(pointers) {
        let Some(name) = pointer? else {
            continue;
        };
        let old = search.index(kind).dir_name();
        if name == old {
            continue;
        }
        let dir = search.root().join(&name);
        let opened =
            tokio::task::spawn_blocking(move || SearchIndex::open(&dir, Search::schema(kind))).await?;
        let fresh = match opened {
            Ok(index) => Arc::new(index),
            // `reindex` writes the pointer just before it lets go of the writer lock.
            Err(error) if lock_busy(&error) => continue,
            Err(error) => return Err(error.context(format!("opening the rebuilt index {name}"))),
        };
        let from = fresh.applied_through();
        let replayed = catch_up_index(db, search, registry, kind, fresh.clone()).await?;
        let swapping = search.clone();
        tokio::task::spawn_blocking(move || {
            let root = swapping.root().to_owned();
            swapping.replace(kind, fresh);
            // Crashed or superseded rebuilds; the retired index removes itself.
            for removed in layout::remove_leftovers(&root, kind, &[&name, &old]) {
                tracing::info!(path = %removed.display(), "leftover index removed");
            }
        })
        .await?;
        tracing::info!(
            index = layout::base(kind),
            from,
            replayed,
            "rebuilt index swapped in"
        );
        swapped.push(kind);
    }
    Ok(swapped)
}

fn lock_busy(error: &anyhow::Error) -> bool {
    matches!(
        error.downcast_ref::<tantivy::TantivyError>(),
        Some(tantivy::TantivyError::LockFailure(
            tantivy::directory::error::LockError::LockBusy,
            _
        ))
    )
}

/// The records a batch of events names, as they are now.
enum Loaded {
    /// The open ones among the jobs named; the others leave the index.
    Jobs(Vec<FullJob>),
    /// The live ones among the candidates named; erased ones leave the index.
    Candidates(Vec<CandidateRecords>),
}

/// Reads the one event log from `index`'s committed position and applies it to `index`, until
/// no event is left.
async fn catch_up_index(
    db: &Db,
    search: &Arc<Search>,
    registry: &RegistryHandle,
    kind: Kind,
    index: Arc<SearchIndex>,
) -> anyhow::Result<usize> {
    let mut applied = 0;
    loop {
        let read = apply_batch(db, search, registry, kind, &index).await?;
        if read == 0 {
            return Ok(applied);
        }
        applied += read;
    }
}

/// Applies the next batch of events after `index`'s committed position to it and commits;
/// returns how many events it read (0: the index is up to date).
async fn apply_batch(
    db: &Db,
    search: &Arc<Search>,
    registry: &RegistryHandle,
    kind: Kind,
    index: &Arc<SearchIndex>,
) -> anyhow::Result<usize> {
    let last = index.applied_through();
    let (read, through, targets, loaded) = db
        .read(move |conn| {
            let pending = events::after(conn, last, BATCH)?;
            let through = pending.last().map(|event| event.id);
            // Events for the other index only move the position.
            let mut targets: Vec<String> = pending
                .iter()
                .filter(|event| event.kind == kind.as_str())
                .map(|event| event.target_id.clone())
                .collect();
            targets.sort();
            targets.dedup();
            let loaded = match kind {
                Kind::Job => Loaded::Jobs(source::open_jobs(conn, &targets, Utc::now().naive_utc())?),
                Kind::Candidate => Loaded::Candidates(source::live_candidates(conn, &targets)?),
            };
            Ok((pending.len(), through, targets, loaded))
        })
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let Some(through) = through else {
        return Ok(0);
    };
    let (search, registry, index) = (search.clone(), registry.get(), index.clone());
    tokio::task::spawn_blocking(move || {
        index.apply(through, |writer| {
            // Every record named leaves the index; those still indexable come back. A delete
            // applies to the documents added before it only, so the order matters.
            let id = match kind {
                Kind::Job => search.job_fields.id,
                Kind::Candidate => search.candidate_fields.id,
            };
            for target in &targets {
                writer.delete_term(Term::from_field_text(id, target));
            }
            match &loaded {
                Loaded::Jobs(jobs) => {
                    for full in jobs {
                        writer.add_document(jobs_index::document(
                            &search.job_fields,
                            full,
                            &registry,
                            &search.rates,
                        ))?;
                    }
                }
                Loaded::Candidates(candidates) => {
                    for candidate in candidates {
                        writer.add_document(candidates_index::document(
                            &search.candidate_fields,
                            candidate,
                            &registry,
                            &search.rates,
                        ))?;
                    }
                }
            }
            Ok(())
        })
    })
    .await??;
    Ok(read)
}
