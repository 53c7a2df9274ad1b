//! `/employer/jobs/new`: the form that creates a draft job. Every field arrives as text; what
//! does not parse, and everything the jobs service refuses, is shown beside its field with what
//! was typed kept.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;
use chrono::Utc;
use serde::Deserialize;

use super::jobs::employers_of;
use super::{EmployerTexts, employer_user, skills};
use crate::employers::views::EmployerView;
use crate::error::{AppError, FieldError};
use crate::jobs::input::{Draft, EMPLOYMENT_TYPES, JobInput, SkillRequirement};
use crate::jobs::service as jobs;
use crate::registry::Registry;
use crate::web::form::Posted;
use crate::web::page::{FormErrors, Page, render};
use crate::web::text::pick;

/// How many skills the form offers.
const SKILL_ROWS: usize = 3;
const PERIODS: [&str; 3] = ["hour", "month", "year"];
/// The fields the form shows problems beside; others are listed above it.
const FIELDS: [&str; 15] = [
    "employer_id",
    "title",
    "description",
    "location_id",
    "employment_type",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "sponsorship",
    "expires_at",
    "skill_1",
    "skill_2",
    "skill_3",
    "skills",
];

/// The form as sent: text throughout. Skill row `n` has the typed name `skill_n`, the id the
/// script chose `skill_n_id` and the minimum level `skill_n_level`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct JobForm {
    employer_id: String,
    title: String,
    description: String,
    location_id: String,
    employment_type: String,
    salary_min: String,
    salary_max: String,
    salary_currency: String,
    salary_period: String,
    sponsorship: String,
    expires_at: String,
    skill_1: String,
    skill_1_id: String,
    skill_1_level: String,
    skill_2: String,
    skill_2_id: String,
    skill_2_level: String,
    skill_3: String,
    skill_3_id: String,
    skill_3_level: String,
}

impl JobForm {
    fn skill_rows(&self) -> [SkillRow; SKILL_ROWS] {
        [
            SkillRow::new(1, &self.skill_1, &self.skill_1_id, &self.skill_1_level),
            SkillRow::new(2, &self.skill_2, &self.skill_2_id, &self.skill_2_level),
            SkillRow::new(3, &self.skill_3, &self.skill_3_id, &self.skill_3_level),
        ]
    }
}

/// One skill row as the form shows it.
struct SkillRow {
    n: usize,
    name: String,
    id: String,
    level: String,
}

impl SkillRow {
    fn new(n: usize, name: &str, id: &str, level: &str) -> Self {
        SkillRow {
            n,
            name: name.to_owned(),
            id: id.to_owned(),
            level: if level.is_empty() {
                "3".into()
            } else {
                level.to_owned()
            },
        }
    }

    fn field(&self) -> String {
        format!("skill_{}", self.n)
    }
}

struct Choice {
    value: String,
    label: String,
}

struct LocationGroup {
    label: String,
    places: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "web/employer/new_job.html")]
struct NewJobPage<'a> {
    page: &'a Page,
    t: &'static EmployerTexts,
    employers: Vec<EmployerView>,
    locations: Vec<LocationGroup>,
    currencies: Vec<String>,
    employment_types: Vec<Choice>,
    periods: Vec<Choice>,
    levels: [&'static str; 5],
    form: JobForm,
    skill_rows: [SkillRow; SKILL_ROWS],
    errors: FormErrors,
    others: Vec<FieldError>,
}

pub(super) async fn form(page: Page) -> HttpResponse {
    let html = async {
        let user = employer_user(&page)?;
        let employers = employers_of(page.state(), &user).await?;
        let registry = page.state().registry.get();
        let first = employers.first();
        let form = JobForm {
            employer_id: first.map(|e| e.id.clone()).unwrap_or_default(),
            employment_type: "full_time".into(),
            salary_currency: first
                .and_then(|e| registry.jurisdiction(&e.jurisdiction))
                .map(|j| j.currency.clone())
                .unwrap_or_default(),
            salary_period: "month".into(),
            ..JobForm::default()
        };
        form_page(&page, &registry, employers, form, Vec::new())
    }
    .await;
    page.respond(html)
}

pub(super) async fn create(page: Page, form: Posted<JobForm>) -> HttpResponse {
    let form = match form.accept() {
        Ok(form) => form,
        Err(e) => return page.fail(e),
    };
    match submit(&page, form).await {
        Ok(Ok(())) => page.redirect("/employer/jobs"),
        Ok(Err(html)) => page.respond_with(StatusCode::UNPROCESSABLE_ENTITY, Ok(html)),
        Err(e) => page.fail(e),
    }
}

/// Creates the draft (`Ok(Ok)`), or renders the form again with its problems (`Ok(Err(html))`).
async fn submit(page: &Page, form: JobForm) -> Result<Result<(), String>, AppError> {
    let user = employer_user(page)?;
    let t = EmployerTexts::of(page.locale);
    let employers = employers_of(page.state(), &user).await?;
    let registry = page.state().registry.get();
    let mut errors = Vec::new();
    if !employers.iter().any(|e| e.id == form.employer_id) {
        errors.push(FieldError::new("employer_id", t.choose_employer));
    }
    let salary_min = amount(&form.salary_min, "salary_min", t, &mut errors);
    let salary_max = amount(&form.salary_max, "salary_max", t, &mut errors);
    // Which row each requirement came from, for the service's `skills[i]` problems.
    let mut rows = Vec::new();
    let mut requirements: Vec<SkillRequirement> = Vec::new();
    for row in form.skill_rows() {
        if row.name.trim().is_empty() {
            continue;
        }
        let Some(skill) = skills::resolve(&registry, &row.name, &row.id) else {
            errors.push(FieldError::new(row.field(), t.unknown_skill));
            continue;
        };
        if requirements.iter().any(|r| r.skill_id == skill.id) {
            errors.push(FieldError::new(row.field(), t.same_skill));
            continue;
        }
        // An unparsable level is sent as 0, which the service refuses beside the row.
        let min_level = row.level.trim().parse().unwrap_or(0);
        requirements.push(SkillRequirement {
            skill_id: skill.id.clone(),
            min_level,
            required: true,
        });
        rows.push(row.field());
    }
    if requirements.is_empty() && !errors.iter().any(|e| e.field.starts_with("skill_")) {
        errors.push(FieldError::new("skill_1", t.need_skill));
    }
    let expires_at = Some(form.expires_at.trim().to_owned()).filter(|e| !e.is_empty());
    let input = JobInput {
        employer_id: form.employer_id.clone(),
        title: form.title.clone(),
        description: form.description.clone(),
        location_id: form.location_id.clone(),
        employment_type: form.employment_type.clone(),
        salary_min: salary_min.unwrap_or(0),
        salary_max: salary_max.unwrap_or(0),
        salary_currency: form.salary_currency.clone(),
        salary_period: form.salary_period.clone(),
        skills: requirements,
        qualification: None,
        languages: Vec::new(),
        sponsorship: !form.sponsorship.is_empty(),
        expires_at,
    };
    let refused = if errors.is_empty() {
        match jobs::create(page.state(), &user, input).await {
            Ok(_) => return Ok(Ok(())),
            Err(AppError::Validation(problems)) => problems,
            Err(e) => return Err(e),
        }
    } else {
        // Nothing is saved with a field that did not parse, but the service's rules still say
        // what else is wrong, so every problem shows at once.
        let mut problems = Vec::new();
        Draft::from_input(input, Utc::now().naive_utc(), &mut problems).check(&registry, &mut problems);
        problems
    };
    for problem in refused {
        let field = form_field(&problem.field, &rows);
        if !errors.iter().any(|e| e.field == field) {
            errors.push(FieldError::new(field, problem.message));
        }
    }
    form_page(page, &registry, employers, form, errors).map(Err)
}

/// A whole amount, or the problem beside `field`.
fn amount(raw: &str, field: &str, t: &EmployerTexts, errors: &mut Vec<FieldError>) -> Option<i64> {
    let cleaned: String = raw.trim().chars().filter(|c| *c != ',' && *c != ' ').collect();
    match cleaned.parse::<i64>() {
        Ok(value) => Some(value),
        Err(_) => {
            errors.push(FieldError::new(field, t.whole_number));
            None
        }
    }
}

/// The form's field for a field the service names: `skills[i].…` is the row it came from.
fn form_field(service_field: &str, rows: &[String]) -> String {
    if let Some(rest) = service_field.strip_prefix("skills[") {
        let index: Option<usize> = rest.split(']').next().and_then(|i| i.parse().ok());
        if let Some(row) = index.and_then(|i| rows.get(i)) {
            return row.clone();
        }
        return "skills".into();
    }
    service_field.to_owned()
}

fn form_page(
    page: &Page,
    registry: &Registry,
    employers: Vec<EmployerView>,
    form: JobForm,
    errors: Vec<FieldError>,
) -> Result<String, AppError> {
    let t = EmployerTexts::of(page.locale);
    let locale = page.locale;
    let locations = registry
        .jurisdictions
        .iter()
        .map(|j| LocationGroup {
            label: pick(locale, &j.name_en, &j.name_zh_hans, &j.name_zh_hant).to_owned(),
            places: registry
                .locations
                .iter()
                .filter(|l| l.jurisdiction == j.code)
                .map(|l| Choice {
                    value: l.id.clone(),
                    label: pick(locale, &l.name_en, &l.name_zh_hans, &l.name_zh_hant).to_owned(),
                })
                .collect(),
        })
        .collect();
    let mut currencies: Vec<String> = registry.currencies().map(str::to_owned).collect();
    currencies.dedup();
    let choices = |values: &[&str], label: &dyn Fn(&str) -> &'static str| -> Vec<Choice> {
        values
            .iter()
            .map(|v| Choice {
                value: (*v).to_owned(),
                label: label(v).to_owned(),
            })
            .collect()
    };
    let skill_rows = form.skill_rows();
    let errors = FormErrors(errors);
    let others = errors.others(&FIELDS).cloned().collect();
    render(&NewJobPage {
        page,
        t,
        employers,
        locations,
        currencies,
        employment_types: choices(&EMPLOYMENT_TYPES, &|v| t.employment_type(v)),
        periods: choices(&PERIODS, &|v| t.period(v)),
        levels: ["1", "2", "3", "4", "5"],
        form,
        skill_rows,
        errors,
        others,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_problems_land_beside_the_row_they_came_from() {
        let rows = vec!["skill_1".to_owned(), "skill_3".to_owned()];
        assert_eq!(form_field("skills[1].min_level", &rows), "skill_3");
        assert_eq!(form_field("skills[0].skill_id", &rows), "skill_1");
        assert_eq!(form_field("skills[7].skill_id", &rows), "skills");
        assert_eq!(form_field("title", &rows), "title");
    }

    #[test]
    fn amounts_are_whole_numbers_with_separators_allowed() {
        let t = EmployerTexts::of(crate::i18n::Locale::En);
        let mut errors = Vec::new();
        assert_eq!(amount(" 30,000 ", "salary_min", t, &mut errors), Some(30000));
        assert_eq!(amount("lots", "salary_max", t, &mut errors), None);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "salary_max");
    }
}
