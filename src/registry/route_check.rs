//! What is wrong with a route or a checklist item, named by field: links, texts, amounts, and
//! every name a condition uses checked against the registry. Admins' edits and the shipped data
//! pass through here.

use super::route::{Category, Channel, ChecklistItem, Condition, DayRange, Route};
use super::snapshot::Registry;
use crate::i18n::LocalizedText;
use crate::money::{Money, check_amount, check_currency};

/// An https address of reasonable length.
fn is_https(url: &str) -> bool {
    url.starts_with("https://") && url.len() <= 500
}

impl Condition {
    /// The first name the condition uses that the registry lacks (a group, a level, a
    /// qualification, a jurisdiction, a currency).
    pub fn unknown_name(&self, registry: &Registry) -> Option<String> {
        let first_missing =
            |names: &[String], known: &dyn Fn(&str) -> bool| names.iter().find(|n| !known(n)).cloned();
        match self {
            Condition::GroupAny(groups) => first_missing(groups, &|g| registry.group(g).is_some()),
            Condition::MinLevel(level) => {
                first_missing(std::slice::from_ref(level), &|l| registry.levels.contains_key(l))
            }
            Condition::AwardedIn(window) => registry
                .jurisdiction(&window.jurisdiction)
                .is_none()
                .then(|| window.jurisdiction.clone())
                .or_else(|| {
                    let level = window.min_level.as_ref()?;
                    (!registry.levels.contains_key(level)).then(|| level.clone())
                }),
            Condition::HoldsAnyQualification(ids) | Condition::JobRequiresAnyQualification(ids) => {
                first_missing(ids, &|q| registry.qualifications.contains_key(q))
            }
            Condition::MinAnnualIncome(money) => check_currency(registry.currencies(), &money.currency)
                .err()
                .map(|_| money.currency.clone()),
            Condition::AnyOf(children) | Condition::AllOf(children) => {
                children.iter().find_map(|c| c.unknown_name(registry))
            }
            Condition::Not(inner) => inner.unknown_name(registry),
            Condition::JobOffer(_)
            | Condition::EmployerSponsors(_)
            | Condition::DependentChildrenAtLeast(_)
            | Condition::Check(_) => None,
        }
    }
}

/// Checks shared by checklist items and routes: `(field, message)` for each problem.
fn common_problems(
    authority: &LocalizedText,
    channel: Option<&Channel>,
    source_url: &str,
    fee: Option<&Money>,
    processing_days: Option<DayRange>,
) -> Vec<(String, String)> {
    let mut errors = Vec::new();
    let https = "an https:// address of at most 500 characters".to_owned();
    if !is_https(source_url) {
        errors.push(("source_url".into(), https.clone()));
    }
    if channel.is_some_and(|c| !is_https(&c.url)) {
        errors.push(("channel.url".into(), https));
    }
    if authority.en.trim().is_empty() || authority.en.chars().count() > 300 {
        errors.push(("authority.en".into(), "1–300 characters".into()));
    }
    if fee.is_some_and(|fee| check_amount(fee.amount).is_err()) {
        errors.push(("fee.amount".into(), "0 or more, within bounds".into()));
    }
    if processing_days.is_some_and(|d| d.min > d.max) {
        errors.push(("processing_days".into(), "min must not exceed max".into()));
    }
    errors
}

fn condition_problems<'a>(
    conditions: impl IntoIterator<Item = (String, &'a Condition)>,
    registry: Option<&Registry>,
) -> Vec<(String, String)> {
    let Some(registry) = registry else {
        return Vec::new();
    };
    conditions
        .into_iter()
        .filter_map(|(field, condition)| {
            let unknown = condition.unknown_name(registry)?;
            Some((
                field,
                format!("names {unknown:?}, which the registry does not have"),
            ))
        })
        .collect()
}

impl ChecklistItem {
    /// What is wrong with the item's details; with a registry, the names its conditions use
    /// must exist in it.
    pub fn problems(&self, registry: Option<&Registry>) -> Vec<(String, String)> {
        let mut errors = common_problems(
            &self.authority,
            self.channel.as_ref(),
            &self.source_url,
            self.fee.as_ref(),
            self.processing_days,
        );
        if !Category::is_one(&self.category) {
            errors.push(("category".into(), Category::expected()));
        }
        if self.documents.len() > 30 {
            errors.push(("documents".into(), "at most 30 documents".into()));
        }
        let conditions = [
            ("condition", &self.condition),
            ("include_when", &self.include_when),
        ]
        .into_iter()
        .filter_map(|(field, c)| Some((field.to_owned(), c.as_ref()?)));
        errors.extend(condition_problems(conditions, registry));
        errors
    }
}

impl Route {
    /// What is wrong with the route: its own details, its conditions, and each step's, every
    /// problem named by its field.
    pub fn problems(&self, registry: &Registry) -> Vec<(String, String)> {
        let mut errors = common_problems(
            &self.authority,
            self.channel.as_ref(),
            &self.source_url,
            self.fee.as_ref(),
            self.processing_days,
        );
        let conditions = self
            .conditions
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("conditions[{i}]"), c));
        errors.extend(condition_problems(conditions, Some(registry)));
        let mut codes = std::collections::HashSet::new();
        for (i, step) in self.steps.iter().enumerate() {
            if !codes.insert(step.code.as_str()) {
                errors.push((format!("steps[{i}].code"), "appears twice".into()));
            }
            for (field, message) in step.problems(Some(registry)) {
                errors.push((format!("steps[{i}].{field}"), message));
            }
        }
        errors
    }
}
