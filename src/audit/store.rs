//! Reading the audit log.

use diesel::prelude::*;

use super::AuditEntry;
use crate::db::schema::audit_log;
use crate::db::{DbConnection, MultiBackend};
use crate::http::pagination::Page;

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
