//! The profile form as text: filled from the stored profile, read back from what was sent, and
//! turned into the `ProfileInput` the API's PUT takes. What does not parse is a problem beside
//! its field; the profile service's own problems are moved beside the row they came from.

use super::texts::ProfileTexts;
use crate::candidates::model::Visibility;
use crate::candidates::validation::ProfileInput;
use crate::candidates::validation::SkillInput;
use crate::candidates::views::{ProfileView, SalaryExpectation};
use crate::error::FieldError;
use crate::languages::LanguageLevel;
use crate::money::SalaryPeriod;
use crate::registry::Registry;
use crate::web::form::{Pairs, form_field, whole_number};
use crate::web::skills;

/// Language rows the form always offers.
const LANGUAGE_ROWS: usize = 3;
/// The most language rows read back.
const MAX_LANGUAGE_ROWS: usize = 10;
/// Empty skill rows offered below the filled ones, so a skill can be added without script.
const SPARE_SKILL_ROWS: usize = 3;
/// The most skill rows read back: the profile's own limit and the spare rows.
const MAX_SKILL_ROWS: usize = crate::candidates::validation::MAX_SKILLS + SPARE_SKILL_ROWS;

pub struct LanguageRow {
    pub n: usize,
    /// The form's name of the row, beside which its problems show.
    pub key: String,
    pub code: String,
    pub level: String,
}

impl LanguageRow {
    pub fn field(&self) -> String {
        self.key.clone()
    }
}

/// A skill row: the name as typed, the id the script chose, the level and the years.
pub struct SkillRow {
    pub n: usize,
    /// The form's name of the row, beside which its problems show.
    pub key: String,
    pub name: String,
    pub id: String,
    pub level: String,
    pub years: String,
}

impl SkillRow {
    pub fn field(&self) -> String {
        self.key.clone()
    }

    fn blank(n: usize) -> Self {
        SkillRow {
            n,
            key: format!("skill_{n}"),
            name: String::new(),
            id: String::new(),
            level: "3".into(),
            years: "0".into(),
        }
    }
}

#[derive(Default)]
pub struct ProfileForm {
    pub display_name: String,
    pub headline: String,
    pub summary: String,
    pub residence_jurisdiction: String,
    pub location_id: String,
    pub nationality: String,
    pub dependent_children: String,
    pub languages: Vec<LanguageRow>,
    pub skills: Vec<SkillRow>,
    pub desired_jurisdictions: Vec<String>,
    pub desired_location_ids: Vec<String>,
    pub salary_amount: String,
    pub salary_currency: String,
    pub salary_period: String,
    pub visibility: String,
}

impl ProfileForm {
    /// A new profile: the person's account name; where they live is theirs to choose (the
    /// page's script says little about it).
    pub fn new(display_name: &str) -> Self {
        ProfileForm {
            display_name: display_name.to_owned(),
            languages: language_rows(Vec::new()),
            skills: (1..=SPARE_SKILL_ROWS + 2).map(SkillRow::blank).collect(),
            salary_period: "month".into(),
            visibility: Visibility::Employers.as_str().into(),
            ..ProfileForm::default()
        }
    }

    pub fn from_view(view: &ProfileView) -> Self {
        let languages = view
            .languages
            .iter()
            .map(|l| (l.code.clone(), l.level.to_string()))
            .collect();
        let mut skills: Vec<SkillRow> = view
            .skills
            .iter()
            .enumerate()
            .map(|(i, s)| SkillRow {
                n: i + 1,
                key: format!("skill_{}", i + 1),
                name: s.label.clone(),
                id: s.skill_id.clone(),
                level: s.level.to_string(),
                years: s.years.to_string(),
            })
            .collect();
        let filled = skills.len();
        skills.extend((filled + 1..=filled + SPARE_SKILL_ROWS).map(SkillRow::blank));
        let salary = view.salary_expectation.as_ref();
        ProfileForm {
            display_name: view.display_name.clone(),
            headline: view.headline.clone(),
            summary: view.summary.clone(),
            residence_jurisdiction: view.residence_jurisdiction.clone(),
            location_id: view.location_id.clone().unwrap_or_default(),
            nationality: view.nationality.clone().unwrap_or_default(),
            dependent_children: view.dependent_children.map(|c| c.to_string()).unwrap_or_default(),
            languages: language_rows(languages),
            skills,
            desired_jurisdictions: view.desired_jurisdictions.clone(),
            desired_location_ids: view.desired_location_ids.clone(),
            salary_amount: salary.map(|s| s.amount.to_string()).unwrap_or_default(),
            salary_currency: salary.map(|s| s.currency.clone()).unwrap_or_default(),
            salary_period: salary.map_or("month", |s| s.period.as_str()).to_owned(),
            visibility: view.visibility.as_str().to_owned(),
        }
    }

    pub fn from_pairs(pairs: &Pairs) -> Self {
        let text = |name: &str| pairs.one(name).to_owned();
        let languages = (1..=MAX_LANGUAGE_ROWS)
            .take_while(|n| pairs.has(&format!("language_{n}")))
            .map(|n| {
                (
                    text(&format!("language_{n}")),
                    text(&format!("language_{n}_level")),
                )
            })
            .collect();
        let skills = (1..=MAX_SKILL_ROWS)
            .take_while(|n| pairs.has(&format!("skill_{n}")))
            .map(|n| SkillRow {
                n,
                key: format!("skill_{n}"),
                name: text(&format!("skill_{n}")),
                id: text(&format!("skill_{n}_id")),
                level: text(&format!("skill_{n}_level")),
                years: text(&format!("skill_{n}_years")),
            })
            .collect();
        ProfileForm {
            display_name: text("display_name"),
            headline: text("headline"),
            summary: text("summary"),
            residence_jurisdiction: text("residence_jurisdiction"),
            location_id: text("location_id"),
            nationality: text("nationality"),
            dependent_children: text("dependent_children"),
            languages: language_rows(languages),
            skills,
            desired_jurisdictions: pairs.all("desired_jurisdictions"),
            desired_location_ids: pairs.all("desired_location_ids"),
            salary_amount: text("salary_amount"),
            salary_currency: text("salary_currency"),
            salary_period: text("salary_period"),
            visibility: text("visibility"),
        }
    }

    /// The profile to save, or every problem of the form at once: what did not parse here and
    /// what the profile's rules refuse, each beside its field.
    pub fn to_input(&self, registry: &Registry, t: &ProfileTexts) -> Result<ProfileInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut language_fields = Vec::new();
        let mut languages = Vec::new();
        for row in self.languages.iter().filter(|r| !r.code.trim().is_empty()) {
            languages.push(LanguageLevel {
                code: row.code.trim().to_owned(),
                // Not a number: 0, which the rules refuse beside the row.
                level: row.level.trim().parse().unwrap_or(0),
            });
            language_fields.push(row.field());
        }
        let (skills, skill_fields) = self.skills(registry, t, &mut errors);
        let mut number = |raw: &str, field: &str| -> Option<i64> {
            if raw.trim().is_empty() {
                return None;
            }
            let value = whole_number(raw);
            if value.is_none() {
                errors.push(FieldError::new(field, t.whole_number));
            }
            value
        };
        let dependent_children = number(&self.dependent_children, "dependent_children")
            .map(|c| i32::try_from(c).unwrap_or(i32::MAX));
        let salary_expectation =
            number(&self.salary_amount, "salary_amount").map(|amount| SalaryExpectation {
                amount,
                currency: self.salary_currency.clone(),
                period: SalaryPeriod::parse(&self.salary_period).unwrap_or(SalaryPeriod::Month),
            });
        let visibility = Visibility::parse(&self.visibility).unwrap_or_else(|| {
            errors.push(FieldError::new("visibility", t.choose));
            Visibility::Private
        });
        let some = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        let input = ProfileInput {
            display_name: self.display_name.clone(),
            headline: self.headline.trim().to_owned(),
            summary: self.summary.trim().to_owned(),
            residence_jurisdiction: self.residence_jurisdiction.clone(),
            location_id: some(&self.location_id),
            languages,
            skills,
            desired_jurisdictions: self.desired_jurisdictions.clone(),
            desired_location_ids: self.desired_location_ids.clone(),
            salary_expectation,
            visibility,
            nationality: some(&self.nationality).map(|n| n.to_uppercase()),
            dependent_children,
        };
        // The rules run even when something did not parse, so every problem shows at once.
        if let Err(crate::error::AppError::Validation(refused)) =
            crate::candidates::validation::validate(registry, &input)
        {
            let lists: [(&str, &[String]); 2] = [("skills", &skill_fields), ("languages", &language_fields)];
            for problem in refused {
                let field = form_field(&problem.field, &lists, &RENAMED);
                if !errors.iter().any(|e| e.field == field) {
                    errors.push(FieldError::new(field, problem.message));
                }
            }
        }
        if errors.is_empty() { Ok(input) } else { Err(errors) }
    }

    /// The skills named in filled rows, and the row each came from (for the rules' problems).
    fn skills(
        &self,
        registry: &Registry,
        t: &ProfileTexts,
        errors: &mut Vec<FieldError>,
    ) -> (Vec<SkillInput>, Vec<String>) {
        let mut skills: Vec<SkillInput> = Vec::new();
        let mut fields = Vec::new();
        for row in self.skills.iter().filter(|r| !r.name.trim().is_empty()) {
            let Some(skill) = skills::resolve(registry, &row.name, &row.id) else {
                errors.push(FieldError::new(row.field(), t.unknown_skill));
                continue;
            };
            if skills.iter().any(|s| s.skill_id == skill.id) {
                errors.push(FieldError::new(row.field(), t.same_skill));
                continue;
            }
            skills.push(SkillInput {
                skill_id: skill.id.clone(),
                level: row.level.trim().parse().unwrap_or(0),
                years: row.years.trim().parse().unwrap_or(-1),
            });
            fields.push(row.field());
        }
        (skills, fields)
    }
}

/// The rules' names for fields the form calls otherwise.
const RENAMED: [(&str, &str); 2] = [
    ("salary_expectation.amount", "salary_amount"),
    ("salary_expectation.currency", "salary_currency"),
];

/// The fields the form shows problems beside; others are listed above it.
pub fn shown_fields(form: &ProfileForm) -> Vec<String> {
    let mut fields: Vec<String> = [
        "display_name",
        "headline",
        "summary",
        "residence_jurisdiction",
        "location_id",
        "nationality",
        "dependent_children",
        "desired_jurisdictions",
        "desired_location_ids",
        "salary_amount",
        "salary_currency",
        "visibility",
        "skills",
        "languages",
    ]
    .map(str::to_owned)
    .to_vec();
    fields.extend(form.languages.iter().map(LanguageRow::field));
    fields.extend(form.skills.iter().map(SkillRow::field));
    fields
}

/// Exactly `LANGUAGE_ROWS` rows: the given ones, then empty ones (a profile with more languages
/// than rows keeps them all).
fn language_rows(given: Vec<(String, String)>) -> Vec<LanguageRow> {
    let count = given.len().max(LANGUAGE_ROWS);
    let mut given = given.into_iter();
    (1..=count)
        .map(|n| {
            let (code, level) = given.next().unwrap_or_else(|| (String::new(), "3".into()));
            LanguageRow {
                n,
                key: format!("language_{n}"),
                code,
                level,
            }
        })
        .collect()
}
