//! The index events log: what changed, in the order the search indexes must apply it.
//!
//! A ground module, like the mail outbox: every writer appends to it inside the transaction of
//! its change (`job_changed`, `candidate_changed`) without knowing the indexes exist, and the
//! search indexer reads it from its own position.

use chrono::{Duration, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::index_events;

/// Which index an event is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Job,
    Candidate,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Job => "job",
            Kind::Candidate => "candidate",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = index_events)]
pub struct IndexEvent {
    pub id: i64,
    pub kind: String,
    pub target_id: String,
}

/// Records that a job changed, inside the transaction of the change: every job write calls it,
/// so the index cannot miss a committed change nor see a rolled-back one.
pub fn job_changed(conn: &mut DbConnection, job_id: &str) -> QueryResult<()> {
    append(conn, Kind::Job, job_id)
}

/// Records that a candidate changed, inside the transaction of every change that alters what a
/// candidate's search document holds or who may see it (profile, credentials, work
/// authorisations, consents, erasure).
pub fn candidate_changed(conn: &mut DbConnection, candidate_id: &str) -> QueryResult<()> {
    append(conn, Kind::Candidate, candidate_id)
}

/// Appends an event inside the caller's transaction. Its time is the database's (the column's
/// default), never the writing node's: pruning goes by it, and one clock for every node is what
/// keeps a skewed node from making events look older or younger than they are.
///
/// On PostgreSQL a sequence hands out ids at insert time, not at commit, so a transaction that
/// took id 7 could commit after one that took id 8 — and an indexer that had read up to 8 would
/// never see 7. A transaction-scoped advisory lock, taken before the insert and held to commit,
/// makes ids follow commit order. SQLite has one writer at a time already.
pub fn append(conn: &mut DbConnection, kind: Kind, target_id: &str) -> QueryResult<()> {
    if let DbConnection::Postgresql(pg) = conn {
        pg.batch_execute("SELECT pg_advisory_xact_lock(7240002)")?;
    }
    diesel::insert_into(index_events::table)
        .values((
            index_events::kind.eq(kind.as_str()),
            index_events::target_id.eq(target_id),
        ))
        .execute(conn)
        .map(drop)
}

/// Up to `limit` events after `last`, oldest first.
pub fn after(conn: &mut DbConnection, last: i64, limit: i64) -> QueryResult<Vec<IndexEvent>> {
    index_events::table
        .filter(index_events::id.gt(last))
        .order(index_events::id)
        .limit(limit)
        .select(IndexEvent::as_select())
        .load(conn)
}

/// The newest event id (0 when there is none): where a rebuild from the database stands.
pub fn newest(conn: &mut DbConnection) -> QueryResult<i64> {
    index_events::table
        .select(diesel::dsl::max(index_events::id))
        .first::<Option<i64>>(conn)
        .map(|id| id.unwrap_or(0))
}

/// The oldest event id still in the log (0 when there is none).
pub fn oldest(conn: &mut DbConnection) -> QueryResult<i64> {
    index_events::table
        .select(diesel::dsl::min(index_events::id))
        .first::<Option<i64>>(conn)
        .map(|id| id.unwrap_or(0))
}

/// Where pruning ends: at the first event younger than `retention` by the database's clock, and
/// at `below` at the latest (the event there itself stays, so an index positioned there still
/// finds its position in the log).
pub fn prune_end(conn: &mut DbConnection, below: i64, retention: Duration) -> QueryResult<i64> {
    let now: NaiveDateTime = diesel::select(diesel::dsl::now).get_result(conn)?;
    let first_young = index_events::table
        .filter(index_events::id.lt(below))
        .filter(index_events::created_at.ge(now - retention))
        .order(index_events::id)
        .select(index_events::id)
        .first::<i64>(conn)
        .optional()?;
    Ok(first_young.unwrap_or(below))
}

/// Deletes up to `limit` of the oldest events, all with an id below `end`; returns how many went.
/// Only ever the start of the log goes, never an event with an older one kept before it: a node
/// behind finds its position before the oldest event and rebuilds (see `indexer`), where a hole
/// after an event kept would read as a rolled-back id and its events be skipped.
pub fn prune(conn: &mut DbConnection, end: i64, limit: i64) -> QueryResult<usize> {
    let last = index_events::table
        .filter(index_events::id.lt(end))
        .order(index_events::id)
        .offset(limit - 1)
        .select(index_events::id)
        .first::<i64>(conn)
        .optional()?;
    let last = last.unwrap_or(end - 1);
    diesel::delete(index_events::table.filter(index_events::id.le(last))).execute(conn)
}
