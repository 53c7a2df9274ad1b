//! Who belongs to which employer: the question every per-object check on employers, jobs,
//! applications and candidate visibility asks.

use diesel::prelude::*;

use super::model::MemberRole;
use crate::db::DbConnection;
use crate::db::schema::{employer_members, employers};

/// One employer a user belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Membership {
    pub employer_id: String,
    /// The employer's jurisdiction: what cross-border visibility is judged against.
    pub jurisdiction: String,
    /// `owner` or `recruiter`.
    pub role: String,
    pub employer_verified: bool,
}

pub fn memberships_of(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<Membership>> {
    employer_members::table
        .inner_join(employers::table)
        .filter(employer_members::user_id.eq(user_id))
        .order(employers::created_at)
        .select((
            employers::id,
            employers::jurisdiction,
            employer_members::role,
            employers::verified,
        ))
        .load(conn)
}

/// The user's role at this employer, if a member.
pub fn member_role(
    conn: &mut DbConnection,
    employer_id: &str,
    user_id: &str,
) -> QueryResult<Option<MemberRole>> {
    let stored: Option<String> = employer_members::table
        .find((employer_id, user_id))
        .select(employer_members::role)
        .first(conn)
        .optional()?;
    Ok(stored.as_deref().map(MemberRole::stored))
}
