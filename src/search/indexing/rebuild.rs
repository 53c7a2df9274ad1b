//! `reindex`: rebuilds both indexes from the database into new directories and swaps each in
//! with its pointer file (see `layout`), while a service may keep serving the old ones.
//!
//! Per index: note the newest event id *before* reading any row, page through the open jobs
//! (or live candidates) by id, 1000 at a time with their lists loaded per page, write them into
//! `<data_dir>/index/jobs-<nanos>`, commit with that event id as the position, and replace the
//! pointer. Every change up to that event is in the rows read after it; a change after it has
//! a later event, which the indexer replays onto the new index (applying is a replacement, so
//! replaying a change the rows already showed is harmless). A serving process notices the
//! pointer on its next poll, opens the new index, brings it up to date, swaps it in and drops
//! the old one (see `indexer::follow_rebuilds`).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{NaiveDateTime, Utc};
use tantivy::{IndexWriter, TantivyDocument};

use crate::db::Db;
use crate::index_events::{self as events, Kind};
use crate::money::Rates;
use crate::registry::Registry;
use crate::search::Search;
use crate::search::indexing::layout;
use crate::search::indexing::records::{Fields, Records};
use crate::search::schema::jobs::JobFields;
use crate::search::schema::register_analyzers;
use crate::search::schema::skill_words::SkillWords;
use crate::search::schema::{self, candidates::CandidateFields};

/// Records read per database round trip.
pub const PAGE: i64 = 1000;

/// Memory of the rebuild's writer per indexing thread. A larger budget flushes fewer, larger
/// segments, so there is less to merge (64 → 256 MB: about 17,300 → 18,600 jobs/s at 180,000
/// jobs; 512 MB gained nothing more; bench/changes.md).
const MEMORY_PER_THREAD: usize = 256_000_000;

/// What a rebuild reports as it goes (the CLI draws a progress bar; tests stay quiet).
pub trait Progress: Send + Sync {
    /// The rebuild of `kind` starts with about `total` records to write.
    fn begin(&self, _kind: Kind, _total: u64) {}
    /// `written` records of `kind` are handed to the writer so far.
    fn advance(&self, _kind: Kind, _written: u64) {}
    /// Every record is handed over; the writer finishes analysing them and commits.
    fn committing(&self, _kind: Kind) {}
    /// The new index of `kind` is committed and live.
    fn end(&self, _rebuilt: &Rebuilt) {}
}

/// Reports nothing.
pub struct Quiet;

impl Progress for Quiet {}

/// One rebuilt index.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    pub kind: Kind,
    /// The new directory, which the pointer now names.
    pub dir: PathBuf,
    pub documents: u64,
    /// The event id the index is committed at: the indexer replays what came after.
    pub through: i64,
    pub elapsed: Duration,
}

/// Rebuilds the jobs index, then the candidates index, under `<data_dir>/index`.
pub async fn rebuild(
    db: &Db,
    data_dir: &Path,
    registry: Arc<Registry>,
    rates: &Rates,
    progress: &dyn Progress,
) -> anyhow::Result<Vec<Rebuilt>> {
    let root = layout::root(data_dir);
    let created = root.clone();
    tokio::task::spawn_blocking(move || std::fs::create_dir_all(created)).await??;
    let mut rebuilt = Vec::with_capacity(2);
    for kind in [Kind::Job, Kind::Candidate] {
        rebuilt.push(rebuild_index(db, &root, kind, registry.clone(), rates.clone(), progress).await?);
    }
    Ok(rebuilt)
}

/// Rebuilds one index under `root` (`<data_dir>/index`) and puts it live.
pub async fn rebuild_index(
    db: &Db,
    root: &Path,
    kind: Kind,
    registry: Arc<Registry>,
    rates: Rates,
    progress: &dyn Progress,
) -> anyhow::Result<Rebuilt> {
    let started = Instant::now();
    let now = Utc::now().naive_utc();
    // The position first, the rows after: every change up to `through` shows in the rows.
    let (through, total) = db
        .read(move |conn| {
            let through = events::newest(conn)?;
            let total = match kind {
                Kind::Job => crate::jobs::store::count_open(conn, now)?,
                Kind::Candidate => crate::candidates::store::count_live(conn)?,
            };
            Ok((through, total))
        })
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    progress.begin(kind, total.max(0) as u64);

    let name = layout::fresh_name(kind);
    let dir = root.join(&name);
    let target = dir.clone();
    let mut builder = tokio::task::spawn_blocking(move || Builder::create(&target, kind)).await??;
    let mut documents = 0u64;
    let mut page = read_page(db, kind, String::new(), now).await?;
    // The next page is read while this one is written: the database and the analysis overlap.
    while let Some(last) = page.last_id() {
        let count = page.count() as u64;
        let (registry, rates) = (registry.clone(), rates.clone());
        let written = tokio::task::spawn_blocking(move || {
            builder.write(page, &registry, &rates)?;
            anyhow::Ok(builder)
        });
        let (next, written) = tokio::join!(read_page(db, kind, last, now), written);
        builder = written??;
        page = next?;
        documents += count;
        progress.advance(kind, documents);
    }

    progress.committing(kind);
    let root = root.to_owned();
    tokio::task::spawn_blocking(move || {
        let previous = layout::read_pointer(&root, kind)?.unwrap_or_else(|| layout::base(kind).to_owned());
        builder.finish(through, || layout::write_pointer(&root, kind, &name))?;
        // Crashed rebuilds go now. The index just replaced stays: a serving process may be
        // about to open it (it removes it itself after swapping; a start removes it otherwise).
        layout::remove_leftovers(&root, kind, &[&name, &previous]);
        anyhow::Ok(())
    })
    .await??;
    let rebuilt = Rebuilt {
        kind,
        dir,
        documents,
        through,
        elapsed: started.elapsed(),
    };
    progress.end(&rebuilt);
    Ok(rebuilt)
}

/// Up to `PAGE` records of `kind` with an id after `after`, by id.
async fn read_page(db: &Db, kind: Kind, after: String, now: NaiveDateTime) -> anyhow::Result<Records> {
    db.read(move |conn| {
        Ok(match kind {
            Kind::Job => Records::Jobs(crate::jobs::records::open_jobs_after(conn, &after, now, PAGE)?),
            Kind::Candidate => Records::Candidates(crate::candidates::records::live_candidates_after(
                conn, &after, PAGE,
            )?),
        })
    })
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))
}

/// A new index being written.
struct Builder {
    writer: IndexWriter<TantivyDocument>,
    job_fields: JobFields,
    candidate_fields: CandidateFields,
    /// Each skill's words, worked out once for the rebuild's registry.
    skill_words: SkillWords,
}

impl Builder {
    fn create(dir: &Path, kind: Kind) -> anyhow::Result<Builder> {
        std::fs::create_dir(dir)?;
        let index = schema::index_builder(Search::schema(kind)).create_in_dir(dir)?;
        register_analyzers(&index);
        // The analysis (jieba, script folding) runs on the writer's threads.
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4);
        let writer = index.writer_with_num_threads(threads, threads * MEMORY_PER_THREAD)?;
        Ok(Builder {
            writer,
            job_fields: schema::jobs::schema().1,
            candidate_fields: schema::candidates::schema().1,
            skill_words: SkillWords::default(),
        })
    }

    fn write(&mut self, records: Records, registry: &Registry, rates: &Rates) -> anyhow::Result<()> {
        let fields = Fields {
            jobs: &self.job_fields,
            candidates: &self.candidate_fields,
        };
        records.add_to(
            &self.writer,
            fields,
            registry,
            &mut self.skill_words,
            rates,
            Utc::now().naive_utc(),
        )?;
        Ok(())
    }

    /// Commits at `through`, then runs `swap` while the writer lock still marks the directory
    /// as in use (so no process starting meanwhile takes it for a leftover), then lets the
    /// merges finish and releases the lock.
    fn finish(mut self, through: i64, swap: impl FnOnce() -> std::io::Result<()>) -> anyhow::Result<()> {
        let mut commit = self.writer.prepare_commit()?;
        commit.set_payload(&through.to_string());
        commit.commit()?;
        swap()?;
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}
