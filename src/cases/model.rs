//! Case rows as stored.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{case_notes, case_tasks, case_templates, cases};
use crate::i18n::LocalizedText;
use crate::registry::route::{Anchor, ChecklistItem};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = case_templates)]
pub struct TemplateItemRow {
    pub direction: String,
    pub code: String,
    pub title_en: String,
    pub title_zh_hans: String,
    pub title_zh_hant: String,
    pub category: String,
    /// The due rule's days.
    pub due_in_days: i32,
    pub position: i32,
    pub due_anchor: String,
    /// The whole item as JSON (`registry::route::ChecklistItem`); `{}` for items stored before
    /// checklists carried details.
    pub details: String,
}

impl TemplateItemRow {
    pub fn title(&self) -> LocalizedText {
        LocalizedText::new(&self.title_en, &self.title_zh_hans, &self.title_zh_hant)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = cases)]
pub struct CaseRow {
    pub id: String,
    pub candidate_id: String,
    pub direction: String,
    pub job_id: Option<String>,
    pub application_id: Option<String>,
    pub summary: String,
    pub status: String,
    pub assignee_id: Option<String>,
    pub requested_by_candidate: bool,
    pub opened_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    /// The work-authorisation basis the case takes (its steps are in the checklist).
    pub route: Option<String>,
    pub offer_accepted_on: Option<NaiveDate>,
    pub visa_approved_on: Option<NaiveDate>,
    pub arrival_on: Option<NaiveDate>,
    pub employment_start_on: Option<NaiveDate>,
}

impl CaseRow {
    /// The date an anchor stands for, when it is known.
    pub fn anchor_date(&self, anchor: Anchor) -> Option<NaiveDate> {
        match anchor {
            Anchor::Opened => Some(super::local_day(self.created_at)),
            Anchor::OfferAccepted => self.offer_accepted_on,
            Anchor::VisaApproved => self.visa_approved_on,
            Anchor::Arrival => self.arrival_on,
            Anchor::EmploymentStart => self.employment_start_on,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = case_tasks, treat_none_as_null = true)]
pub struct TaskRow {
    pub id: String,
    pub case_id: String,
    pub code: String,
    pub title_en: String,
    pub title_zh_hans: String,
    pub title_zh_hant: String,
    pub category: String,
    pub status: String,
    pub due_on: Option<NaiveDate>,
    pub note: Option<String>,
    pub position: i32,
    pub updated_at: NaiveDateTime,
    pub due_anchor: String,
    pub due_days: i32,
    /// [`TaskDetails`] as JSON.
    pub details: String,
    /// The basis whose route added this item; `None` for the direction's common items.
    pub route: Option<String>,
}

/// What a task carries beyond its columns: the item it was made from and, when its condition
/// failed or could not be judged, the reason.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct TaskDetails {
    #[serde(default)]
    pub item: Option<ChecklistItem>,
    #[serde(default)]
    pub reason: Option<LocalizedText>,
}

impl TaskRow {
    pub fn details(&self) -> TaskDetails {
        serde_json::from_str(&self.details).unwrap_or_default()
    }

    /// The due date the rule gives once the anchor's date is known.
    pub fn due_from(&self, case: &CaseRow) -> Option<NaiveDate> {
        let anchor = Anchor::parse(&self.due_anchor)?;
        Some(case.anchor_date(anchor)? + chrono::Duration::days(i64::from(self.due_days)))
    }
}

impl TaskRow {
    pub fn title(&self) -> LocalizedText {
        LocalizedText::new(&self.title_en, &self.title_zh_hans, &self.title_zh_hant)
    }

    /// Still to do and past its date on `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        super::status::TaskStatus::PENDING.contains(&self.status.as_str())
            && self.due_on.is_some_and(|due| due < today)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = case_notes)]
pub struct NoteRow {
    pub id: String,
    pub case_id: String,
    pub author_id: String,
    pub body: String,
    pub visible_to_candidate: bool,
    pub created_at: NaiveDateTime,
}
