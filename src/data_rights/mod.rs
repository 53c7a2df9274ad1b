//! Data rights: a candidate takes out everything stored about them (export, PDPO DPP6 / PIPL
//! Art. 45) or has it erased (PIPL Art. 47). It stands above the areas it reaches into
//! (candidates, applications, cases, alerts, accounts, mail), so none of them depends on it.
//!
//! Erasure, in one transaction: the profile's personal fields are blanked and `erased_at` set
//! (the row stays as a stub because applications refer to it); languages, skills, credentials
//! and work authorisations are deleted; consents are kept but withdrawn (they are the legal record
//! of what was allowed and hold no personal data); applications are kept for the employer's
//! records but lose their cover letter; their cases keep their tasks and dates but lose every
//! free text (summary, task notes, notes); the account is disabled, its email replaced by a
//! placeholder and its name blanked, its password made unusable, its refresh and one-time tokens
//! revoked; saved searches (and the record of jobs they mailed) are deleted; emails queued to the
//! account are dropped. The audit log keeps its entries about the person and by them (ids,
//! actions, times, field names) but their recorded text is erased (`audit::redaction`). The
//! search index drops the candidate at its next poll (the change is announced in the same
//! transaction).

pub mod routes;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::applications::status::Status;
use crate::audit::store::ErasedPerson;
use crate::audit::{self, Actor, Change};
use crate::auth::AuthUser;
use crate::auth::domain::Role;
use crate::candidates::store;
use crate::candidates::views::{ConsentView, CredentialView, ProfileView, WorkAuthorizationView};
use crate::context::AreaContext;
use crate::db::DbConnection;
use crate::db::schema::{application_events, applications, employers, jobs, user_tokens, users};
use crate::error::AppError;
use crate::i18n::Locale;

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountExport {
    pub user_id: String,
    pub email: String,
    pub display_name: String,
    /// As stored; the column's CHECK keeps it to the roles.
    #[schema(value_type = Role)]
    pub role: String,
    /// As stored: `en`, `zh-Hans` or `zh-Hant`.
    #[schema(value_type = Locale)]
    pub locale: String,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationEventExport {
    pub from_status: Option<Status>,
    pub to_status: Status,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationExport {
    pub id: String,
    pub job_id: String,
    pub job_title: String,
    pub status: Status,
    pub cover_letter: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub events: Vec<ApplicationEventExport>,
}

/// Everything stored about the caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateExport {
    pub exported_at: DateTime<Utc>,
    pub account: AccountExport,
    /// Absent when no profile was ever created.
    pub profile: Option<ProfileView>,
    pub credentials: Vec<CredentialView>,
    pub work_authorizations: Vec<WorkAuthorizationView>,
    /// Every consent, withdrawn ones included.
    pub consents: Vec<ConsentView>,
    pub applications: Vec<ApplicationExport>,
    /// Cross-border employment cases the candidate is the subject of, as the candidate sees them:
    /// with their tasks and the notes marked visible to them.
    #[schema(value_type = Vec<Object>)]
    pub cases: Vec<serde_json::Value>,
    /// Saved job searches, with how many jobs each has mailed.
    pub saved_searches: Vec<crate::alerts::service::SavedSearchExport>,
    /// Every read of the profile by an employer across the boundary, oldest first: who in which
    /// jurisdiction saw it, and when (PIPL Art. 39, 45).
    pub cross_border_reads: Vec<CrossBorderReadExport>,
}

/// One employer read of the candidate across the boundary.
#[derive(Debug, Serialize, ToSchema)]
pub struct CrossBorderReadExport {
    pub at: DateTime<Utc>,
    pub employer_id: String,
    /// The employer's name now.
    pub employer_name: String,
    /// The employer's jurisdiction at the read.
    #[schema(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: String,
}

/// The cross-border reads of a candidate, from the audit log (where every one is recorded).
fn cross_border_reads_of(
    conn: &mut DbConnection,
    candidate_id: &str,
) -> QueryResult<Vec<CrossBorderReadExport>> {
    let entries = audit::store::about(conn, "candidate", candidate_id, "cross_border_read")?;
    let recorded: Vec<(DateTime<Utc>, serde_json::Value)> = entries
        .into_iter()
        .map(|e| {
            let after = e.after.and_then(|a| serde_json::from_str(&a).ok());
            (e.at.and_utc(), after.unwrap_or_default())
        })
        .collect();
    let text = |value: &serde_json::Value, key: &str| value[key].as_str().unwrap_or_default().to_owned();
    let employer_ids: Vec<String> = recorded.iter().map(|(_, a)| text(a, "employer_id")).collect();
    let names: std::collections::HashMap<String, String> = employers::table
        .filter(employers::id.eq_any(&employer_ids))
        .select((employers::id, employers::name))
        .load(conn)?
        .into_iter()
        .collect();
    Ok(recorded
        .into_iter()
        .map(|(at, after)| {
            let employer_id = text(&after, "employer_id");
            CrossBorderReadExport {
                at,
                employer_name: names.get(&employer_id).cloned().unwrap_or_default(),
                employer_id,
                jurisdiction: text(&after, "employer_jurisdiction"),
            }
        })
        .collect())
}

/// The cases of a candidate, for the export, as the cases area shows them to the candidate.
fn cases_of(conn: &mut DbConnection, candidate_id: &str) -> QueryResult<Vec<serde_json::Value>> {
    crate::cases::service::export_for_candidate(conn, candidate_id)
}

type ApplicationRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    NaiveDateTime,
    NaiveDateTime,
);

fn applications_of(conn: &mut DbConnection, candidate_id: &str) -> QueryResult<Vec<ApplicationExport>> {
    let rows: Vec<ApplicationRow> = applications::table
        .inner_join(jobs::table)
        .filter(applications::candidate_id.eq(candidate_id))
        .order((applications::created_at, applications::id))
        .select((
            applications::id,
            applications::job_id,
            jobs::title,
            applications::status,
            applications::cover_letter,
            applications::created_at,
            applications::updated_at,
        ))
        .load(conn)?;
    let ids: Vec<&String> = rows.iter().map(|r| &r.0).collect();
    let events: Vec<(String, Option<String>, String, NaiveDateTime)> = application_events::table
        .filter(application_events::application_id.eq_any(ids))
        .order((application_events::at, application_events::id))
        .select((
            application_events::application_id,
            application_events::from_status,
            application_events::to_status,
            application_events::at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, job_id, job_title, status, cover_letter, created_at, updated_at)| ApplicationExport {
                events: events
                    .iter()
                    .filter(|e| e.0 == id)
                    .map(|e| ApplicationEventExport {
                        from_status: e.1.as_deref().map(Status::stored),
                        to_status: Status::stored(&e.2),
                        at: e.3.and_utc(),
                    })
                    .collect(),
                id,
                job_id,
                job_title,
                status: Status::stored(&status),
                cover_letter,
                created_at: created_at.and_utc(),
                updated_at: updated_at.and_utc(),
            },
        )
        .collect())
}

/// Everything stored about the caller, as JSON. A disabled (erased) account has nothing to
/// export: 401, as for any other use of its leftover token.
pub async fn export(ctx: &AreaContext, user_id: String, locale: Locale) -> Result<CandidateExport, AppError> {
    let registry = ctx.registry.get();
    ctx.db
        .read(move |conn| {
            let user = crate::auth::store::find_user(conn, &user_id)?
                .filter(|u| u.disabled_at.is_none())
                .ok_or_else(|| {
                    AppError::Unauthorized("the account no longer exists or is disabled".into())
                })?;
            let today = Utc::now().date_naive();
            let mut export = CandidateExport {
                exported_at: Utc::now(),
                account: AccountExport {
                    user_id: user.id,
                    email: user.email,
                    display_name: user.display_name,
                    role: user.role,
                    locale: user.locale,
                    email_verified_at: user.email_verified_at.map(|at| at.and_utc()),
                    created_at: user.created_at.and_utc(),
                    updated_at: user.updated_at.and_utc(),
                },
                profile: None,
                credentials: Vec::new(),
                work_authorizations: Vec::new(),
                consents: Vec::new(),
                applications: Vec::new(),
                cases: Vec::new(),
                saved_searches: crate::alerts::service::export_for_user(conn, &user_id)?,
                cross_border_reads: Vec::new(),
            };
            if let Some(candidate) = store::find_by_user(conn, &user_id)? {
                let id = &candidate.id;
                let (languages, skills) = (store::languages(conn, id)?, store::skills(conn, id)?);
                export.profile = Some(ProfileView::new(
                    &candidate, &languages, &skills, &registry, locale,
                ));
                export.credentials = store::credentials_of(conn, id)?
                    .iter()
                    .map(|c| CredentialView::new(c, &registry, locale))
                    .collect();
                export.work_authorizations = store::authorizations_of(conn, id)?
                    .iter()
                    .map(|w| WorkAuthorizationView::new(w, &registry, locale, today))
                    .collect();
                export.consents = store::consents_of(conn, id)?
                    .iter()
                    .map(ConsentView::from)
                    .collect();
                export.applications = applications_of(conn, id)?;
                export.cases = cases_of(conn, id)?;
                export.cross_border_reads = cross_border_reads_of(conn, id)?;
            }
            Ok(export)
        })
        .await
}

/// Erases the caller (see the module comment). Works with or without a profile.
pub async fn erase(ctx: &AreaContext, user: &AuthUser) -> Result<(), AppError> {
    let (actor, user_id) = (Actor::from(user), user.id.clone());
    ctx.db
        .write(move |conn| {
            let account = crate::auth::store::find_user(conn, &user_id)?
                .filter(|u| u.disabled_at.is_none())
                .ok_or_else(|| {
                    AppError::Unauthorized("the account no longer exists or is disabled".into())
                })?;
            let now = Utc::now().naive_utc();
            let candidate = store::find_by_user(conn, &user_id)?;
            let mut person = ErasedPerson {
                actor_id: account.id.clone(),
                targets: vec![("user", vec![account.id.clone()])],
            };
            if let Some(candidate) = &candidate {
                person.targets.extend(records_of(conn, &candidate.id)?);
                let blank = crate::candidates::model::CandidateRow {
                    display_name: String::new(),
                    headline: String::new(),
                    summary: String::new(),
                    location_id: None,
                    desired_jurisdictions: "[]".into(),
                    desired_location_ids: "[]".into(),
                    salary_amount: None,
                    salary_currency: None,
                    salary_period: None,
                    visibility: crate::candidates::model::Visibility::Private.as_str().into(),
                    nationality: None,
                    dependent_children: None,
                    erased_at: Some(now),
                    updated_at: now,
                    ..candidate.clone()
                };
                store::update(conn, &blank)?;
                store::delete_profile_children(conn, &candidate.id)?;
                store::delete_holdings(conn, &candidate.id)?;
                store::withdraw_all_consents(conn, &candidate.id, now)?;
                crate::cases::store::forget_personal_text(conn, &candidate.id)?;
                diesel::update(applications::table.filter(applications::candidate_id.eq(&candidate.id)))
                    .set(applications::cover_letter.eq(None::<String>))
                    .execute(conn)?;
                crate::index_events::candidate_changed(conn, &candidate.id)?;
            }
            crate::alerts::store::delete_all_of(conn, &account.id)?;
            disable_account(conn, &account.id, now)?;
            crate::mail::outbox::forget_recipient(conn, &account.email)?;
            audit::store::erase_text_of(conn, &person)?;
            let (target_type, target_id) = match &candidate {
                Some(candidate) => ("candidate", candidate.id.as_str()),
                None => ("user", account.id.as_str()),
            };
            let after = serde_json::json!({"erased_at": now, "user_id": account.id});
            audit::record(
                conn,
                &actor,
                Change {
                    action: "erase",
                    target_type,
                    target_id,
                    before: None::<&()>,
                    after: Some(&after),
                },
            )?;
            Ok(())
        })
        .await
}

/// The records of a candidate the audit log may speak of, by target type; read before erasure
/// deletes some of them.
fn records_of(conn: &mut DbConnection, candidate_id: &str) -> QueryResult<Vec<(&'static str, Vec<String>)>> {
    let credentials = store::credentials_of(conn, candidate_id)?
        .into_iter()
        .map(|c| c.id);
    let authorizations = store::authorizations_of(conn, candidate_id)?
        .into_iter()
        .map(|w| w.id);
    let cases = crate::cases::store::of_candidate(conn, candidate_id)?
        .into_iter()
        .map(|c| c.id);
    let applications = applications::table
        .filter(applications::candidate_id.eq(candidate_id))
        .select(applications::id)
        .load(conn)?;
    Ok(vec![
        ("candidate", vec![candidate_id.to_owned()]),
        ("credential", credentials.collect()),
        ("work_authorization", authorizations.collect()),
        ("case", cases.collect()),
        ("application", applications),
    ])
}

/// The account can no longer sign in and holds nothing personal: a placeholder email (unique,
/// undeliverable: `.invalid` is reserved), no name, an unusable password hash, no live tokens.
fn disable_account(conn: &mut DbConnection, user_id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::email.eq(format!("erased-{user_id}@erased.invalid")),
            users::display_name.eq(""),
            users::password_hash.eq("!erased"),
            users::disabled_at.eq(now),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    crate::auth::store::revoke_all_refresh_tokens(conn, user_id, now)?;
    diesel::delete(user_tokens::table.filter(user_tokens::user_id.eq(user_id))).execute(conn)?;
    Ok(())
}
