//! Case rows as stored.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{case_notes, case_tasks, case_templates, cases};
use crate::i18n::LocalizedText;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = case_templates)]
pub struct TemplateItemRow {
    pub direction: String,
    pub code: String,
    pub title_en: String,
    pub title_zh_hans: String,
    pub title_zh_hant: String,
    pub category: String,
    pub due_in_days: i32,
    pub position: i32,
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
