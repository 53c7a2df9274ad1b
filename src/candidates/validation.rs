//! The rules a whole profile obeys, checked against the registry snapshot (no query), every
//! broken one reported at once with the path of its field.

use serde::Deserialize;
use utoipa::ToSchema;

use super::model::Visibility;
use super::views::SalaryExpectation;
use crate::error::{AppError, FieldError};
use crate::languages::{LanguageLevel, check_languages};
use crate::nationality::{check_dependent_children, check_nationality};
use crate::registry::Registry;

pub const MAX_HEADLINE: usize = 200;
pub const MAX_SUMMARY: usize = 5000;
pub const MAX_SKILLS: usize = 100;
pub const MAX_DESIRED_LOCATIONS: usize = 50;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkillInput {
    /// A skill id from `GET /api/v1/skills`.
    pub skill_id: String,
    #[schema(minimum = 1, maximum = 5)]
    pub level: i32,
    #[schema(minimum = 0, maximum = 60)]
    pub years: i32,
}

/// A whole profile: PUT replaces everything, languages and skills included.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    /// Not only spaces.
    #[schema(min_length = 1, max_length = 100)]
    pub display_name: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub headline: String,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub summary: String,
    /// Where the candidate lives: `CN` or `HK`.
    #[schema(pattern = "^[A-Z]{2}$")]
    pub residence_jurisdiction: String,
    /// A location of the residence jurisdiction.
    pub location_id: Option<String>,
    #[serde(default)]
    pub languages: Vec<LanguageLevel>,
    #[serde(default)]
    #[schema(max_items = 100)]
    pub skills: Vec<SkillInput>,
    #[serde(default)]
    #[schema(max_items = 10)]
    pub desired_jurisdictions: Vec<String>,
    #[serde(default)]
    #[schema(max_items = 50)]
    pub desired_location_ids: Vec<String>,
    pub salary_expectation: Option<SalaryExpectation>,
    pub visibility: Visibility,
    /// ISO 3166-1 alpha-2 code of the candidate's nationality: `CN` for Chinese nationals, Hong
    /// Kong and Macao residents of Chinese nationality included (`HK` and `MO` are refused).
    /// Private: shown to the candidate and the agency only.
    #[serde(default)]
    #[schema(pattern = "^[A-Z]{2}$", example = "GB")]
    pub nationality: Option<String>,
    /// How many dependent children would move or be schooled with the candidate (0–20).
    /// Private: shown to the candidate and the agency only.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 20)]
    pub dependent_children: Option<i32>,
}

fn check_text(errors: &mut Vec<FieldError>, field: &str, text: &str, max: usize) {
    if text.chars().count() > max {
        errors.push(FieldError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
}

/// Every rule a profile obeys, all broken ones reported at once; ids are checked against the
/// registry snapshot, so no query is needed.
pub fn validate(registry: &Registry, input: &ProfileInput) -> Result<(), AppError> {
    let mut errors = Vec::new();
    if let Err(message) = crate::auth::domain::DisplayName::parse(&input.display_name) {
        errors.push(FieldError::new("display_name", message));
    }
    check_text(&mut errors, "headline", &input.headline, MAX_HEADLINE);
    check_text(&mut errors, "summary", &input.summary, MAX_SUMMARY);
    let residence_known = registry.jurisdiction(&input.residence_jurisdiction).is_some();
    if !residence_known {
        errors.push(FieldError::new("residence_jurisdiction", "names no jurisdiction"));
    }
    if let Some(location_id) = &input.location_id {
        match registry.locations.iter().find(|l| &l.id == location_id) {
            None => errors.push(FieldError::new("location_id", "names no location")),
            Some(location) if residence_known && location.jurisdiction != input.residence_jurisdiction => {
                errors.push(FieldError::new(
                    "location_id",
                    "is not in the residence jurisdiction",
                ))
            }
            Some(_) => {}
        }
    }
    check_languages("languages", &input.languages, &mut errors);
    check_skills(registry, &input.skills, &mut errors);
    check_list(
        &mut errors,
        "desired_jurisdictions",
        &input.desired_jurisdictions,
        10,
        |code| registry.jurisdiction(code).is_some(),
    );
    check_list(
        &mut errors,
        "desired_location_ids",
        &input.desired_location_ids,
        MAX_DESIRED_LOCATIONS,
        |id| registry.locations.iter().any(|l| l.id == id),
    );
    if let Some(Err(message)) = input.nationality.as_deref().map(check_nationality) {
        errors.push(FieldError::new("nationality", message));
    }
    if let Some(Err(message)) = input.dependent_children.map(check_dependent_children) {
        errors.push(FieldError::new("dependent_children", message));
    }
    if let Some(salary) = &input.salary_expectation {
        if let Err(message) = crate::money::check_amount(salary.amount) {
            errors.push(FieldError::new("salary_expectation.amount", message));
        }
        if let Err(message) = crate::money::check_currency(registry.currencies(), &salary.currency) {
            errors.push(FieldError::new("salary_expectation.currency", message));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

fn check_skills(registry: &Registry, skills: &[SkillInput], errors: &mut Vec<FieldError>) {
    let mut seen: Vec<&str> = Vec::new();
    for (index, skill) in skills.iter().enumerate() {
        if registry.skill(&skill.skill_id).is_none() {
            errors.push(FieldError::new(
                format!("skills[{index}].skill_id"),
                "names no skill",
            ));
        } else if seen.contains(&skill.skill_id.as_str()) {
            errors.push(FieldError::new(
                format!("skills[{index}].skill_id"),
                "is listed twice",
            ));
        }
        seen.push(&skill.skill_id);
        if !(1..=5).contains(&skill.level) {
            errors.push(FieldError::new(
                format!("skills[{index}].level"),
                "must be between 1 and 5",
            ));
        }
        if !(0..=60).contains(&skill.years) {
            errors.push(FieldError::new(
                format!("skills[{index}].years"),
                "must be between 0 and 60",
            ));
        }
    }
    if skills.len() > MAX_SKILLS {
        errors.push(FieldError::new(
            "skills",
            format!("must list at most {MAX_SKILLS} skills"),
        ));
    }
}

fn check_list(
    errors: &mut Vec<FieldError>,
    field: &str,
    values: &[String],
    max: usize,
    known: impl Fn(&str) -> bool,
) {
    for (index, value) in values.iter().enumerate() {
        if !known(value) {
            errors.push(FieldError::new(
                format!("{field}[{index}]"),
                "is not known to the registry",
            ));
        } else if values[..index].contains(value) {
            errors.push(FieldError::new(format!("{field}[{index}]"), "is listed twice"));
        }
    }
    if values.len() > max {
        errors.push(FieldError::new(field, format!("must list at most {max} entries")));
    }
}

/// What the audit log keeps of a profile: no free text and no names, only states and ids, so the
/// log holds nothing an erasure would have to rewrite.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_checks_name_each_entry() {
        let mut errors = Vec::new();
        let values = vec!["CN".to_owned(), "XX".to_owned(), "CN".to_owned()];
        check_list(&mut errors, "desired_jurisdictions", &values, 2, |c| c == "CN");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "desired_jurisdictions[1]",
                "desired_jurisdictions[2]",
                "desired_jurisdictions"
            ]
        );
    }
}
