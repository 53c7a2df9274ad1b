//! Saved-search queries. Functions take the connection, so they compose inside one transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::SavedSearchRow;
use crate::db::DbConnection;
use crate::db::schema::{candidates, employers, jobs, saved_search_hits, saved_searches, users};
use crate::jobs::model::JobRow;

pub fn insert(conn: &mut DbConnection, row: &SavedSearchRow) -> QueryResult<()> {
    diesel::insert_into(saved_searches::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// The user's saved searches, oldest first.
pub fn list_of(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<SavedSearchRow>> {
    saved_searches::table
        .filter(saved_searches::user_id.eq(user_id))
        .order((saved_searches::created_at, saved_searches::id))
        .select(SavedSearchRow::as_select())
        .load(conn)
}

pub fn count_of(conn: &mut DbConnection, user_id: &str) -> QueryResult<i64> {
    saved_searches::table
        .filter(saved_searches::user_id.eq(user_id))
        .count()
        .get_result(conn)
}

/// One of the user's saved searches; another user's is `None`, like an unknown one.
pub fn find_of(conn: &mut DbConnection, user_id: &str, id: &str) -> QueryResult<Option<SavedSearchRow>> {
    saved_searches::table
        .find(id)
        .filter(saved_searches::user_id.eq(user_id))
        .select(SavedSearchRow::as_select())
        .first(conn)
        .optional()
}

pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(saved_search_hits::table.filter(saved_search_hits::saved_search_id.eq(id)))
        .execute(conn)?;
    diesel::delete(saved_searches::table.find(id))
        .execute(conn)
        .map(drop)
}

/// Every saved search of the user and its marks (erasure).
pub fn delete_all_of(conn: &mut DbConnection, user_id: &str) -> QueryResult<()> {
    let ids = saved_searches::table
        .filter(saved_searches::user_id.eq(user_id))
        .select(saved_searches::id);
    diesel::delete(saved_search_hits::table.filter(saved_search_hits::saved_search_id.eq_any(ids)))
        .execute(conn)?;
    diesel::delete(saved_searches::table.filter(saved_searches::user_id.eq(user_id)))
        .execute(conn)
        .map(drop)
}

/// Takes the user's row lock (PostgreSQL) so two concurrent saves cannot both pass the cap.
pub fn lock_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set(users::updated_at.eq(users::updated_at))
        .execute(conn)
        .map(drop)
}

/// Saved searches due at `now` whose owner is a live candidate account (not disabled, not
/// erased), the longest waiting first, at most `limit`.
pub fn due(conn: &mut DbConnection, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<SavedSearchRow>> {
    saved_searches::table
        .inner_join(users::table.left_join(candidates::table))
        .filter(saved_searches::next_due_at.le(now))
        .filter(users::disabled_at.is_null())
        .filter(users::role.eq("candidate"))
        .filter(candidates::erased_at.is_null())
        .order((saved_searches::next_due_at, saved_searches::id))
        .limit(limit)
        .select(SavedSearchRow::as_select())
        .load(conn)
}

/// Claims a due search for this run: moves it to its next due time only if it is still due
/// when `seen_due` says. Exactly one of several nodes racing for it gets `true` (on PostgreSQL
/// the losers' updates wait for the winner's commit and then match no row).
pub fn claim(
    conn: &mut DbConnection,
    id: &str,
    seen_due: NaiveDateTime,
    next_due: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let claimed = diesel::update(
        saved_searches::table
            .find(id)
            .filter(saved_searches::next_due_at.eq(seen_due)),
    )
    .set((
        saved_searches::last_run_at.eq(Some(now)),
        saved_searches::next_due_at.eq(next_due),
    ))
    .execute(conn)?;
    Ok(claimed == 1)
}

/// The address and language of a live candidate account; `None` once disabled or erased.
pub fn contact(conn: &mut DbConnection, user_id: &str) -> QueryResult<Option<(String, String)>> {
    users::table
        .left_join(candidates::table)
        .filter(users::id.eq(user_id))
        .filter(users::disabled_at.is_null())
        .filter(candidates::erased_at.is_null())
        .select((users::email, users::locale))
        .first(conn)
        .optional()
}

/// Marks `job_id` as mailed for the search, unless it was already: insert-or-ignore, so the
/// answer says whether this run is the one that mails it.
pub fn record_hit(
    conn: &mut DbConnection,
    saved_search_id: &str,
    job_id: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let values = (
        saved_search_hits::saved_search_id.eq(saved_search_id),
        saved_search_hits::job_id.eq(job_id),
        saved_search_hits::notified_at.eq(now),
    );
    // `MultiConnection` has no ON CONFLICT: each backend says it in its own words.
    let inserted = match conn {
        DbConnection::Postgresql(pg) => diesel::insert_into(saved_search_hits::table)
            .values(values)
            .on_conflict_do_nothing()
            .execute(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::insert_or_ignore_into(saved_search_hits::table)
            .values(values)
            .execute(sqlite)?,
    };
    Ok(inserted == 1)
}

/// How many jobs were mailed for each of the searches (for the export).
pub fn hit_count(conn: &mut DbConnection, saved_search_id: &str) -> QueryResult<i64> {
    saved_search_hits::table
        .filter(saved_search_hits::saved_search_id.eq(saved_search_id))
        .count()
        .get_result(conn)
}

/// The jobs with their employer's name, in no particular order.
pub fn jobs_with_employer(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<(JobRow, String)>> {
    jobs::table
        .inner_join(employers::table)
        .filter(jobs::id.eq_any(ids))
        .select((JobRow::as_select(), employers::name))
        .load(conn)
}
