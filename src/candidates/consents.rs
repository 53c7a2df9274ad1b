//! Cross-border sharing consents: per candidate, per target jurisdiction, recorded with the
//! notice version; withdrawal is a new state of the record, which is never deleted. What a
//! consent allows is decided in `visibility`, not here.

use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;

use super::holdings::profile_for_writing;
use super::model::ConsentRow;
use super::profile::live_candidate_of;
use super::views::ConsentView;
use super::{CONSENT_NOTICE_VERSION, store};
use crate::audit::{self, Actor, Change};
use crate::auth::AuthUser;
use crate::context::AreaContext;
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentPurpose {
    /// Employers in `to_jurisdiction` may see the profile.
    CrossBorderSharing,
}

impl ConsentPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentPurpose::CrossBorderSharing => "cross_border_sharing",
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentInput {
    pub purpose: ConsentPurpose,
    /// The jurisdiction whose employers may see the profile; not the candidate's own.
    #[schema(pattern = "^[A-Z]{2}$")]
    pub to_jurisdiction: String,
}

pub async fn grant(ctx: &AreaContext, user: &AuthUser, input: ConsentInput) -> Result<ConsentRow, AppError> {
    if ctx.registry.get().jurisdiction(&input.to_jurisdiction).is_none() {
        return Err(AppError::invalid("to_jurisdiction", "names no jurisdiction"));
    }
    let (actor, user_id) = (Actor::from(user), user.id.clone());
    ctx.db
        .write(move |conn| {
            let candidate = profile_for_writing(conn, &user_id)?;
            if candidate.residence_jurisdiction == input.to_jurisdiction {
                return Err(AppError::invalid(
                    "to_jurisdiction",
                    "is your residence jurisdiction: sharing there needs no cross-border consent",
                ));
            }
            if store::active_consent_exists(conn, &candidate.id, &input.to_jurisdiction)? {
                return Err(AppError::Conflict(format!(
                    "an active consent to {} exists; withdraw it first to grant anew",
                    input.to_jurisdiction
                )));
            }
            let row = ConsentRow {
                id: uuid::Uuid::new_v4().to_string(),
                candidate_id: candidate.id.clone(),
                purpose: input.purpose.as_str().to_owned(),
                to_jurisdiction: input.to_jurisdiction,
                notice_version: CONSENT_NOTICE_VERSION.to_owned(),
                granted_at: Utc::now().naive_utc(),
                withdrawn_at: None,
            };
            store::insert_consent(conn, &row)?;
            let after = ConsentView::from(&row);
            audit::record(
                conn,
                &actor,
                Change {
                    action: "grant",
                    target_type: "consent",
                    target_id: &row.id,
                    before: None::<&()>,
                    after: Some(&after),
                },
            )?;
            crate::index_events::candidate_changed(conn, &candidate.id)?;
            Ok(row)
        })
        .await
}

/// Every consent of the caller, withdrawn ones included; 404 without a profile.
pub async fn list(ctx: &AreaContext, user_id: String) -> Result<Vec<ConsentRow>, AppError> {
    ctx.db
        .read(move |conn| {
            let candidate = live_candidate_of(conn, &user_id)?.ok_or(AppError::NotFound)?;
            Ok(store::consents_of(conn, &candidate.id)?)
        })
        .await
}

/// Withdraws one of the caller's consents: from now on employers over the boundary lose sight.
/// Someone else's consent is a 404; a withdrawn one a 409.
pub async fn withdraw(ctx: &AreaContext, user: &AuthUser, id: String) -> Result<(), AppError> {
    let (actor, user_id) = (Actor::from(user), user.id.clone());
    ctx.db
        .write(move |conn| {
            let candidate = live_candidate_of(conn, &user_id)?.ok_or(AppError::NotFound)?;
            let before = store::consent(conn, &candidate.id, &id)?.ok_or(AppError::NotFound)?;
            let now = Utc::now().naive_utc();
            if !store::withdraw_consent(conn, &id, now)? {
                return Err(AppError::Conflict("this consent is withdrawn already".into()));
            }
            let after = ConsentRow {
                withdrawn_at: Some(now),
                ..before.clone()
            };
            let (old, new) = (ConsentView::from(&before), ConsentView::from(&after));
            audit::record(
                conn,
                &actor,
                Change {
                    action: "withdraw",
                    target_type: "consent",
                    target_id: &id,
                    before: Some(&old),
                    after: Some(&new),
                },
            )?;
            crate::index_events::candidate_changed(conn, &candidate.id)?;
            Ok(())
        })
        .await
}
