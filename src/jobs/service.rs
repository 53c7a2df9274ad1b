//! Job rules: who writes and reads which job, the lifecycle draft → open → closed with expiry,
//! and validation against the registry. Writes are audited (`target_type` "job") in the same
//! transaction as the change.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{NaiveDateTime, Utc};

use super::input::{Draft, JobInput, JobPatch};
use super::model::{FullJob, JobLanguageRow, JobRow, JobSkillRow};
use super::status::{JobStatus, is_open};
use super::store;
use super::views::JobView;
use crate::audit::{self, Actor, Change};
use crate::auth::{AuthUser, Role};
use crate::context::AreaContext;
use crate::db::DbConnection;
use crate::employers::membership::member_role;
use crate::employers::store::find_employer;
use crate::error::{AppError, FieldError};
use crate::languages::LanguageLevel;
use crate::paging::Page;
use crate::registry::Registry;

pub(super) fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// How the caller stands to a job's employer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    Member,
    Agency,
    Stranger,
}

fn standing(
    conn: &mut DbConnection,
    user: Option<&AuthUser>,
    employer_id: &str,
) -> Result<Standing, AppError> {
    Ok(match user {
        Some(user) if user.role.is_agency() => Standing::Agency,
        Some(user) if user.role == Role::Employer && member_role(conn, employer_id, &user.id)?.is_some() => {
            Standing::Member
        }
        _ => Standing::Stranger,
    })
}

/// Open jobs are public; drafts, closed and expired jobs only for members and agency staff.
fn visible(job: &JobRow, standing: Standing, now: NaiveDateTime) -> bool {
    standing != Standing::Stranger || is_open(job, now)
}

/// Whether `user` (or an anonymous caller) may read `job`: the rule of `GET /jobs/{id}`.
pub fn readable(conn: &mut DbConnection, user: Option<&AuthUser>, job: &JobRow) -> Result<bool, AppError> {
    Ok(visible(job, standing(conn, user, &job.employer_id)?, now()))
}

/// Only employer accounts that are members write a job. Others get 403 where they may see the
/// job (or may not write jobs at all), 404 where they may not know it exists.
pub(super) fn find_writable(conn: &mut DbConnection, user: &AuthUser, id: &str) -> Result<JobRow, AppError> {
    user.require(&[Role::Employer])?;
    store::lock_job(conn, id)?;
    let job = store::find_job(conn, id)?.ok_or(AppError::NotFound)?;
    match standing(conn, Some(user), &job.employer_id)? {
        Standing::Member => Ok(job),
        _ if is_open(&job, now()) => Err(AppError::Forbidden(
            "only members of the job's employer may change it".into(),
        )),
        _ => Err(AppError::NotFound),
    }
}

pub(crate) fn load_full(conn: &mut DbConnection, job: JobRow) -> Result<FullJob, AppError> {
    let employer = find_employer(conn, &job.employer_id)?.ok_or(AppError::NotFound)?;
    Ok(FullJob {
        skills: store::skills_of(conn, &job.id)?,
        languages: store::languages_of(conn, &job.id)?,
        job,
        employer_name: employer.name,
        employer_jurisdiction: employer.jurisdiction,
        employer_verified: employer.verified,
    })
}

pub(crate) fn view_of(
    conn: &mut DbConnection,
    registry: &Registry,
    job: JobRow,
) -> Result<JobView, AppError> {
    Ok(JobView::new(load_full(conn, job)?, registry, now()))
}

/// The views of the jobs among `ids` that are open at `now`, keyed by id: a page of search or
/// match hits loaded in four queries whatever its size.
pub(crate) fn open_views(
    conn: &mut DbConnection,
    registry: &Registry,
    ids: &[String],
    now: NaiveDateTime,
) -> Result<HashMap<String, JobView>, AppError> {
    Ok(crate::jobs::records::open_jobs(conn, ids, now)?
        .into_iter()
        .map(|full| (full.job.id.clone(), JobView::new(full, registry, now)))
        .collect())
}

/// The job whose candidate matches the caller asks for: its employer's members and agency
/// staff. Other employers get 403 for an open job (it is public) and 404 for any other.
pub(crate) fn find_for_matching(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: &str,
) -> Result<JobRow, AppError> {
    user.require(&[Role::Employer, Role::AgencyOfficer, Role::Admin])?;
    let job = store::find_job(conn, id)?.ok_or(AppError::NotFound)?;
    match standing(conn, Some(user), &job.employer_id)? {
        Standing::Member | Standing::Agency => Ok(job),
        Standing::Stranger if is_open(&job, now()) => Err(AppError::Forbidden(
            "only members of the job's employer and agency staff see its matches".into(),
        )),
        Standing::Stranger => Err(AppError::NotFound),
    }
}

fn lists_of(job_id: &str, draft: &Draft) -> (Vec<JobSkillRow>, Vec<JobLanguageRow>) {
    let skills = draft
        .skills
        .iter()
        .map(|s| JobSkillRow {
            job_id: job_id.to_owned(),
            skill_id: s.skill_id.clone(),
            min_level: s.min_level,
            required: s.required,
        })
        .collect();
    let languages = draft
        .languages
        .iter()
        .map(|l| JobLanguageRow {
            job_id: job_id.to_owned(),
            code: l.code.clone(),
            level: l.level,
        })
        .collect();
    (skills, languages)
}

/// Lays the draft's content onto the row.
fn fill(row: &mut JobRow, draft: Draft) {
    let qualification = draft.qualification.unwrap_or_default();
    row.title = draft.title;
    row.description = draft.description;
    row.location_id = draft.location_id;
    row.employment_type = draft.employment_type;
    row.salary_min = draft.salary_min;
    row.salary_max = draft.salary_max;
    row.salary_currency = draft.salary_currency;
    row.salary_period = draft.salary_period;
    row.qualification_id = qualification.qualification_id;
    row.qualification_min_level_id = qualification.min_level;
    row.sponsorship = draft.sponsorship;
    row.expires_at = draft.expires_at;
}

fn finish(errors: Vec<FieldError>) -> Result<(), AppError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

pub(super) fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    before: Option<&JobView>,
    after: Option<&JobView>,
) -> Result<(), AppError> {
    let id = after.or(before).map(|v| v.id.clone()).unwrap_or_default();
    audit::record(
        conn,
        actor,
        Change {
            action,
            target_type: "job",
            target_id: &id,
            before,
            after,
        },
    )?;
    crate::index_events::job_changed(conn, &id)?;
    Ok(())
}

/// A member creates a draft for their employer.
pub async fn create(ctx: &AreaContext, user: &AuthUser, input: JobInput) -> Result<JobView, AppError> {
    user.require(&[Role::Employer])?;
    let registry: Arc<Registry> = ctx.registry.get();
    let actor = Actor::from(user);
    let user_id = user.id.clone();
    ctx.db
        .write(move |conn| {
            let Some(employer) = find_employer(conn, &input.employer_id)? else {
                return Err(AppError::invalid("employer_id", "names no employer"));
            };
            if member_role(conn, &employer.id, &user_id)?.is_none() {
                return Err(AppError::Forbidden(
                    "only members of the employer may post its jobs".into(),
                ));
            }
            let now = now();
            let mut errors = Vec::new();
            let draft = Draft::from_input(input, now, &mut errors);
            draft.check(&registry, &mut errors);
            finish(errors)?;
            let mut row = JobRow {
                id: uuid::Uuid::new_v4().to_string(),
                employer_id: employer.id,
                title: String::new(),
                description: String::new(),
                location_id: String::new(),
                employment_type: String::new(),
                salary_min: 0,
                salary_max: 0,
                salary_currency: String::new(),
                salary_period: String::new(),
                qualification_id: None,
                qualification_min_level_id: None,
                sponsorship: false,
                status: JobStatus::Draft.as_str().into(),
                expires_at: None,
                published_at: None,
                closed_at: None,
                created_by: user_id,
                created_at: now,
                updated_at: now,
            };
            let (skills, languages) = lists_of(&row.id, &draft);
            fill(&mut row, draft);
            store::insert_job(conn, &row)?;
            store::replace_lists(conn, &row.id, &skills, &languages)?;
            let view = view_of(conn, &registry, row)?;
            record(conn, &actor, "create", None, Some(&view))?;
            Ok(view)
        })
        .await
}

/// Open jobs for anyone, signed in or not; other states for members and agency staff; else 404.
pub async fn get(ctx: &AreaContext, user: Option<AuthUser>, id: String) -> Result<JobView, AppError> {
    let registry = ctx.registry.get();
    ctx.db
        .read(move |conn| {
            let job = store::find_job(conn, &id)?.ok_or(AppError::NotFound)?;
            let standing = standing(conn, user.as_ref(), &job.employer_id)?;
            if !visible(&job, standing, now()) {
                return Err(AppError::NotFound);
            }
            view_of(conn, &registry, job)
        })
        .await
}

/// A member changes a draft or open job; closed jobs are final (409).
pub async fn update(
    ctx: &AreaContext,
    user: &AuthUser,
    id: String,
    patch: JobPatch,
) -> Result<JobView, AppError> {
    edit(ctx, user, id, "update", move |conn, registry, row, now| {
        if JobStatus::stored(row) == JobStatus::Closed {
            return Err(AppError::Conflict("a closed job cannot be changed".into()));
        }
        let stored_skills = store::skills_of(conn, &row.id)?;
        let stored_languages = store::languages_of(conn, &row.id)?
            .into_iter()
            .map(|l| LanguageLevel {
                code: l.code,
                level: l.level,
            })
            .collect();
        let mut errors = Vec::new();
        let draft = Draft::from_stored(row, &stored_skills, stored_languages).apply(patch, now, &mut errors);
        draft.check(registry, &mut errors);
        finish(errors)?;
        let (skills, languages) = lists_of(&row.id, &draft);
        fill(row, draft);
        store::replace_lists(conn, &row.id, &skills, &languages)?;
        Ok(())
    })
    .await
}

/// A member's change to a job it may write, made in one transaction and audited as `action`
/// with the job's view before and after: `change` edits the row at `now` (and writes what else
/// belongs to the job); the row is stored with `updated_at` set.
pub(super) async fn edit<F>(
    ctx: &AreaContext,
    user: &AuthUser,
    id: String,
    action: &'static str,
    change: F,
) -> Result<JobView, AppError>
where
    F: FnOnce(&mut DbConnection, &Registry, &mut JobRow, NaiveDateTime) -> Result<(), AppError>
        + Send
        + 'static,
{
    let registry = ctx.registry.get();
    let actor = Actor::from(user);
    let user = user.clone();
    ctx.db
        .write(move |conn| {
            let mut row = find_writable(conn, &user, &id)?;
            let before = view_of(conn, &registry, row.clone())?;
            let now = now();
            change(conn, &registry, &mut row, now)?;
            row.updated_at = now;
            store::update_job(conn, &row)?;
            let after = view_of(conn, &registry, row)?;
            record(conn, &actor, action, Some(&before), Some(&after))?;
            Ok(after)
        })
        .await
}

/// An employer's jobs, newest first: all for members and agency staff, open ones for others.
pub async fn list_for_employer(
    ctx: &AreaContext,
    user: Option<AuthUser>,
    employer_id: String,
    page: Page,
) -> Result<(Vec<JobView>, i64), AppError> {
    let registry = ctx.registry.get();
    ctx.db
        .read(move |conn| {
            find_employer(conn, &employer_id)?.ok_or(AppError::NotFound)?;
            let now = now();
            let only_open = standing(conn, user.as_ref(), &employer_id)? == Standing::Stranger;
            let (rows, total) = store::list_for_employer(conn, &employer_id, only_open.then_some(now), page)?;
            let mut views = Vec::with_capacity(rows.len());
            for row in rows {
                views.push(view_of(conn, &registry, row)?);
            }
            Ok((views, total))
        })
        .await
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn job(status: &str, expires_at: Option<&str>) -> JobRow {
        let t: NaiveDateTime = "2030-01-01T00:00:00".parse().unwrap();
        JobRow {
            id: "j".into(),
            employer_id: "e".into(),
            title: "t".into(),
            description: "d".into(),
            location_id: "hk-wan-chai".into(),
            employment_type: "full_time".into(),
            salary_min: 1,
            salary_max: 2,
            salary_currency: "HKD".into(),
            salary_period: "month".into(),
            qualification_id: None,
            qualification_min_level_id: None,
            sponsorship: false,
            status: status.into(),
            expires_at: expires_at.map(|s| s.parse().unwrap()),
            published_at: None,
            closed_at: None,
            created_by: "u".into(),
            created_at: t,
            updated_at: t,
        }
    }

    #[test]
    fn strangers_see_only_open_jobs() {
        let now: NaiveDateTime = "2030-06-01T00:00:00".parse().unwrap();
        assert!(visible(&job("open", None), Standing::Stranger, now));
        assert!(!visible(&job("draft", None), Standing::Stranger, now));
        assert!(!visible(
            &job("open", Some("2030-01-01T00:00:00")),
            Standing::Stranger,
            now
        ));
        assert!(visible(&job("closed", None), Standing::Member, now));
        assert!(visible(&job("draft", None), Standing::Agency, now));
    }
}
