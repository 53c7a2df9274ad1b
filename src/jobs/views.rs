//! What the job endpoints answer. Times are RFC 3339 UTC.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::input::{EmploymentType, QualificationRequirement, SkillRequirement};
use super::model::FullJob;
use super::status::JobStatus;
use crate::employers::views::utc;
use crate::languages::LanguageLevel;
use crate::money::SalaryPeriod;
use crate::registry::Registry;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct JobEmployerView {
    pub id: String,
    pub name: String,
    #[schema(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: String,
    pub verified: bool,
}

/// Deserialize too: the jobs index stores each open job's view for the search page (the title
/// and description apart, in their own stored fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct JobView {
    pub id: String,
    pub employer_id: String,
    pub employer: JobEmployerView,
    pub title: String,
    pub description: String,
    pub location_id: String,
    /// The jurisdiction of the job's location.
    #[schema(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: Option<String>,
    #[schema(value_type = EmploymentType)]
    pub employment_type: String,
    pub salary_min: i64,
    pub salary_max: i64,
    #[schema(pattern = "^[A-Z]{3}$")]
    pub salary_currency: String,
    #[schema(value_type = SalaryPeriod)]
    pub salary_period: String,
    pub skills: Vec<SkillRequirement>,
    /// With `jurisdiction` filled in from the registry.
    pub qualification: Option<QualificationRequirement>,
    pub languages: Vec<LanguageLevel>,
    pub sponsorship: bool,
    /// `draft`, `open`, `closed`, or `expired` (open but past `expires_at`: no longer open).
    pub status: JobStatus,
    pub expires_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl JobView {
    pub fn new(full: FullJob, registry: &Registry, now: NaiveDateTime) -> Self {
        let FullJob {
            job,
            skills,
            languages,
            employer_name,
            employer_jurisdiction,
            employer_verified,
        } = full;
        let qualification = if let Some(id) = &job.qualification_id {
            Some(QualificationRequirement {
                qualification_id: Some(id.clone()),
                min_level: None,
                jurisdiction: registry.qualifications.get(id).map(|q| q.jurisdiction.clone()),
            })
        } else {
            job.qualification_min_level_id
                .as_ref()
                .map(|level| QualificationRequirement {
                    qualification_id: None,
                    min_level: Some(level.clone()),
                    jurisdiction: registry.levels.get(level).map(|l| l.jurisdiction.clone()),
                })
        };
        Self {
            status: JobStatus::at(&job, now),
            jurisdiction: registry
                .locations
                .iter()
                .find(|l| l.id == job.location_id)
                .map(|l| l.jurisdiction.clone()),
            employer: JobEmployerView {
                id: job.employer_id.clone(),
                name: employer_name,
                jurisdiction: employer_jurisdiction,
                verified: employer_verified,
            },
            skills: skills
                .into_iter()
                .map(|s| SkillRequirement {
                    skill_id: s.skill_id,
                    min_level: s.min_level,
                    required: s.required,
                })
                .collect(),
            languages: languages
                .into_iter()
                .map(|l| LanguageLevel {
                    code: l.code,
                    level: l.level,
                })
                .collect(),
            qualification,
            expires_at: job.expires_at.map(utc),
            published_at: job.published_at.map(utc),
            closed_at: job.closed_at.map(utc),
            created_at: utc(job.created_at),
            updated_at: utc(job.updated_at),
            id: job.id,
            employer_id: job.employer_id,
            title: job.title,
            description: job.description,
            location_id: job.location_id,
            employment_type: job.employment_type,
            salary_min: job.salary_min,
            salary_max: job.salary_max,
            salary_currency: job.salary_currency,
            salary_period: job.salary_period,
            sponsorship: job.sponsorship,
        }
    }
}
