//! Application queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{ApplicationEventRow, ApplicationRow};
use crate::db::schema::{application_events, applications, employer_members, jobs};
use crate::db::{DbConnection, MultiBackend};
use crate::paging::Page;

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ApplicationRow>> {
    applications::table
        .find(id)
        .select(ApplicationRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_for(
    conn: &mut DbConnection,
    job_id: &str,
    candidate_id: &str,
) -> QueryResult<Option<ApplicationRow>> {
    applications::table
        .filter(applications::job_id.eq(job_id))
        .filter(applications::candidate_id.eq(candidate_id))
        .select(ApplicationRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, row: &ApplicationRow) -> QueryResult<()> {
    diesel::insert_into(applications::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Moves the application only if it is still in `from`: two concurrent moves cannot both win.
pub fn set_status(
    conn: &mut DbConnection,
    id: &str,
    from: &str,
    to: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(applications::table.find(id).filter(applications::status.eq(from)))
        .set((applications::status.eq(to), applications::updated_at.eq(at)))
        .execute(conn)
        .map(|rows| rows == 1)
}

pub fn insert_event(conn: &mut DbConnection, event: &ApplicationEventRow) -> QueryResult<()> {
    diesel::insert_into(application_events::table)
        .values(event)
        .execute(conn)
        .map(drop)
}

pub fn events(conn: &mut DbConnection, application_ids: &[String]) -> QueryResult<Vec<ApplicationEventRow>> {
    application_events::table
        .filter(application_events::application_id.eq_any(application_ids))
        .order((application_events::at, application_events::id))
        .select(ApplicationEventRow::as_select())
        .load(conn)
}

/// A candidate's own applications, newest first.
pub fn of_candidate(
    conn: &mut DbConnection,
    candidate_id: &str,
    page: Page,
) -> QueryResult<(Vec<ApplicationRow>, i64)> {
    newest_first(
        conn,
        || {
            applications::table
                .filter(applications::candidate_id.eq(candidate_id.to_owned()))
                .into_boxed()
        },
        page,
    )
}

/// The applications to one job, newest first.
pub fn to_job(conn: &mut DbConnection, job_id: &str, page: Page) -> QueryResult<(Vec<ApplicationRow>, i64)> {
    newest_first(
        conn,
        || {
            applications::table
                .filter(applications::job_id.eq(job_id.to_owned()))
                .into_boxed()
        },
        page,
    )
}

/// Applications to the jobs of every employer the user belongs to, newest first.
pub fn to_employers_of(
    conn: &mut DbConnection,
    user_id: &str,
    page: Page,
) -> QueryResult<(Vec<ApplicationRow>, i64)> {
    let employer_ids: Vec<String> = employer_members::table
        .filter(employer_members::user_id.eq(user_id))
        .select(employer_members::employer_id)
        .load(conn)?;
    let job_ids: Vec<String> = jobs::table
        .filter(jobs::employer_id.eq_any(&employer_ids))
        .select(jobs::id)
        .load(conn)?;
    newest_first(
        conn,
        || {
            applications::table
                .filter(applications::job_id.eq_any(job_ids.clone()))
                .into_boxed()
        },
        page,
    )
}

/// A page of the applications `matching` selects, newest first, and how many it selects.
fn newest_first(
    conn: &mut DbConnection,
    matching: impl Fn() -> applications::BoxedQuery<'static, MultiBackend>,
    page: Page,
) -> QueryResult<(Vec<ApplicationRow>, i64)> {
    let total = matching().count().get_result(conn)?;
    let rows = matching()
        .order((applications::created_at.desc(), applications::id))
        .limit(page.limit)
        .offset(page.offset)
        .select(ApplicationRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}
