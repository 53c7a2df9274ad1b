//! The job form, shared by posting a job and editing one: the fields as sent (text throughout,
//! so a mistyped value is shown again rather than refused), what they come to as a job's
//! content, where each of the jobs service's problems is shown, and the page itself.

use std::collections::HashMap;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use chrono::Utc;
use serde::Deserialize;

use super::EmployerTexts;
use crate::employers::views::EmployerView;
use crate::error::{AppError, FieldError};
use crate::i18n::Locale;
use crate::jobs::input::{Draft, JobInput, MAX_SKILLS, QualificationRequirement, SkillRequirement};
use crate::jobs::views::JobView;
use crate::languages::LanguageLevel;
use crate::registry::Registry;
use crate::web::form::{form_field, whole_number};
use crate::web::page::Page;
use crate::web::skills;

mod page;

pub(super) use page::{Purpose, render_form};

/// Rows the form offers at least, for skills and for languages; a job with more shows them all,
/// and one empty row more to add another.
const ROWS: usize = 3;
/// The service takes at most 20 languages.
const MAX_LANGUAGES: usize = 20;
/// The qualification select names a framework level with this prefix, a qualification by its id.
const LEVEL: &str = "level:";

/// The form as sent. Skill row `n`: the typed name `skill_n`, the id the script chose
/// `skill_n_id`, the minimum level `skill_n_level`; language row `n`: `language_n` and
/// `language_n_level`. Rows are numbered fields because a form sends no lists.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct JobForm {
    pub employer_id: String,
    title: String,
    description: String,
    location_id: String,
    employment_type: String,
    salary_currency: String,
    salary_period: String,
    salary_min: String,
    salary_max: String,
    sponsorship: String,
    pub expires_at: String,
    qualification: String,
    #[serde(flatten)]
    rows: HashMap<String, String>,
}

/// One skill row as the form shows it.
struct SkillRow {
    n: usize,
    /// `skill_n`: where the row's problem shows.
    field: String,
    name: String,
    id: String,
    level: String,
}

/// One language row as the form shows it.
struct LanguageRow {
    n: usize,
    /// `language_n`: where the row's problem shows.
    field: String,
    code: String,
    level: String,
}

impl JobForm {
    /// A new job's form: for `employer` (the first the person belongs to), full time, paid
    /// monthly in the employer's currency.
    pub(super) fn blank(employer: Option<&EmployerView>, registry: &Registry) -> JobForm {
        JobForm {
            employer_id: employer.map(|e| e.id.clone()).unwrap_or_default(),
            employment_type: "full_time".into(),
            salary_currency: employer
                .and_then(|e| registry.jurisdiction(&e.jurisdiction))
                .map(|j| j.currency.clone())
                .unwrap_or_default(),
            salary_period: "month".into(),
            ..JobForm::default()
        }
    }

    /// The form filled with a job as it stands, skills named in the page's language.
    pub(super) fn of_job(job: &JobView, registry: &Registry, locale: Locale) -> JobForm {
        let mut rows = HashMap::new();
        for (i, skill) in job.skills.iter().enumerate() {
            let name = registry
                .skill(&skill.skill_id)
                .map(|s| s.labels.get(locale).to_owned());
            rows.insert(
                format!("skill_{}", i + 1),
                name.unwrap_or_else(|| skill.skill_id.clone()),
            );
            rows.insert(format!("skill_{}_id", i + 1), skill.skill_id.clone());
            rows.insert(format!("skill_{}_level", i + 1), skill.min_level.to_string());
        }
        for (i, language) in job.languages.iter().enumerate() {
            rows.insert(format!("language_{}", i + 1), language.code.clone());
            rows.insert(format!("language_{}_level", i + 1), language.level.to_string());
        }
        let qualification = job
            .qualification
            .as_ref()
            .map(|q| match (&q.qualification_id, &q.min_level) {
                (Some(id), _) => id.clone(),
                (None, Some(level)) => format!("{LEVEL}{level}"),
                (None, None) => String::new(),
            });
        JobForm {
            employer_id: job.employer_id.clone(),
            title: job.title.clone(),
            description: job.description.clone(),
            location_id: job.location_id.clone(),
            employment_type: job.employment_type.clone(),
            salary_currency: job.salary_currency.clone(),
            salary_period: job.salary_period.clone(),
            salary_min: job.salary_min.to_string(),
            salary_max: job.salary_max.to_string(),
            sponsorship: if job.sponsorship {
                "on".into()
            } else {
                String::new()
            },
            expires_at: shown_expiry(job),
            qualification: qualification.unwrap_or_default(),
            rows,
        }
    }

    fn row(&self, key: String) -> String {
        self.rows
            .get(&key)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    }

    /// How many rows of `prefix` to show: every filled one, then one empty, at least `ROWS`.
    fn rows_shown(&self, prefix: &str, max: usize) -> usize {
        let last = (1..=max)
            .rev()
            .find(|n| !self.row(format!("{prefix}_{n}")).is_empty());
        last.map_or(ROWS, |n| (n + 1).clamp(ROWS, max))
    }

    fn skill_rows(&self) -> Vec<SkillRow> {
        (1..=self.rows_shown("skill", MAX_SKILLS))
            .map(|n| SkillRow {
                n,
                field: format!("skill_{n}"),
                name: self.row(format!("skill_{n}")),
                id: self.row(format!("skill_{n}_id")),
                level: Some(self.row(format!("skill_{n}_level")))
                    .filter(|l| !l.is_empty())
                    .unwrap_or_else(|| "3".into()),
            })
            .collect()
    }

    fn language_rows(&self) -> Vec<LanguageRow> {
        (1..=self.rows_shown("language", MAX_LANGUAGES))
            .map(|n| LanguageRow {
                n,
                field: format!("language_{n}"),
                code: self.row(format!("language_{n}")),
                level: Some(self.row(format!("language_{n}_level")))
                    .filter(|l| !l.is_empty())
                    .unwrap_or_else(|| "3".into()),
            })
            .collect()
    }

    /// The job's content as the form says it, and the form's own problems (what did not parse).
    pub(super) fn parse(&self, registry: &Registry, t: &EmployerTexts) -> Parsed {
        let mut errors = Vec::new();
        let salary_min = amount(&self.salary_min, "salary_min", t, &mut errors);
        let salary_max = amount(&self.salary_max, "salary_max", t, &mut errors);
        let mut fields = RowFields::default();
        let mut skills: Vec<SkillRequirement> = Vec::new();
        for row in self.skill_rows().into_iter().filter(|r| !r.name.is_empty()) {
            let field = row.field;
            let Some(skill) = skills::resolve(registry, &row.name, &row.id) else {
                errors.push(FieldError::new(field, t.unknown_skill));
                continue;
            };
            if skills.iter().any(|r| r.skill_id == skill.id) {
                errors.push(FieldError::new(field, t.same_skill));
                continue;
            }
            // An unparsable level is sent as 0, which the service refuses beside the row.
            let min_level = row.level.parse().unwrap_or(0);
            skills.push(SkillRequirement {
                skill_id: skill.id.clone(),
                min_level,
                required: true,
            });
            fields.skills.push(field);
        }
        if skills.is_empty() && !errors.iter().any(|e| e.field.starts_with("skill_")) {
            errors.push(FieldError::new("skill_1", t.need_skill));
        }
        let mut languages = Vec::new();
        for row in self.language_rows().into_iter().filter(|r| !r.code.is_empty()) {
            fields.languages.push(row.field);
            languages.push(LanguageLevel {
                code: row.code,
                level: row.level.parse().unwrap_or(0),
            });
        }
        let qualification = match self.qualification.trim() {
            "" => None,
            chosen => Some(match chosen.strip_prefix(LEVEL) {
                Some(level) => QualificationRequirement {
                    min_level: Some(level.to_owned()),
                    ..Default::default()
                },
                None => QualificationRequirement {
                    qualification_id: Some(chosen.to_owned()),
                    ..Default::default()
                },
            }),
        };
        let input = JobInput {
            employer_id: self.employer_id.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            location_id: self.location_id.clone(),
            employment_type: self.employment_type.clone(),
            salary_min: salary_min.unwrap_or(0),
            salary_max: salary_max.unwrap_or(0),
            salary_currency: self.salary_currency.clone(),
            salary_period: self.salary_period.clone(),
            skills,
            qualification,
            languages,
            sponsorship: !self.sponsorship.is_empty(),
            expires_at: Some(self.expires_at.trim().to_owned()).filter(|e| !e.is_empty()),
        };
        Parsed {
            input,
            errors,
            fields,
        }
    }
}

/// A job's expiry as the form shows it: its date.
pub(super) fn shown_expiry(job: &JobView) -> String {
    job.expires_at
        .map(|at| at.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// What the form came to: the job's content and the form's own problems.
pub(super) struct Parsed {
    pub input: JobInput,
    pub errors: Vec<FieldError>,
    fields: RowFields,
}

/// Which row each list entry came from, for the service's `skills[i]` and `languages[i]`.
#[derive(Default)]
struct RowFields {
    skills: Vec<String>,
    languages: Vec<String>,
}

impl RowFields {
    /// The form's field for a field the service names.
    fn field_of(&self, service_field: &str) -> String {
        let lists: [(&str, &[String]); 2] = [("skills", &self.skills), ("languages", &self.languages)];
        let field = form_field(service_field, &lists, &[]);
        if field.starts_with("qualification") {
            return "qualification".into();
        }
        field
    }
}

/// Saves the form's job with `save` when the form itself parsed (`Ok(Ok)`); else, or when the
/// service refuses it, every problem beside its field (`Ok(Err)`). A form that did not parse is
/// still checked by the service's rules, so every problem shows at once; nothing is saved.
pub(super) async fn save(
    registry: &Registry,
    parsed: Parsed,
    save: impl AsyncFnOnce(JobInput) -> Result<(), AppError>,
) -> Result<Result<(), Vec<FieldError>>, AppError> {
    let Parsed {
        input,
        mut errors,
        fields,
    } = parsed;
    let refused = if errors.is_empty() {
        match save(input).await {
            Ok(()) => return Ok(Ok(())),
            Err(AppError::Validation(problems)) => problems,
            Err(e) => return Err(e),
        }
    } else {
        let mut problems = Vec::new();
        Draft::from_input(input, Utc::now().naive_utc(), &mut problems).check(registry, &mut problems);
        problems
    };
    for problem in refused {
        let field = fields.field_of(&problem.field);
        if !errors.iter().any(|e| e.field == field) {
            errors.push(FieldError::new(field, problem.message));
        }
    }
    Ok(Err(errors))
}

/// A sent form's answer: to the jobs when saved, the form again (422) with its problems, or
/// the page that says why not.
pub(super) fn answer(page: Page, outcome: Result<Result<(), String>, AppError>) -> HttpResponse {
    match outcome {
        Ok(Ok(())) => page.redirect("/employer/jobs"),
        Ok(Err(html)) => page.respond_with(StatusCode::UNPROCESSABLE_ENTITY, Ok(html)),
        Err(e) => page.fail(e),
    }
}

/// A whole amount, or the problem beside `field`.
fn amount(raw: &str, field: &str, t: &EmployerTexts, errors: &mut Vec<FieldError>) -> Option<i64> {
    let value = whole_number(raw.trim());
    if value.is_none() {
        errors.push(FieldError::new(field, t.whole_number));
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_problems_land_beside_the_row_they_came_from() {
        let fields = RowFields {
            skills: vec!["skill_1".to_owned(), "skill_3".to_owned()],
            languages: vec!["language_2".to_owned()],
        };
        assert_eq!(fields.field_of("skills[1].min_level"), "skill_3");
        assert_eq!(fields.field_of("skills[0].skill_id"), "skill_1");
        assert_eq!(fields.field_of("skills[7].skill_id"), "skills");
        assert_eq!(fields.field_of("languages[0].level"), "language_2");
        assert_eq!(fields.field_of("languages"), "languages");
        assert_eq!(fields.field_of("qualification.qualification_id"), "qualification");
        assert_eq!(fields.field_of("title"), "title");
    }

    #[test]
    fn amounts_are_whole_numbers_with_separators_allowed() {
        let t = EmployerTexts::of(Locale::En);
        let mut errors = Vec::new();
        assert_eq!(amount(" 30,000 ", "salary_min", t, &mut errors), Some(30000));
        assert_eq!(amount("lots", "salary_max", t, &mut errors), None);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "salary_max");
    }

    #[test]
    fn rows_grow_with_what_is_filled() {
        let mut form = JobForm::default();
        assert_eq!(form.skill_rows().len(), ROWS);
        form.rows.insert("skill_4".into(), "Rust".into());
        assert_eq!(
            form.skill_rows().len(),
            5,
            "every filled row and one to add another"
        );
        assert_eq!(form.language_rows().len(), ROWS);
    }
}
