//! The job form's page: the registry's lists named in the page's language, the rows, and each
//! problem beside its field.

use askama::Template;

use super::{JobForm, LEVEL, LanguageRow, SkillRow};
use crate::employers::views::EmployerView;
use crate::error::{AppError, FieldError};
use crate::i18n::Locale;
use crate::jobs::input::EMPLOYMENT_TYPES;
use crate::registry::Registry;
use crate::web::choices::{self, Choice, ChoiceGroup, LEVELS};
use crate::web::employer::EmployerTexts;
use crate::web::page::{FormErrors, Page, render};

const PERIODS: [&str; 3] = ["hour", "month", "year"];
/// The fields the form shows problems beside, apart from its rows; others are listed above it.
const FIELDS: [&str; 14] = [
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
    "qualification",
    "skills",
    "languages",
];

/// What the page is for: posting a job, or editing one (whose employer does not change).
pub(in crate::web::employer) struct Purpose {
    pub heading: &'static str,
    pub note: &'static str,
    pub action: String,
    pub submit: &'static str,
    /// Editing: the job's employer, named; posting: `None`, the person chooses.
    pub employer: Option<String>,
}

#[derive(Template)]
#[template(path = "web/employer/job_form.html")]
struct JobFormPage<'a> {
    page: &'a Page,
    t: &'static EmployerTexts,
    purpose: Purpose,
    employers: Vec<EmployerView>,
    locations: Vec<ChoiceGroup>,
    qualifications: Vec<ChoiceGroup>,
    currencies: Vec<String>,
    employment_types: Vec<Choice>,
    periods: Vec<Choice>,
    languages: Vec<Choice>,
    levels: [&'static str; 5],
    skill_rows: Vec<SkillRow>,
    language_rows: Vec<LanguageRow>,
    form: JobForm,
    errors: FormErrors,
    others: Vec<FieldError>,
}

/// The form page, with `errors` beside their fields and what was typed kept.
pub(in crate::web::employer) fn render_form(
    page: &Page,
    registry: &Registry,
    purpose: Purpose,
    employers: Vec<EmployerView>,
    form: JobForm,
    errors: Vec<FieldError>,
) -> Result<String, AppError> {
    let t = EmployerTexts::of(page.locale);
    let locale = page.locale;
    let mut currencies: Vec<String> = registry.currencies().map(str::to_owned).collect();
    currencies.dedup();
    let named = |values: &[&str], label: &dyn Fn(&str) -> &'static str| -> Vec<Choice> {
        values
            .iter()
            .map(|v| Choice {
                value: (*v).to_owned(),
                label: label(v).to_owned(),
            })
            .collect()
    };
    let skill_rows = form.skill_rows();
    let language_rows = form.language_rows();
    let languages = choices::languages(page.t, language_rows.iter().map(|r| r.code.as_str()));
    let mut shown: Vec<String> = FIELDS.iter().map(|f| (*f).to_owned()).collect();
    shown.extend(skill_rows.iter().map(|r| r.field.clone()));
    shown.extend(language_rows.iter().map(|r| r.field.clone()));
    let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
    let errors = page.form_errors(errors);
    let others = errors.others(&shown).cloned().collect();
    render(&JobFormPage {
        page,
        t,
        purpose,
        employers,
        locations: choices::locations(registry, locale),
        qualifications: qualifications(registry, locale, t),
        currencies,
        employment_types: named(&EMPLOYMENT_TYPES, &|v| t.employment_type(v)),
        periods: named(&PERIODS, &|v| t.period(v)),
        languages,
        levels: LEVELS,
        skill_rows,
        language_rows,
        form,
        errors,
        others,
    })
}

/// The registry's qualifications (`choices::qualifications`), then each jurisdiction's
/// framework levels by rank: a job asks for one or the other.
fn qualifications(registry: &Registry, locale: Locale, t: &EmployerTexts) -> Vec<ChoiceGroup> {
    let mut groups = choices::qualifications(registry, locale);
    let levels = choices::levels(registry, locale, |l| format!("{LEVEL}{}", l.id));
    groups.extend(levels.into_iter().map(|g| ChoiceGroup {
        label: format!("{} · {}", g.label, t.framework_levels),
        ..g
    }));
    groups
}
