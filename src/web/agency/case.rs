//! A case's page: its summary, status, route and assignee (any of the agency staff), the
//! milestones, the checklist, the notes and the timeline, each with its form (the forms'
//! handlers are in `case_forms`). A refused form shows this page again with what was typed
//! (`Typed`).

use actix_web::{HttpResponse, web};
use askama::Template;
use serde_json::Value;

use super::case_input::{MilestoneForm, NoteForm, TaskForm};
use super::{
    AgencyTexts, basis_name, candidate_label, candidate_names, colleagues, local_time, people, staff,
};
use crate::cases::service;
use crate::cases::status::{CaseStatus, Direction, TaskStatus};
use crate::cases::views::{CaseView, TimelineEntry};
use crate::error::AppError;
use crate::i18n::{Locale, LocalizedText};
use crate::registry::Registry;
use crate::web::choices::direction_name;
use crate::web::page::{FormErrors, Page, render};
use crate::web::text::Common;

/// The milestones, in the order a move happens.
pub(super) const MILESTONES: [&str; 4] = ["offer_accepted", "visa_approved", "arrival", "employment_start"];

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/agency/cases/{id}").get(case_page));
}

struct TaskLine {
    id: String,
    title: String,
    category: String,
    status: TaskStatus,
    /// The date input's value: the stored date, or what was typed.
    due: String,
    /// The stored date, as shown.
    stored_due: String,
    overdue: bool,
    authority: Option<String>,
    reason: Option<String>,
    errors: FormErrors,
}

struct MilestoneField {
    name: &'static str,
    label: &'static str,
    value: String,
    error: Option<String>,
}

struct NoteLine {
    author: String,
    at: String,
    body: String,
    visible: bool,
}

struct TimelineLine {
    at: String,
    actor: String,
    action: &'static str,
    detail: String,
}

#[derive(Template)]
#[template(path = "web/agency/case.html")]
struct CasePage<'a> {
    page: &'a Page,
    t: &'static AgencyTexts,
    case: CaseView,
    candidate: String,
    direction: String,
    route: Option<String>,
    /// The destination's bases that have a route: (code, name).
    routes: Vec<(String, String)>,
    route_choice: String,
    route_error: Option<String>,
    assignee: Option<String>,
    assigned_to_me: bool,
    /// Whom the case may be given to: (id, name).
    staff: Vec<(String, String)>,
    /// The assignee select's value: `none`, or a user id.
    assignee_choice: String,
    assignee_error: Option<String>,
    opened: String,
    moves: Vec<(&'static str, &'static str)>,
    task_statuses: Vec<(&'static str, &'static str)>,
    tasks: Vec<TaskLine>,
    milestones: Vec<MilestoneField>,
    notes: Vec<NoteLine>,
    note_body: String,
    note_visible: bool,
    pub(super) note_errors: FormErrors,
    timeline: Vec<TimelineLine>,
}

/// What a form sent that was not accepted, to show again with its problems.
#[derive(Default)]
pub(super) struct Typed {
    pub(super) milestones: Option<MilestoneForm>,
    pub(super) milestone_errors: FormErrors,
    pub(super) note: Option<NoteForm>,
    pub(super) note_errors: FormErrors,
    /// The route chosen, and why not.
    pub(super) route: Option<String>,
    pub(super) route_errors: FormErrors,
    /// The assignee chosen, and why not.
    pub(super) assignee: Option<String>,
    pub(super) assignee_errors: FormErrors,
    /// The task's id, its form and its problems.
    pub(super) task: Option<(String, TaskForm, FormErrors)>,
}

async fn case_page(page: Page, id: web::Path<String>) -> HttpResponse {
    let html = case_html(&page, &id, Typed::default()).await;
    page.respond(html)
}

pub(super) async fn case_html(page: &Page, id: &str, typed: Typed) -> Result<String, AppError> {
    let user = staff(page)?;
    let t = AgencyTexts::of(page.locale);
    let locale = page.locale;
    let registry = page.state().registry.get();
    let case = service::get(page.state(), &user, id.to_string()).await?;
    let timeline = service::timeline(page.state(), &user, id.to_string()).await?;
    let candidates = candidate_names(page, vec![case.candidate_id.clone()]).await?;
    let mut ids: Vec<String> = case.assignee_id.iter().cloned().collect();
    ids.extend(case.notes.iter().map(|n| n.author_id.clone()));
    ids.extend(timeline.iter().filter_map(|e| e.actor_id.clone()));
    ids.extend(timeline.iter().filter_map(|e| assignee_in(e.after.as_ref())));
    let names = people(page, ids).await?;
    let name_of = |id: &str| {
        names
            .get(id)
            .cloned()
            .unwrap_or_else(|| t.unknown_person.to_string())
    };

    let moves = CaseStatus::ALL
        .into_iter()
        .filter(|to| case.status.may_move(*to))
        .map(|s| (s.as_str(), page.t.case_status(&s)))
        .collect();
    let Typed {
        milestones: typed_milestones,
        milestone_errors,
        note,
        note_errors,
        task: mut typed_task,
        assignee: typed_assignee,
        assignee_errors,
        route: typed_route,
        route_errors,
    } = typed;
    let destination = Direction::parse(&case.direction)
        .map(|d| d.to)
        .unwrap_or_default();
    let routes = registry
        .bases
        .iter()
        .filter(|b| b.jurisdiction == destination && registry.routes.contains_key(&b.code))
        .map(|b| (b.code.clone(), basis_name(&registry, locale, &b.code)))
        .collect();
    let mut assignable = colleagues(page, &user).await?;
    // One no longer staff stays shown as the assignee until someone else is chosen.
    if let Some(id) = &case.assignee_id
        && !assignable.iter().any(|(staff_id, _)| staff_id == id)
    {
        assignable.push((id.clone(), name_of(id)));
    }
    let assignee_choice = typed_assignee
        .filter(|typed| assignable.iter().any(|(id, _)| id == typed))
        .or_else(|| case.assignee_id.clone())
        .unwrap_or_else(|| "none".to_string());
    let tasks = case
        .tasks
        .iter()
        .map(|task| {
            let (due, errors) = match typed_task.take_if(|(task_id, _, _)| *task_id == task.id) {
                Some((_, form, errors)) => (form.due_on, errors),
                None => (
                    task.due_on.map(|d| d.to_string()).unwrap_or_default(),
                    FormErrors::default(),
                ),
            };
            TaskLine {
                id: task.id.clone(),
                title: task.title.get(locale).to_string(),
                category: t.category(&task.category).to_string(),
                status: task.status,
                due,
                stored_due: task.due_on.map(|d| d.to_string()).unwrap_or_default(),
                overdue: task.overdue,
                authority: task.authority.as_ref().map(|a| a.get(locale).to_string()),
                reason: task.reason.as_ref().map(|r| r.get(locale).to_string()),
                errors,
            }
        })
        .collect();
    let stored = &case.milestones;
    let stored = [
        stored.offer_accepted,
        stored.visa_approved,
        stored.arrival,
        stored.employment_start,
    ];
    let milestones = MILESTONES
        .iter()
        .zip(stored)
        .map(|(name, day)| MilestoneField {
            name,
            label: t.milestone(name),
            value: match &typed_milestones {
                Some(form) => form.value(name).to_string(),
                None => day.map(|d| d.to_string()).unwrap_or_default(),
            },
            error: milestone_errors.of(name).map(str::to_string),
        })
        .collect();
    let notes = case
        .notes
        .iter()
        .rev()
        .map(|n| NoteLine {
            author: name_of(&n.author_id),
            at: local_time(n.created_at),
            body: n.body.clone(),
            visible: n.visible_to_candidate,
        })
        .collect();
    let timeline = timeline
        .iter()
        .map(|entry| TimelineLine {
            at: local_time(entry.at),
            actor: entry
                .actor_id
                .as_deref()
                .map(&name_of)
                .unwrap_or_else(|| t.system.to_string()),
            action: t.action(&entry.action),
            detail: detail((t, page.t), (&registry, locale), entry, &name_of),
        })
        .collect();
    let (note_body, note_visible) = note
        .map(|n| (n.body, n.visible_to_candidate.is_some()))
        .unwrap_or_default();
    let template = CasePage {
        page,
        t,
        candidate: candidate_label(t, &candidates, &case.candidate_id),
        direction: direction_name(&registry, locale, &case.direction),
        route: case
            .route
            .as_deref()
            .map(|code| basis_name(&registry, locale, code)),
        routes,
        route_choice: typed_route.or_else(|| case.route.clone()).unwrap_or_default(),
        route_error: route_errors.of("route").map(str::to_string),
        assignee: case.assignee_id.as_deref().map(&name_of),
        assigned_to_me: case.assignee_id.as_deref() == Some(user.id.as_str()),
        staff: assignable,
        assignee_choice,
        assignee_error: assignee_errors.of("to").map(str::to_string),
        opened: local_time(case.created_at),
        moves,
        task_statuses: TaskStatus::ALL
            .into_iter()
            .map(|s| (s.as_str(), page.t.task_status(&s)))
            .collect(),
        tasks,
        milestones,
        notes,
        note_body,
        note_visible,
        note_errors,
        timeline,
        case,
    };
    render(&template)
}

/// The new assignee an entry of the timeline names.
fn assignee_in(after: Option<&Value>) -> Option<String> {
    after?.get("assignee_id")?.as_str().map(str::to_string)
}

fn text_in(value: Option<&Value>, key: &str) -> Option<String> {
    value?.get(key)?.as_str().map(str::to_string)
}

/// What a timeline entry changed, in a few words.
fn detail(
    (t, names): (&AgencyTexts, &Common),
    (registry, locale): (&Registry, Locale),
    entry: &TimelineEntry,
    name_of: &dyn Fn(&str) -> String,
) -> String {
    let (before, after) = (entry.before.as_ref(), entry.after.as_ref());
    match entry.action.as_str() {
        "case.opened" => text_in(after, "direction")
            .map(|d| direction_name(registry, locale, &d))
            .unwrap_or_default(),
        "case.status_changed" => {
            let was = text_in(before, "status").unwrap_or_default();
            let is = text_in(after, "status").unwrap_or_default();
            format!(
                "{} → {}",
                names.recorded_case_status(&was),
                names.recorded_case_status(&is)
            )
        }
        "case.assigned" => match assignee_in(after) {
            Some(id) => name_of(&id),
            None => t.nobody.to_string(),
        },
        "case.task_changed" => {
            let title = after
                .and_then(|a| a.get("title"))
                .and_then(|v| serde_json::from_value::<LocalizedText>(v.clone()).ok())
                .map(|title| title.get(locale).to_string())
                .unwrap_or_default();
            let status = text_in(after, "status").unwrap_or_default();
            let status = TaskStatus::parse(&status).map_or(status.as_str(), |s| names.task_status(&s));
            let mut text = format!("{title}: {status}");
            if let Some(due) = text_in(after, "due_on") {
                text.push_str(&format!(" · {} {due}", t.due_on));
            }
            text
        }
        "case.note_added" | "case.internal_note_added" => {
            let body = text_in(after, "body").unwrap_or_default();
            let mut short: String = body.chars().take(120).collect();
            if body.chars().count() > 120 {
                short.push('…');
            }
            short
        }
        "case.milestones_changed" => MILESTONES
            .iter()
            .filter(|name| before.and_then(|b| b.get(**name)) != after.and_then(|a| a.get(**name)))
            .map(|name| {
                let day = text_in(after, name).unwrap_or_else(|| "—".to_string());
                format!("{}: {day}", t.milestone(name))
            })
            .collect::<Vec<_>>()
            .join("; "),
        "case.route_changed" => text_in(after, "route")
            .map(|r| basis_name(registry, locale, &r))
            .unwrap_or_default(),
        _ => String::new(),
    }
}
