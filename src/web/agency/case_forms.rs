//! The forms of a case's page: status, route, assignee (me, nobody or a colleague), milestones,
//! notes and tasks. Each is read as text, checked here (a date the services would refuse is
//! caught with a message in the page's language), then handed to the cases service as the API
//! hands it; success answers 303 back to the case, a mistake shows the case again (422) with the
//! problem beside the field.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::case::{Typed, case_html};
use super::case_input::{MilestoneForm, NoteForm, TaskForm};
use super::{AgencyTexts, parse_day, staff};
use crate::cases::service::{self, MAX_NOTE_CHARS};
use crate::cases::status::{CaseStatus, TaskStatus};
use crate::cases::views::{AddNote, ChangeCase, ChangeTask, MilestonesInput};
use crate::error::{AppError, FieldError};
use crate::web::form::Posted;
use crate::web::page::{FormErrors, Page, encode};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/agency/cases/{id}/status").post(change_status))
        .service(web::resource("/agency/cases/{id}/assignee").post(assign))
        .service(web::resource("/agency/cases/{id}/route").post(set_route))
        .service(web::resource("/agency/cases/{id}/milestones").post(set_milestones))
        .service(web::resource("/agency/cases/{id}/notes").post(add_note))
        .service(web::resource("/agency/cases/{id}/tasks/{task_id}").post(change_task));
}

fn case_path(id: &str) -> String {
    format!("/agency/cases/{}", encode(id))
}

/// After a form: back to the case; its mistakes shown on the case (422); anything else, the
/// page that says why.
async fn answer(
    page: Page,
    id: &str,
    outcome: Result<(), AppError>,
    typed: impl FnOnce(FormErrors) -> Typed,
) -> HttpResponse {
    match outcome {
        Ok(()) => page.redirect(&case_path(id)),
        Err(AppError::Validation(errors)) => {
            let t = AgencyTexts::of(page.locale);
            let errors = errors
                .into_iter()
                .map(|e| {
                    // The service names the API's fields; the forms' names are shorter.
                    let field = match e.field.as_str() {
                        "assignee_id" => "to".to_string(),
                        other => other.trim_start_matches("milestones.").to_string(),
                    };
                    FieldError::new(field, t.problem(&e.message))
                })
                .collect();
            let html = case_html(&page, id, typed(page.form_errors(errors))).await;
            page.respond_with(StatusCode::UNPROCESSABLE_ENTITY, html)
        }
        Err(e) => page.fail(e),
    }
}

#[derive(Deserialize)]
struct StatusForm {
    #[serde(default)]
    status: String,
}

async fn change_status(page: Page, id: web::Path<String>, form: Posted<StatusForm>) -> HttpResponse {
    let form = match form.accept() {
        Ok(form) => form,
        Err(e) => return page.fail(e),
    };
    let outcome = move_case(&page, &id, &form.status).await;
    match outcome {
        Ok(()) => page.redirect(&case_path(&id)),
        Err(e) => page.fail(e),
    }
}

async fn move_case(page: &Page, id: &str, status: &str) -> Result<(), AppError> {
    let user = staff(page)?;
    let t = AgencyTexts::of(page.locale);
    let status = CaseStatus::parse(status).ok_or_else(|| AppError::invalid("status", t.choose_status))?;
    let change = ChangeCase {
        status: Some(status),
        ..ChangeCase::default()
    };
    service::change(page.state(), &user, id.to_string(), change)
        .await
        .map(drop)
}

#[derive(Deserialize)]
struct AssignForm {
    #[serde(default)]
    to: String,
}

async fn assign(page: Page, id: web::Path<String>, form: Posted<AssignForm>) -> HttpResponse {
    let form = match form.accept() {
        Ok(form) => form,
        Err(e) => return page.fail(e),
    };
    let outcome = assign_case(&page, &id, &form.to).await;
    answer(page, &id, outcome, |errors| Typed {
        assignee: Some(form.to),
        assignee_errors: errors,
        ..Typed::default()
    })
    .await
}

/// `to`: `me`, `none`, or a colleague's user id (the service checks they are staff).
async fn assign_case(page: &Page, id: &str, to: &str) -> Result<(), AppError> {
    let user = staff(page)?;
    let assignee = match to.trim() {
        "me" => Some(user.id.clone()),
        "none" | "" => None,
        colleague => Some(colleague.to_string()),
    };
    let change = ChangeCase {
        assignee_id: Some(assignee),
        ..ChangeCase::default()
    };
    service::change(page.state(), &user, id.to_string(), change)
        .await
        .map(drop)
}

#[derive(Deserialize)]
struct RouteForm {
    #[serde(default)]
    route: String,
}

async fn set_route(page: Page, id: web::Path<String>, form: Posted<RouteForm>) -> HttpResponse {
    let form = match form.accept() {
        Ok(form) => form,
        Err(e) => return page.fail(e),
    };
    let outcome = route_case(&page, &id, &form.route).await;
    answer(page, &id, outcome, |errors| Typed {
        route: Some(form.route),
        route_errors: errors,
        ..Typed::default()
    })
    .await
}

/// A route replaces the case's permit steps with its own (the service checks it is one of the
/// destination's).
async fn route_case(page: &Page, id: &str, route: &str) -> Result<(), AppError> {
    let user = staff(page)?;
    let t = AgencyTexts::of(page.locale);
    let route = route.trim();
    if route.is_empty() {
        return Err(AppError::invalid("route", t.choose_route));
    }
    let change = ChangeCase {
        route: Some(route.to_string()),
        ..ChangeCase::default()
    };
    service::change(page.state(), &user, id.to_string(), change)
        .await
        .map(drop)
}

async fn set_milestones(page: Page, id: web::Path<String>, form: Posted<MilestoneForm>) -> HttpResponse {
    let form = match form.accept() {
        Ok(form) => form,
        Err(e) => return page.fail(e),
    };
    let outcome = save_milestones(&page, &id, &form).await;
    answer(page, &id, outcome, |errors| Typed {
        milestones: Some(form),
        milestone_errors: errors,
        ..Typed::default()
    })
    .await
}

async fn save_milestones(page: &Page, id: &str, form: &MilestoneForm) -> Result<(), AppError> {
    let user = staff(page)?;
    let t = AgencyTexts::of(page.locale);
    let mut errors = Vec::new();
    let mut day = |name: &str| match parse_day(form.value(name)) {
        Ok(day) => Some(day.map(|d| d.to_string())),
        Err(()) => {
            errors.push(FieldError::new(name, t.bad_date));
            None
        }
    };
    let input = MilestonesInput {
        offer_accepted: day("offer_accepted"),
        visa_approved: day("visa_approved"),
        arrival: day("arrival"),
        employment_start: day("employment_start"),
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let change = ChangeCase {
        milestones: Some(input),
        ..ChangeCase::default()
    };
    service::change(page.state(), &user, id.to_string(), change)
        .await
        .map(drop)
}

async fn add_note(page: Page, id: web::Path<String>, form: Posted<NoteForm>) -> HttpResponse {
    let form = match form.accept() {
        Ok(form) => form,
        Err(e) => return page.fail(e),
    };
    let outcome = save_note(&page, &id, &form).await;
    answer(page, &id, outcome, |errors| Typed {
        note: Some(form),
        note_errors: errors,
        ..Typed::default()
    })
    .await
}

async fn save_note(page: &Page, id: &str, form: &NoteForm) -> Result<(), AppError> {
    let user = staff(page)?;
    let t = AgencyTexts::of(page.locale);
    if form.body.trim().is_empty() || form.body.chars().count() > MAX_NOTE_CHARS {
        return Err(AppError::invalid("body", t.note_required));
    }
    let note = AddNote {
        body: form.body.clone(),
        visible_to_candidate: form.visible_to_candidate.is_some(),
    };
    service::add_note(page.state(), &user, id.to_string(), note)
        .await
        .map(drop)
        .map_err(|e| match e {
            AppError::Validation(_) => AppError::invalid("body", t.note_required),
            other => other,
        })
}

async fn change_task(page: Page, path: web::Path<(String, String)>, form: Posted<TaskForm>) -> HttpResponse {
    let form = match form.accept() {
        Ok(form) => form,
        Err(e) => return page.fail(e),
    };
    let (id, task_id) = path.into_inner();
    let outcome = save_task(&page, &id, &task_id, &form).await;
    answer(page, &id, outcome, |errors| Typed {
        task: Some((task_id, form, errors)),
        ..Typed::default()
    })
    .await
}

/// A task's status and due date; an empty date removes it.
async fn save_task(page: &Page, id: &str, task_id: &str, form: &TaskForm) -> Result<(), AppError> {
    let user = staff(page)?;
    let t = AgencyTexts::of(page.locale);
    let mut errors = Vec::new();
    let status = TaskStatus::parse(&form.status);
    if status.is_none() {
        errors.push(FieldError::new("status", t.choose_status));
    }
    let due_on = match parse_day(&form.due_on) {
        Ok(day) => Some(day),
        Err(()) => {
            errors.push(FieldError::new("due_on", t.bad_date));
            None
        }
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let change = ChangeTask {
        status,
        due_on,
        note: None,
    };
    service::change_task(page.state(), &user, id.to_string(), task_id.to_string(), change)
        .await
        .map(drop)
}
