//! What the search indexer, talent search and matching are built from: the candidates not erased
//! with their skills, languages, credentials, work authorisations and consents, loaded in
//! batches (a handful of queries per batch, never one per record).

use std::collections::HashMap;

use super::model::{CandidateRecords, CandidateRow};
use super::store;
use crate::db::{DbConnection, group_by_owner};
use crate::error::AppError;

/// The candidates among `ids` that are not erased.
pub fn live_candidates(conn: &mut DbConnection, ids: &[String]) -> Result<Vec<CandidateRecords>, AppError> {
    let rows = store::find_many(conn, ids)?
        .into_iter()
        .filter(|c| c.erased_at.is_none())
        .collect();
    candidate_docs(conn, rows)
}

/// Up to `limit` candidates not erased with an id after `after`, by id.
pub fn live_candidates_after(
    conn: &mut DbConnection,
    after: &str,
    limit: i64,
) -> Result<Vec<CandidateRecords>, AppError> {
    let rows = store::live_after(conn, after, limit)?;
    candidate_docs(conn, rows)
}

fn candidate_docs(
    conn: &mut DbConnection,
    rows: Vec<CandidateRow>,
) -> Result<Vec<CandidateRecords>, AppError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = rows.iter().map(|c| c.id.clone()).collect();
    let mut skills = group_by_owner(store::skills_of_many(conn, &ids)?, |s| &s.candidate_id);
    let mut languages = group_by_owner(store::languages_of_many(conn, &ids)?, |l| &l.candidate_id);
    let mut credentials = group_by_owner(store::credentials_of_many(conn, &ids)?, |c| &c.candidate_id);
    let mut authorizations = group_by_owner(store::authorizations_of_many(conn, &ids)?, |a| &a.candidate_id);
    let mut consented: HashMap<String, Vec<String>> = HashMap::new();
    for (candidate, jurisdiction) in store::consented_jurisdictions_of_many(conn, &ids)? {
        consented.entry(candidate).or_default().push(jurisdiction);
    }
    Ok(rows
        .into_iter()
        .map(|row| CandidateRecords {
            skills: skills.remove(&row.id).unwrap_or_default(),
            languages: languages.remove(&row.id).unwrap_or_default(),
            credentials: credentials.remove(&row.id).unwrap_or_default(),
            authorizations: authorizations.remove(&row.id).unwrap_or_default(),
            consented_to: consented.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect())
}
