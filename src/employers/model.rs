//! Employer rows as stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{employer_invitations, employer_members, employers};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = employers)]
pub struct EmployerRow {
    pub id: String,
    pub name: String,
    pub jurisdiction: String,
    pub registration_number: String,
    pub verified: bool,
    pub verification_note: Option<String>,
    pub verified_by: Option<String>,
    pub verified_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = employer_members)]
pub struct MemberRow {
    pub employer_id: String,
    pub user_id: String,
    /// `owner` or `recruiter`.
    pub role: String,
    pub created_at: NaiveDateTime,
}

/// A member with the account details a member list shows.
#[derive(Debug, Clone, Queryable)]
pub struct MemberWithUser {
    pub user_id: String,
    pub role: String,
    pub created_at: NaiveDateTime,
    pub email: String,
    pub display_name: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = employer_invitations)]
pub struct InvitationRow {
    pub id: String,
    pub employer_id: String,
    /// Normalised (lower-case) address the invitation was sent to; only its owner may accept.
    pub email: String,
    pub role: String,
    /// SHA-256 of the emailed token; the token itself is never stored.
    pub token_hash: String,
    pub invited_by: String,
    pub expires_at: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    /// Cancelled by an owner or replaced by a newer invitation: the link no longer works, and
    /// the row stays so the daily limit counts it.
    pub cancelled_at: Option<NaiveDateTime>,
}

/// The two member roles: owners manage members and the employer's name; recruiters manage jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    Owner,
    Recruiter,
}

impl MemberRole {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberRole::Owner => "owner",
            MemberRole::Recruiter => "recruiter",
        }
    }

    pub fn parse(value: &str) -> Result<MemberRole, String> {
        match value {
            "owner" => Ok(MemberRole::Owner),
            "recruiter" => Ok(MemberRole::Recruiter),
            _ => Err("must be owner or recruiter".into()),
        }
    }

    /// The role a row stores. The column's CHECK keeps it to the two; a value outside them (a
    /// hand-edited row) reads as recruiter, the role that manages fewer things.
    pub fn stored(value: &str) -> MemberRole {
        MemberRole::parse(value).unwrap_or(MemberRole::Recruiter)
    }
}
