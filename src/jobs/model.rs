//! Job rows as stored. `status` is the stored lifecycle state (`draft`, `open`, `closed`); an open
//! job past its `expires_at` is reported as `expired` (see `service::effective_status`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{job_languages, job_skills, jobs};
use crate::registry::Registry;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = jobs, treat_none_as_null = true)]
pub struct JobRow {
    pub id: String,
    pub employer_id: String,
    pub title: String,
    pub description: String,
    pub location_id: String,
    /// `full_time`, `part_time`, `contract` or `internship`.
    pub employment_type: String,
    pub salary_min: i64,
    pub salary_max: i64,
    pub salary_currency: String,
    /// `hour`, `month` or `year`.
    pub salary_period: String,
    /// A specific qualification the job asks for…
    pub qualification_id: Option<String>,
    /// …or a minimum framework level (a `qualification_levels` id).
    pub qualification_min_level_id: Option<String>,
    pub sponsorship: bool,
    pub status: String,
    pub expires_at: Option<NaiveDateTime>,
    pub published_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = job_skills)]
pub struct JobSkillRow {
    pub job_id: String,
    pub skill_id: String,
    pub min_level: i32,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = job_languages)]
pub struct JobLanguageRow {
    pub job_id: String,
    pub code: String,
    pub level: i32,
}

/// A job with its lists, as loaded for a view.
#[derive(Debug, Clone)]
pub struct FullJob {
    pub job: JobRow,
    pub skills: Vec<JobSkillRow>,
    pub languages: Vec<JobLanguageRow>,
    pub employer_name: String,
    pub employer_jurisdiction: String,
    pub employer_verified: bool,
}

impl FullJob {
    /// Where the job is: its location's jurisdiction, or its employer's when the location is no
    /// longer in the registry.
    pub fn jurisdiction<'a>(&'a self, registry: &'a Registry) -> &'a str {
        registry
            .locations
            .iter()
            .find(|l| l.id == self.job.location_id)
            .map(|l| l.jurisdiction.as_str())
            .unwrap_or(self.employer_jurisdiction.as_str())
    }
}
