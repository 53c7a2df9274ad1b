//! The account rules: registration without enumeration, email verification, login with
//! throttling, refresh-token rotation with reuse detection, password reset, staff accounts.

use std::net::IpAddr;

use chrono::{Duration, NaiveDateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::domain::{DisplayName, Email, Password, Role};
use super::model::{NewRefreshToken, NewUser, NewUserToken, TokenPurpose, User};
use super::tokens::{JwtKeys, generate_opaque, hash_opaque};
use super::{password, store, throttle};
use crate::context::AreaContext;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::mail::{Template, outbox};

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A new account, already parsed.
pub struct NewAccount {
    pub email: Email,
    pub password: Password,
    pub role: Role,
    pub display_name: DisplayName,
    pub locale: Locale,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

/// Self-service sign-up. The answer never says whether the email was new: a known address gets
/// an "you already have an account" email instead of a second account.
pub async fn register(ctx: &AreaContext, account: NewAccount) -> Result<(), AppError> {
    // Hash before looking the email up, so both outcomes take the same time.
    let password_hash = password::hash(account.password.expose().to_owned()).await?;
    let verify_ttl = Duration::hours(ctx.settings.auth.verification_token_ttl_hours);
    let token = generate_opaque();
    let verify_link = ctx.link(&format!("/verify-email?token={token}"));
    let login_link = ctx.link("/login");
    let reset_link = ctx.link("/reset-password");
    let outcome = ctx
        .db
        .write(move |conn| {
            let email = account.email.as_str();
            if let Some(existing) = store::find_user_by_email(conn, email)? {
                let template = Template::AccountExists {
                    login_link,
                    reset_link,
                };
                outbox::enqueue(conn, email, locale_of(&existing), &template)?;
                return Ok(());
            }
            let user_id = new_id();
            let now = now();
            store::insert_user(
                conn,
                &NewUser {
                    id: &user_id,
                    email,
                    password_hash: &password_hash,
                    role: account.role.as_str(),
                    display_name: account.display_name.as_str(),
                    locale: account.locale.as_str(),
                    email_verified_at: None,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            issue_user_token(
                conn,
                &user_id,
                TokenPurpose::VerifyEmail,
                &token,
                now + verify_ttl,
            )?;
            outbox::enqueue(
                conn,
                email,
                account.locale,
                &Template::VerifyEmail { link: verify_link },
            )?;
            Ok(())
        })
        .await;
    match outcome {
        // Another request registered the same email in between; it sends the email.
        Ok(()) | Err(AppError::Conflict(_)) => {
            ctx.mail.wake();
            Ok(())
        }
        Err(other) => Err(other),
    }
}

pub async fn verify_email(ctx: &AreaContext, token: String) -> Result<(), AppError> {
    ctx.db
        .write(move |conn| {
            let now = now();
            let used = store::take_user_token(conn, &hash_opaque(&token), TokenPurpose::VerifyEmail, now)?
                .ok_or_else(invalid_token)?;
            store::mark_email_verified(conn, &used.user_id, now)?;
            Ok(())
        })
        .await
}

/// Signs in. Unknown email, wrong password, unverified email and disabled account all get the
/// same 401 after the same amount of work.
pub async fn login(
    ctx: &AreaContext,
    jwt: &JwtKeys,
    email: &str,
    password: String,
    ip: Option<IpAddr>,
) -> Result<TokenPair, AppError> {
    let email = Email::parse(email).map_err(|_| bad_credentials())?;
    let keys = throttle::LoginKeys::new(email.as_str(), ip);
    let lookup = (email, keys.clone());
    let user = ctx
        .db
        .read(move |conn| {
            let (email, keys) = lookup;
            throttle::ensure_not_locked(conn, &keys, now())?;
            Ok(store::find_user_by_email(conn, email.as_str())?)
        })
        .await?;
    let stored_hash = user.as_ref().map(|u| u.password_hash.clone());
    let password_matches = password::verify(password, stored_hash).await?;
    let user = user.filter(|u| password_matches && u.email_verified_at.is_some() && u.disabled_at.is_none());
    let policy = throttle::ThrottlePolicy::from(&ctx.settings.auth);
    let Some(user) = user else {
        ctx.db
            .write(move |conn| throttle::record_failure(conn, &keys, &policy, now()))
            .await?;
        return Err(bad_credentials());
    };
    let refresh_ttl = Duration::days(ctx.settings.auth.refresh_token_ttl_days);
    let user_id = user.id.clone();
    let refresh_token = ctx
        .db
        .write(move |conn| {
            throttle::record_success(conn, &keys)?;
            issue_refresh_token(conn, &user_id, &new_id(), refresh_ttl)
        })
        .await?;
    token_pair(jwt, &user, refresh_token)
}

/// Exchanges a live refresh token for a new pair. A token presented twice means it leaked: the
/// whole family (every token descended from that login) is revoked.
pub async fn refresh(ctx: &AreaContext, jwt: &JwtKeys, presented: String) -> Result<TokenPair, AppError> {
    let refresh_ttl = Duration::days(ctx.settings.auth.refresh_token_ttl_days);
    let rotation = ctx
        .db
        .write(move |conn| {
            let now = now();
            let Some(token) = store::find_refresh_token(conn, &hash_opaque(&presented))? else {
                return Ok(None);
            };
            if token.revoked_at.is_some() || token.expires_at <= now {
                return Ok(None);
            }
            if token.spent_at.is_some() || !store::spend_refresh_token(conn, &token.id, now)? {
                tracing::warn!(family = %token.family_id, "refresh token reused; revoking its family");
                store::revoke_family(conn, &token.family_id, now)?;
                return Ok(None);
            }
            match store::find_user(conn, &token.user_id)? {
                Some(user) if user.disabled_at.is_none() => {
                    let next = issue_refresh_token(conn, &user.id, &token.family_id, refresh_ttl)?;
                    Ok(Some((user, next)))
                }
                _ => {
                    store::revoke_family(conn, &token.family_id, now)?;
                    Ok(None)
                }
            }
        })
        .await?;
    // A refusal is an answer, not a failed transaction: the family revocation above must commit.
    match rotation {
        Some((user, next)) => token_pair(jwt, &user, next),
        None => Err(AppError::Unauthorized(
            "the refresh token is invalid, expired or revoked".into(),
        )),
    }
}

/// Ends the session the refresh token belongs to. Unknown tokens are ignored: logging out twice is
/// not an error.
pub async fn logout(ctx: &AreaContext, presented: String) -> Result<(), AppError> {
    ctx.db
        .write(move |conn| {
            if let Some(token) = store::find_refresh_token(conn, &hash_opaque(&presented))? {
                store::revoke_family(conn, &token.family_id, now())?;
            }
            Ok(())
        })
        .await
}

/// Sends a reset link when the account exists; the answer is the same either way.
pub async fn request_password_reset(ctx: &AreaContext, email: Email) -> Result<(), AppError> {
    let ttl = Duration::minutes(ctx.settings.auth.reset_token_ttl_minutes);
    let token = generate_opaque();
    let link = ctx.link(&format!("/reset-password?token={token}"));
    ctx.db
        .write(move |conn| {
            let Some(user) = store::find_user_by_email(conn, email.as_str())? else {
                return Ok(());
            };
            if user.disabled_at.is_some() {
                return Ok(());
            }
            let now = now();
            store::spend_user_tokens(conn, &user.id, TokenPurpose::PasswordReset, now)?;
            issue_user_token(conn, &user.id, TokenPurpose::PasswordReset, &token, now + ttl)?;
            outbox::enqueue(
                conn,
                &user.email,
                locale_of(&user),
                &Template::PasswordReset { link },
            )?;
            Ok(())
        })
        .await?;
    ctx.mail.wake();
    Ok(())
}

/// Sets a new password with a reset token and signs the account out everywhere.
pub async fn confirm_password_reset(
    ctx: &AreaContext,
    token: String,
    new_password: Password,
) -> Result<(), AppError> {
    let password_hash = password::hash(new_password.expose().to_owned()).await?;
    ctx.db
        .write(move |conn| {
            let now = now();
            let used = store::take_user_token(conn, &hash_opaque(&token), TokenPurpose::PasswordReset, now)?
                .ok_or_else(invalid_token)?;
            store::set_password_hash(conn, &used.user_id, &password_hash, now)?;
            store::revoke_all_refresh_tokens(conn, &used.user_id, now)?;
            store::spend_user_tokens(conn, &used.user_id, TokenPurpose::PasswordReset, now)?;
            // Receiving the reset email proves the address, as the verification email would.
            store::mark_email_verified(conn, &used.user_id, now)?;
            if let Some(user) = store::find_user(conn, &used.user_id)? {
                throttle::clear_account(conn, &user.email)?;
            }
            Ok(())
        })
        .await
}

/// Creates an account that is verified from the start (agency staff, created by an admin or the
/// CLI). A taken email is a 409: only admins reach this, so it reveals nothing to the public.
pub async fn create_verified_account(
    state_db: &crate::db::Db,
    account: NewAccount,
) -> Result<User, AppError> {
    let password_hash = password::hash(account.password.expose().to_owned()).await?;
    state_db
        .write(move |conn| {
            if store::find_user_by_email(conn, account.email.as_str())?.is_some() {
                return Err(AppError::Conflict(
                    "an account with this email already exists".into(),
                ));
            }
            let id = new_id();
            let now = now();
            store::insert_user(
                conn,
                &NewUser {
                    id: &id,
                    email: account.email.as_str(),
                    password_hash: &password_hash,
                    role: account.role.as_str(),
                    display_name: account.display_name.as_str(),
                    locale: account.locale.as_str(),
                    email_verified_at: Some(now),
                    created_at: now,
                    updated_at: now,
                },
            )?;
            store::find_user(conn, &id)?.ok_or(AppError::NotFound)
        })
        .await
}

/// The caller's own account; a token whose account was disabled or erased no longer works here.
pub async fn current_user(ctx: &AreaContext, user_id: String) -> Result<User, AppError> {
    ctx.db
        .read(move |conn| Ok(store::find_user(conn, &user_id)?))
        .await?
        .filter(|user| user.disabled_at.is_none())
        .ok_or_else(|| AppError::Unauthorized("the account no longer exists or is disabled".into()))
}

fn issue_user_token(
    conn: &mut DbConnection,
    user_id: &str,
    purpose: TokenPurpose,
    token: &str,
    expires_at: NaiveDateTime,
) -> Result<(), AppError> {
    store::insert_user_token(
        conn,
        &NewUserToken {
            id: &new_id(),
            user_id,
            purpose: purpose.as_str(),
            token_hash: &hash_opaque(token),
            expires_at,
            created_at: now(),
        },
    )?;
    Ok(())
}

fn issue_refresh_token(
    conn: &mut DbConnection,
    user_id: &str,
    family_id: &str,
    ttl: Duration,
) -> Result<String, AppError> {
    let token = generate_opaque();
    let now = now();
    store::insert_refresh_token(
        conn,
        &NewRefreshToken {
            id: &new_id(),
            user_id,
            family_id,
            token_hash: &hash_opaque(&token),
            expires_at: now + ttl,
            created_at: now,
        },
    )?;
    Ok(token)
}

fn token_pair(jwt: &JwtKeys, user: &User, refresh_token: String) -> Result<TokenPair, AppError> {
    let role = Role::parse(&user.role)
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("user {} has an unknown role", user.id)))?;
    Ok(TokenPair {
        access_token: jwt.issue(&user.id, role)?,
        refresh_token,
        token_type: "Bearer",
        expires_in: jwt.ttl_secs(),
    })
}

pub fn locale_of(user: &User) -> Locale {
    user.locale.parse().unwrap_or_default()
}

fn bad_credentials() -> AppError {
    AppError::Unauthorized("the email or password is wrong, or the email is not verified yet".into())
}

fn invalid_token() -> AppError {
    AppError::invalid("token", "is invalid, expired or already used")
}
