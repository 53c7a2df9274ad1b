//! The index events log: what changed, in the order the indexes must apply it.

use chrono::{NaiveDateTime, Utc};
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

/// Appends an event inside the caller's transaction.
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
            index_events::created_at.eq(Utc::now().naive_utc()),
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

/// Deletes up to `limit` of the oldest events with an id below `below` written before `before`;
/// returns how many went. The event at `below` itself stays, so an index positioned there still
/// finds its position in the log (see `indexer`: an index behind the oldest event rebuilds).
pub fn prune(conn: &mut DbConnection, below: i64, before: NaiveDateTime, limit: i64) -> QueryResult<usize> {
    let ids: Vec<i64> = index_events::table
        .filter(index_events::id.lt(below))
        .filter(index_events::created_at.lt(before))
        .order(index_events::id)
        .limit(limit)
        .select(index_events::id)
        .load(conn)?;
    let (Some(first), Some(last)) = (ids.first(), ids.last()) else {
        return Ok(0);
    };
    diesel::delete(
        index_events::table
            .filter(index_events::id.between(*first, *last))
            .filter(index_events::created_at.lt(before)),
    )
    .execute(conn)
}
