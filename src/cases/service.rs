//! The case rules: who sees which case and which of its notes, how a case, its tasks and notes
//! change, and the record of every change (opening a case is in `opening`).

use chrono::NaiveDate;
use diesel::QueryResult;
use serde_json::json;

use super::access::{Reader, check_assignee, reader, view, views, visible_case};
use super::journal::{now, record};
use super::model::NoteRow;
use super::planning::{Planning, parse_milestones};
use super::status::CaseStatus;
use super::store::{self, Assignee, CaseFilter};
use super::today;
use super::views::{AddNote, CaseView, ChangeCase, ChangeTask, NoteView, TaskView, TimelineEntry};
use crate::auth::{AuthUser, Role};
use crate::context::AreaContext;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::paging::Page;

pub const MAX_NOTE_CHARS: usize = 10_000;
pub const MAX_TASK_NOTE_CHARS: usize = 2_000;

/// `GET /cases`: the agency's whole list, a candidate's own cases, filtered.
pub struct ListRequest {
    pub status: Option<CaseStatus>,
    pub assignee: Option<String>,
    pub overdue: bool,
    pub page: Page,
}

pub async fn list(
    ctx: &AreaContext,
    user: &AuthUser,
    request: ListRequest,
) -> Result<(Vec<CaseView>, i64), AppError> {
    user.require(&[Role::Candidate, Role::AgencyOfficer, Role::Admin])?;
    let caller = user.clone();
    ctx.db
        .read(move |conn| {
            let reader = reader(conn, &caller)?;
            let candidate_id = match &reader {
                Reader::Agency => None,
                Reader::Candidate(Some(id)) => Some(id.clone()),
                Reader::Candidate(None) => return Ok((Vec::new(), 0)),
            };
            let assignee = match request.assignee.as_deref() {
                None => Assignee::Any,
                Some("none") => Assignee::Unassigned,
                Some("me") => Assignee::User(caller.id.clone()),
                Some(id) => Assignee::User(id.to_owned()),
            };
            let only = if request.overdue {
                Some(store::overdue_case_ids(conn, today())?)
            } else {
                None
            };
            let filter = CaseFilter {
                candidate_id,
                status: request.status,
                assignee,
                only,
            };
            let (rows, total) = store::list(conn, &filter, request.page)?;
            Ok((views(conn, &reader, &rows)?, total))
        })
        .await
}

pub async fn get(ctx: &AreaContext, user: &AuthUser, id: String) -> Result<CaseView, AppError> {
    let caller = user.clone();
    ctx.db
        .read(move |conn| {
            let reader = reader(conn, &caller)?;
            let case = visible_case(conn, &reader, &id)?;
            Ok(view(conn, &reader, &case)?)
        })
        .await
}

/// Moves a case along its status machine, (re)assigns it, changes its route or its milestones.
/// Agency only; one transaction: a bad part writes nothing.
pub async fn change(
    ctx: &AreaContext,
    user: &AuthUser,
    id: String,
    body: ChangeCase,
) -> Result<CaseView, AppError> {
    user.require_agency()?;
    let actor = user.clone();
    let registry = ctx.registry.get();
    let rates = ctx.rates.clone();
    let milestones = body.milestones.as_ref().map(parse_milestones).transpose()?;
    ctx.db
        .write(move |conn| {
            let before = store::find_case(conn, &id)?.ok_or(AppError::NotFound)?;
            let from = CaseStatus::parse(&before.status)
                .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("case {id} has an unknown status")))?;
            let mut after = before.clone();
            let at = now();
            if let Some(to) = body.status.filter(|to| *to != from) {
                if !from.may_move(to) {
                    return Err(AppError::Conflict(format!(
                        "a case that is {} cannot become {}",
                        from.as_str(),
                        to.as_str()
                    )));
                }
                after.status = to.as_str().to_owned();
                match to {
                    CaseStatus::Resolved => after.resolved_at = Some(at),
                    CaseStatus::Closed => after.closed_at = Some(at),
                    // Reopened: it is not resolved any more.
                    CaseStatus::InProgress if from == CaseStatus::Resolved => after.resolved_at = None,
                    _ => {}
                }
            }
            if let Some(assignee) = &body.assignee_id {
                if let Some(user_id) = assignee {
                    check_assignee(conn, user_id)?;
                }
                after.assignee_id = assignee.clone();
            }
            let status_changed = after.status != before.status;
            let assignee_changed = after.assignee_id != before.assignee_id;
            if status_changed || assignee_changed {
                after.updated_at = at;
                if !store::update_case(conn, &after, &before.status)? {
                    return Err(AppError::Conflict("the case changed meanwhile; reload it".into()));
                }
            }
            if status_changed {
                let (b, a) = (json!({"status": before.status}), json!({"status": after.status}));
                record(conn, &actor, "case.status_changed", &id, Some(&b), Some(&a))?;
            }
            if assignee_changed {
                let (b, a) = (
                    json!({"assignee_id": before.assignee_id}),
                    json!({"assignee_id": after.assignee_id}),
                );
                record(conn, &actor, "case.assigned", &id, Some(&b), Some(&a))?;
            }
            if body.route.is_some() || milestones.is_some() {
                let planning = Planning {
                    registry: &registry,
                    rates: &rates,
                    actor: &actor,
                    at,
                };
                planning.change(conn, &id, body.route.as_deref(), milestones.as_ref())?;
            }
            // Read back, so the answer shows what is stored (to the database's precision).
            let stored = store::find_case(conn, &id)?.ok_or(AppError::NotFound)?;
            Ok(view(conn, &Reader::Agency, &stored)?)
        })
        .await
}

fn check_due_on(due_on: NaiveDate) -> Result<(), AppError> {
    let year = chrono::Datelike::year(&due_on);
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "due_on",
            "must be a date between 2000 and 2100",
        ))
    }
}

/// Changes a task's status, due date or note. Agency only; a closed case's tasks are final.
pub async fn change_task(
    ctx: &AreaContext,
    user: &AuthUser,
    case_id: String,
    task_id: String,
    body: ChangeTask,
) -> Result<TaskView, AppError> {
    user.require_agency()?;
    if let Some(Some(due_on)) = body.due_on {
        check_due_on(due_on)?;
    }
    // Counted before trimming, as the OpenAPI document's maxLength counts.
    if body
        .note
        .as_ref()
        .and_then(Option::as_ref)
        .is_some_and(|n| n.chars().count() > MAX_TASK_NOTE_CHARS)
    {
        return Err(AppError::invalid(
            "note",
            format!("must be at most {MAX_TASK_NOTE_CHARS} characters"),
        ));
    }
    let note = body
        .note
        .clone()
        .map(|n| n.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()));
    let actor = user.clone();
    ctx.db
        .write(move |conn| {
            let case = store::find_case(conn, &case_id)?.ok_or(AppError::NotFound)?;
            let before = store::find_task(conn, &case_id, &task_id)?.ok_or(AppError::NotFound)?;
            if case.status == CaseStatus::Closed.as_str() {
                return Err(AppError::Conflict(
                    "the case is closed: its tasks are final".into(),
                ));
            }
            let mut after = before.clone();
            if let Some(status) = body.status {
                after.status = status.as_str().to_owned();
            }
            if let Some(due_on) = body.due_on {
                after.due_on = due_on;
            }
            if let Some(note) = note {
                after.note = note;
            }
            let today = today();
            let (was, is) = (TaskView::of(&before, today), TaskView::of(&after, today));
            if after.status != before.status || after.due_on != before.due_on || after.note != before.note {
                let at = now();
                after.updated_at = at;
                store::update_task(conn, &after)?;
                store::touch_case(conn, &case_id, at)?;
                record(conn, &actor, "case.task_changed", &case_id, Some(&was), Some(&is))?;
            }
            let stored = store::find_task(conn, &case_id, &task_id)?.ok_or(AppError::NotFound)?;
            Ok(TaskView::of(&stored, today))
        })
        .await
}

/// Adds a note to a case: internal unless marked visible to the candidate. Agency only.
pub async fn add_note(
    ctx: &AreaContext,
    user: &AuthUser,
    case_id: String,
    body: AddNote,
) -> Result<NoteView, AppError> {
    user.require_agency()?;
    let text = body.body.trim().to_owned();
    // Counted before trimming, as the OpenAPI document's maxLength counts.
    if text.is_empty() || body.body.chars().count() > MAX_NOTE_CHARS {
        return Err(AppError::invalid(
            "body",
            format!("1–{MAX_NOTE_CHARS} characters"),
        ));
    }
    let actor = user.clone();
    ctx.db
        .write(move |conn| {
            let case = store::find_case(conn, &case_id)?.ok_or(AppError::NotFound)?;
            let at = now();
            let note = NoteRow {
                id: uuid::Uuid::new_v4().to_string(),
                case_id: case.id.clone(),
                author_id: actor.id.clone(),
                body: text,
                visible_to_candidate: body.visible_to_candidate,
                created_at: at,
            };
            store::insert_note(conn, &note)?;
            store::touch_case(conn, &case.id, at)?;
            // The candidate's timeline leaves internal notes out; a distinct action makes that
            // filter a matter of names, not of parsing what was recorded.
            let action = if note.visible_to_candidate {
                "case.note_added"
            } else {
                "case.internal_note_added"
            };
            let after = NoteView::from(&note);
            record(conn, &actor, action, &case.id, None::<&()>, Some(&after))?;
            Ok(after)
        })
        .await
}

/// Every change of the case, oldest first, from the audit log. The candidate's timeline leaves
/// out the internal notes.
pub async fn timeline(
    ctx: &AreaContext,
    user: &AuthUser,
    case_id: String,
) -> Result<Vec<TimelineEntry>, AppError> {
    let caller = user.clone();
    ctx.db
        .read(move |conn| {
            let reader = reader(conn, &caller)?;
            let case = visible_case(conn, &reader, &case_id)?;
            let entries = store::timeline(conn, &case.id)?;
            let candidate = matches!(reader, Reader::Candidate(_));
            Ok(entries
                .into_iter()
                .filter(|e| !(candidate && e.action == "case.internal_note_added"))
                .map(|e| TimelineEntry {
                    at: e.at.and_utc(),
                    actor_id: e.actor_id,
                    action: e.action,
                    before: e.before.and_then(|b| serde_json::from_str(&b).ok()),
                    after: e.after.and_then(|a| serde_json::from_str(&a).ok()),
                })
                .collect())
        })
        .await
}

/// A candidate's cases as the candidate sees them (tasks, visible notes), for their data export.
pub fn export_for_candidate(
    conn: &mut DbConnection,
    candidate_id: &str,
) -> QueryResult<Vec<serde_json::Value>> {
    let rows = store::of_candidate(conn, candidate_id)?;
    let seen = views(conn, &Reader::Candidate(Some(candidate_id.to_owned())), &rows)?;
    Ok(seen
        .into_iter()
        .map(|v| serde_json::to_value(v).unwrap_or_default())
        .collect())
}
