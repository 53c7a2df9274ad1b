//! The records an index is written from, loaded a batch at a time: by the indexer for the ids
//! its events name, by a rebuild a page at a time. Both write them the same way.

use chrono::NaiveDateTime;
use tantivy::{IndexWriter, TantivyDocument};

use crate::candidates::model::CandidateRecords;
use crate::jobs::model::FullJob;
use crate::money::Rates;
use crate::registry::Registry;
use crate::search::schema;
use crate::search::schema::candidates::CandidateFields;
use crate::search::schema::jobs::JobFields;
use crate::search::schema::skill_words::SkillWords;

/// A batch of one index's records.
pub enum Records {
    /// Open jobs: others are not in the index.
    Jobs(Vec<FullJob>),
    /// Live candidates: erased ones are not in the index.
    Candidates(Vec<CandidateRecords>),
}

/// Where each index's documents put their values.
pub struct Fields<'a> {
    pub jobs: &'a JobFields,
    pub candidates: &'a CandidateFields,
}

impl Records {
    /// How many records the batch holds.
    pub fn count(&self) -> usize {
        match self {
            Records::Jobs(jobs) => jobs.len(),
            Records::Candidates(candidates) => candidates.len(),
        }
    }

    /// The last record's id: where the next page of a rebuild starts.
    pub fn last_id(&self) -> Option<String> {
        match self {
            Records::Jobs(jobs) => jobs.last().map(|j| j.job.id.clone()),
            Records::Candidates(candidates) => candidates.last().map(|c| c.row.id.clone()),
        }
    }

    /// Hands each record's document, as it is at `now`, to the writer. `skill_words` is kept
    /// by the writer for `registry`.
    pub fn add_to(
        self,
        writer: &IndexWriter<TantivyDocument>,
        fields: Fields,
        registry: &Registry,
        skill_words: &mut SkillWords,
        rates: &Rates,
        now: NaiveDateTime,
    ) -> tantivy::Result<()> {
        match self {
            Records::Jobs(jobs) => {
                for full in jobs {
                    writer.add_document(schema::jobs::document(
                        fields.jobs,
                        full,
                        registry,
                        skill_words,
                        rates,
                        now,
                    ))?;
                }
            }
            Records::Candidates(candidates) => {
                for candidate in &candidates {
                    writer.add_document(schema::candidates::document(
                        fields.candidates,
                        candidate,
                        registry,
                        skill_words,
                        rates,
                    ))?;
                }
            }
        }
        Ok(())
    }
}
