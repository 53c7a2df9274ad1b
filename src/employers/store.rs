//! Employer, member and invitation queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{EmployerRow, InvitationRow, MemberRow, MemberWithUser};
use crate::db::DbConnection;
use crate::db::schema::{employer_invitations, employer_members, employers, jobs, users};
use crate::paging::Page;

pub fn find_employer(conn: &mut DbConnection, id: &str) -> QueryResult<Option<EmployerRow>> {
    employers::table
        .find(id)
        .select(EmployerRow::as_select())
        .first(conn)
        .optional()
}

/// What a job's view and its index document show of an employer: its id, name, jurisdiction
/// and whether the agency verified it.
pub type EmployerShown = (String, String, String, bool);

/// What jobs show of several employers, in one query; missing ids are skipped. Only these
/// columns: a reindex reads them for every page of a thousand jobs.
pub fn shown_of_employers(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<EmployerShown>> {
    employers::table
        .filter(employers::id.eq_any(ids))
        .select((
            employers::id,
            employers::name,
            employers::jurisdiction,
            employers::verified,
        ))
        .load(conn)
}

/// Whether a verified employer other than `except` holds this number in the jurisdiction.
/// Unverified ones do not count: anyone may claim a number, only the agency confirms it.
pub fn number_verified_elsewhere(
    conn: &mut DbConnection,
    jurisdiction: &str,
    number: &str,
    except: Option<&str>,
) -> QueryResult<bool> {
    // At most one, by the unique index over verified employers' numbers.
    let holders: Vec<String> = employers::table
        .filter(employers::jurisdiction.eq(jurisdiction))
        .filter(employers::registration_number.eq(number))
        .filter(employers::verified.eq(true))
        .select(employers::id)
        .load(conn)?;
    Ok(holders.iter().any(|id| Some(id.as_str()) != except))
}

/// The ids of every job of the employer, whatever their status.
pub fn job_ids(conn: &mut DbConnection, employer_id: &str) -> QueryResult<Vec<String>> {
    jobs::table
        .filter(jobs::employer_id.eq(employer_id))
        .order(jobs::id)
        .select(jobs::id)
        .load(conn)
}

pub fn insert_employer(conn: &mut DbConnection, row: &EmployerRow) -> QueryResult<()> {
    diesel::insert_into(employers::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn set_name(conn: &mut DbConnection, id: &str, name: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(employers::table.find(id))
        .set((employers::name.eq(name), employers::updated_at.eq(now)))
        .execute(conn)
        .map(drop)
}

/// Records the agency's verification decision.
pub fn set_verification(conn: &mut DbConnection, row: &EmployerRow) -> QueryResult<()> {
    diesel::update(employers::table.find(&row.id))
        .set((
            employers::verified.eq(row.verified),
            employers::verification_note.eq(&row.verification_note),
            employers::verified_by.eq(&row.verified_by),
            employers::verified_at.eq(row.verified_at),
            employers::updated_at.eq(row.updated_at),
        ))
        .execute(conn)
        .map(drop)
}

/// A page of employers, oldest first: the user's own when `member` is given, else all.
pub fn list_employers(
    conn: &mut DbConnection,
    member: Option<&str>,
    page: Page,
) -> QueryResult<(Vec<EmployerRow>, i64)> {
    let filtered = || {
        let mut query = employers::table.into_boxed();
        if let Some(user_id) = member {
            query = query.filter(
                employers::id.eq_any(
                    employer_members::table
                        .filter(employer_members::user_id.eq(user_id.to_owned()))
                        .select(employer_members::employer_id),
                ),
            );
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((employers::created_at, employers::id))
        .limit(page.limit)
        .offset(page.offset)
        .select(EmployerRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

pub fn insert_member(conn: &mut DbConnection, row: &MemberRow) -> QueryResult<()> {
    diesel::insert_into(employer_members::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn delete_member(conn: &mut DbConnection, employer_id: &str, user_id: &str) -> QueryResult<()> {
    diesel::delete(employer_members::table.find((employer_id, user_id)))
        .execute(conn)
        .map(drop)
}

pub fn members(conn: &mut DbConnection, employer_id: &str) -> QueryResult<Vec<MemberWithUser>> {
    employer_members::table
        .inner_join(users::table.on(users::id.eq(employer_members::user_id)))
        .filter(employer_members::employer_id.eq(employer_id))
        .order((employer_members::created_at, employer_members::user_id))
        .select((
            employer_members::user_id,
            employer_members::role,
            employer_members::created_at,
            users::email,
            users::display_name,
        ))
        .load(conn)
}

/// The user ids of every member: whom to tell about applications and the like.
pub fn member_user_ids(conn: &mut DbConnection, employer_id: &str) -> QueryResult<Vec<String>> {
    employer_members::table
        .filter(employer_members::employer_id.eq(employer_id))
        .order(employer_members::user_id)
        .select(employer_members::user_id)
        .load(conn)
}

pub fn count_owners(conn: &mut DbConnection, employer_id: &str) -> QueryResult<i64> {
    employer_members::table
        .filter(employer_members::employer_id.eq(employer_id))
        .filter(employer_members::role.eq("owner"))
        .count()
        .get_result(conn)
}

/// Serialises membership changes of one employer: on PostgreSQL the row lock makes two
/// concurrent removals of the last two owners queue, so the "one owner remains" check holds.
pub fn lock_employer(conn: &mut DbConnection, employer_id: &str) -> QueryResult<()> {
    diesel::update(employers::table.find(employer_id))
        .set(employers::updated_at.eq(employers::updated_at))
        .execute(conn)
        .map(drop)
}

pub fn insert_invitation(conn: &mut DbConnection, row: &InvitationRow) -> QueryResult<()> {
    diesel::insert_into(employer_invitations::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn find_invitation_by_hash(
    conn: &mut DbConnection,
    token_hash: &str,
) -> QueryResult<Option<InvitationRow>> {
    employer_invitations::table
        .filter(employer_invitations::token_hash.eq(token_hash))
        .filter(employer_invitations::cancelled_at.is_null())
        .select(InvitationRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_invitation(
    conn: &mut DbConnection,
    employer_id: &str,
    id: &str,
) -> QueryResult<Option<InvitationRow>> {
    employer_invitations::table
        .find(id)
        .filter(employer_invitations::employer_id.eq(employer_id))
        .filter(employer_invitations::cancelled_at.is_null())
        .select(InvitationRow::as_select())
        .first(conn)
        .optional()
}

/// Invitations neither accepted nor cancelled (expired ones included: the owner sees them
/// lapse).
pub fn pending_invitations(conn: &mut DbConnection, employer_id: &str) -> QueryResult<Vec<InvitationRow>> {
    employer_invitations::table
        .filter(employer_invitations::employer_id.eq(employer_id))
        .filter(employer_invitations::accepted_at.is_null())
        .filter(employer_invitations::cancelled_at.is_null())
        .order((employer_invitations::created_at, employer_invitations::id))
        .select(InvitationRow::as_select())
        .load(conn)
}

/// Pending invitations of one address to one employer.
pub fn pending_for_email(
    conn: &mut DbConnection,
    employer_id: &str,
    email: &str,
) -> QueryResult<Vec<InvitationRow>> {
    employer_invitations::table
        .filter(employer_invitations::employer_id.eq(employer_id))
        .filter(employer_invitations::email.eq(email))
        .filter(employer_invitations::accepted_at.is_null())
        .filter(employer_invitations::cancelled_at.is_null())
        .select(InvitationRow::as_select())
        .load(conn)
}

pub fn cancel_invitation(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(employer_invitations::table.find(id))
        .set(employer_invitations::cancelled_at.eq(now))
        .execute(conn)
        .map(drop)
}

/// How many invitations the employer sent since `since` (cancelled and accepted ones included),
/// and when the first of them was sent.
pub fn invitations_sent_since(
    conn: &mut DbConnection,
    employer_id: &str,
    since: NaiveDateTime,
) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    employer_invitations::table
        .filter(employer_invitations::employer_id.eq(employer_id))
        .filter(employer_invitations::created_at.gt(since))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(employer_invitations::created_at),
        ))
        .get_result(conn)
}

pub fn mark_invitation_accepted(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(employer_invitations::table.find(id))
        .set(employer_invitations::accepted_at.eq(now))
        .execute(conn)
        .map(drop)
}

/// Whether a user with this email is a member already.
pub fn email_is_member(conn: &mut DbConnection, employer_id: &str, email: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        employer_members::table
            .inner_join(users::table.on(users::id.eq(employer_members::user_id)))
            .filter(employer_members::employer_id.eq(employer_id))
            .filter(users::email.eq(email)),
    ))
    .get_result(conn)
}
