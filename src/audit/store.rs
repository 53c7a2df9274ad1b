//! Reading the audit log.

use diesel::prelude::*;

use super::{AuditEntry, redaction};
use crate::db::schema::audit_log;
use crate::db::{DbConnection, MultiBackend};
use crate::paging::Page;

#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub actor_id: Option<String>,
}

fn filtered(filter: &AuditFilter) -> audit_log::BoxedQuery<'static, MultiBackend> {
    let mut query = audit_log::table.into_boxed();
    if let Some(target_type) = &filter.target_type {
        query = query.filter(audit_log::target_type.eq(target_type.clone()));
    }
    if let Some(target_id) = &filter.target_id {
        query = query.filter(audit_log::target_id.eq(target_id.clone()));
    }
    if let Some(actor_id) = &filter.actor_id {
        query = query.filter(audit_log::actor_id.eq(actor_id.clone()));
    }
    query
}

/// Newest first.
pub fn list(
    conn: &mut DbConnection,
    filter: &AuditFilter,
    page: Page,
) -> QueryResult<(Vec<AuditEntry>, i64)> {
    let total = filtered(filter).count().get_result(conn)?;
    let items = filtered(filter)
        .order((audit_log::at.desc(), audit_log::id.desc()))
        .limit(page.limit)
        .offset(page.offset)
        .select(AuditEntry::as_select())
        .load(conn)?;
    Ok((items, total))
}

/// Whose entries an erasure rewrites: those about any of `targets` (type, id) and those `actor`
/// made.
pub struct ErasedPerson {
    pub actor_id: String,
    pub targets: Vec<(&'static str, Vec<String>)>,
}

/// Erasure: the person's entries keep ids, actions, times and field names; the text of their
/// before and after values goes (see `redaction::erase_text`). Returns how many changed.
pub fn erase_text_of(conn: &mut DbConnection, person: &ErasedPerson) -> QueryResult<usize> {
    let mut query = audit_log::table
        .filter(audit_log::actor_id.eq(person.actor_id.clone()))
        .into_boxed();
    for (target_type, ids) in &person.targets {
        query = query.or_filter(
            audit_log::target_type
                .eq(*target_type)
                .and(audit_log::target_id.eq_any(ids.clone())),
        );
    }
    let entries: Vec<(String, Option<String>, Option<String>)> = query
        .select((audit_log::id, audit_log::before, audit_log::after))
        .load(conn)?;
    let mut changed = 0;
    for (id, before, after) in entries {
        let (before, before_changed) = erased(before);
        let (after, after_changed) = erased(after);
        if before_changed || after_changed {
            diesel::update(audit_log::table.find(&id))
                .set((audit_log::before.eq(before), audit_log::after.eq(after)))
                .execute(conn)?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// A recorded value with its text erased, and whether that changed it. A value that is not
/// JSON (none is written so) is dropped rather than kept unread.
fn erased(recorded: Option<String>) -> (Option<String>, bool) {
    let Some(text) = recorded else {
        return (None, false);
    };
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(mut value) => {
            let changed = redaction::erase_text(&mut value);
            (Some(value.to_string()), changed)
        }
        Err(_) => (None, true),
    }
}

/// The entries with `action` about one record, oldest first.
pub fn about(
    conn: &mut DbConnection,
    target_type: &str,
    target_id: &str,
    action: &str,
) -> QueryResult<Vec<AuditEntry>> {
    audit_log::table
        .filter(audit_log::target_type.eq(target_type))
        .filter(audit_log::target_id.eq(target_id))
        .filter(audit_log::action.eq(action))
        .order((audit_log::at, audit_log::id))
        .select(AuditEntry::as_select())
        .load(conn)
}
