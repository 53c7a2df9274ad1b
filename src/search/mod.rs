//! Search: tantivy indexes kept as a derived view of the database. Writes append `index_events`
//! in their own transaction (`events::append`); the indexer applies them; searches read the
//! committed index. So far: the analysis chain, the jobs and candidates indexes, job search and
//! talent search.

pub mod analysis;
pub mod candidates_index;
pub mod events;
pub mod index;
pub mod indexer;
pub mod job_search;
pub mod jobs_index;
pub mod query;
pub mod routes;
pub mod service;
pub mod talent_search;
pub mod talent_service;

use std::path::Path;

use candidates_index::CandidateFields;
use index::SearchIndex;

use crate::money::Rates;
use jobs_index::JobFields;

/// The indexes of one process.
pub struct Search {
    pub jobs: SearchIndex,
    pub job_fields: JobFields,
    pub candidates: SearchIndex,
    pub candidate_fields: CandidateFields,
    /// For salaries normalised to one currency per month.
    pub rates: Rates,
}

impl Search {
    /// Opens (or creates) the indexes under `<data_dir>/index`.
    pub fn open(data_dir: &Path, rates: Rates) -> anyhow::Result<Search> {
        let (schema, job_fields) = jobs_index::schema();
        let jobs = SearchIndex::open(&data_dir.join("index").join("jobs"), schema)?;
        let (schema, candidate_fields) = candidates_index::schema();
        let candidates = SearchIndex::open(&data_dir.join("index").join("candidates"), schema)?;
        Ok(Search {
            jobs,
            job_fields,
            candidates,
            candidate_fields,
            rates,
        })
    }
}
