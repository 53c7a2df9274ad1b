//! Job queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{JobLanguageRow, JobRow, JobSkillRow};
use super::status::open_at;
use crate::db::DbConnection;
use crate::db::schema::{job_languages, job_skills, jobs};
use crate::paging::Page;

pub fn find_job(conn: &mut DbConnection, id: &str) -> QueryResult<Option<JobRow>> {
    jobs::table
        .find(id)
        .select(JobRow::as_select())
        .first(conn)
        .optional()
}

pub fn skills_of(conn: &mut DbConnection, job_id: &str) -> QueryResult<Vec<JobSkillRow>> {
    job_skills::table
        .filter(job_skills::job_id.eq(job_id))
        .order(job_skills::skill_id)
        .select(JobSkillRow::as_select())
        .load(conn)
}

pub fn languages_of(conn: &mut DbConnection, job_id: &str) -> QueryResult<Vec<JobLanguageRow>> {
    job_languages::table
        .filter(job_languages::job_id.eq(job_id))
        .order(job_languages::code)
        .select(JobLanguageRow::as_select())
        .load(conn)
}

/// Jobs by id (for indexing a batch of events); missing ids are skipped.
pub fn find_jobs(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<JobRow>> {
    jobs::table
        .filter(jobs::id.eq_any(ids))
        .select(JobRow::as_select())
        .load(conn)
}

/// Up to `limit` jobs open at `now` with an id after `after`, by id: a keyset page, so a full
/// scan (a reindex) costs the same per page from the first to the last.
pub fn open_after(
    conn: &mut DbConnection,
    after: &str,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<JobRow>> {
    jobs::table
        .filter(jobs::id.gt(after))
        .filter(open_at(now))
        .order(jobs::id)
        .limit(limit)
        .select(JobRow::as_select())
        .load(conn)
}

/// How many jobs are open at `now`.
pub fn count_open(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<i64> {
    jobs::table.filter(open_at(now)).count().get_result(conn)
}

/// The skill lists of several jobs in one query, by job then skill.
pub fn skills_of_jobs(conn: &mut DbConnection, job_ids: &[String]) -> QueryResult<Vec<JobSkillRow>> {
    job_skills::table
        .filter(job_skills::job_id.eq_any(job_ids))
        .order((job_skills::job_id, job_skills::skill_id))
        .select(JobSkillRow::as_select())
        .load(conn)
}

/// The language lists of several jobs in one query, by job then language.
pub fn languages_of_jobs(conn: &mut DbConnection, job_ids: &[String]) -> QueryResult<Vec<JobLanguageRow>> {
    job_languages::table
        .filter(job_languages::job_id.eq_any(job_ids))
        .order((job_languages::job_id, job_languages::code))
        .select(JobLanguageRow::as_select())
        .load(conn)
}

pub fn insert_job(conn: &mut DbConnection, row: &JobRow) -> QueryResult<()> {
    diesel::insert_into(jobs::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Writes every column of the row (the id and employer never change).
pub fn update_job(conn: &mut DbConnection, row: &JobRow) -> QueryResult<()> {
    diesel::update(jobs::table.find(&row.id))
        .set(row)
        .execute(conn)
        .map(drop)
}

/// Replaces the job's skill and language lists.
pub fn replace_lists(
    conn: &mut DbConnection,
    job_id: &str,
    skills: &[JobSkillRow],
    languages: &[JobLanguageRow],
) -> QueryResult<()> {
    diesel::delete(job_skills::table.filter(job_skills::job_id.eq(job_id))).execute(conn)?;
    diesel::delete(job_languages::table.filter(job_languages::job_id.eq(job_id))).execute(conn)?;
    // One row at a time: MultiConnection has no batch insert, and the lists are short.
    for skill in skills {
        diesel::insert_into(job_skills::table)
            .values(skill)
            .execute(conn)?;
    }
    for language in languages {
        diesel::insert_into(job_languages::table)
            .values(language)
            .execute(conn)?;
    }
    Ok(())
}

/// A page of an employer's jobs, newest first: all of them, or only those open at `open_at`.
pub fn list_for_employer(
    conn: &mut DbConnection,
    employer_id: &str,
    open_at: Option<NaiveDateTime>,
    page: Page,
) -> QueryResult<(Vec<JobRow>, i64)> {
    let filtered = || {
        let mut query = jobs::table
            .filter(jobs::employer_id.eq(employer_id.to_owned()))
            .into_boxed();
        if let Some(now) = open_at {
            query = query.filter(super::status::open_at(now));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((jobs::created_at.desc(), jobs::id))
        .limit(page.limit)
        .offset(page.offset)
        .select(JobRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Takes the job's row lock (PostgreSQL) before a read-check-write, so two concurrent state
/// changes of one job queue instead of both passing their checks.
pub fn lock_job(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(jobs::table.find(id))
        .set(jobs::updated_at.eq(jobs::updated_at))
        .execute(conn)
        .map(drop)
}
