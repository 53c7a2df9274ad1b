//! What the indexes are built from, loaded in batches (a handful of queries per batch, never
//! one per record): the open jobs with their lists and employer, and the candidates not erased
//! with their skills, languages, credentials, work authorisations and consents. The indexer loads the records its events name;
//! a rebuild pages through them all by id.

use std::collections::HashMap;

use chrono::NaiveDateTime;

use crate::candidates::model::{CandidateRecords, CandidateRow};
use crate::db::DbConnection;
use crate::error::AppError;
use crate::jobs::model::{FullJob, JobRow};

/// The jobs among `ids` that are open at `now`, with what the index holds of them.
pub fn open_jobs(
    conn: &mut DbConnection,
    ids: &[String],
    now: NaiveDateTime,
) -> Result<Vec<FullJob>, AppError> {
    let rows = crate::jobs::store::find_jobs(conn, ids)?
        .into_iter()
        .filter(|job| crate::jobs::status::is_open(job, now))
        .collect();
    full_jobs(conn, rows)
}

/// Up to `limit` jobs open at `now` with an id after `after`, by id.
pub fn open_jobs_after(
    conn: &mut DbConnection,
    after: &str,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<FullJob>, AppError> {
    let rows = crate::jobs::store::open_after(conn, after, now, limit)?;
    full_jobs(conn, rows)
}

/// The candidates among `ids` that are not erased.
pub fn live_candidates(conn: &mut DbConnection, ids: &[String]) -> Result<Vec<CandidateRecords>, AppError> {
    let rows = crate::candidates::store::find_many(conn, ids)?
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
    let rows = crate::candidates::store::live_after(conn, after, limit)?;
    candidate_docs(conn, rows)
}

fn full_jobs(conn: &mut DbConnection, rows: Vec<JobRow>) -> Result<Vec<FullJob>, AppError> {
    use crate::jobs::store;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = rows.iter().map(|j| j.id.clone()).collect();
    let mut employer_ids: Vec<String> = rows.iter().map(|j| j.employer_id.clone()).collect();
    employer_ids.sort();
    employer_ids.dedup();
    let employers: HashMap<String, _> = crate::employers::store::find_employers(conn, &employer_ids)?
        .into_iter()
        .map(|e| (e.id.clone(), e))
        .collect();
    let mut skills = group(store::skills_of_jobs(conn, &ids)?, |s| &s.job_id);
    let mut languages = group(store::languages_of_jobs(conn, &ids)?, |l| &l.job_id);
    let mut full = Vec::with_capacity(rows.len());
    for job in rows {
        // A foreign key keeps every job's employer; a job without one is not indexable.
        let Some(employer) = employers.get(&job.employer_id) else {
            tracing::warn!(job = %job.id, "job without its employer; not indexed");
            continue;
        };
        full.push(FullJob {
            skills: skills.remove(&job.id).unwrap_or_default(),
            languages: languages.remove(&job.id).unwrap_or_default(),
            employer_name: employer.name.clone(),
            employer_jurisdiction: employer.jurisdiction.clone(),
            employer_verified: employer.verified,
            job,
        });
    }
    Ok(full)
}

fn candidate_docs(
    conn: &mut DbConnection,
    rows: Vec<CandidateRow>,
) -> Result<Vec<CandidateRecords>, AppError> {
    use crate::candidates::store;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = rows.iter().map(|c| c.id.clone()).collect();
    let mut skills = group(store::skills_of_many(conn, &ids)?, |s| &s.candidate_id);
    let mut languages = group(store::languages_of_many(conn, &ids)?, |l| &l.candidate_id);
    let mut credentials = group(store::credentials_of_many(conn, &ids)?, |c| &c.candidate_id);
    let mut authorizations = group(store::authorizations_of_many(conn, &ids)?, |a| &a.candidate_id);
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

/// Rows grouped by their owner's id, in the order they came.
fn group<T>(rows: Vec<T>, owner: impl Fn(&T) -> &String) -> HashMap<String, Vec<T>> {
    let mut groups: HashMap<String, Vec<T>> = HashMap::new();
    for row in rows {
        groups.entry(owner(&row).clone()).or_default().push(row);
    }
    groups
}
