//! Case queries. Every function takes the connection, so they compose inside one transaction.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::model::{CaseRow, NoteRow, TaskRow, TemplateItemRow};
use super::status::{CaseStatus, TaskStatus};
use crate::audit::AuditEntry;
use crate::db::schema::{audit_log, case_notes, case_reminders, case_tasks, case_templates, cases, users};
use crate::db::{DbConnection, MultiBackend};
use crate::paging::Page;

// ---- templates ----

pub fn template_of(conn: &mut DbConnection, direction: &str) -> QueryResult<Vec<TemplateItemRow>> {
    case_templates::table
        .filter(case_templates::direction.eq(direction))
        .order(case_templates::position)
        .select(TemplateItemRow::as_select())
        .load(conn)
}

pub fn template_exists(conn: &mut DbConnection, direction: &str) -> QueryResult<bool> {
    let count: i64 = case_templates::table
        .filter(case_templates::direction.eq(direction))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// Replaces a direction's whole checklist.
pub fn replace_template(
    conn: &mut DbConnection,
    direction: &str,
    items: &[TemplateItemRow],
) -> QueryResult<()> {
    diesel::delete(case_templates::table.filter(case_templates::direction.eq(direction))).execute(conn)?;
    for item in items {
        diesel::insert_into(case_templates::table)
            .values(item)
            .execute(conn)?;
    }
    Ok(())
}

// ---- cases ----

pub fn insert_case(conn: &mut DbConnection, row: &CaseRow) -> QueryResult<()> {
    diesel::insert_into(cases::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn find_case(conn: &mut DbConnection, id: &str) -> QueryResult<Option<CaseRow>> {
    cases::table
        .find(id)
        .select(CaseRow::as_select())
        .first(conn)
        .optional()
}

/// Writes the fields a PATCH may change, only if the status is still `expected`: two officers
/// moving the same case at once cannot both win.
pub fn update_case(conn: &mut DbConnection, row: &CaseRow, expected: &str) -> QueryResult<bool> {
    diesel::update(cases::table.find(&row.id).filter(cases::status.eq(expected)))
        .set((
            cases::status.eq(&row.status),
            cases::assignee_id.eq(&row.assignee_id),
            cases::updated_at.eq(row.updated_at),
            cases::resolved_at.eq(row.resolved_at),
            cases::closed_at.eq(row.closed_at),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// Writes the case's route and milestones.
pub fn update_plan(conn: &mut DbConnection, row: &CaseRow) -> QueryResult<()> {
    diesel::update(cases::table.find(&row.id))
        .set((
            cases::route.eq(&row.route),
            cases::offer_accepted_on.eq(row.offer_accepted_on),
            cases::visa_approved_on.eq(row.visa_approved_on),
            cases::arrival_on.eq(row.arrival_on),
            cases::employment_start_on.eq(row.employment_start_on),
            cases::updated_at.eq(row.updated_at),
        ))
        .execute(conn)
        .map(drop)
}

pub fn touch_case(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(cases::table.find(id))
        .set(cases::updated_at.eq(at))
        .execute(conn)
        .map(drop)
}

/// Who may be listed: everyone, no one yet, or one officer.
#[derive(Debug, Clone)]
pub enum Assignee {
    Any,
    Unassigned,
    User(String),
}

#[derive(Debug, Clone)]
pub struct CaseFilter {
    pub candidate_id: Option<String>,
    pub status: Option<CaseStatus>,
    pub assignee: Assignee,
    /// Only these cases (the overdue ones), when set.
    pub only: Option<Vec<String>>,
}

fn filtered(filter: &CaseFilter) -> cases::BoxedQuery<'static, MultiBackend> {
    let mut query = cases::table.into_boxed();
    if let Some(candidate_id) = &filter.candidate_id {
        query = query.filter(cases::candidate_id.eq(candidate_id.clone()));
    }
    if let Some(status) = filter.status {
        query = query.filter(cases::status.eq(status.as_str()));
    }
    match &filter.assignee {
        Assignee::Any => {}
        Assignee::Unassigned => query = query.filter(cases::assignee_id.is_null()),
        Assignee::User(id) => query = query.filter(cases::assignee_id.eq(id.clone())),
    }
    if let Some(ids) = &filter.only {
        query = query.filter(cases::id.eq_any(ids.clone()));
    }
    query
}

/// Newest first.
pub fn list(conn: &mut DbConnection, filter: &CaseFilter, page: Page) -> QueryResult<(Vec<CaseRow>, i64)> {
    let total = filtered(filter).count().get_result(conn)?;
    let rows = filtered(filter)
        .order((cases::created_at.desc(), cases::id))
        .limit(page.limit)
        .offset(page.offset)
        .select(CaseRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

pub fn of_candidate(conn: &mut DbConnection, candidate_id: &str) -> QueryResult<Vec<CaseRow>> {
    cases::table
        .filter(cases::candidate_id.eq(candidate_id))
        .order((cases::created_at, cases::id))
        .select(CaseRow::as_select())
        .load(conn)
}

/// Whether the candidate has an unfinished case in this direction.
pub fn active_case_exists(conn: &mut DbConnection, candidate_id: &str, direction: &str) -> QueryResult<bool> {
    let count: i64 = cases::table
        .filter(cases::candidate_id.eq(candidate_id))
        .filter(cases::direction.eq(direction))
        .filter(cases::status.ne_all(CaseStatus::SETTLED))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

// ---- tasks ----

pub fn insert_task(conn: &mut DbConnection, row: &TaskRow) -> QueryResult<()> {
    diesel::insert_into(case_tasks::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Removes the steps a previous route added.
pub fn delete_route_tasks(conn: &mut DbConnection, case_id: &str) -> QueryResult<()> {
    let steps = case_tasks::table
        .filter(case_tasks::case_id.eq(case_id))
        .filter(case_tasks::route.is_not_null())
        .select(case_tasks::id);
    diesel::delete(case_reminders::table.filter(case_reminders::task_id.eq_any(steps))).execute(conn)?;
    diesel::delete(
        case_tasks::table
            .filter(case_tasks::case_id.eq(case_id))
            .filter(case_tasks::route.is_not_null()),
    )
    .execute(conn)
    .map(drop)
}

pub fn tasks_of(conn: &mut DbConnection, case_ids: &[String]) -> QueryResult<Vec<TaskRow>> {
    case_tasks::table
        .filter(case_tasks::case_id.eq_any(case_ids))
        .order((case_tasks::case_id, case_tasks::position, case_tasks::id))
        .select(TaskRow::as_select())
        .load(conn)
}

pub fn find_task(conn: &mut DbConnection, case_id: &str, task_id: &str) -> QueryResult<Option<TaskRow>> {
    case_tasks::table
        .find(task_id)
        .filter(case_tasks::case_id.eq(case_id))
        .select(TaskRow::as_select())
        .first(conn)
        .optional()
}

pub fn update_task(conn: &mut DbConnection, row: &TaskRow) -> QueryResult<()> {
    diesel::update(case_tasks::table.find(&row.id))
        .set(row)
        .execute(conn)
        .map(drop)
}

/// The cases still being worked on that have a pending task past its date on `today`.
pub fn overdue_case_ids(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<Vec<String>> {
    case_tasks::table
        .inner_join(cases::table)
        .filter(case_tasks::status.eq_any(TaskStatus::PENDING))
        .filter(case_tasks::due_on.lt(today))
        .filter(cases::status.ne_all(CaseStatus::SETTLED))
        .select(case_tasks::case_id)
        .distinct()
        .load(conn)
}

pub fn overdue_task_count(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<i64> {
    case_tasks::table
        .inner_join(cases::table)
        .filter(case_tasks::status.eq_any(TaskStatus::PENDING))
        .filter(case_tasks::due_on.lt(today))
        .filter(cases::status.ne_all(CaseStatus::SETTLED))
        .count()
        .get_result(conn)
}

// ---- notes ----

pub fn insert_note(conn: &mut DbConnection, row: &NoteRow) -> QueryResult<()> {
    diesel::insert_into(case_notes::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Oldest first; `visible_only` keeps the notes marked for the candidate.
pub fn notes_of(
    conn: &mut DbConnection,
    case_ids: &[String],
    visible_only: bool,
) -> QueryResult<Vec<NoteRow>> {
    let mut query = case_notes::table
        .filter(case_notes::case_id.eq_any(case_ids))
        .into_boxed();
    if visible_only {
        query = query.filter(case_notes::visible_to_candidate.eq(true));
    }
    query
        .order((case_notes::created_at, case_notes::id))
        .select(NoteRow::as_select())
        .load(conn)
}

// ---- people ----

/// The role of an account that can still sign in.
pub fn active_role(conn: &mut DbConnection, user_id: &str) -> QueryResult<Option<String>> {
    users::table
        .find(user_id)
        .filter(users::disabled_at.is_null())
        .select(users::role)
        .first(conn)
        .optional()
}

/// Email and locale of an account that can still sign in.
pub fn contact(conn: &mut DbConnection, user_id: &str) -> QueryResult<Option<(String, String)>> {
    users::table
        .find(user_id)
        .filter(users::disabled_at.is_null())
        .select((users::email, users::locale))
        .first(conn)
        .optional()
}

// ---- timeline ----

/// Every audit entry about the case, oldest first.
pub fn timeline(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<AuditEntry>> {
    audit_log::table
        .filter(audit_log::target_type.eq("case"))
        .filter(audit_log::target_id.eq(case_id))
        .order((audit_log::at, audit_log::id))
        .select(AuditEntry::as_select())
        .load(conn)
}

// ---- reminders ----

/// Pending tasks past their date in active, assigned cases: (assignee, task).
pub fn overdue_for_assignees(
    conn: &mut DbConnection,
    today: NaiveDate,
) -> QueryResult<Vec<(String, TaskRow)>> {
    case_tasks::table
        .inner_join(cases::table)
        .filter(case_tasks::status.eq_any(TaskStatus::PENDING))
        .filter(case_tasks::due_on.lt(today))
        .filter(cases::status.ne_all(CaseStatus::SETTLED))
        .filter(cases::assignee_id.is_not_null())
        .order((cases::assignee_id, case_tasks::due_on, case_tasks::id))
        .select((cases::assignee_id.assume_not_null(), TaskRow::as_select()))
        .load(conn)
}

/// Pending tasks of cases waiting on their candidate: (candidate id, task).
pub fn waiting_on_candidates(conn: &mut DbConnection) -> QueryResult<Vec<(String, TaskRow)>> {
    case_tasks::table
        .inner_join(cases::table)
        .filter(case_tasks::status.eq_any(TaskStatus::PENDING))
        .filter(cases::status.eq(CaseStatus::WaitingOnCandidate.as_str()))
        .order((cases::candidate_id, case_tasks::position, case_tasks::id))
        .select((cases::candidate_id, TaskRow::as_select()))
        .load(conn)
}

pub fn reminded(
    conn: &mut DbConnection,
    task_id: &str,
    recipient_id: &str,
    day: NaiveDate,
) -> QueryResult<bool> {
    let count: i64 = case_reminders::table
        .filter(case_reminders::task_id.eq(task_id))
        .filter(case_reminders::recipient_id.eq(recipient_id))
        .filter(case_reminders::day.eq(day))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// Marks a reminder as sent. The primary key refuses a second mark for the same day, so a
/// racing node's transaction (with its email) rolls back instead of sending twice.
pub fn mark_reminded(
    conn: &mut DbConnection,
    task_id: &str,
    recipient_id: &str,
    day: NaiveDate,
) -> QueryResult<()> {
    diesel::insert_into(case_reminders::table)
        .values((
            case_reminders::task_id.eq(task_id),
            case_reminders::recipient_id.eq(recipient_id),
            case_reminders::day.eq(day),
        ))
        .execute(conn)
        .map(drop)
}

/// Erasure of a candidate: the free text of their cases goes (the case summaries, task notes and
/// every note, which may describe the person); the cases, their tasks and dates stay as the
/// agency's record of work done, pointing at the erased stub.
pub fn forget_personal_text(conn: &mut DbConnection, candidate_id: &str) -> QueryResult<()> {
    let case_ids = || {
        cases::table
            .filter(cases::candidate_id.eq(candidate_id))
            .select(cases::id)
    };
    diesel::update(case_notes::table.filter(case_notes::case_id.eq_any(case_ids())))
        .set(case_notes::body.eq(""))
        .execute(conn)?;
    diesel::update(case_tasks::table.filter(case_tasks::case_id.eq_any(case_ids())))
        .set(case_tasks::note.eq(None::<String>))
        .execute(conn)?;
    diesel::update(cases::table.filter(cases::candidate_id.eq(candidate_id)))
        .set(cases::summary.eq(""))
        .execute(conn)
        .map(drop)
}
