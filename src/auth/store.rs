//! Queries on accounts and their tokens. Every function takes the connection, so callers compose
//! them inside one transaction.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::model::{
    LoginThrottle, NewRefreshToken, NewUser, NewUserToken, RefreshToken, TokenPurpose, User, UserToken,
};
use crate::db::DbConnection;
use crate::db::schema::{login_throttles, refresh_tokens, user_tokens, users};

pub fn find_user_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn find_user(conn: &mut DbConnection, id: &str) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// Agency officers and admins who can sign in — whom a case may be assigned to (the rule of
/// `cases::access::check_assignee`) — as (id, display name), by name.
pub fn active_agency_staff(conn: &mut DbConnection) -> QueryResult<Vec<(String, String)>> {
    use super::Role;
    users::table
        .filter(users::role.eq_any([Role::AgencyOfficer.as_str(), Role::Admin.as_str()]))
        .filter(users::disabled_at.is_null())
        .order((users::display_name, users::id))
        .select((users::id, users::display_name))
        .load(conn)
}

pub fn insert_user(conn: &mut DbConnection, user: &NewUser<'_>) -> QueryResult<()> {
    diesel::insert_into(users::table)
        .values(user)
        .execute(conn)
        .map(drop)
}

pub fn mark_email_verified(conn: &mut DbConnection, user_id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(
        users::table
            .find(user_id)
            .filter(users::email_verified_at.is_null()),
    )
    .set((users::email_verified_at.eq(now), users::updated_at.eq(now)))
    .execute(conn)
    .map(drop)
}

pub fn set_password_hash(
    conn: &mut DbConnection,
    user_id: &str,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now)))
        .execute(conn)
        .map(drop)
}

pub fn insert_user_token(conn: &mut DbConnection, token: &NewUserToken<'_>) -> QueryResult<()> {
    diesel::insert_into(user_tokens::table)
        .values(token)
        .execute(conn)
        .map(drop)
}

/// Spends a one-time token: returns it if it exists for this purpose, is unexpired and unused,
/// and marks it used in the same statement's guard so two requests cannot both spend it.
pub fn take_user_token(
    conn: &mut DbConnection,
    token_hash: &str,
    purpose: TokenPurpose,
    now: NaiveDateTime,
) -> QueryResult<Option<UserToken>> {
    let Some(token) = user_tokens::table
        .filter(user_tokens::token_hash.eq(token_hash))
        .filter(user_tokens::purpose.eq(purpose.as_str()))
        .filter(user_tokens::used_at.is_null())
        .filter(user_tokens::expires_at.gt(now))
        .select(UserToken::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let spent = diesel::update(
        user_tokens::table
            .find(&token.id)
            .filter(user_tokens::used_at.is_null()),
    )
    .set(user_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok((spent == 1).then_some(token))
}

/// Unused tokens of a purpose lose their power when a newer one is issued or the goal is reached.
pub fn spend_user_tokens(
    conn: &mut DbConnection,
    user_id: &str,
    purpose: TokenPurpose,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        user_tokens::table
            .filter(user_tokens::user_id.eq(user_id))
            .filter(user_tokens::purpose.eq(purpose.as_str()))
            .filter(user_tokens::used_at.is_null()),
    )
    .set(user_tokens::used_at.eq(now))
    .execute(conn)
    .map(drop)
}

pub fn insert_refresh_token(conn: &mut DbConnection, token: &NewRefreshToken<'_>) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values(token)
        .execute(conn)
        .map(drop)
}

pub fn find_refresh_token(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<RefreshToken>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select(RefreshToken::as_select())
        .first(conn)
        .optional()
}

/// Marks a live token spent; false if it was already spent or revoked (a concurrent use).
pub fn spend_refresh_token(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        refresh_tokens::table
            .find(id)
            .filter(refresh_tokens::spent_at.is_null())
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::spent_at.eq(now))
    .execute(conn)
    .map(|rows| rows == 1)
}

pub fn revoke_family(conn: &mut DbConnection, family_id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)
    .map(drop)
}

pub fn revoke_all_refresh_tokens(
    conn: &mut DbConnection,
    user_id: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)
    .map(drop)
}

pub fn find_throttles(conn: &mut DbConnection, keys: &[&str]) -> QueryResult<Vec<LoginThrottle>> {
    login_throttles::table
        .filter(login_throttles::key.eq_any(keys))
        .select(LoginThrottle::as_select())
        .load(conn)
}

/// Counts a failure against `key` atomically (safe with several nodes) and returns the count in
/// the current window, which restarts once `window` has passed.
pub fn count_failure(
    conn: &mut DbConnection,
    key: &str,
    now: NaiveDateTime,
    window: Duration,
) -> QueryResult<i32> {
    loop {
        let in_window = diesel::update(
            login_throttles::table
                .find(key)
                .filter(login_throttles::window_started_at.gt(now - window)),
        )
        .set(login_throttles::failures.eq(login_throttles::failures + 1))
        .execute(conn)?;
        if in_window == 0 {
            let restarted = diesel::update(login_throttles::table.find(key))
                .set((
                    login_throttles::failures.eq(1),
                    login_throttles::window_started_at.eq(now),
                    login_throttles::locked_until.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?;
            if restarted == 0 {
                let fresh = LoginThrottle {
                    key: key.to_owned(),
                    failures: 1,
                    window_started_at: now,
                    locked_until: None,
                };
                // A savepoint, so that losing an insert race to another node does not abort the
                // surrounding transaction; the loop then counts on the row the other node made.
                let inserted = conn.transaction(|conn| {
                    diesel::insert_into(login_throttles::table)
                        .values(&fresh)
                        .execute(conn)
                });
                match inserted {
                    Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => continue,
                    other => other?,
                };
            }
        }
        return login_throttles::table
            .find(key)
            .select(login_throttles::failures)
            .first(conn);
    }
}

pub fn lock(conn: &mut DbConnection, key: &str, until: NaiveDateTime) -> QueryResult<()> {
    diesel::update(login_throttles::table.find(key))
        .set(login_throttles::locked_until.eq(until))
        .execute(conn)
        .map(drop)
}

pub fn clear_throttle(conn: &mut DbConnection, key: &str) -> QueryResult<()> {
    diesel::delete(login_throttles::table.find(key))
        .execute(conn)
        .map(drop)
}

/// Deletes every throttle whose key starts with `prefix` (a hex hash and separators: no `LIKE`
/// wildcards in it).
pub fn clear_throttles_starting_with(conn: &mut DbConnection, prefix: &str) -> QueryResult<()> {
    diesel::delete(login_throttles::table.filter(login_throttles::key.like(format!("{prefix}%"))))
        .execute(conn)
        .map(drop)
}
