//! Routes into work as data: what a work-authorisation basis asks of a person (its conditions),
//! what taking it costs and involves (fee, processing time, authority, steps), and the checklist
//! item shape shared by the routes' steps and the cases' templates. The registry ships these in
//! `assets/registry/work_authorization_bases.json` and `assets/cases/templates.json`; admins edit
//! them. Code knows only the closed vocabulary of condition kinds, anchors and actors; which
//! scheme asks what of whom lives in the data.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::snapshot::Registry;
use crate::i18n::LocalizedText;
use crate::money::{Money, check_amount, check_currency};

/// A condition on a person's situation, a job or both. One key per object, e.g.
/// `{"group_any": ["mainland_resident"]}`, `{"min_level": "hkqf-5"}`,
/// `{"any_of": [{...}, {...}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// The person belongs to at least one of these situation groups.
    GroupAny(Vec<String>),
    /// A job offer in the destination is needed.
    JobOffer(bool),
    /// The job's employer sponsors the application.
    EmployerSponsors(bool),
    /// A credential at or above this qualification level (same framework, or through a stated
    /// comparability or equivalence).
    MinLevel(String),
    /// A credential awarded in a jurisdiction within a number of months (IANG).
    AwardedIn(AwardWindow),
    /// The job's pay, annualised, at least this much.
    MinAnnualIncome(Money),
    DependentChildrenAtLeast(u32),
    /// A credential (not rejected) of one of these qualifications.
    HoldsAnyQualification(Vec<String>),
    /// The job asks for one of these qualifications.
    JobRequiresAnyQualification(Vec<String>),
    /// A fact the platform cannot know (age, a university list): always left to verify.
    Check(LocalizedText),
    AnyOf(Vec<Condition>),
    AllOf(Vec<Condition>),
    Not(Box<Condition>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwardWindow {
    pub jurisdiction: String,
    pub within_months: u32,
    #[serde(default)]
    pub min_level: Option<String>,
}

/// A situation group: who a person is for the purposes of routes (a Mainland resident, a
/// Chinese national resident in Hong Kong, a foreign national …). Every key given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupRule {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nationality_in: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nationality_not_in: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub residence_in: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub residence_not_in: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holds_any_basis: Vec<String>,
}

/// `{min, max}` days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DayRange {
    pub min: u32,
    pub max: u32,
}

/// Where a step is done: an office or an online service, with its address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    pub name: LocalizedText,
    pub url: String,
}

/// Who acts on a checklist item: the party named in its `actor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Candidate,
    Employer,
    Agency,
}

/// The date a due date counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    Opened,
    OfferAccepted,
    VisaApproved,
    Arrival,
    EmploymentStart,
}

impl Anchor {
    pub const ALL: [Anchor; 5] = [
        Anchor::Opened,
        Anchor::OfferAccepted,
        Anchor::VisaApproved,
        Anchor::Arrival,
        Anchor::EmploymentStart,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Anchor::Opened => "opened",
            Anchor::OfferAccepted => "offer_accepted",
            Anchor::VisaApproved => "visa_approved",
            Anchor::Arrival => "arrival",
            Anchor::EmploymentStart => "employment_start",
        }
    }

    pub fn parse(value: &str) -> Option<Anchor> {
        Anchor::ALL.into_iter().find(|a| a.as_str() == value)
    }
}

/// `{anchor, days}`: due `days` after the anchor's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DueRule {
    pub anchor: Anchor,
    pub days: i32,
}

/// One thing to do in a case: the template's common items and a route's steps share it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChecklistItem {
    pub code: String,
    /// permit, credential, licensing, social_security, medical, schooling, tax, housing, other.
    pub category: String,
    pub title: LocalizedText,
    pub actor: Party,
    pub authority: LocalizedText,
    #[serde(default)]
    pub channel: Option<Channel>,
    /// What to bring.
    #[serde(default)]
    pub documents: Vec<LocalizedText>,
    #[serde(default)]
    pub fee: Option<Money>,
    #[serde(default)]
    pub processing_days: Option<DayRange>,
    pub due_rule: DueRule,
    /// When it fails, the item is `not_applicable` with a reason.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub condition: Option<Condition>,
    /// When it fails, the item is left out (licensing items that only some people need).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub include_when: Option<Condition>,
    pub source_url: String,
    pub checked_on: NaiveDate,
    #[serde(default)]
    pub verify_before_use: bool,
    #[serde(default)]
    pub effective_from: Option<NaiveDate>,
    /// The day the rule ended (exclusive); a later extension is a new item.
    #[serde(default)]
    pub effective_to: Option<NaiveDate>,
}

impl ChecklistItem {
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        in_force(self.effective_from, self.effective_to, day)
    }
}

/// How a basis is obtained, and what it asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// False for a status one holds rather than applies for (permanent residence, citizenship).
    pub open_to_application: bool,
    /// Order among routes of equal status: lower first.
    #[serde(default)]
    pub preference: i32,
    /// All must hold.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub conditions: Vec<Condition>,
    #[serde(default)]
    pub first_grant_months: Option<u32>,
    #[serde(default)]
    pub processing_days: Option<DayRange>,
    #[serde(default)]
    pub fee: Option<Money>,
    pub authority: LocalizedText,
    #[serde(default)]
    pub channel: Option<Channel>,
    pub source_url: String,
    pub checked_on: NaiveDate,
    #[serde(default)]
    pub verify_before_use: bool,
    #[serde(default)]
    pub effective_from: Option<NaiveDate>,
    #[serde(default)]
    pub effective_to: Option<NaiveDate>,
    /// The route's own checklist items, added to a case that takes it.
    #[serde(default)]
    pub steps: Vec<ChecklistItem>,
}

impl Route {
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        in_force(self.effective_from, self.effective_to, day)
    }
}

/// From `from` (inclusive) up to `to` (exclusive).
fn in_force(from: Option<NaiveDate>, to: Option<NaiveDate>, day: NaiveDate) -> bool {
    from.is_none_or(|from| from <= day) && to.is_none_or(|to| day < to)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_are_one_key_objects_and_unknown_kinds_are_refused() {
        let parsed: Condition = serde_json::from_str(
            r#"{"any_of": [{"group_any": ["a"]}, {"not": {"min_level": "x"}}, {"awarded_in": {"jurisdiction": "J", "within_months": 6}}]}"#,
        )
        .unwrap();
        let Condition::AnyOf(children) = parsed else {
            panic!("any_of expected");
        };
        assert_eq!(children.len(), 3);
        assert!(serde_json::from_str::<Condition>(r#"{"age_at_least": 65}"#).is_err());
        assert!(
            serde_json::from_str::<Condition>(r#"{"job_offer": true, "employer_sponsors": true}"#).is_err()
        );
    }

    #[test]
    fn a_rule_is_in_force_up_to_its_end_day() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let end = Some(day("2026-10-04"));
        assert!(in_force(None, end, day("2026-10-03")));
        assert!(!in_force(None, end, day("2026-10-04")));
        assert!(!in_force(Some(day("2027-01-01")), None, day("2026-12-03")));
    }
}
