//! What a job is made of, as clients send it, and the one validation used by create and update:
//! every failure is a field error naming the offending value.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{JobRow, JobSkillRow};
use crate::error::FieldError;
use crate::languages::{LanguageLevel, check_languages};
use crate::money::{SalaryPeriod, check_amount, check_currency};
use crate::patch::nullable;
use crate::registry::Registry;

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 20_000;
pub const MAX_SKILLS: usize = 50;
/// The kinds of employment a job offers. Stored and sent as its snake_case name; the list is
/// checked here and by job search and saved searches (a 422 naming the field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentType {
    FullTime,
    PartTime,
    Contract,
    Internship,
}

impl EmploymentType {
    pub const fn as_str(self) -> &'static str {
        match self {
            EmploymentType::FullTime => "full_time",
            EmploymentType::PartTime => "part_time",
            EmploymentType::Contract => "contract",
            EmploymentType::Internship => "internship",
        }
    }
}

pub const EMPLOYMENT_TYPES: [&str; 4] = [
    EmploymentType::FullTime.as_str(),
    EmploymentType::PartTime.as_str(),
    EmploymentType::Contract.as_str(),
    EmploymentType::Internship.as_str(),
];

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkillRequirement {
    /// A skill id of the registry's taxonomy.
    pub skill_id: String,
    #[schema(minimum = 1, maximum = 5)]
    pub min_level: i32,
    /// A must (default) rather than a nice-to-have.
    #[serde(default = "yes")]
    pub required: bool,
}

/// A specific qualification, or a minimum framework level; `jurisdiction`, when given, must be
/// the one the qualification or level belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QualificationRequirement {
    #[schema(example = "hk-bachelor-engineering")]
    pub qualification_id: Option<String>,
    /// A framework level id, e.g. `hkqf-5` or `cn-academic-bachelor`.
    pub min_level: Option<String>,
    #[schema(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JobInput {
    pub employer_id: String,
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[schema(min_length = 1, max_length = 20000)]
    pub description: String,
    pub location_id: String,
    #[schema(value_type = EmploymentType)]
    pub employment_type: String,
    #[schema(minimum = 0, maximum = 1000000000)]
    pub salary_min: i64,
    #[schema(minimum = 0, maximum = 1000000000)]
    pub salary_max: i64,
    /// `CNY` or `HKD`: a currency of the registry's jurisdictions.
    #[schema(pattern = "^[A-Z]{3}$")]
    pub salary_currency: String,
    #[schema(value_type = SalaryPeriod)]
    pub salary_period: String,
    #[serde(default)]
    #[schema(max_items = 50)]
    pub skills: Vec<SkillRequirement>,
    pub qualification: Option<QualificationRequirement>,
    #[serde(default)]
    pub languages: Vec<LanguageLevel>,
    #[serde(default)]
    pub sponsorship: bool,
    /// RFC 3339, or a date meaning the end of that day (UTC); must be in the future.
    pub expires_at: Option<String>,
}

/// Fields to change; lists replace the job's lists; `null` clears the qualification or expiry.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JobPatch {
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    #[schema(min_length = 1, max_length = 20000)]
    pub description: Option<String>,
    pub location_id: Option<String>,
    #[schema(value_type = Option<EmploymentType>)]
    pub employment_type: Option<String>,
    #[schema(minimum = 0, maximum = 1000000000)]
    pub salary_min: Option<i64>,
    #[schema(minimum = 0, maximum = 1000000000)]
    pub salary_max: Option<i64>,
    #[schema(pattern = "^[A-Z]{3}$")]
    pub salary_currency: Option<String>,
    #[schema(value_type = Option<SalaryPeriod>)]
    pub salary_period: Option<String>,
    #[schema(max_items = 50)]
    pub skills: Option<Vec<SkillRequirement>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<QualificationRequirement>)]
    pub qualification: Option<Option<QualificationRequirement>>,
    pub languages: Option<Vec<LanguageLevel>>,
    pub sponsorship: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub expires_at: Option<Option<String>>,
}

/// A job's content, whole: what create builds from its body and update from the stored job with
/// the patch laid over it.
#[derive(Debug, Clone)]
pub struct Draft {
    pub title: String,
    pub description: String,
    pub location_id: String,
    pub employment_type: String,
    pub salary_min: i64,
    pub salary_max: i64,
    pub salary_currency: String,
    pub salary_period: String,
    pub skills: Vec<SkillRequirement>,
    pub qualification: Option<QualificationRequirement>,
    pub languages: Vec<LanguageLevel>,
    pub sponsorship: bool,
    pub expires_at: Option<NaiveDateTime>,
}

impl Draft {
    /// The draft of a create body; the expiry is parsed (and must lie after `now`).
    pub fn from_input(input: JobInput, now: NaiveDateTime, errors: &mut Vec<FieldError>) -> Draft {
        Draft {
            expires_at: parse_expiry(input.expires_at.as_deref(), now, errors),
            title: input.title.trim().to_owned(),
            description: input.description.trim().to_owned(),
            location_id: input.location_id,
            employment_type: input.employment_type,
            salary_min: input.salary_min,
            salary_max: input.salary_max,
            salary_currency: input.salary_currency,
            salary_period: input.salary_period,
            skills: input.skills,
            qualification: input.qualification,
            languages: input.languages,
            sponsorship: input.sponsorship,
        }
    }

    pub fn from_stored(job: &JobRow, skills: &[JobSkillRow], languages: Vec<LanguageLevel>) -> Draft {
        let qualification = match (&job.qualification_id, &job.qualification_min_level_id) {
            (None, None) => None,
            (id, level) => Some(QualificationRequirement {
                qualification_id: id.clone(),
                min_level: level.clone(),
                jurisdiction: None,
            }),
        };
        Draft {
            title: job.title.clone(),
            description: job.description.clone(),
            location_id: job.location_id.clone(),
            employment_type: job.employment_type.clone(),
            salary_min: job.salary_min,
            salary_max: job.salary_max,
            salary_currency: job.salary_currency.clone(),
            salary_period: job.salary_period.clone(),
            skills: skills
                .iter()
                .map(|s| SkillRequirement {
                    skill_id: s.skill_id.clone(),
                    min_level: s.min_level,
                    required: s.required,
                })
                .collect(),
            qualification,
            languages,
            sponsorship: job.sponsorship,
            expires_at: job.expires_at,
        }
    }

    /// Lays a patch over the draft.
    pub fn apply(mut self, patch: JobPatch, now: NaiveDateTime, errors: &mut Vec<FieldError>) -> Draft {
        macro_rules! set {
            ($($field:ident),*) => { $(if let Some(value) = patch.$field { self.$field = value; })* };
        }
        set!(
            location_id,
            employment_type,
            salary_min,
            salary_max,
            salary_currency,
            salary_period,
            skills,
            languages,
            sponsorship
        );
        if let Some(title) = patch.title {
            self.title = title.trim().to_owned();
        }
        if let Some(description) = patch.description {
            self.description = description.trim().to_owned();
        }
        if let Some(qualification) = patch.qualification {
            self.qualification = qualification;
        }
        if let Some(expires_at) = patch.expires_at {
            self.expires_at = parse_expiry(expires_at.as_deref(), now, errors);
        }
        self
    }

    /// Every rule a job's content must meet, against the registry snapshot.
    pub fn check(&self, registry: &Registry, errors: &mut Vec<FieldError>) {
        check_text(errors, "title", &self.title, MAX_TITLE_CHARS);
        check_text(errors, "description", &self.description, MAX_DESCRIPTION_CHARS);
        if !registry.locations.iter().any(|l| l.id == self.location_id) {
            errors.push(FieldError::new("location_id", "names no location"));
        }
        if !EMPLOYMENT_TYPES.contains(&self.employment_type.as_str()) {
            errors.push(FieldError::new(
                "employment_type",
                format!("must be one of: {}", EMPLOYMENT_TYPES.join(", ")),
            ));
        }
        let min_ok = check_amount(self.salary_min)
            .map_err(|m| errors.push(FieldError::new("salary_min", m)))
            .is_ok();
        let max_ok = check_amount(self.salary_max)
            .map_err(|m| errors.push(FieldError::new("salary_max", m)))
            .is_ok();
        if min_ok && max_ok && self.salary_min > self.salary_max {
            errors.push(FieldError::new("salary_max", "must be at least salary_min"));
        }
        // The registry's jurisdictions are the two sides of the boundary: a job is paid in its own
        // jurisdiction's currency or the other side's.
        if let Err(message) = check_currency(registry.currencies(), &self.salary_currency) {
            errors.push(FieldError::new("salary_currency", message));
        }
        if SalaryPeriod::parse(&self.salary_period).is_none() {
            errors.push(FieldError::new("salary_period", "must be hour, month or year"));
        }
        check_skills(registry, &self.skills, errors);
        if let Some(qualification) = &self.qualification {
            check_qualification(registry, qualification, errors);
        }
        check_languages("languages", &self.languages, errors);
    }
}

fn check_text(errors: &mut Vec<FieldError>, field: &str, text: &str, max: usize) {
    if text.is_empty() {
        errors.push(FieldError::new(field, "is required"));
    } else if text.chars().count() > max {
        errors.push(FieldError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
}

fn check_skills(registry: &Registry, skills: &[SkillRequirement], errors: &mut Vec<FieldError>) {
    if skills.len() > MAX_SKILLS {
        errors.push(FieldError::new(
            "skills",
            format!("must list at most {MAX_SKILLS} skills"),
        ));
    }
    for (index, skill) in skills.iter().enumerate() {
        if registry.skill(&skill.skill_id).is_none() {
            errors.push(FieldError::new(
                format!("skills[{index}].skill_id"),
                "names no skill of the taxonomy",
            ));
        } else if skills[..index].iter().any(|s| s.skill_id == skill.skill_id) {
            errors.push(FieldError::new(
                format!("skills[{index}].skill_id"),
                "is listed twice",
            ));
        }
        if !(1..=5).contains(&skill.min_level) {
            errors.push(FieldError::new(
                format!("skills[{index}].min_level"),
                "must be between 1 and 5",
            ));
        }
    }
}

fn check_qualification(registry: &Registry, wanted: &QualificationRequirement, errors: &mut Vec<FieldError>) {
    let jurisdiction = match (&wanted.qualification_id, &wanted.min_level) {
        (Some(_), Some(_)) | (None, None) => {
            errors.push(FieldError::new(
                "qualification",
                "give either qualification_id or min_level",
            ));
            return;
        }
        (Some(id), None) => match registry.qualifications.get(id) {
            Some(q) => &q.jurisdiction,
            None => {
                return errors.push(FieldError::new(
                    "qualification.qualification_id",
                    "names no qualification",
                ));
            }
        },
        (None, Some(level)) => match registry.levels.get(level) {
            Some(l) => &l.jurisdiction,
            None => {
                return errors.push(FieldError::new(
                    "qualification.min_level",
                    "names no framework level",
                ));
            }
        },
    };
    if let Some(given) = &wanted.jurisdiction
        && given != jurisdiction
    {
        errors.push(FieldError::new(
            "qualification.jurisdiction",
            format!("the qualification belongs to {jurisdiction}"),
        ));
    }
}

/// `expires_at`: RFC 3339, or a date meaning the end of that day in UTC; after `now`.
fn parse_expiry(
    raw: Option<&str>,
    now: NaiveDateTime,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDateTime> {
    let raw = raw?.trim();
    let parsed = chrono::DateTime::parse_from_rfc3339(raw)
        .map(|t| t.naive_utc())
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(23, 59, 59))
        });
    match parsed {
        None => errors.push(FieldError::new(
            "expires_at",
            "must be an RFC 3339 time or a date (YYYY-MM-DD)",
        )),
        Some(at) if at <= now => errors.push(FieldError::new("expires_at", "must be in the future")),
        Some(at) => return Some(at),
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        s.parse().unwrap()
    }

    #[test]
    fn expiry_accepts_times_and_dates_in_the_future_only() {
        let now = at("2030-06-01T12:00:00");
        let mut errors = Vec::new();
        assert_eq!(
            parse_expiry(Some("2030-06-02T08:00:00+08:00"), now, &mut errors),
            Some(at("2030-06-02T00:00:00"))
        );
        assert_eq!(
            parse_expiry(Some("2030-06-01"), now, &mut errors),
            Some(at("2030-06-01T23:59:59"))
        );
        assert_eq!(parse_expiry(None, now, &mut errors), None);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(parse_expiry(Some("2030-05-31"), now, &mut errors), None);
        assert_eq!(parse_expiry(Some("next week"), now, &mut errors), None);
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "must be in the future",
                "must be an RFC 3339 time or a date (YYYY-MM-DD)"
            ]
        );
    }

    #[test]
    fn a_qualification_needs_exactly_one_target() {
        let registry = Registry::default();
        let mut errors = Vec::new();
        check_qualification(&registry, &QualificationRequirement::default(), &mut errors);
        check_qualification(
            &registry,
            &QualificationRequirement {
                qualification_id: Some("x".into()),
                min_level: Some("y".into()),
                jurisdiction: None,
            },
            &mut errors,
        );
        check_qualification(
            &registry,
            &QualificationRequirement {
                qualification_id: Some("nope".into()),
                ..Default::default()
            },
            &mut errors,
        );
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["qualification", "qualification", "qualification.qualification_id"]
        );
    }
}
