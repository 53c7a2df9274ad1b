//! The record of a case's changes: every change goes to the audit log, which the timeline reads.

use chrono::{NaiveDateTime, Utc};

use crate::audit::{self, Actor, Change};
use crate::auth::AuthUser;
use crate::db::DbConnection;
use crate::error::AppError;

pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

pub fn record<B: serde::Serialize, A: serde::Serialize>(
    conn: &mut DbConnection,
    actor: &AuthUser,
    action: &str,
    case_id: &str,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<(), AppError> {
    audit::record(
        conn,
        &Actor::from(actor),
        Change {
            action,
            target_type: "case",
            target_id: case_id,
            before,
            after,
        },
    )?;
    Ok(())
}
