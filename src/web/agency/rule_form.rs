//! The equivalence rule form, shared by the new-rule form and the edit page: the fields as
//! typed, the lists they choose from, how they are read (every mistake at once, in the page's
//! language) and how the registry's refusals are shown beside them.

use actix_web::http::StatusCode;
use chrono::NaiveDate;
use serde::Deserialize;

use super::{AgencyTexts, parse_day};
use crate::error::{AppError, FieldError};
use crate::i18n::Locale;
use crate::registry::Registry;
use crate::registry::model::EquivalenceRow;
use crate::registry::resolve::Relation;
use crate::registry::service::{EquivalenceInput, EquivalencePatch, TextInput};
use crate::web::choices::{self, Choice, ChoiceGroup};
use crate::web::page::{FormErrors, Page};

const RELATIONS: [Relation; 3] = [Relation::Equivalent, Relation::Comparable, Relation::Partial];

/// The form as typed: every field as text.
#[derive(Deserialize, Default)]
pub(super) struct RuleForm {
    #[serde(default)]
    pub(super) from_qualification_id: String,
    #[serde(default)]
    pub(super) to_qualification_id: String,
    #[serde(default)]
    pub(super) to_jurisdiction: String,
    #[serde(default)]
    pub(super) to_level: String,
    #[serde(default)]
    pub(super) relation: String,
    #[serde(default)]
    pub(super) conditions_en: String,
    #[serde(default)]
    pub(super) conditions_zh_hans: String,
    #[serde(default)]
    pub(super) conditions_zh_hant: String,
    #[serde(default)]
    pub(super) authority: String,
    #[serde(default)]
    pub(super) source: String,
    #[serde(default)]
    pub(super) effective_from: String,
    #[serde(default)]
    pub(super) effective_to: String,
    pub(super) verify_before_use: Option<String>,
}

impl RuleForm {
    /// A stored rule as the edit form shows it.
    pub(super) fn of_row(row: &EquivalenceRow) -> Self {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        RuleForm {
            from_qualification_id: row.from_qualification_id.clone(),
            to_qualification_id: text(&row.to_qualification_id),
            to_jurisdiction: row.to_jurisdiction.clone(),
            to_level: text(&row.to_level_id),
            relation: row.relation.clone(),
            conditions_en: text(&row.conditions_en),
            conditions_zh_hans: text(&row.conditions_zh_hans),
            conditions_zh_hant: text(&row.conditions_zh_hant),
            authority: row.authority.clone(),
            source: text(&row.source),
            effective_from: row.effective_from.to_string(),
            effective_to: row.effective_to.map(|d| d.to_string()).unwrap_or_default(),
            verify_before_use: row.verify_before_use.then(|| "on".to_string()),
        }
    }
}

/// What the form's selects offer.
pub(super) struct RuleChoices {
    pub(super) qualifications: Vec<ChoiceGroup>,
    pub(super) levels: Vec<ChoiceGroup>,
    pub(super) jurisdictions: Vec<Choice>,
    pub(super) relations: Vec<(&'static str, &'static str)>,
}

impl RuleChoices {
    pub(super) fn of(registry: &Registry, locale: Locale, t: &AgencyTexts) -> Self {
        RuleChoices {
            qualifications: choices::qualifications(registry, locale),
            levels: choices::levels(registry, locale, |l| l.id.clone()),
            jurisdictions: choices::jurisdictions(registry, locale),
            relations: RELATIONS
                .iter()
                .map(|r| (r.as_str(), t.relation(r.as_str())))
                .collect(),
        }
    }
}

/// The form read: what both the new rule and the change to a rule are made of.
pub(super) struct Rule {
    from_qualification_id: String,
    to_qualification_id: Option<String>,
    to_jurisdiction: Option<String>,
    to_level: Option<String>,
    relation: Relation,
    conditions: Option<TextInput>,
    authority: String,
    source: Option<String>,
    effective_from: Option<NaiveDate>,
    effective_to: Option<NaiveDate>,
    verify_before_use: bool,
}

fn given(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|s| !s.is_empty())
}

impl Rule {
    /// Reads the form, every mistake at once. A new rule names its qualification and may leave
    /// its start empty (today); an edited rule keeps its qualification (another one would be
    /// another rule) and shows its start, so an emptied start is a mistake, not "today".
    pub(super) fn read(form: &RuleForm, t: &AgencyTexts, editing: bool) -> Result<Rule, AppError> {
        let mut errors = Vec::new();
        let from_qualification_id = given(&form.from_qualification_id).unwrap_or_default();
        if !editing && from_qualification_id.is_empty() {
            errors.push(FieldError::new("from_qualification_id", t.required));
        }
        let relation = Relation::parse(form.relation.trim());
        if relation.is_none() {
            errors.push(FieldError::new("relation", t.required));
        }
        if form.authority.trim().is_empty() {
            errors.push(FieldError::new("authority", t.required));
        }
        let mut day = |field: &str, text: &str| match parse_day(text) {
            Ok(day) => day,
            Err(()) => {
                errors.push(FieldError::new(field, t.bad_date));
                None
            }
        };
        let effective_from = day("effective_from", &form.effective_from);
        let effective_to = day("effective_to", &form.effective_to);
        if editing && form.effective_from.trim().is_empty() {
            errors.push(FieldError::new("effective_from", t.required));
        }
        let (en, hans, hant) = (
            given(&form.conditions_en),
            given(&form.conditions_zh_hans),
            given(&form.conditions_zh_hant),
        );
        let conditions = match en {
            Some(en) => Some(TextInput {
                en,
                zh_hans: hans,
                zh_hant: hant,
            }),
            None if hans.is_some() || hant.is_some() => {
                errors.push(FieldError::new("conditions_en", t.p_conditions_en));
                None
            }
            None => None,
        };
        let (Some(relation), true) = (relation, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        Ok(Rule {
            from_qualification_id,
            to_qualification_id: given(&form.to_qualification_id),
            to_jurisdiction: given(&form.to_jurisdiction),
            to_level: given(&form.to_level),
            relation,
            conditions,
            authority: form.authority.clone(),
            source: given(&form.source),
            effective_from,
            effective_to,
            verify_before_use: form.verify_before_use.is_some(),
        })
    }

    pub(super) fn into_input(self) -> EquivalenceInput {
        EquivalenceInput {
            from_qualification_id: self.from_qualification_id,
            to_qualification_id: self.to_qualification_id,
            to_jurisdiction: self.to_jurisdiction,
            to_level: self.to_level,
            relation: self.relation,
            conditions: self.conditions,
            authority: self.authority,
            source: self.source,
            effective_from: self.effective_from,
            effective_to: self.effective_to,
            verify_before_use: self.verify_before_use,
        }
    }

    /// Every field of the form replaces the stored one: an emptied optional field clears it, and
    /// an empty target jurisdiction is taken from the target (as when creating).
    pub(super) fn into_patch(self) -> EquivalencePatch {
        EquivalencePatch {
            to_qualification_id: Some(self.to_qualification_id),
            to_jurisdiction: Some(self.to_jurisdiction.unwrap_or_default()),
            to_level: Some(self.to_level),
            relation: Some(self.relation),
            conditions: Some(self.conditions),
            authority: Some(self.authority),
            source: Some(self.source),
            effective_from: self.effective_from,
            effective_to: Some(self.effective_to),
            verify_before_use: Some(self.verify_before_use),
        }
    }
}

/// What a refused form shows again: what was typed, the problems beside the fields, or the
/// other rule it would overlap.
#[derive(Default)]
pub(super) struct Refused {
    pub(super) form: RuleForm,
    pub(super) errors: FormErrors,
    pub(super) conflict: bool,
}

impl Refused {
    /// The form with the registry's refusal, and the status to answer; a refusal that is not
    /// about the form (403, 404, …) is handed back for its own page.
    pub(super) fn of(
        form: RuleForm,
        error: AppError,
        page: &Page,
    ) -> Result<(StatusCode, Refused), AppError> {
        let t = AgencyTexts::of(page.locale);
        let (status, errors, conflict) = match error {
            AppError::Validation(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors, false),
            AppError::Conflict(_) => (StatusCode::CONFLICT, Vec::new(), true),
            other => return Err(other),
        };
        let errors = errors
            .into_iter()
            .map(|e| {
                // The service names the nested JSON field; the form has one field per script.
                let field = if e.field == "conditions.en" {
                    "conditions_en".to_string()
                } else {
                    e.field
                };
                FieldError::new(field, t.problem(&e.message))
            })
            .collect();
        let refused = Refused {
            form,
            errors: page.form_errors(errors),
            conflict,
        };
        Ok((status, refused))
    }
}
