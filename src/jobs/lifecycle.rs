//! The job lifecycle: draft → open (publish) → closed (close). Each change is checked against the
//! stored state (409 from a wrong one), made under the job's row lock, and audited.

use chrono::NaiveDateTime;

use super::model::JobRow;
use super::service::edit;
use super::status::JobStatus;
use super::views::JobView;
use crate::auth::AuthUser;
use crate::context::AreaContext;
use crate::employers::store::find_employer;
use crate::error::AppError;

/// Draft → open. Needs a verified employer and an expiry (if any) still ahead.
pub async fn publish(ctx: &AreaContext, user: &AuthUser, id: String) -> Result<JobView, AppError> {
    transition(ctx, user, id, "publish", |job, employer_verified, now| {
        let status = JobStatus::at(job, now);
        if status != JobStatus::Draft {
            return Err(AppError::Conflict(format!(
                "only a draft can be published; this job is {}",
                status.as_str()
            )));
        }
        if !employer_verified {
            return Err(AppError::Conflict(
                "the employer is not verified by the agency yet; jobs can be published once it is".into(),
            ));
        }
        if job.expires_at.is_some_and(|at| at <= now) {
            return Err(AppError::invalid(
                "expires_at",
                "has passed; set a later expiry before publishing",
            ));
        }
        job.status = JobStatus::Open.as_str().into();
        job.published_at = Some(now);
        Ok(())
    })
    .await
}

/// Open (expired included) → closed.
pub async fn close(ctx: &AreaContext, user: &AuthUser, id: String) -> Result<JobView, AppError> {
    transition(ctx, user, id, "close", |job, _, now| {
        if JobStatus::stored(job) != JobStatus::Open {
            return Err(AppError::Conflict(format!(
                "only an open job can be closed; this job is {}",
                JobStatus::at(job, now).as_str()
            )));
        }
        job.status = JobStatus::Closed.as_str().into();
        job.closed_at = Some(now);
        Ok(())
    })
    .await
}

type Step = fn(&mut JobRow, bool, NaiveDateTime) -> Result<(), AppError>;

async fn transition(
    ctx: &AreaContext,
    user: &AuthUser,
    id: String,
    action: &'static str,
    step: Step,
) -> Result<JobView, AppError> {
    edit(ctx, user, id, action, move |conn, _, row, now| {
        let employer = find_employer(conn, &row.employer_id)?.ok_or(AppError::NotFound)?;
        step(row, employer.verified, now)
    })
    .await
}
