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

use crate::db::Db;
use crate::index_events::{self as events, Kind};
use crate::registry::RegistryHandle;
use crate::search::Search;
use crate::search::index::{self, SearchIndex};
use crate::search::indexing::records::{Fields, Records};
use crate::search::indexing::{layout, rebuild};
use crate::search::schema::skill_words::SkillWords;

/// Events read and committed at once: large enough to amortise a commit's fsync, small enough to
/// keep a batch's memory and latency low.
const BATCH: i64 = 500;

/// Keeps the indexes in step until shutdown; polls every `every`.
pub async fn run(
    db: Db,
    search: Arc<Search>,
    registry: Arc<RegistryHandle>,
    every: Duration,
    shutdown: watch::Receiver<bool>,
) {
    // At once (the index may lag the database after a restart), then at every poll.
    let round = || {
        let (db, search, registry) = (db.clone(), search.clone(), registry.clone());
        async move {
            if let Err(error) = follow_rebuilds(&db, &search, &registry).await {
                tracing::warn!(error = %format!("{error:#}"), "cannot swap in a rebuilt index; retrying");
            }
            if let Err(error) = catch_up(&db, &search, &registry).await {
                note_failure(&search, error).await;
            }
        }
    };
    round().await;
    crate::background::every(every, shutdown, round).await
}

/// Tells readiness that indexing fails, and why. The failure is logged when it starts (and the
/// recovery when it ends, see `note_success`), not at every poll: a full disk would otherwise
/// flood the log as well.
async fn note_failure(search: &Search, error: anyhow::Error) {
    let reason = why_indexing_fails(search.root().to_owned()).await;
    if search.set_indexing_failure(Some(reason)).is_none() {
        tracing::warn!(error = %format!("{error:#}"), "search indexing failed; retrying at every poll");
    }
}

/// A batch went through: indexing works (again). Noted per batch, since under a steady stream
/// of writes a catch-up can go on for a long time.
fn note_success(search: &Search) {
    if search.set_indexing_failure(None).is_some() {
        tracing::info!("search indexing recovered");
    }
}

/// What readiness says about a failing indexer: the file system's own error when the index
/// directory refuses writes (full, read-only), which an operator can act on; otherwise a pointer
/// to the log (the error itself names files of the data directory).
async fn why_indexing_fails(root: std::path::PathBuf) -> String {
    match tokio::task::spawn_blocking(move || layout::check_writable(&root)).await {
        Ok(Err(error)) => format!("the search index directory cannot be written: {error}"),
        _ => "search indexing is failing; see the log".into(),
    }
}

/// Applies every pending event to both indexes, a batch for each in turn (so a stream of job
/// changes does not hold back the candidates index); returns how many events each index read.
pub async fn catch_up(db: &Db, search: &Arc<Search>, registry: &RegistryHandle) -> anyhow::Result<usize> {
    let (mut jobs_read, mut candidates_read) = (0, 0);
    loop {
        let job_batch = step(db, search, registry, Kind::Job).await?;
        let candidate_batch = step(db, search, registry, Kind::Candidate).await?;
        note_success(search);
        jobs_read += job_batch;
        candidates_read += candidate_batch;
        if job_batch == 0 && candidate_batch == 0 {
            return Ok(jobs_read.max(candidates_read));
        }
    }
}

/// Applies the next batch to the live index of `kind`; returns how many events it read. An index
/// that cannot catch up by replay is rebuilt from the database and swapped in, already up to
/// date: one never committed (new, or recreated for another schema), or one whose position is
/// older than the oldest event kept (events were pruned while this node was down).
async fn step(db: &Db, search: &Arc<Search>, registry: &RegistryHandle, kind: Kind) -> anyhow::Result<usize> {
    let index = search.index(kind);
    let position = index.applied_through();
    if !index.was_committed() {
        drop(index);
        tracing::info!(
            index = layout::base(kind),
            "building a new index from the database"
        );
        return rebuild_from_database(db, search, registry, kind).await;
    }
    match apply_batch(db, search, registry, kind, &index).await? {
        Batch::Applied(read) => Ok(read),
        Batch::Behind { oldest } => {
            drop(index);
            tracing::warn!(
                index = layout::base(kind),
                position,
                oldest,
                "the index is behind the oldest index event kept; rebuilding it from the database"
            );
            rebuild_from_database(db, search, registry, kind).await
        }
    }
}

async fn rebuild_from_database(
    db: &Db,
    search: &Arc<Search>,
    registry: &RegistryHandle,
    kind: Kind,
) -> anyhow::Result<usize> {
    let rates = search.rates.clone();
    rebuild::rebuild_index(db, search.root(), kind, registry.get(), rates, &rebuild::Quiet).await?;
    follow_rebuilds(db, search, registry).await?;
    Ok(0)
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
            Err(error) if index::lock_busy(&error) => continue,
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
        match apply_batch(db, search, registry, kind, &index).await? {
            Batch::Applied(0) => return Ok(applied),
            Batch::Applied(read) => applied += read,
            Batch::Behind { oldest } => anyhow::bail!(
                "the index in {} starts at event {} but the oldest event kept is {oldest}: run reindex again",
                index.dir().display(),
                index.applied_through()
            ),
        }
    }
}

/// What one batch did.
enum Batch {
    /// Read this many events (0: the index is up to date) and applied them.
    Applied(usize),
    /// Events after the index's position are gone from the log (pruned): replay cannot bring
    /// it up to date.
    Behind { oldest: i64 },
}

/// Applies the next batch of events after `index`'s committed position to it and commits.
async fn apply_batch(
    db: &Db,
    search: &Arc<Search>,
    registry: &RegistryHandle,
    kind: Kind,
    index: &Arc<SearchIndex>,
) -> anyhow::Result<Batch> {
    let last = index.applied_through();
    let read = db
        .read(move |conn| {
            let pending = events::after(conn, last, BATCH)?;
            // A hole right after the position is usually a rolled-back transaction's id; it
            // means lost events only when nothing at or before the position is left either.
            if pending.first().is_some_and(|first| first.id > last + 1) {
                let oldest = events::oldest(conn)?;
                if oldest > last + 1 {
                    return Ok(Err(oldest));
                }
            }
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
                Kind::Job => Records::Jobs(crate::jobs::records::open_jobs(
                    conn,
                    &targets,
                    Utc::now().naive_utc(),
                )?),
                Kind::Candidate => {
                    Records::Candidates(crate::candidates::records::live_candidates(conn, &targets)?)
                }
            };
            Ok(Ok((pending.len(), through, targets, loaded)))
        })
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let (read, through, targets, loaded) = match read {
        Ok(read) => read,
        Err(oldest) => return Ok(Batch::Behind { oldest }),
    };
    let Some(through) = through else {
        return Ok(Batch::Applied(0));
    };
    let (search, registry, index) = (search.clone(), registry.get(), index.clone());
    tokio::task::spawn_blocking(move || {
        let now = Utc::now().naive_utc();
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
            let fields = Fields {
                jobs: &search.job_fields,
                candidates: &search.candidate_fields,
            };
            let mut skill_words = SkillWords::default();
            loaded.add_to(writer, fields, &registry, &mut skill_words, &search.rates, now)?;
            Ok(())
        })
    })
    .await??;
    Ok(Batch::Applied(read))
}
