//! What the case endpoints take and answer.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::{CaseRow, NoteRow, TaskRow};
use super::status::{CaseStatus, TaskStatus};
use crate::i18n::LocalizedText;
use crate::money::Money;
use crate::patch::nullable;
use crate::registry::route::{Anchor, Channel, DayRange, DueRule, Party};

/// `POST /cases`. The agency names the candidate; a candidate asks for themself with only
/// `direction` and `summary`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenCase {
    pub candidate_id: Option<String>,
    /// `<FROM>_TO_<TO>`, e.g. `CN_TO_HK`. May be left out when `application_id` names an
    /// application at `offer`: it is then the candidate's residence to the employer's jurisdiction.
    #[schema(pattern = "^[A-Z]{2}_TO_[A-Z]{2}$")]
    pub direction: Option<String>,
    pub job_id: Option<String>,
    pub application_id: Option<String>,
    #[schema(max_length = 2000)]
    pub summary: Option<String>,
    pub assignee_id: Option<String>,
}

/// `PATCH /cases/{id}`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeCase {
    pub status: Option<CaseStatus>,
    /// An agency officer or admin; `null` unassigns.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub assignee_id: Option<Option<String>>,
    /// A work-authorisation basis of the destination with a route: the case's permit steps are
    /// replaced by its steps.
    pub route: Option<String>,
    pub milestones: Option<MilestonesInput>,
}

/// `PATCH /cases/{id}/tasks/{task_id}`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeTask {
    pub status: Option<TaskStatus>,
    /// `null` removes the date.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub due_on: Option<Option<NaiveDate>>,
    /// `null` or `""` removes the note.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub note: Option<Option<String>>,
}

/// `POST /cases/{id}/notes`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddNote {
    /// Not only spaces.
    #[schema(min_length = 1, max_length = 10000)]
    pub body: String,
    /// Internal (false) unless marked.
    #[serde(default)]
    pub visible_to_candidate: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CaseQuery {
    pub status: Option<CaseStatus>,
    /// A user id, `me`, or `none` for unassigned cases.
    pub assignee: Option<String>,
    /// `true`: only cases with a pending task past its due date.
    pub overdue: Option<bool>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskView {
    pub id: String,
    pub code: String,
    pub title: LocalizedText,
    #[schema(value_type = crate::registry::route::Category)]
    pub category: String,
    pub status: TaskStatus,
    /// Who acts: `candidate`, `employer` or `agency`.
    pub actor: Option<Party>,
    pub authority: Option<LocalizedText>,
    /// The office or online service, with its link.
    pub channel: Option<Channel>,
    /// What to bring.
    pub documents: Vec<LocalizedText>,
    pub fee: Option<Money>,
    pub processing_days: Option<DayRange>,
    /// The anchor the due date counts from and the days after it.
    pub due_rule: DueRule,
    /// `null` while the anchor's date is unknown (a milestone not yet set).
    pub due_on: Option<NaiveDate>,
    /// Why the item is not applicable, or what is left to verify.
    pub reason: Option<LocalizedText>,
    /// The basis whose route added the item; `null` for the direction's common items.
    pub route: Option<String>,
    pub source_url: Option<String>,
    pub checked_on: Option<NaiveDate>,
    pub verify_before_use: bool,
    pub note: Option<String>,
    /// Pending and past its due date.
    pub overdue: bool,
    pub updated_at: DateTime<Utc>,
}

impl TaskView {
    pub fn of(row: &TaskRow, today: NaiveDate) -> Self {
        let details = row.details();
        let item = details.item.as_ref();
        TaskView {
            id: row.id.clone(),
            code: row.code.clone(),
            title: row.title(),
            category: row.category.clone(),
            status: TaskStatus::stored(&row.status),
            actor: item.map(|i| i.actor),
            authority: item.map(|i| i.authority.clone()),
            channel: item.and_then(|i| i.channel.clone()),
            documents: item.map(|i| i.documents.clone()).unwrap_or_default(),
            fee: item.and_then(|i| i.fee.clone()),
            processing_days: item.and_then(|i| i.processing_days),
            due_rule: DueRule {
                anchor: Anchor::parse(&row.due_anchor).unwrap_or(Anchor::Opened),
                days: row.due_days,
            },
            due_on: row.due_on,
            reason: details.reason.clone(),
            route: row.route.clone(),
            source_url: item.map(|i| i.source_url.clone()),
            checked_on: item.map(|i| i.checked_on),
            verify_before_use: item.is_some_and(|i| i.verify_before_use),
            note: row.note.clone(),
            overdue: row.is_overdue(today),
            updated_at: row.updated_at.and_utc(),
        }
    }
}

/// The dates a case's due dates count from; `null` while unknown.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Milestones {
    pub offer_accepted: Option<NaiveDate>,
    pub visa_approved: Option<NaiveDate>,
    pub arrival: Option<NaiveDate>,
    pub employment_start: Option<NaiveDate>,
}

/// `milestones` in `PATCH /cases/{id}`: each a date `YYYY-MM-DD`, `null` to clear it, left out
/// to keep it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestonesInput {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, format = Date)]
    pub offer_accepted: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, format = Date)]
    pub visa_approved: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, format = Date)]
    pub arrival: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, format = Date)]
    pub employment_start: Option<Option<String>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoteView {
    pub id: String,
    pub author_id: String,
    pub body: String,
    pub visible_to_candidate: bool,
    pub created_at: DateTime<Utc>,
}

impl From<&NoteRow> for NoteView {
    fn from(row: &NoteRow) -> Self {
        NoteView {
            id: row.id.clone(),
            author_id: row.author_id.clone(),
            body: row.body.clone(),
            visible_to_candidate: row.visible_to_candidate,
            created_at: row.created_at.and_utc(),
        }
    }
}

/// A case with its checklist and the notes its reader may see.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseView {
    pub id: String,
    pub candidate_id: String,
    /// `<FROM>_TO_<TO>`, e.g. `CN_TO_HK`.
    #[schema(pattern = "^[A-Z]{2}_TO_[A-Z]{2}$")]
    pub direction: String,
    pub job_id: Option<String>,
    pub application_id: Option<String>,
    pub summary: String,
    pub status: CaseStatus,
    pub assignee_id: Option<String>,
    pub requested_by_candidate: bool,
    pub opened_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The work-authorisation basis the case takes; `null` when no route fits yet.
    pub route: Option<String>,
    pub milestones: Milestones,
    /// Whether a task of this unfinished case is past its due date.
    pub overdue: bool,
    pub tasks: Vec<TaskView>,
    /// Agency: every note; the candidate: only those marked visible to them.
    pub notes: Vec<NoteView>,
}

impl CaseView {
    pub fn of(row: &CaseRow, tasks: &[TaskRow], notes: &[NoteRow], today: NaiveDate) -> Self {
        let tasks: Vec<TaskView> = tasks
            .iter()
            .filter(|t| t.case_id == row.id)
            .map(|t| TaskView::of(t, today))
            .collect();
        let status = CaseStatus::stored(&row.status);
        CaseView {
            id: row.id.clone(),
            candidate_id: row.candidate_id.clone(),
            direction: row.direction.clone(),
            job_id: row.job_id.clone(),
            application_id: row.application_id.clone(),
            summary: row.summary.clone(),
            status,
            assignee_id: row.assignee_id.clone(),
            requested_by_candidate: row.requested_by_candidate,
            opened_by: row.opened_by.clone(),
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
            resolved_at: row.resolved_at.map(|at| at.and_utc()),
            closed_at: row.closed_at.map(|at| at.and_utc()),
            route: row.route.clone(),
            milestones: Milestones {
                offer_accepted: row.offer_accepted_on,
                visa_approved: row.visa_approved_on,
                arrival: row.arrival_on,
                employment_start: row.employment_start_on,
            },
            overdue: status.is_active() && tasks.iter().any(|t| t.overdue),
            tasks,
            notes: notes
                .iter()
                .filter(|n| n.case_id == row.id)
                .map(NoteView::from)
                .collect(),
        }
    }
}

/// One change in a case's life, from the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub actor_id: Option<String>,
    /// `case.opened`, `case.status_changed`, `case.assigned`, `case.task_changed`,
    /// `case.note_added`, `case.internal_note_added`.
    pub action: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}
