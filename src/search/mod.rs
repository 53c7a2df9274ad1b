//! Search: tantivy indexes kept as a derived view of the database. Writes append to the index
//! events log (`crate::index_events`) in their own transaction; the indexer applies it; searches
//! read the committed index.
//!
//! - `schema`: the analysis chain and what each index holds;
//! - `indexing`: events → documents → tantivy (the indexer, `reindex`, where indexes live on
//!   disk, pruning of the log);
//! - `index`: one tantivy index (its writer, its reader, its position in the log);
//! - the two query sides, `job_search` and `talent_search`, over the pieces they share
//!   (`query`, `text_field`, `any_of`, `word_pairs`, `facets` with `matched_docs` and
//!   `facet_filter`,
//!   `newest_first`); `routes` are their endpoints;
//! - `gate`: how many searches compute at once (matching's retrieval passes through it too).

pub mod any_of;
pub mod best_scored;
pub mod facet_filter;
pub mod facets;
pub mod gate;
pub mod highlights;
pub mod index;
pub mod indexing;
pub mod job_search;
pub mod matched_docs;
pub mod newest_first;
pub mod query;
pub mod routes;
pub mod schema;
pub mod talent_search;
pub mod text_field;
pub mod word_pairs;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arc_swap::{ArcSwap, ArcSwapOption};
use index::SearchIndex;
use schema::candidates::CandidateFields;
use schema::jobs::JobFields;
use tantivy::schema::Schema;

use crate::index_events::Kind;
use crate::money::Rates;
use gate::SearchGate;
use indexing::layout;
use job_search::cache::PageCache;

/// The indexes of one process. Each index sits behind an `ArcSwap`, so a rebuilt index can
/// replace it while searches run: take it with `jobs()` / `candidates()` once per search and
/// use that handle throughout (a search started on the old index finishes on it).
pub struct Search {
    root: PathBuf,
    jobs: ArcSwap<SearchIndex>,
    pub job_fields: JobFields,
    candidates: ArcSwap<SearchIndex>,
    pub candidate_fields: CandidateFields,
    /// For salaries normalised to one currency per month.
    pub rates: Rates,
    /// Why the indexer's last pass failed, until a pass succeeds: readiness reports it.
    indexing_failure: ArcSwapOption<String>,
    /// Job search's answers, by what determines them; off unless `with_job_page_cache`.
    pub job_pages: PageCache,
    /// Every search of the indexes on behalf of a request runs through it.
    pub gate: SearchGate,
}

impl Search {
    /// Opens (or creates) the indexes under `<data_dir>/index`, each in the directory its pointer
    /// file names (see `layout`), and removes leftovers of replaced indexes and crashed rebuilds.
    pub fn open(data_dir: &Path, rates: Rates) -> anyhow::Result<Search> {
        let root = layout::root(data_dir);
        std::fs::create_dir_all(&root)?;
        let jobs = Self::open_current(&root, Kind::Job)?;
        let candidates = Self::open_current(&root, Kind::Candidate)?;
        Ok(Self::assemble(root, jobs, candidates, rates))
    }

    /// Opens the live indexes under `<data_dir>/index` to search them only, beside a process
    /// that writes them (the benchmark's in-process floor beside a running service): nothing
    /// is created or removed, and no writer lock is taken.
    pub fn open_read_only(data_dir: &Path, rates: Rates) -> anyhow::Result<Search> {
        let root = layout::root(data_dir);
        let open = |kind| {
            let name = layout::live(&root, kind)?
                .ok_or_else(|| anyhow::anyhow!("no {kind:?} index under {}", root.display()))?;
            SearchIndex::open_read_only(&root.join(name), &Self::schema(kind))
        };
        let (jobs, candidates) = (open(Kind::Job)?, open(Kind::Candidate)?);
        Ok(Self::assemble(root, jobs, candidates, rates))
    }

    fn assemble(root: PathBuf, jobs: SearchIndex, candidates: SearchIndex, rates: Rates) -> Search {
        let (_, job_fields) = schema::jobs::schema();
        let (_, candidate_fields) = schema::candidates::schema();
        Search {
            root,
            jobs: ArcSwap::from_pointee(jobs),
            job_fields,
            candidates: ArcSwap::from_pointee(candidates),
            candidate_fields,
            rates,
            indexing_failure: ArcSwapOption::empty(),
            job_pages: PageCache::new(0),
            gate: SearchGate::new(0, crate::settings::SearchSettings::default().max_waiting_searches),
        }
    }

    /// Lets `running` searches compute at once (0: `gate::default_running`) and `waiting` more
    /// queue.
    pub fn with_gate(self, running: usize, waiting: usize) -> Self {
        Search {
            gate: SearchGate::new(running, waiting),
            ..self
        }
    }

    /// Keeps up to `bytes` of job search answers (0: none).
    pub fn with_job_page_cache(self, bytes: u64) -> Self {
        Search {
            job_pages: PageCache::new(bytes),
            ..self
        }
    }

    fn open_current(root: &Path, kind: Kind) -> anyhow::Result<SearchIndex> {
        let name = layout::resolve(root, kind)?;
        // A `reindex` that has just put this directory live holds its writer lock until its
        // merges end: wait for it (briefly; a second service on the same data dir never lets go).
        let mut attempts = 0;
        let index = loop {
            match SearchIndex::open(&root.join(&name), Self::schema(kind)) {
                Err(error) if index::lock_busy(&error) && attempts < 100 => {
                    attempts += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                opened => break opened?,
            }
        };
        for removed in layout::remove_leftovers(root, kind, &[&name]) {
            tracing::info!(path = %removed.display(), "leftover index removed");
        }
        Ok(index)
    }

    /// The schema of an index (the same fields, in the same order, on every call).
    pub fn schema(kind: Kind) -> Schema {
        match kind {
            Kind::Job => schema::jobs::schema().0,
            Kind::Candidate => schema::candidates::schema().0,
        }
    }

    /// The live jobs index.
    pub fn jobs(&self) -> Arc<SearchIndex> {
        self.jobs.load_full()
    }

    /// The live candidates index.
    pub fn candidates(&self) -> Arc<SearchIndex> {
        self.candidates.load_full()
    }

    pub fn index(&self, kind: Kind) -> Arc<SearchIndex> {
        match kind {
            Kind::Job => self.jobs(),
            Kind::Candidate => self.candidates(),
        }
    }

    /// Why the indexes are not being kept up to date, if they are not.
    pub fn indexing_failure(&self) -> Option<Arc<String>> {
        self.indexing_failure.load_full()
    }

    /// Records how the indexer's last pass went; returns the failure this replaces.
    pub fn set_indexing_failure(&self, failure: Option<String>) -> Option<Arc<String>> {
        self.indexing_failure.swap(failure.map(Arc::new))
    }

    /// `<data_dir>/index`.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Puts `index` live in place of the current one, which is retired: its directory is removed
    /// once the searches still running on it let go.
    /// Blocking: dropping the old index may release its writer.
    pub fn replace(&self, kind: Kind, index: Arc<SearchIndex>) {
        let slot = match kind {
            Kind::Job => &self.jobs,
            Kind::Candidate => &self.candidates,
        };
        let old = slot.swap(index);
        old.retire();
    }
}
