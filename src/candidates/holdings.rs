//! What a candidate holds: credentials (qualifications from the registry) and work
//! authorisations (a basis of a jurisdiction, with expiry). The candidate adds and removes them;
//! only agency staff set their verification state, audited with the state before and after.

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{CandidateRow, CredentialRow, VerificationStatus, WorkAuthorizationRow};
use super::profile::live_candidate_of;
use super::store;
use crate::audit::{self, Actor, Change};
use crate::auth::AuthUser;
use crate::context::AreaContext;
use crate::db::DbConnection;
use crate::error::{AppError, FieldError};
use crate::registry::Registry;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CredentialInput {
    /// A qualification id from `GET /api/v1/qualifications`.
    pub qualification_id: String,
    /// Not in the future.
    pub awarded_on: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkAuthorizationInput {
    /// `CN` or `HK`.
    #[schema(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: String,
    /// A basis code of that jurisdiction from `GET /api/v1/work-authorization-bases`.
    pub basis: String,
    /// Last day it is valid; required for time-limited bases.
    pub valid_until: Option<NaiveDate>,
}

/// The agency's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Verified,
    Rejected,
}

/// Not `VerificationInput`: the employers' verification body has that name, and the OpenAPI
/// document keeps one schema per name (this one was documented as `{verified, note}`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerdictInput {
    pub status: Verdict,
    /// What was checked, e.g. "CHSI report 1234".
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

impl VerdictInput {
    fn parse(self) -> Result<(VerificationStatus, Option<String>), AppError> {
        // Counted before trimming, as the OpenAPI document's maxLength counts.
        if self.note.as_ref().is_some_and(|n| n.chars().count() > 1000) {
            return Err(AppError::invalid("note", "must be at most 1000 characters"));
        }
        let note = self.note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
        let status = match self.status {
            Verdict::Verified => VerificationStatus::Verified,
            Verdict::Rejected => VerificationStatus::Rejected,
        };
        Ok((status, note))
    }
}

#[derive(Debug, Serialize)]
struct AuditedVerification<'a> {
    status: &'a str,
    note: Option<&'a str>,
}

/// The caller's live profile, or 409: things are held by a profile, so it must exist first.
pub fn profile_for_writing(conn: &mut DbConnection, user_id: &str) -> Result<CandidateRow, AppError> {
    live_candidate_of(conn, user_id)?
        .ok_or_else(|| AppError::Conflict("create your profile first (PUT /api/v1/candidates/me)".into()))
}

fn check_credential(registry: &Registry, input: &CredentialInput, today: NaiveDate) -> Result<(), AppError> {
    let mut errors = Vec::new();
    if !registry.qualifications.contains_key(&input.qualification_id) {
        errors.push(FieldError::new("qualification_id", "names no qualification"));
    }
    if input.awarded_on.is_some_and(|day| day > today) {
        errors.push(FieldError::new("awarded_on", "must not be in the future"));
    }
    if input
        .awarded_on
        .is_some_and(|day| day < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(day))
    {
        errors.push(FieldError::new("awarded_on", "must not be before 1900"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

fn check_authorization(registry: &Registry, input: &WorkAuthorizationInput) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let known = registry.jurisdiction(&input.jurisdiction).is_some();
    if !known {
        errors.push(FieldError::new("jurisdiction", "names no jurisdiction"));
    }
    match registry.bases.iter().find(|b| b.code == input.basis) {
        None => errors.push(FieldError::new("basis", "names no work-authorisation basis")),
        Some(basis) if known && basis.jurisdiction != input.jurisdiction => {
            errors.push(FieldError::new("basis", "is not a basis of this jurisdiction"))
        }
        Some(basis) if basis.time_limited && input.valid_until.is_none() => errors.push(FieldError::new(
            "valid_until",
            "is required for a time-limited basis",
        )),
        Some(_) => {}
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

pub async fn add_credential(
    ctx: &AreaContext,
    user: &AuthUser,
    input: CredentialInput,
) -> Result<CredentialRow, AppError> {
    check_credential(&ctx.registry.get(), &input, Utc::now().date_naive())?;
    let (actor, user_id) = (Actor::from(user), user.id.clone());
    ctx
        .db
        .write(move |conn| {
            let candidate = profile_for_writing(conn, &user_id)?;
            let row = CredentialRow {
                id: uuid::Uuid::new_v4().to_string(),
                candidate_id: candidate.id.clone(),
                qualification_id: input.qualification_id,
                awarded_on: input.awarded_on,
                status: VerificationStatus::Pending.as_str().to_owned(),
                verification_note: None,
                verified_by: None,
                verified_at: None,
                created_at: Utc::now().naive_utc(),
            };
            store::insert_credential(conn, &row)?;
            let after = serde_json::json!({"candidate_id": row.candidate_id, "qualification_id": row.qualification_id, "status": row.status});
            audit::record(conn, &actor, Change { action: "create", target_type: "credential", target_id: &row.id, before: None::<&()>, after: Some(&after) })?;
            crate::index_events::candidate_changed(conn, &candidate.id)?;
            Ok(row)
        })
        .await
}

pub async fn add_authorization(
    ctx: &AreaContext,
    user: &AuthUser,
    input: WorkAuthorizationInput,
) -> Result<WorkAuthorizationRow, AppError> {
    check_authorization(&ctx.registry.get(), &input)?;
    let (actor, user_id) = (Actor::from(user), user.id.clone());
    ctx
        .db
        .write(move |conn| {
            let candidate = profile_for_writing(conn, &user_id)?;
            let row = WorkAuthorizationRow {
                id: uuid::Uuid::new_v4().to_string(),
                candidate_id: candidate.id.clone(),
                jurisdiction: input.jurisdiction,
                basis: input.basis,
                valid_until: input.valid_until,
                status: VerificationStatus::Pending.as_str().to_owned(),
                verification_note: None,
                verified_by: None,
                verified_at: None,
                created_at: Utc::now().naive_utc(),
            };
            store::insert_authorization(conn, &row)?;
            let after = serde_json::json!({"candidate_id": row.candidate_id, "jurisdiction": row.jurisdiction, "basis": row.basis, "valid_until": row.valid_until, "status": row.status});
            audit::record(conn, &actor, Change { action: "create", target_type: "work_authorization", target_id: &row.id, before: None::<&()>, after: Some(&after) })?;
            crate::index_events::candidate_changed(conn, &candidate.id)?;
            Ok(row)
        })
        .await
}

/// The caller's credentials and work authorisations; 404 without a profile.
pub async fn own_holdings(
    ctx: &AreaContext,
    user_id: String,
) -> Result<(Vec<CredentialRow>, Vec<WorkAuthorizationRow>), AppError> {
    ctx.db
        .read(move |conn| {
            let candidate = live_candidate_of(conn, &user_id)?.ok_or(AppError::NotFound)?;
            Ok((
                store::credentials_of(conn, &candidate.id)?,
                store::authorizations_of(conn, &candidate.id)?,
            ))
        })
        .await
}

/// What can be removed or verified.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Credential,
    WorkAuthorization,
}

impl Kind {
    fn target_type(self) -> &'static str {
        match self {
            Kind::Credential => "credential",
            Kind::WorkAuthorization => "work_authorization",
        }
    }
}

/// Removes one of the caller's own credentials or authorisations; someone else's is a 404.
pub async fn remove(ctx: &AreaContext, user: &AuthUser, kind: Kind, id: String) -> Result<(), AppError> {
    let (actor, user_id) = (Actor::from(user), user.id.clone());
    ctx.db
        .write(move |conn| {
            let candidate = live_candidate_of(conn, &user_id)?.ok_or(AppError::NotFound)?;
            let status = match kind {
                Kind::Credential => {
                    let row = store::credential(conn, &candidate.id, &id)?.ok_or(AppError::NotFound)?;
                    store::delete_credential(conn, &id)?;
                    row.status
                }
                Kind::WorkAuthorization => {
                    let row = store::authorization(conn, &candidate.id, &id)?.ok_or(AppError::NotFound)?;
                    store::delete_authorization(conn, &id)?;
                    row.status
                }
            };
            let before = serde_json::json!({"candidate_id": candidate.id, "status": status});
            audit::record(
                conn,
                &actor,
                Change {
                    action: "delete",
                    target_type: kind.target_type(),
                    target_id: &id,
                    before: Some(&before),
                    after: None::<&()>,
                },
            )?;
            crate::index_events::candidate_changed(conn, &candidate.id)?;
            Ok(())
        })
        .await
}

/// The verification outcome: the stored credential or authorisation after the verdict.
pub enum Verified {
    Credential(CredentialRow),
    WorkAuthorization(WorkAuthorizationRow),
}

/// Agency staff record their verdict on something candidate `candidate_id` holds; 404 unless it
/// belongs to that (live) candidate.
pub async fn verify(
    ctx: &AreaContext,
    user: &AuthUser,
    kind: Kind,
    candidate_id: String,
    id: String,
    input: VerdictInput,
) -> Result<Verified, AppError> {
    user.require_agency()?;
    let (status, note) = input.parse()?;
    let (actor, officer) = (Actor::from(user), user.id.clone());
    ctx.db
        .write(move |conn| {
            store::find(conn, &candidate_id)?
                .filter(|c| c.erased_at.is_none())
                .ok_or(AppError::NotFound)?;
            let now = Utc::now().naive_utc();
            let (outcome, old_status, old_note) = match kind {
                Kind::Credential => {
                    let mut row = store::credential(conn, &candidate_id, &id)?.ok_or(AppError::NotFound)?;
                    let old = (row.status.clone(), row.verification_note.clone());
                    (row.status, row.verification_note) = (status.as_str().to_owned(), note.clone());
                    (row.verified_by, row.verified_at) = (Some(officer), Some(now));
                    store::update_credential(conn, &row)?;
                    (Verified::Credential(row), old.0, old.1)
                }
                Kind::WorkAuthorization => {
                    let mut row =
                        store::authorization(conn, &candidate_id, &id)?.ok_or(AppError::NotFound)?;
                    let old = (row.status.clone(), row.verification_note.clone());
                    (row.status, row.verification_note) = (status.as_str().to_owned(), note.clone());
                    (row.verified_by, row.verified_at) = (Some(officer), Some(now));
                    store::update_authorization(conn, &row)?;
                    (Verified::WorkAuthorization(row), old.0, old.1)
                }
            };
            let before = AuditedVerification {
                status: &old_status,
                note: old_note.as_deref(),
            };
            let after = AuditedVerification {
                status: status.as_str(),
                note: note.as_deref(),
            };
            audit::record(
                conn,
                &actor,
                Change {
                    action: "verification",
                    target_type: kind.target_type(),
                    target_id: &id,
                    before: Some(&before),
                    after: Some(&after),
                },
            )?;
            crate::index_events::candidate_changed(conn, &candidate_id)?;
            Ok(outcome)
        })
        .await
}
