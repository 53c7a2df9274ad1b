//! The application rules: who may apply, who may move an application where, who sees what of
//! the candidate, and who is told.

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;

use super::model::{ApplicationEventRow, ApplicationRow};
use super::status::{Side, Status};
use super::store;
use crate::auth::{AuthUser, Role};
use crate::candidates::model::CandidateRow;
use crate::candidates::visibility::{self, CrossBorderRead};
use crate::context::AreaContext;
use crate::db::DbConnection;
use crate::db::schema::{employers, users};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::jobs::model::JobRow;
use crate::jobs::status::JobStatus;
use crate::mail::{Template, outbox};
use crate::paging::Page;

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// An application with what its reader may see of it.
pub struct Seen {
    pub application: ApplicationRow,
    pub job: JobRow,
    /// The candidate, when the reader may see them (always for the candidate themself); `None`
    /// leaves no id of theirs anywhere in the application.
    pub candidate: Option<CandidateRow>,
    pub history: Vec<ApplicationEventRow>,
}

pub const MAX_COVER_LETTER_CHARS: usize = 10_000;

/// A candidate applies to an open job, once. Applying to an employer across the boundary shares
/// the candidate's data there, so it needs the candidate's consent to that jurisdiction.
pub async fn apply(
    ctx: &AreaContext,
    user: &AuthUser,
    job_id: String,
    cover_letter: Option<String>,
) -> Result<Seen, AppError> {
    user.require(&[Role::Candidate])?;
    // Counted before trimming, as the OpenAPI document's maxLength counts.
    if cover_letter
        .as_ref()
        .is_some_and(|c| c.chars().count() > MAX_COVER_LETTER_CHARS)
    {
        return Err(AppError::invalid(
            "cover_letter",
            format!("must be at most {MAX_COVER_LETTER_CHARS} characters"),
        ));
    }
    let cover_letter = cover_letter
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    let user_id = user.id.clone();
    let link = ctx.link("/employer/applications");
    let seen = ctx
        .db
        .write(move |conn| {
            let candidate = crate::candidates::store::find_by_user(conn, &user_id)?
                .filter(|c| c.erased_at.is_none())
                .ok_or_else(|| AppError::Conflict("create your candidate profile before applying".into()))?;
            let job = crate::jobs::store::find_job(conn, &job_id)?.ok_or(AppError::NotFound)?;
            if JobStatus::stored(&job) == JobStatus::Draft {
                return Err(AppError::NotFound);
            }
            if !crate::jobs::status::is_open(&job, now()) {
                return Err(AppError::Conflict("the job is no longer open".into()));
            }
            let employer_jurisdiction = employer_jurisdiction(conn, &job.employer_id)?;
            let sight = visibility::applicant_sight(conn, &candidate, &job.employer_id, &employer_jurisdiction)?;
            if !sight.is_visible() {
                return Err(AppError::Conflict(format!(
                    "this employer is in {employer_jurisdiction}: applying shares your profile across the boundary, \
                     so first consent to cross_border_sharing with {employer_jurisdiction}"
                )));
            }
            if store::find_for(conn, &job.id, &candidate.id)?.is_some() {
                return Err(AppError::Conflict("you have already applied to this job".into()));
            }
            let at = now();
            let application = ApplicationRow {
                id: uuid::Uuid::new_v4().to_string(),
                job_id: job.id.clone(),
                candidate_id: candidate.id.clone(),
                cover_letter,
                status: Status::Submitted.as_str().to_owned(),
                created_at: at,
                updated_at: at,
            };
            store::insert(conn, &application)?;
            record(conn, &application.id, None, Status::Submitted, &user_id, at)?;
            tell_employer(conn, &job, &link)?;
            let history = store::events(conn, std::slice::from_ref(&application.id))?;
            Ok(Seen { application, job, candidate: Some(candidate), history })
        })
        .await?;
    ctx.mail.wake();
    Ok(seen)
}

/// Moves an application. The candidate may withdraw their own; the employer's members move it
/// along the pipeline. Anyone else learns nothing (404); a move the pipeline forbids is 409.
pub async fn change_status(
    ctx: &AreaContext,
    user: &AuthUser,
    id: String,
    to: Status,
) -> Result<Seen, AppError> {
    let actor = user.clone();
    let employer_link = ctx.link("/employer/applications");
    let candidate_link = ctx.link("/applications");
    let (seen, read) = ctx
        .db
        .write(move |conn| {
            let application = store::find(conn, &id)?.ok_or(AppError::NotFound)?;
            let job = crate::jobs::store::find_job(conn, &application.job_id)?.ok_or(AppError::NotFound)?;
            let side = side_of(conn, &actor, &application, &job)?.ok_or(AppError::NotFound)?;
            let from = Status::parse(&application.status).ok_or_else(|| {
                AppError::Unexpected(anyhow::anyhow!(
                    "application {} has an unknown status",
                    application.id
                ))
            })?;
            if !from.may_move(to, side) {
                return Err(AppError::Conflict(format!(
                    "an application that is {} cannot become {}",
                    from.as_str(),
                    to.as_str()
                )));
            }
            let at = now();
            if !store::set_status(conn, &application.id, from.as_str(), to.as_str(), at)? {
                return Err(AppError::Conflict(
                    "the application changed meanwhile; reload it".into(),
                ));
            }
            record(conn, &application.id, Some(from), to, &actor.id, at)?;
            match side {
                Side::Candidate => tell_employer(conn, &job, &employer_link)?,
                Side::Employer => tell_candidate(conn, &application, &job, to, &candidate_link)?,
            }
            let application = store::find(conn, &application.id)?.ok_or(AppError::NotFound)?;
            see(conn, &actor, application, job)
        })
        .await?;
    ctx.mail.wake();
    visibility::record_cross_border_reads(ctx, user, read.into_iter().collect()).await?;
    Ok(seen)
}

/// The caller's applications: a candidate's own, or those to the jobs of the caller's employers.
pub async fn list(ctx: &AreaContext, user: &AuthUser, page: Page) -> Result<(Vec<Seen>, i64), AppError> {
    user.require(&[Role::Candidate, Role::Employer])?;
    let reader = user.clone();
    let (seen, total, reads) = ctx
        .db
        .read(move |conn| {
            let (rows, total) = match reader.role {
                Role::Candidate => match crate::candidates::store::find_by_user(conn, &reader.id)? {
                    Some(candidate) => store::of_candidate(conn, &candidate.id, page)?,
                    None => (Vec::new(), 0),
                },
                _ => store::to_employers_of(conn, &reader.id, page)?,
            };
            let (seen, reads) = see_each(conn, &reader, rows, Vec::new())?;
            Ok((seen, total, reads))
        })
        .await?;
    visibility::record_cross_border_reads(ctx, user, reads).await?;
    Ok((seen, total))
}

/// The applications to one job, for a member of its employer, each seen as `list` shows it (and
/// its reads across the boundary recorded as there). Another employer's job is 403 where the
/// reader may see the job (an open one) and 404 where they may not know it exists.
pub async fn list_for_job(
    ctx: &AreaContext,
    user: &AuthUser,
    job_id: String,
    page: Page,
) -> Result<(Vec<Seen>, i64), AppError> {
    user.require(&[Role::Employer])?;
    let reader = user.clone();
    let (seen, total, reads) = ctx
        .db
        .read(move |conn| {
            let job = crate::jobs::store::find_job(conn, &job_id)?.ok_or(AppError::NotFound)?;
            if crate::employers::membership::member_role(conn, &job.employer_id, &reader.id)?.is_none() {
                return Err(if crate::jobs::service::readable(conn, Some(&reader), &job)? {
                    AppError::Forbidden("only members of the job's employer see its applications".into())
                } else {
                    AppError::NotFound
                });
            }
            let (rows, total) = store::to_job(conn, &job.id, page)?;
            let (seen, reads) = see_each(conn, &reader, rows, vec![job])?;
            Ok((seen, total, reads))
        })
        .await?;
    visibility::record_cross_border_reads(ctx, user, reads).await?;
    Ok((seen, total))
}

/// Each application as `reader` may see it, and the reads across the boundary that showed
/// someone. Each job is read once (`jobs` holds those read already).
fn see_each(
    conn: &mut DbConnection,
    reader: &AuthUser,
    rows: Vec<ApplicationRow>,
    mut jobs: Vec<JobRow>,
) -> Result<(Vec<Seen>, Vec<CrossBorderRead>), AppError> {
    let mut seen = Vec::with_capacity(rows.len());
    let mut reads = Vec::new();
    for application in rows {
        let job = match jobs.iter().find(|j| j.id == application.job_id) {
            Some(job) => job.clone(),
            None => {
                let job =
                    crate::jobs::store::find_job(conn, &application.job_id)?.ok_or(AppError::NotFound)?;
                jobs.push(job.clone());
                job
            }
        };
        let (one, read) = see(conn, reader, application, job)?;
        seen.push(one);
        reads.extend(read);
    }
    Ok((seen, reads))
}

/// One application, for its candidate or the employer's members; 404 for anyone else.
pub async fn get(ctx: &AreaContext, user: &AuthUser, id: String) -> Result<Seen, AppError> {
    let reader = user.clone();
    let (seen, read) = ctx
        .db
        .read(move |conn| {
            let application = store::find(conn, &id)?.ok_or(AppError::NotFound)?;
            let job = crate::jobs::store::find_job(conn, &application.job_id)?.ok_or(AppError::NotFound)?;
            side_of(conn, &reader, &application, &job)?.ok_or(AppError::NotFound)?;
            see(conn, &reader, application, job)
        })
        .await?;
    visibility::record_cross_border_reads(ctx, user, read.into_iter().collect()).await?;
    Ok(seen)
}

/// Which side the user is on for this application, if any.
fn side_of(
    conn: &mut DbConnection,
    user: &AuthUser,
    application: &ApplicationRow,
    job: &JobRow,
) -> Result<Option<Side>, AppError> {
    match user.role {
        Role::Candidate => {
            let own = crate::candidates::store::find_by_user(conn, &user.id)?
                .is_some_and(|c| c.id == application.candidate_id);
            Ok(own.then_some(Side::Candidate))
        }
        Role::Employer => {
            let member =
                crate::employers::membership::member_role(conn, &job.employer_id, &user.id)?.is_some();
            Ok(member.then_some(Side::Employer))
        }
        Role::AgencyOfficer | Role::Admin => Ok(None),
    }
}

/// What the reader may see: the employer sees the applicant only as
/// `candidates::visibility::decide_applicant` allows, the candidate themself as the general rule
/// allows (everything of their own).
fn see(
    conn: &mut DbConnection,
    reader: &AuthUser,
    application: ApplicationRow,
    job: JobRow,
) -> Result<(Seen, Option<CrossBorderRead>), AppError> {
    // The foreign key keeps the row, erased or not.
    let candidate = crate::candidates::store::find(conn, &application.candidate_id)?.ok_or_else(|| {
        AppError::Unexpected(anyhow::anyhow!(
            "application {} names no candidate",
            application.id
        ))
    })?;
    let sight = if reader.role == Role::Employer {
        let jurisdiction = employer_jurisdiction(conn, &job.employer_id)?;
        visibility::applicant_sight(conn, &candidate, &job.employer_id, &jurisdiction)?
    } else {
        visibility::sight(conn, &reader.id, reader.role, &candidate)?
    };
    let read = sight.cross_border_read(&candidate);
    let history = store::events(conn, std::slice::from_ref(&application.id))?;
    let mut seen = Seen {
        application,
        job,
        candidate: Some(candidate),
        history,
    };
    if !sight.is_visible() {
        seen.hide_applicant();
    }
    Ok((seen, read))
}

impl Seen {
    /// The reader keeps the record (the job, the status, each move and when, and who of the
    /// employer made it) but nothing that identifies a hidden applicant: not their row (so no
    /// candidate id either, see `ApplicationView`), not their cover letter, and their own moves
    /// (applying, withdrawing) name no actor.
    fn hide_applicant(&mut self) {
        let Some(candidate) = self.candidate.take() else {
            return;
        };
        self.application.cover_letter = None;
        for event in &mut self.history {
            if event.actor_id.as_deref() == Some(candidate.user_id.as_str()) {
                event.actor_id = None;
            }
        }
    }
}

fn record(
    conn: &mut DbConnection,
    application_id: &str,
    from: Option<Status>,
    to: Status,
    actor: &str,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    store::insert_event(
        conn,
        &ApplicationEventRow {
            id: uuid::Uuid::new_v4().to_string(),
            application_id: application_id.to_owned(),
            from_status: from.map(|s| s.as_str().to_owned()),
            to_status: to.as_str().to_owned(),
            actor_id: Some(actor.to_owned()),
            at,
        },
    )?;
    Ok(())
}

fn employer_jurisdiction(conn: &mut DbConnection, employer_id: &str) -> Result<String, AppError> {
    Ok(employers::table
        .find(employer_id)
        .select(employers::jurisdiction)
        .first(conn)?)
}

/// Emails every member of the job's employer, each in their own language.
fn tell_employer(conn: &mut DbConnection, job: &JobRow, link: &str) -> Result<(), AppError> {
    let members = crate::employers::store::member_user_ids(conn, &job.employer_id)?;
    let recipients: Vec<(String, String)> = users::table
        .filter(users::id.eq_any(&members))
        .filter(users::disabled_at.is_null())
        .select((users::email, users::locale))
        .load(conn)?;
    for (email, locale) in recipients {
        let template = Template::ApplicationReceived {
            job_title: job.title.clone(),
            link: link.to_owned(),
        };
        outbox::enqueue(conn, &email, locale.parse().unwrap_or(Locale::En), &template)?;
    }
    Ok(())
}

fn tell_candidate(
    conn: &mut DbConnection,
    application: &ApplicationRow,
    job: &JobRow,
    status: Status,
    link: &str,
) -> Result<(), AppError> {
    let Some(candidate) = crate::candidates::store::find(conn, &application.candidate_id)? else {
        return Ok(());
    };
    let recipient: Option<(String, String)> = users::table
        .find(&candidate.user_id)
        .filter(users::disabled_at.is_null())
        .select((users::email, users::locale))
        .first(conn)
        .optional()?;
    if let Some((email, locale)) = recipient {
        let template = Template::ApplicationStatusChanged {
            job_title: job.title.clone(),
            status: status.as_str().to_owned(),
            link: link.to_owned(),
        };
        outbox::enqueue(conn, &email, locale.parse().unwrap_or(Locale::En), &template)?;
    }
    Ok(())
}
