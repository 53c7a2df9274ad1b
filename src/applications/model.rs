//! Application rows as stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{application_events, applications};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = applications)]
pub struct ApplicationRow {
    pub id: String,
    pub job_id: String,
    pub candidate_id: String,
    pub cover_letter: Option<String>,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = application_events)]
pub struct ApplicationEventRow {
    pub id: String,
    pub application_id: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor_id: Option<String>,
    pub at: NaiveDateTime,
}
