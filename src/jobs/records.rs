//! What the search indexer and pages of hits are built from: the open jobs with their lists and
//! employer, loaded in batches (a handful of queries per batch, never one per record). The
//! indexer loads the jobs its events name; a rebuild pages through them all by id.

use std::collections::HashMap;

use chrono::NaiveDateTime;

use super::model::{FullJob, JobRow};
use super::store;
use crate::db::{DbConnection, group_by_owner};
use crate::error::AppError;

/// The jobs among `ids` that are open at `now`, with what the index holds of them.
pub fn open_jobs(
    conn: &mut DbConnection,
    ids: &[String],
    now: NaiveDateTime,
) -> Result<Vec<FullJob>, AppError> {
    let rows = store::find_jobs(conn, ids)?
        .into_iter()
        .filter(|job| super::status::is_open(job, now))
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
    let rows = store::open_after(conn, after, now, limit)?;
    full_jobs(conn, rows)
}

fn full_jobs(conn: &mut DbConnection, rows: Vec<JobRow>) -> Result<Vec<FullJob>, AppError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = rows.iter().map(|j| j.id.clone()).collect();
    let mut employer_ids: Vec<String> = rows.iter().map(|j| j.employer_id.clone()).collect();
    employer_ids.sort();
    employer_ids.dedup();
    let employers: HashMap<String, (String, String, bool)> =
        crate::employers::store::shown_of_employers(conn, &employer_ids)?
            .into_iter()
            .map(|(id, name, jurisdiction, verified)| (id, (name, jurisdiction, verified)))
            .collect();
    let mut skills = group_by_owner(store::skills_of_jobs(conn, &ids)?, |s| &s.job_id);
    let mut languages = group_by_owner(store::languages_of_jobs(conn, &ids)?, |l| &l.job_id);
    let mut full = Vec::with_capacity(rows.len());
    for job in rows {
        // A foreign key keeps every job's employer; a job without one is not indexable.
        let Some((name, jurisdiction, verified)) = employers.get(&job.employer_id) else {
            tracing::warn!(job = %job.id, "job without its employer; not indexed");
            continue;
        };
        full.push(FullJob {
            skills: skills.remove(&job.id).unwrap_or_default(),
            languages: languages.remove(&job.id).unwrap_or_default(),
            employer_name: name.clone(),
            employer_jurisdiction: jurisdiction.clone(),
            employer_verified: *verified,
            job,
        });
    }
    Ok(full)
}
