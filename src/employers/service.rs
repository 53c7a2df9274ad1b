//! Employer rules: who registers an employer, who renames it, who lists which, and the agency's
//! verification. Every write is audited (`target_type` "employer") in its own transaction.

use chrono::{NaiveDateTime, Utc};
use diesel::QueryResult;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::membership::member_role;
use super::model::{EmployerRow, MemberRole, MemberRow};
use super::registration::RegistrationNumber;
use super::store;
use super::views::EmployerView;
use crate::audit::{self, Actor, Change};
use crate::auth::{AuthUser, Role};
use crate::context::AreaContext;
use crate::db::DbConnection;
use crate::error::{AppError, FieldError};
use crate::paging::Page;
use Audited::{Added, Changed};

pub const MAX_NAME_CHARS: usize = 200;

pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// What an audited change did: added something, took it away, or changed it from one to another.
pub(super) enum Audited<'a, T> {
    Added(&'a T),
    Removed(&'a T),
    Changed(&'a T, &'a T),
}

/// Audits a change to an employer, its members or its invitations, in the change's transaction.
pub(super) fn record<T: Serialize>(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    employer_id: &str,
    what: Audited<'_, T>,
) -> QueryResult<()> {
    let (before, after) = match what {
        Audited::Added(after) => (None, Some(after)),
        Audited::Removed(before) => (Some(before), None),
        Audited::Changed(before, after) => (Some(before), Some(after)),
    };
    let change = Change {
        action,
        target_type: "employer",
        target_id: employer_id,
        before,
        after,
    };
    audit::record(conn, actor, change)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmployerInput {
    /// Not only spaces.
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// `CN` or `HK`.
    #[schema(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: String,
    /// Mainland: the 18-character unified social credit code; Hong Kong: the 8-digit business
    /// registration number (a certificate's `-000-08-24-0` suffix is accepted and dropped).
    #[schema(example = "91440300708461136T")]
    pub registration_number: String,
}

/// Only the name changes; the jurisdiction and number identify the company. Renaming a verified
/// employer makes it unverified until the agency verifies it again under the new name.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmployerPatch {
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerificationInput {
    pub verified: bool,
    /// Why, e.g. which register was checked.
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

fn check_name(errors: &mut Vec<FieldError>, raw: &str) -> String {
    let name = raw.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", "is required"));
    } else if raw.chars().count() > MAX_NAME_CHARS {
        // Counted before trimming, as the OpenAPI document's maxLength counts.
        errors.push(FieldError::new(
            "name",
            format!("must be at most {MAX_NAME_CHARS} characters"),
        ));
    }
    name.to_owned()
}

/// The employer as it stands when its verification lapses without a decision of the agency:
/// as if never verified (the note and verifier were about the company under its old name).
fn unverified(row: &EmployerRow, now: NaiveDateTime) -> EmployerRow {
    EmployerRow {
        verified: false,
        verification_note: None,
        verified_by: None,
        verified_at: None,
        updated_at: now,
        ..row.clone()
    }
}

fn verified_elsewhere() -> AppError {
    AppError::Conflict("another employer with this registration number is verified already".into())
}

pub fn find_or_404(conn: &mut DbConnection, id: &str) -> Result<EmployerRow, AppError> {
    store::find_employer(conn, id)?.ok_or(AppError::NotFound)
}

/// The caller's role at the employer; a 403 for anyone else (the employer itself is public).
pub fn require_member(
    conn: &mut DbConnection,
    employer_id: &str,
    user: &AuthUser,
) -> Result<MemberRole, AppError> {
    member_role(conn, employer_id, &user.id)?
        .ok_or_else(|| AppError::Forbidden("you are not a member of this employer".into()))
}

pub fn require_owner(conn: &mut DbConnection, employer_id: &str, user: &AuthUser) -> Result<(), AppError> {
    match require_member(conn, employer_id, user)? {
        MemberRole::Owner => Ok(()),
        MemberRole::Recruiter => Err(AppError::Forbidden(
            "only an owner of this employer may do this".into(),
        )),
    }
}

pub async fn create(
    ctx: &AreaContext,
    user: &AuthUser,
    input: EmployerInput,
) -> Result<EmployerView, AppError> {
    user.require(&[Role::Employer])?;
    let mut errors = Vec::new();
    let name = check_name(&mut errors, &input.name);
    let registry = ctx.registry.get();
    let number = if let Some(jurisdiction) = registry.jurisdiction(&input.jurisdiction) {
        RegistrationNumber::parse(
            jurisdiction.registration_format().as_ref(),
            &input.registration_number,
        )
        .map_err(|message| errors.push(FieldError::new("registration_number", message)))
        .ok()
    } else {
        errors.push(FieldError::new("jurisdiction", "names no jurisdiction"));
        None
    };
    let Some(number) = number.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let actor = Actor::from(user);
    let user_id = user.id.clone();
    ctx.db
        .write(move |conn| {
            if store::number_verified_elsewhere(conn, &input.jurisdiction, number.as_str(), None)? {
                return Err(AppError::Conflict(
                    "a verified employer holds this registration number already; ask its owners to invite you"
                        .into(),
                ));
            }
            let now = now();
            let row = EmployerRow {
                id: uuid::Uuid::new_v4().to_string(),
                name,
                jurisdiction: input.jurisdiction,
                registration_number: number.as_str().to_owned(),
                verified: false,
                verification_note: None,
                verified_by: None,
                verified_at: None,
                created_by: user_id.clone(),
                created_at: now,
                updated_at: now,
            };
            store::insert_employer(conn, &row)?;
            store::insert_member(
                conn,
                &MemberRow {
                    employer_id: row.id.clone(),
                    user_id,
                    role: MemberRole::Owner.as_str().into(),
                    created_at: now,
                },
            )?;
            let view = EmployerView::new(&row, Some(MemberRole::Owner));
            record(conn, &actor, "create", &row.id, Added(&view))?;
            Ok(view)
        })
        .await
}

/// Any signed-in user reads an employer: its name, number and verification are public facts.
pub async fn get(ctx: &AreaContext, user: &AuthUser, id: String) -> Result<EmployerView, AppError> {
    let user_id = user.id.clone();
    ctx.db
        .read(move |conn| {
            let row = find_or_404(conn, &id)?;
            let role = member_role(conn, &id, &user_id)?;
            Ok(EmployerView::new(&row, role))
        })
        .await
        .map(|view| view.seen_by(user))
}

/// Owners rename their employer. A verified employer becomes unverified until the agency
/// verifies it again under its new name (a verified name is what candidates trust); its jobs
/// carry the new name into search, through the index events of the same transaction.
pub async fn update(
    ctx: &AreaContext,
    user: &AuthUser,
    id: String,
    patch: EmployerPatch,
) -> Result<EmployerView, AppError> {
    user.require(&[Role::Employer])?;
    let mut errors = Vec::new();
    let name = patch.name.as_deref().map(|n| check_name(&mut errors, n));
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let actor = Actor::from(user);
    let user = user.clone();
    ctx.db
        .write(move |conn| {
            let before = find_or_404(conn, &id)?;
            require_owner(conn, &id, &user)?;
            let Some(name) = name.filter(|n| *n != before.name) else {
                return Ok(EmployerView::new(&before, Some(MemberRole::Owner)));
            };
            let now = now();
            store::set_name(conn, &id, &name, now)?;
            if before.verified {
                store::set_verification(conn, &unverified(&before, now))?;
            }
            jobs_changed(conn, &id)?;
            let after = find_or_404(conn, &id)?;
            let views = (EmployerView::new(&before, None), EmployerView::new(&after, None));
            record(conn, &actor, "update", &id, Changed(&views.0, &views.1))?;
            Ok(EmployerView::new(&after, Some(MemberRole::Owner)))
        })
        .await
}

/// Employers see their own; agency staff see all; candidates none.
pub async fn list(
    ctx: &AreaContext,
    user: &AuthUser,
    page: Page,
) -> Result<(Vec<EmployerView>, i64), AppError> {
    let member = match user.role {
        Role::Employer => Some(user.id.clone()),
        Role::AgencyOfficer | Role::Admin => None,
        Role::Candidate => {
            return Err(AppError::Forbidden(
                "the candidate role may not list employers".into(),
            ));
        }
    };
    let user_id = user.id.clone();
    ctx.db
        .read(move |conn| {
            let (rows, total) = store::list_employers(conn, member.as_deref(), page)?;
            let mut views = Vec::with_capacity(rows.len());
            for row in &rows {
                views.push(EmployerView::new(row, member_role(conn, &row.id, &user_id)?));
            }
            Ok((views, total))
        })
        .await
}

/// Search shows each job's employer name and verification from the index: every job of the
/// employer gets an index event, in the transaction that changes them.
fn jobs_changed(conn: &mut DbConnection, employer_id: &str) -> Result<(), AppError> {
    for job_id in store::job_ids(conn, employer_id)? {
        crate::index_events::job_changed(conn, &job_id)?;
    }
    Ok(())
}

/// The agency's decision. Withdrawing verification stops new publications; jobs already open
/// stay open until closed or expired.
pub async fn verify(
    ctx: &AreaContext,
    user: &AuthUser,
    id: String,
    input: VerificationInput,
) -> Result<EmployerView, AppError> {
    user.require_agency()?;
    // Counted before trimming, as the OpenAPI document's maxLength counts.
    if input.note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
        return Err(AppError::invalid("note", "must be at most 2000 characters"));
    }
    let note = input.note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    let actor = Actor::from(user);
    let user_id = user.id.clone();
    ctx.db
        .write(move |conn| {
            let before = find_or_404(conn, &id)?;
            if input.verified
                && store::number_verified_elsewhere(
                    conn,
                    &before.jurisdiction,
                    &before.registration_number,
                    Some(&id),
                )?
            {
                return Err(verified_elsewhere());
            }
            let now = now();
            let after = EmployerRow {
                verified: input.verified,
                verification_note: note,
                verified_by: Some(user_id.clone()),
                verified_at: input.verified.then_some(now),
                updated_at: now,
                ..before.clone()
            };
            // A verification racing this one for the same number loses on the unique index.
            store::set_verification(conn, &after).map_err(|error| match error {
                DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => verified_elsewhere(),
                other => other.into(),
            })?;
            if before.verified != after.verified {
                jobs_changed(conn, &id)?;
            }
            let action = if input.verified { "verify" } else { "unverify" };
            let views = (EmployerView::new(&before, None), EmployerView::new(&after, None));
            record(conn, &actor, action, &id, Changed(&views.0, &views.1))?;
            let role = member_role(conn, &id, &user_id)?;
            Ok(EmployerView::new(&after, role))
        })
        .await
}
