//! Search: tantivy indexes kept as a derived view of the database. Writes append `index_events`
//! in their own transaction (`events::append`); the indexer applies them; searches read the
//! committed index. So far: the analysis chain, the jobs and candidates indexes, job search,
//! talent search, and `reindex` (a rebuild swapped in while the service keeps answering).

pub mod analysis;
pub mod candidates_index;
pub mod events;
pub mod facets;
pub mod index;
pub mod indexer;
pub mod job_search;
pub mod jobs_index;
pub mod layout;
pub mod prune;
pub mod query;
pub mod rebuild;
pub mod routes;
pub mod service;
pub mod source;
pub mod talent_search;
pub mod talent_service;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arc_swap::{ArcSwap, ArcSwapOption};
use candidates_index::CandidateFields;
use events::Kind;
use index::SearchIndex;
use tantivy::schema::Schema;

use crate::money::Rates;
use jobs_index::JobFields;

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
}

impl Search {
    /// Opens (or creates) the indexes under `<data_dir>/index`, each in the directory its pointer
    /// file names (see `layout`), and removes leftovers of replaced indexes and crashed rebuilds.
    pub fn open(data_dir: &Path, rates: Rates) -> anyhow::Result<Search> {
        let root = layout::root(data_dir);
        std::fs::create_dir_all(&root)?;
        let (_, job_fields) = jobs_index::schema();
        let (_, candidate_fields) = candidates_index::schema();
        let jobs = Self::open_current(&root, Kind::Job)?;
        let candidates = Self::open_current(&root, Kind::Candidate)?;
        Ok(Search {
            root,
            jobs: ArcSwap::from_pointee(jobs),
            job_fields,
            candidates: ArcSwap::from_pointee(candidates),
            candidate_fields,
            rates,
            indexing_failure: ArcSwapOption::empty(),
        })
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
            Kind::Job => jobs_index::schema().0,
            Kind::Candidate => candidates_index::schema().0,
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
