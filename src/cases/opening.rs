//! Opening a case: by an officer for a candidate (possibly from the application that led to
//! it), or by a candidate for themself; the checklist comes from the direction's template.

use chrono::{Duration, NaiveDate};

use super::model::{CaseRow, TaskRow};
use super::service::{Reader, now, record, view};
use super::situation;
use super::status::{CaseStatus, Direction};
use super::store;
use super::today;
use super::views::{CaseView, OpenCase};
use crate::auth::{AuthUser, Role};
use crate::db::DbConnection;
use crate::error::{AppError, FieldError};
use crate::registry::Registry;
use crate::state::AppState;

pub const MAX_SUMMARY_CHARS: usize = 2_000;

fn check_direction(registry: &Registry, field: &str, value: &str) -> Result<Direction, AppError> {
    Direction::parse(value)
        .filter(|d| d.is_known(registry))
        .ok_or_else(|| {
            AppError::invalid(
                field,
                "must be <FROM>_TO_<TO> over two different jurisdictions of the registry, e.g. CN_TO_HK",
            )
        })
}

/// An assignee must be agency staff who can sign in.
pub(super) fn check_assignee(conn: &mut DbConnection, user_id: &str) -> Result<(), AppError> {
    let role = store::active_role(conn, user_id)?;
    if role.as_deref().and_then(Role::parse).is_some_and(Role::is_agency) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "assignee_id",
            "must be an agency officer or admin",
        ))
    }
}

fn clean_summary(summary: Option<String>) -> Result<String, AppError> {
    let summary = summary.unwrap_or_default().trim().to_owned();
    if summary.chars().count() > MAX_SUMMARY_CHARS {
        return Err(AppError::invalid(
            "summary",
            format!("must be at most {MAX_SUMMARY_CHARS} characters"),
        ));
    }
    Ok(summary)
}

/// What a new case is about, once the request is checked.
struct Opening {
    candidate_id: String,
    direction: Direction,
    job_id: Option<String>,
    application_id: Option<String>,
    assignee_id: Option<String>,
    requested_by_candidate: bool,
}

/// A candidate asks for a case for themself: unassigned until an officer takes it.
fn candidate_opening(
    conn: &mut DbConnection,
    user: &AuthUser,
    body: &OpenCase,
    registry: &Registry,
) -> Result<Opening, AppError> {
    let agency_fields = [
        ("candidate_id", body.candidate_id.is_some()),
        ("job_id", body.job_id.is_some()),
        ("application_id", body.application_id.is_some()),
        ("assignee_id", body.assignee_id.is_some()),
    ];
    let errors: Vec<FieldError> = agency_fields
        .iter()
        .filter(|(_, present)| *present)
        .map(|(field, _)| FieldError::new(*field, "set by the agency, not by the candidate"))
        .collect();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let direction = body
        .direction
        .as_deref()
        .ok_or_else(|| AppError::invalid("direction", "is required"))?;
    let direction = check_direction(registry, "direction", direction)?;
    let candidate = crate::candidates::store::find_by_user(conn, &user.id)?
        .filter(|c| c.erased_at.is_none())
        .ok_or_else(|| AppError::Conflict("create your candidate profile before asking for a case".into()))?;
    if store::active_case_exists(conn, &candidate.id, &direction.code())? {
        return Err(AppError::Conflict(format!(
            "you already have an unfinished {} case",
            direction.code()
        )));
    }
    Ok(Opening {
        candidate_id: candidate.id,
        direction,
        job_id: None,
        application_id: None,
        assignee_id: None,
        requested_by_candidate: true,
    })
}

/// An officer opens a case for a candidate, possibly from the application that led to it: an
/// application at `offer` fills the direction (the candidate's residence to the employer's
/// jurisdiction) and the job, where the request leaves them out.
fn agency_opening(
    conn: &mut DbConnection,
    body: &OpenCase,
    registry: &Registry,
) -> Result<Opening, AppError> {
    let candidate_id = body
        .candidate_id
        .as_deref()
        .ok_or_else(|| AppError::invalid("candidate_id", "is required"))?;
    let candidate = crate::candidates::store::find(conn, candidate_id)?
        .filter(|c| c.erased_at.is_none())
        .ok_or_else(|| AppError::invalid("candidate_id", "no such candidate"))?;
    let mut direction = body.direction.clone();
    let mut job_id = body.job_id.clone();
    if let Some(application_id) = &body.application_id {
        let application = crate::applications::store::find(conn, application_id)?
            .filter(|a| a.candidate_id == candidate.id)
            .ok_or_else(|| AppError::invalid("application_id", "no such application of this candidate"))?;
        if job_id.as_ref().is_some_and(|j| *j != application.job_id) {
            return Err(AppError::invalid("job_id", "is not the job of the application"));
        }
        if application.status == "offer" {
            job_id = Some(application.job_id.clone());
            if direction.is_none() {
                let job =
                    crate::jobs::store::find_job(conn, &application.job_id)?.ok_or(AppError::NotFound)?;
                let employer = crate::employers::store::find_employer(conn, &job.employer_id)?
                    .ok_or(AppError::NotFound)?;
                direction = Some(format!(
                    "{}_TO_{}",
                    candidate.residence_jurisdiction, employer.jurisdiction
                ));
            }
        }
    }
    let direction = direction.ok_or_else(|| {
        AppError::invalid(
            "direction",
            "is required unless application_id names an application at offer",
        )
    })?;
    let direction = check_direction(registry, "direction", &direction)?;
    if let Some(job_id) = &job_id
        && crate::jobs::store::find_job(conn, job_id)?.is_none()
    {
        return Err(AppError::invalid("job_id", "no such job"));
    }
    if let Some(assignee) = &body.assignee_id {
        check_assignee(conn, assignee)?;
    }
    Ok(Opening {
        candidate_id: candidate.id,
        direction,
        job_id,
        application_id: body.application_id.clone(),
        assignee_id: body.assignee_id.clone(),
        requested_by_candidate: false,
    })
}

/// Opens a case with the checklist of its direction's template, due dates counted from today.
pub async fn open(state: &AppState, user: &AuthUser, body: OpenCase) -> Result<CaseView, AppError> {
    user.require(&[Role::Candidate, Role::AgencyOfficer, Role::Admin])?;
    let registry = state.registry.get();
    let actor = user.clone();
    state
        .db
        .write(move |conn| open_in(conn, &registry, &actor, &body))
        .await
}

/// [`open`] inside the caller's transaction (the demo data opens cases this way too).
pub fn open_in(
    conn: &mut DbConnection,
    registry: &Registry,
    actor: &AuthUser,
    body: &OpenCase,
) -> Result<CaseView, AppError> {
    let summary = clean_summary(body.summary.clone())?;
    let opening = if actor.role == Role::Candidate {
        candidate_opening(conn, actor, body, registry)?
    } else {
        agency_opening(conn, body, registry)?
    };
    let direction = opening.direction.code();
    let template = store::template_of(conn, &direction)?;
    if template.is_empty() {
        return Err(AppError::invalid(
            "direction",
            format!("no checklist template for {direction} yet: an agency admin creates it first"),
        ));
    }
    let at = now();
    let case = CaseRow {
        id: uuid::Uuid::new_v4().to_string(),
        candidate_id: opening.candidate_id,
        direction,
        job_id: opening.job_id,
        application_id: opening.application_id,
        summary,
        status: CaseStatus::Open.as_str().to_owned(),
        assignee_id: opening.assignee_id,
        requested_by_candidate: opening.requested_by_candidate,
        opened_by: actor.id.clone(),
        created_at: at,
        updated_at: at,
        resolved_at: None,
        closed_at: None,
    };
    store::insert_case(conn, &case)?;
    let today = today();
    let advice = situation_of(conn, registry, &case, today)?;
    let first_permit = template
        .iter()
        .find(|item| item.category == "permit")
        .map(|item| item.code.clone());
    for item in &template {
        let (status, note) = if Some(&item.code) == first_permit.as_ref() {
            let permit = &advice.permit;
            (
                if permit.not_applicable {
                    "not_applicable"
                } else {
                    "todo"
                },
                Some(permit.note.clone()),
            )
        } else if item.category == "credential" {
            ("todo", advice.credentials.clone())
        } else {
            ("todo", None)
        };
        store::insert_task(
            conn,
            &TaskRow {
                id: uuid::Uuid::new_v4().to_string(),
                case_id: case.id.clone(),
                code: item.code.clone(),
                title_en: item.title_en.clone(),
                title_zh_hans: item.title_zh_hans.clone(),
                title_zh_hant: item.title_zh_hant.clone(),
                category: item.category.clone(),
                status: status.into(),
                due_on: Some(today + Duration::days(i64::from(item.due_in_days))),
                note,
                position: item.position,
                updated_at: at,
            },
        )?;
    }
    let seen = view(conn, &Reader::Agency, &case)?;
    record(conn, actor, "case.opened", &case.id, None::<&()>, Some(&seen))?;
    Ok(seen)
}

/// What the candidate's situation says about the permit and credential items.
struct Advised {
    permit: situation::Advice,
    credentials: Option<String>,
}

fn situation_of(
    conn: &mut DbConnection,
    registry: &Registry,
    case: &CaseRow,
    today: NaiveDate,
) -> Result<Advised, AppError> {
    let to = Direction::parse(&case.direction)
        .map(|d| d.to)
        .unwrap_or_default();
    let held: Vec<String> = crate::candidates::store::authorizations_of(conn, &case.candidate_id)?
        .into_iter()
        .filter(|a| a.jurisdiction == to && a.is_active(today))
        .filter(|a| {
            registry
                .bases
                .iter()
                .any(|b| b.code == a.basis && b.authorizes_work)
        })
        .map(|a| a.basis)
        .collect();
    let job_sponsors = match &case.job_id {
        Some(job_id) => crate::jobs::store::find_job(conn, job_id)?.map(|job| job.sponsorship),
        None => None,
    };
    let qualification_ids: Vec<String> = crate::candidates::store::credentials_of(conn, &case.candidate_id)?
        .into_iter()
        .filter(|c| c.status != "rejected")
        .map(|c| c.qualification_id)
        .collect();
    Ok(Advised {
        permit: situation::permit_route(&to, &held, job_sponsors),
        credentials: situation::credential_recognition(registry, &qualification_ids, &to, today),
    })
}
