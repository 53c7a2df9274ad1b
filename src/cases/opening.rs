//! Opening a case: by an officer for a candidate (possibly from the application that led to
//! it), or by a candidate for themself; the checklist comes from the direction's template.

use chrono::NaiveDate;

use super::access::{Reader, check_assignee, view};
use super::checklist::{Made, ROUTE_POSITIONS};
use super::journal::{now, record};
use super::model::CaseRow;
use super::situation;
use super::status::{CaseStatus, Direction};
use super::store;
use super::templates;
use super::today;
use super::views::{CaseView, OpenCase};
use crate::applications::status::Status as ApplicationStatus;
use crate::auth::{AuthUser, Role};
use crate::context::AreaContext;
use crate::db::DbConnection;
use crate::eligibility::conditions::Context;
use crate::eligibility::situation::Situation;
use crate::error::{AppError, FieldError};
use crate::money::Rates;
use crate::registry::Registry;
use crate::registry::route::ChecklistItem;

pub const MAX_SUMMARY_CHARS: usize = 2_000;

fn check_direction(registry: &Registry, field: &str, value: &str) -> Result<Direction, AppError> {
    Direction::parse(value)
        .filter(|d| d.is_known(registry))
        .ok_or_else(|| {
            AppError::invalid(
                field,
                "must be <FROM>_TO_<TO> over two different jurisdiction codes of the registry (GET /registry/jurisdictions)",
            )
        })
}

fn clean_summary(summary: Option<String>) -> Result<String, AppError> {
    let raw = summary.unwrap_or_default();
    // Counted before trimming, as the OpenAPI document's maxLength counts.
    if raw.chars().count() > MAX_SUMMARY_CHARS {
        return Err(AppError::invalid(
            "summary",
            format!("must be at most {MAX_SUMMARY_CHARS} characters"),
        ));
    }
    Ok(raw.trim().to_owned())
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
        if ApplicationStatus::parse(&application.status) == Some(ApplicationStatus::Offer) {
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
pub async fn open(ctx: &AreaContext, user: &AuthUser, body: OpenCase) -> Result<CaseView, AppError> {
    user.require(&[Role::Candidate, Role::AgencyOfficer, Role::Admin])?;
    let registry = ctx.registry.get();
    let rates = ctx.rates.clone();
    let actor = user.clone();
    ctx.db
        .write(move |conn| open_in(conn, &registry, &rates, &actor, &body))
        .await
}

/// [`open`] inside the caller's transaction (the demo data opens cases this way too).
pub fn open_in(
    conn: &mut DbConnection,
    registry: &Registry,
    rates: &Rates,
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
    let mut case = CaseRow {
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
        route: None,
        offer_accepted_on: None,
        visa_approved_on: None,
        arrival_on: None,
        employment_start_on: None,
    };
    let today = today();
    let situation = situation::of_case(conn, &case, today)?;
    let context = Context {
        registry,
        rates,
        situation: &situation,
        to: &opening.direction.to,
    };
    let route = situation::first_route(&context);
    case.route = route.as_ref().map(|(code, _)| code.clone());
    store::insert_case(conn, &case)?;
    let credential_note = credential_note(registry, &situation, &opening.direction.to, today);
    let made = Made {
        case: &case,
        context: &context,
        credential_note: credential_note.as_deref(),
        at,
    };
    let items: Vec<ChecklistItem> = template.iter().map(templates::item_of).collect();
    let mut tasks = made.tasks(&items, None, 0);
    if let Some((code, steps)) = &route {
        tasks.extend(made.tasks(steps, Some(code), ROUTE_POSITIONS));
    }
    for task in &tasks {
        store::insert_task(conn, task)?;
    }
    let seen = view(conn, &Reader::Agency, &case)?;
    record(conn, actor, "case.opened", &case.id, None::<&()>, Some(&seen))?;
    Ok(seen)
}

fn credential_note(registry: &Registry, situation: &Situation, to: &str, today: NaiveDate) -> Option<String> {
    let qualification_ids: Vec<String> = situation
        .credentials
        .iter()
        .map(|c| c.qualification_id.clone())
        .collect();
    situation::credential_recognition(registry, &qualification_ids, to, today)
}
