//! Members and invitations. Owners of a verified employer invite by email, at most
//! `employers.invitations_per_day` in any 24 hours: each invitation is an email naming the
//! employer to any address, which an unverified or unlimited employer could turn into a phishing
//! relay. The invitation stores only a hash of the emailed token and lapses after 7 days; it is
//! accepted by a signed-in employer account with the invited address. Every employer keeps at
//! least one owner.

use chrono::{Duration, NaiveDateTime};
use serde::Deserialize;
use utoipa::ToSchema;

use super::membership::member_role;
use super::model::{InvitationRow, MemberRole, MemberRow};
use super::service::Audited::{Added, Removed};
use super::service::{find_or_404, now, record, require_member, require_owner};
use super::store;
use super::views::{EmployerView, InvitationView, MemberView};
use crate::audit::Actor;
use crate::auth::domain::Email;
use crate::auth::tokens::{generate_opaque, hash_opaque};
use crate::auth::{AuthUser, Role};
use crate::context::AreaContext;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::mail::{Template, outbox};

pub const INVITATION_TTL_DAYS: i64 = 7;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationInput {
    pub email: String,
    #[schema(value_type = MemberRole)]
    pub role: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInput {
    /// The `token` of the emailed link.
    pub token: String,
}

/// What accepting a token came to.
pub enum Accepted {
    Joined(EmployerView),
    /// The token was right but too late; nothing changed.
    Expired,
}

/// Members and agency staff see who belongs to an employer; other employers and candidates get
/// a 403 (the employer is public, its staff list is not).
pub async fn members(
    ctx: &AreaContext,
    user: &AuthUser,
    employer_id: String,
) -> Result<Vec<MemberView>, AppError> {
    let user = user.clone();
    ctx.db
        .read(move |conn| {
            find_or_404(conn, &employer_id)?;
            if !user.role.is_agency() {
                require_member(conn, &employer_id, &user)?;
            }
            Ok(store::members(conn, &employer_id)?
                .into_iter()
                .map(MemberView::from)
                .collect())
        })
        .await
}

/// An owner invites an address. Inviting the same address again replaces the pending
/// invitation: the earlier link stops working.
pub async fn invite(
    ctx: &AreaContext,
    user: &AuthUser,
    employer_id: String,
    input: InvitationInput,
) -> Result<InvitationView, AppError> {
    user.require(&[Role::Employer])?;
    let mut errors = Vec::new();
    let email = Email::parse(&input.email)
        .map_err(|m| errors.push(crate::error::FieldError::new("email", m)))
        .ok();
    let role = MemberRole::parse(&input.role)
        .map_err(|m| errors.push(crate::error::FieldError::new("role", m)))
        .ok();
    let (Some(email), Some(role)) = (email, role) else {
        return Err(AppError::Validation(errors));
    };
    let per_day = i64::from(ctx.settings.employers.invitations_per_day);
    let token = generate_opaque();
    let link = ctx.link(&format!("/employers/invitations/accept?token={token}"));
    let actor = Actor::from(user);
    let user = user.clone();
    ctx.db
        .write(move |conn| {
            let employer = find_or_404(conn, &employer_id)?;
            require_owner(conn, &employer_id, &user)?;
            if !employer.verified {
                return Err(AppError::Forbidden(
                    "only a verified employer may invite members; the agency verifies employers first".into(),
                ));
            }
            let now = now();
            // Concurrent invitations of one employer queue here, so none slips past the limit.
            store::lock_employer(conn, &employer_id)?;
            check_daily_limit(conn, &employer_id, per_day, now)?;
            if store::email_is_member(conn, &employer_id, email.as_str())? {
                return Err(AppError::Conflict(
                    "this address belongs to a member already".into(),
                ));
            }
            for earlier in store::pending_for_email(conn, &employer_id, email.as_str())? {
                store::cancel_invitation(conn, &earlier.id, now)?;
            }
            let row = InvitationRow {
                id: uuid::Uuid::new_v4().to_string(),
                employer_id: employer_id.clone(),
                email: email.as_str().to_owned(),
                role: role.as_str().to_owned(),
                token_hash: hash_opaque(&token),
                invited_by: user.id.clone(),
                expires_at: now + Duration::days(INVITATION_TTL_DAYS),
                accepted_at: None,
                created_at: now,
                cancelled_at: None,
            };
            store::insert_invitation(conn, &row)?;
            // Written in the invitee's language when they have an account, else the inviter's.
            let locale = match crate::auth::store::find_user_by_email(conn, email.as_str())? {
                Some(invitee) => crate::auth::service::locale_of(&invitee),
                None => crate::auth::store::find_user(conn, &user.id)?
                    .map(|inviter| crate::auth::service::locale_of(&inviter))
                    .unwrap_or(Locale::En),
            };
            outbox::enqueue(
                conn,
                email.as_str(),
                locale,
                &Template::EmployerInvitation {
                    employer: employer.name,
                    link,
                },
            )?;
            let view = InvitationView::new(&row, now);
            record(conn, &actor, "invite", &employer_id, Added(&view))?;
            Ok(view)
        })
        .await
}

/// A 429 once the employer has sent `per_day` invitations in the 24 hours before `now`; it may
/// retry when the first of them is a day old.
fn check_daily_limit(
    conn: &mut DbConnection,
    employer_id: &str,
    per_day: i64,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let (sent, first) = store::invitations_sent_since(conn, employer_id, now - Duration::days(1))?;
    if sent < per_day {
        return Ok(());
    }
    let frees_up = first.map_or(Duration::days(1), |first| first + Duration::days(1) - now);
    Err(AppError::TooManyRequests {
        retry_after_secs: frees_up.num_seconds().max(1) as u64,
    })
}

/// The invited person joins. Unknown or used tokens: 404; expired: `Accepted::Expired` (410);
/// another account than the invited address: 403; a member already: 409.
pub async fn accept(ctx: &AreaContext, user: &AuthUser, input: AcceptInput) -> Result<Accepted, AppError> {
    user.require(&[Role::Employer])?;
    let token_hash = hash_opaque(input.token.trim());
    let actor = Actor::from(user);
    let user_id = user.id.clone();
    ctx
        .db
        .write(move |conn| {
            let invitation = store::find_invitation_by_hash(conn, &token_hash)?
                .filter(|i| i.accepted_at.is_none())
                .ok_or(AppError::NotFound)?;
            let now = now();
            if invitation.expires_at <= now {
                return Ok(Accepted::Expired);
            }
            let account = crate::auth::store::find_user(conn, &user_id)?.ok_or(AppError::NotFound)?;
            if !account.email.eq_ignore_ascii_case(&invitation.email) {
                return Err(AppError::Forbidden("this invitation was sent to another email address".into()));
            }
            store::lock_employer(conn, &invitation.employer_id)?;
            if member_role(conn, &invitation.employer_id, &user_id)?.is_some() {
                return Err(AppError::Conflict("you are a member of this employer already".into()));
            }
            let member = MemberRow { employer_id: invitation.employer_id.clone(), user_id: user_id.clone(), role: invitation.role.clone(), created_at: now };
            store::insert_member(conn, &member)?;
            store::mark_invitation_accepted(conn, &invitation.id, now)?;
            let after = serde_json::json!({"user_id": user_id, "role": invitation.role, "invitation_id": invitation.id});
            record(conn, &actor, "member_join", &invitation.employer_id, Added(&after))?;
            let employer = find_or_404(conn, &invitation.employer_id)?;
            Ok(Accepted::Joined(EmployerView::new(&employer, Some(MemberRole::stored(&invitation.role)))))
        })
        .await
}

/// An owner removes a member, or a member leaves. The last owner stays (409).
pub async fn remove_member(
    ctx: &AreaContext,
    user: &AuthUser,
    employer_id: String,
    member_id: String,
) -> Result<(), AppError> {
    write_to(ctx, user, employer_id, move |conn, user, actor, employer_id| {
        if member_id != user.id {
            require_owner(conn, employer_id, user)?;
        }
        store::lock_employer(conn, employer_id)?;
        let role = member_role(conn, employer_id, &member_id)?.ok_or(AppError::NotFound)?;
        if role == MemberRole::Owner && store::count_owners(conn, employer_id)? <= 1 {
            return Err(AppError::Conflict(
                "the last owner cannot be removed; make another member owner first".into(),
            ));
        }
        store::delete_member(conn, employer_id, &member_id)?;
        let before = serde_json::json!({"user_id": member_id, "role": role});
        record(conn, actor, "member_remove", employer_id, Removed(&before))?;
        Ok(())
    })
    .await
}

/// Invitations not yet accepted, for owners.
pub async fn invitations(
    ctx: &AreaContext,
    user: &AuthUser,
    employer_id: String,
) -> Result<Vec<InvitationView>, AppError> {
    user.require(&[Role::Employer])?;
    let user = user.clone();
    ctx.db
        .read(move |conn| {
            find_or_404(conn, &employer_id)?;
            require_owner(conn, &employer_id, &user)?;
            let now = now();
            Ok(store::pending_invitations(conn, &employer_id)?
                .iter()
                .map(|i| InvitationView::new(i, now))
                .collect())
        })
        .await
}

/// An owner withdraws a pending invitation; its link stops working.
pub async fn cancel(
    ctx: &AreaContext,
    user: &AuthUser,
    employer_id: String,
    invitation_id: String,
) -> Result<(), AppError> {
    write_to(ctx, user, employer_id, move |conn, user, actor, employer_id| {
        require_owner(conn, employer_id, user)?;
        let invitation = store::find_invitation(conn, employer_id, &invitation_id)?
            .filter(|i| i.accepted_at.is_none())
            .ok_or(AppError::NotFound)?;
        let now = now();
        store::cancel_invitation(conn, &invitation.id, now)?;
        let before = InvitationView::new(&invitation, now);
        record(conn, actor, "invitation_cancel", employer_id, Removed(&before))?;
        Ok(())
    })
    .await
}

/// An employer account's change to the members or invitations of an employer that exists (404
/// otherwise), in one transaction; `change` is given the caller, who to audit and the id.
async fn write_to<T, F>(
    ctx: &AreaContext,
    user: &AuthUser,
    employer_id: String,
    change: F,
) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection, &AuthUser, &Actor, &str) -> Result<T, AppError> + Send + 'static,
{
    user.require(&[Role::Employer])?;
    let actor = Actor::from(user);
    let user = user.clone();
    ctx.db
        .write(move |conn| {
            find_or_404(conn, &employer_id)?;
            change(conn, &user, &actor, &employer_id)
        })
        .await
}
