//! What the search indexer and pages of hits are built from: the open jobs with their lists and
//! employer, loaded in batches (a handful of queries per batch, never one per record). The
//! indexer loads the jobs its events name; a rebuild pages through them all by id.

use chrono::NaiveDateTime;

use super::model::{FullJob, JobLanguageRow, JobRow, JobSkillRow};
use super::store::{self, EmployerShown};
use crate::db::{DbConnection, group_by_owner};
use crate::error::AppError;

/// The jobs among `ids` that are open at `now`, with what the index holds of them.
pub fn open_jobs(
    conn: &mut DbConnection,
    ids: &[String],
    now: NaiveDateTime,
) -> Result<Vec<FullJob>, AppError> {
    let rows: Vec<_> = store::find_jobs(conn, ids)?
        .into_iter()
        .filter(|(job, _)| super::status::is_open(job, now))
        .collect();
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let open: Vec<String> = rows.iter().map(|(job, _)| job.id.clone()).collect();
    let skills = store::skills_of_jobs(conn, &open)?;
    let languages = store::languages_of_jobs(conn, &open)?;
    Ok(full_jobs(rows, skills, languages))
}

/// Up to `limit` jobs open at `now` with an id after `after`, by id.
pub fn open_jobs_after(
    conn: &mut DbConnection,
    after: &str,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<FullJob>, AppError> {
    let rows = store::open_after(conn, after, now, limit)?;
    let Some(last) = rows.last().map(|(job, _)| job.id.clone()) else {
        return Ok(Vec::new());
    };
    // The page's lists as one key range: those of the closed jobs inside it are read and
    // dropped, which costs less than naming a thousand jobs in the query.
    let skills = store::skills_of_jobs_between(conn, after, &last)?;
    let languages = store::languages_of_jobs_between(conn, after, &last)?;
    Ok(full_jobs(rows, skills, languages))
}

/// Each job with its employer and its own rows of the lists.
fn full_jobs(
    rows: Vec<(JobRow, EmployerShown)>,
    skills: Vec<JobSkillRow>,
    languages: Vec<JobLanguageRow>,
) -> Vec<FullJob> {
    let mut skills = group_by_owner(skills, |s| &s.job_id);
    let mut languages = group_by_owner(languages, |l| &l.job_id);
    rows.into_iter()
        .map(
            |(job, (employer_name, employer_jurisdiction, employer_verified))| FullJob {
                skills: skills.remove(&job.id).unwrap_or_default(),
                languages: languages.remove(&job.id).unwrap_or_default(),
                employer_name,
                employer_jurisdiction,
                employer_verified,
                job,
            },
        )
        .collect()
}
