//! What the employer endpoints answer. Times are RFC 3339 UTC.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::model::{EmployerRow, InvitationRow, MemberRole, MemberWithUser};
use crate::auth::AuthUser;

pub fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerView {
    pub id: String,
    pub name: String,
    /// `CN` or `HK`.
    #[schema(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: String,
    /// Normalised: the 18-character code in upper case, or the 8 BR digits.
    pub registration_number: String,
    /// Verified by the agency; only verified employers publish jobs.
    pub verified: bool,
    /// The agency's note on its check: for the agency and the employer's own members only (null
    /// for anyone else).
    pub verification_note: Option<String>,
    pub verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The caller's role here; absent for non-members.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub my_role: Option<MemberRole>,
}

impl EmployerView {
    pub fn new(row: &EmployerRow, my_role: Option<MemberRole>) -> Self {
        Self {
            id: row.id.clone(),
            name: row.name.clone(),
            jurisdiction: row.jurisdiction.clone(),
            registration_number: row.registration_number.clone(),
            verified: row.verified,
            verification_note: row.verification_note.clone(),
            verified_at: row.verified_at.map(utc),
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
            my_role,
        }
    }

    /// The view as `reader` may have it: the agency's note on its check is the agency's and the
    /// employer's own (a member has `my_role`), not every signed-in user's.
    pub fn seen_by(mut self, reader: &AuthUser) -> Self {
        if !reader.role.is_agency() && self.my_role.is_none() {
            self.verification_note = None;
        }
        self
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    pub user_id: String,
    pub email: String,
    pub display_name: String,
    pub role: MemberRole,
    pub joined_at: DateTime<Utc>,
}

impl From<MemberWithUser> for MemberView {
    fn from(row: MemberWithUser) -> Self {
        Self {
            user_id: row.user_id,
            email: row.email,
            display_name: row.display_name,
            role: MemberRole::stored(&row.role),
            joined_at: utc(row.created_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationView {
    pub id: String,
    pub employer_id: String,
    pub email: String,
    pub role: MemberRole,
    pub invited_by: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Past its expiry and never accepted: the link no longer works.
    pub expired: bool,
}

impl InvitationView {
    pub fn new(row: &InvitationRow, now: NaiveDateTime) -> Self {
        Self {
            id: row.id.clone(),
            employer_id: row.employer_id.clone(),
            email: row.email.clone(),
            role: MemberRole::stored(&row.role),
            invited_by: row.invited_by.clone(),
            created_at: utc(row.created_at),
            expires_at: utc(row.expires_at),
            expired: row.expires_at <= now,
        }
    }
}
