//! The profile: create-or-replace in one transaction, and reading a profile for its owner or for
//! another reader under the visibility rule.

use chrono::Utc;
use serde::Serialize;

use super::model::{CandidateRow, LanguageRow, SkillRow};
use super::store;
use super::validation::{ProfileInput, validate};
use super::views::{CandidateView, CredentialView, ProfileView, WorkAuthorizationView};
use super::visibility;
use crate::audit::{self, Actor, Change, reads};
use crate::auth::AuthUser;
use crate::context::AreaContext;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::i18n::Locale;
#[derive(Debug, Serialize)]
struct AuditedProfile<'a> {
    residence_jurisdiction: &'a str,
    visibility: &'a str,
    skills: usize,
    languages: usize,
}

impl<'a> AuditedProfile<'a> {
    fn of(row: &'a CandidateRow, languages: usize, skills: usize) -> Self {
        Self {
            residence_jurisdiction: &row.residence_jurisdiction,
            visibility: &row.visibility,
            skills,
            languages,
        }
    }
}

/// Creates or replaces the caller's profile; true when it was created.
pub async fn put(
    ctx: &AreaContext,
    user: &AuthUser,
    input: ProfileInput,
    locale: Locale,
) -> Result<(ProfileView, bool), AppError> {
    let registry = ctx.registry.get();
    validate(&registry, &input)?;
    let (actor, user_id) = (Actor::from(user), user.id.clone());
    let (row, languages, skills, created) = ctx
        .db
        .write(move |conn| {
            let existing = store::find_by_user(conn, &user_id)?;
            if existing.as_ref().is_some_and(|c| c.erased_at.is_some()) {
                return Err(AppError::Conflict("this profile was erased".into()));
            }
            let now = Utc::now().naive_utc();
            let id = existing
                .as_ref()
                .map_or_else(|| uuid::Uuid::new_v4().to_string(), |c| c.id.clone());
            let salary = input.salary_expectation.as_ref();
            let row = CandidateRow {
                id: id.clone(),
                user_id: user_id.clone(),
                display_name: input.display_name.trim().to_owned(),
                headline: input.headline.trim().to_owned(),
                summary: input.summary.trim().to_owned(),
                residence_jurisdiction: input.residence_jurisdiction.clone(),
                location_id: input.location_id.clone(),
                desired_jurisdictions: serde_json::to_string(&input.desired_jurisdictions)
                    .unwrap_or_else(|_| "[]".into()),
                desired_location_ids: serde_json::to_string(&input.desired_location_ids)
                    .unwrap_or_else(|_| "[]".into()),
                salary_amount: salary.map(|s| s.amount),
                salary_currency: salary.map(|s| s.currency.clone()),
                salary_period: salary.map(|s| s.period.as_str().to_owned()),
                visibility: input.visibility.as_str().to_owned(),
                erased_at: None,
                created_at: existing.as_ref().map_or(now, |c| c.created_at),
                updated_at: now,
                nationality: input.nationality.clone(),
                dependent_children: input.dependent_children,
            };
            let languages: Vec<LanguageRow> = input
                .languages
                .iter()
                .map(|l| LanguageRow {
                    candidate_id: id.clone(),
                    code: l.code.clone(),
                    level: l.level,
                })
                .collect();
            let skills: Vec<SkillRow> = input
                .skills
                .iter()
                .map(|s| SkillRow {
                    candidate_id: id.clone(),
                    skill_id: s.skill_id.clone(),
                    level: s.level,
                    years: s.years,
                })
                .collect();
            let before = match &existing {
                Some(old) => {
                    store::update(conn, &row)?;
                    let counts = (
                        store::languages(conn, &id)?.len(),
                        store::skills(conn, &id)?.len(),
                    );
                    Some((old.clone(), counts))
                }
                None => {
                    store::insert(conn, &row)?;
                    None
                }
            };
            store::replace_children(conn, &id, &languages, &skills)?;
            let old = before
                .as_ref()
                .map(|(old, (l, s))| AuditedProfile::of(old, *l, *s));
            let new = AuditedProfile::of(&row, languages.len(), skills.len());
            let action = if existing.is_some() { "update" } else { "create" };
            audit::record(
                conn,
                &actor,
                Change {
                    action,
                    target_type: "candidate",
                    target_id: &id,
                    before: old.as_ref(),
                    after: Some(&new),
                },
            )?;
            crate::index_events::candidate_changed(conn, &id)?;
            // Answer what is stored (its order and time precision), so PUT and GET agree.
            let stored = store::find(conn, &id)?.ok_or(AppError::NotFound)?;
            Ok((
                stored,
                store::languages(conn, &id)?,
                store::skills(conn, &id)?,
                existing.is_none(),
            ))
        })
        .await?;
    Ok((
        ProfileView::new(&row, &languages, &skills, &registry, locale),
        created,
    ))
}

/// The caller's own profile, 404 before it exists or after erasure.
pub async fn own(ctx: &AreaContext, user_id: String, locale: Locale) -> Result<ProfileView, AppError> {
    let registry = ctx.registry.get();
    ctx.db
        .read(move |conn| {
            let row = live_candidate_of(conn, &user_id)?.ok_or(AppError::NotFound)?;
            let (languages, skills) = (store::languages(conn, &row.id)?, store::skills(conn, &row.id)?);
            Ok(ProfileView::new(&row, &languages, &skills, &registry, locale))
        })
        .await
}

/// The caller's profile unless erased.
pub fn live_candidate_of(conn: &mut DbConnection, user_id: &str) -> Result<Option<CandidateRow>, AppError> {
    Ok(store::find_by_user(conn, user_id)?.filter(|c| c.erased_at.is_none()))
}

/// A candidate by id for any reader: 404 unless the visibility rule lets the reader see them.
/// An employer's read across the boundary and every agency read are audited before the answer
/// leaves.
pub async fn read(
    ctx: &AreaContext,
    user: &AuthUser,
    id: String,
    locale: Locale,
) -> Result<CandidateView, AppError> {
    let registry = ctx.registry.get();
    let (reader_id, role) = (user.id.clone(), user.role);
    let (view, read, agency) = ctx
        .db
        .read(move |conn| {
            let row = store::find(conn, &id)?.ok_or(AppError::NotFound)?;
            let sight = visibility::sight(conn, &reader_id, role, &row)?;
            if !sight.is_visible() {
                return Err(AppError::NotFound);
            }
            let read = sight.cross_border_read(&row);
            let agency = sight == visibility::Sight::Agency;
            let today = Utc::now().date_naive();
            let (languages, skills) = (store::languages(conn, &row.id)?, store::skills(conn, &row.id)?);
            let view = CandidateView {
                profile: ProfileView::new(&row, &languages, &skills, &registry, locale),
                credentials: store::credentials_of(conn, &row.id)?
                    .iter()
                    .map(|c| CredentialView::new(c, &registry, locale))
                    .collect(),
                work_authorizations: store::authorizations_of(conn, &row.id)?
                    .iter()
                    .map(|w| WorkAuthorizationView::new(w, &registry, locale, today))
                    .collect(),
            }
            .seen_as(&sight);
            Ok((view, read, agency))
        })
        .await?;
    visibility::record_cross_border_reads(ctx, user, read.into_iter().collect()).await?;
    if agency {
        reads::record_candidate_read(&ctx.db, Actor::from(user), view.profile.id.clone()).await?;
    }
    Ok(view)
}
