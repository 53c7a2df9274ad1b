//! The audit log: who did what to which record, when, in which request, with the record before
//! and after. Areas call `record` inside the transaction of the change, so the log and the change
//! commit together. Audit records; it never decides.
//!
//! The log keeps no free text people wrote (see `redaction`): it outlives the records it
//! describes, so a note or summary copied into it would survive the record's erasure.

pub mod reads;
pub mod redaction;
pub mod routes;
pub mod store;

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::DbConnection;
use crate::db::bulk::bulk_insert;
use crate::db::schema::audit_log;

/// Who acts, and in which request.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<String>,
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub id: String,
    #[serde(serialize_with = "utc")]
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub request_id: Option<String>,
    /// The record before the change, as JSON text.
    pub before: Option<String>,
    /// The record after the change, as JSON text.
    pub after: Option<String>,
}

/// A stored UTC time as RFC 3339 with its offset, like every time the API answers (a bare
/// `NaiveDateTime` has none, which is not the `date-time` the document promises).
fn utc<S: serde::Serializer>(at: &NaiveDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&at.and_utc(), serializer)
}

// An absent value is NULL, not DEFAULT, so that several entries go in one multi-row INSERT on
// SQLite too (which has no DEFAULT inside VALUES).
#[derive(Insertable)]
#[diesel(table_name = audit_log, treat_none_as_default_value = false)]
struct NewAuditEntry<'a> {
    id: String,
    at: NaiveDateTime,
    actor_id: Option<&'a str>,
    action: &'a str,
    target_type: &'a str,
    target_id: &'a str,
    request_id: Option<&'a str>,
    before: Option<String>,
    after: Option<String>,
}

/// One change to log: `target_type` is the resource's singular snake_case name
/// (`equivalence`, `employer`, `job`, `candidate`, `case`, `user`).
pub struct Change<'a, B: Serialize, A: Serialize> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: &'a str,
    pub before: Option<&'a B>,
    pub after: Option<&'a A>,
}

pub fn record<B: Serialize, A: Serialize>(
    conn: &mut DbConnection,
    actor: &Actor,
    change: Change<'_, B, A>,
) -> QueryResult<()> {
    record_all(conn, actor, [change])
}

/// Several changes by one actor in one statement: a page of reads logs one entry per record in
/// one round trip instead of one each (bench/changes.md).
pub fn record_all<'c, B: Serialize + 'c, A: Serialize + 'c>(
    conn: &mut DbConnection,
    actor: &Actor,
    changes: impl IntoIterator<Item = Change<'c, B, A>>,
) -> QueryResult<()> {
    let at = Utc::now().naive_utc();
    let entries: Vec<NewAuditEntry<'_>> = changes
        .into_iter()
        .map(|change| NewAuditEntry {
            id: uuid::Uuid::new_v4().to_string(),
            at,
            actor_id: actor.user_id.as_deref(),
            action: change.action,
            target_type: change.target_type,
            target_id: change.target_id,
            request_id: actor.request_id.as_deref(),
            before: change.before.map(redacted_json_text),
            after: change.after.map(redacted_json_text),
        })
        .collect();
    bulk_insert!(conn, audit_log::table, entries);
    Ok(())
}

/// The value as JSON text, with its free text replaced by its length.
fn redacted_json_text<T: Serialize>(value: &T) -> String {
    let mut value = serde_json::to_value(value).unwrap_or_default();
    redaction::hide_free_text(&mut value);
    value.to_string()
}
