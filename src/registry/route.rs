//! Routes into work as data: what a work-authorisation basis asks of a person (its conditions),
//! what taking it costs and involves (fee, processing time, authority, steps), and the checklist
//! item shape shared by the routes' steps and the cases' templates. The registry ships these in
//! `assets/registry/work_authorization_bases.json` and `assets/cases/templates.json`; admins edit
//! them. Code knows only the closed vocabulary of condition kinds, anchors and actors; which
//! scheme asks what of whom lives in the data.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::i18n::LocalizedText;
use crate::money::Money;

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

/// The OpenAPI schema states what serde accepts: an object with exactly one of the keys, each
/// with its type; `any_of`, `all_of` and `not` nest conditions.
impl utoipa::PartialSchema for Condition {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AdditionalProperties, ArrayBuilder, ObjectBuilder, Type};
        use utoipa::openapi::{Ref, RefOr};
        let of = |kind: Type| ObjectBuilder::new().schema_type(kind);
        let count = || of(Type::Integer).minimum(Some(0)).maximum(Some(u32::MAX));
        let names = || ArrayBuilder::new().items(of(Type::String));
        let nested = || RefOr::Ref(Ref::from_schema_name("Condition"));
        let window = of(Type::Object)
            .property("jurisdiction", of(Type::String))
            .property("within_months", count())
            .property("min_level", of(Type::String))
            .required("jurisdiction")
            .required("within_months")
            .additional_properties(Some(AdditionalProperties::FreeForm(false)));
        of(Type::Object)
            .description(Some(
                "A condition on a person's situation or a job: an object with exactly one of these keys",
            ))
            .property("group_any", names())
            .property("job_offer", of(Type::Boolean))
            .property("employer_sponsors", of(Type::Boolean))
            .property("min_level", of(Type::String))
            .property("awarded_in", window)
            .property("min_annual_income", RefOr::Ref(Ref::from_schema_name("Money")))
            .property("dependent_children_at_least", count())
            .property("holds_any_qualification", names())
            .property("job_requires_any_qualification", names())
            .property("check", RefOr::Ref(Ref::from_schema_name("LocalizedText")))
            .property("any_of", ArrayBuilder::new().items(nested()))
            .property("all_of", ArrayBuilder::new().items(nested()))
            .property("not", nested())
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
            .min_properties(Some(1))
            .max_properties(Some(1))
            .into()
    }
}

impl ToSchema for Condition {
    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        use utoipa::PartialSchema;
        schemas.push(("Money".into(), Money::schema()));
        schemas.push(("LocalizedText".into(), LocalizedText::schema()));
    }
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

/// What a checklist item is about: the vocabulary of `category` on template items, route steps
/// and case tasks. The items keep it as a string so that a wrong one is reported by field
/// (`[1].category`) with the rest of a checklist's problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Permit,
    Credential,
    Licensing,
    SocialSecurity,
    Medical,
    Schooling,
    Tax,
    Housing,
    Other,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Category::Permit,
        Category::Credential,
        Category::Licensing,
        Category::SocialSecurity,
        Category::Medical,
        Category::Schooling,
        Category::Tax,
        Category::Housing,
        Category::Other,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Category::Permit => "permit",
            Category::Credential => "credential",
            Category::Licensing => "licensing",
            Category::SocialSecurity => "social_security",
            Category::Medical => "medical",
            Category::Schooling => "schooling",
            Category::Tax => "tax",
            Category::Housing => "housing",
            Category::Other => "other",
        }
    }

    pub fn is_one(value: &str) -> bool {
        Category::ALL.iter().any(|c| c.as_str() == value)
    }

    /// The problem message for a value that is none of them.
    pub fn expected() -> String {
        let names: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
        format!("one of {}", names.join(", "))
    }
}

/// One thing to do in a case: the template's common items and a route's steps share it. Dates
/// that may be absent are documented as optional strings rather than nullable ones: a client
/// leaves them out (null is read as absent too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChecklistItem {
    pub code: String,
    #[schema(value_type = Category)]
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
    pub condition: Option<Condition>,
    /// When it fails, the item is left out (licensing items that only some people need).
    #[serde(default)]
    pub include_when: Option<Condition>,
    pub source_url: String,
    pub checked_on: NaiveDate,
    #[serde(default)]
    pub verify_before_use: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String, format = Date)]
    pub effective_from: Option<NaiveDate>,
    /// The day the rule ended (exclusive); a later extension is a new item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String, format = Date)]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String, format = Date)]
    pub effective_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String, format = Date)]
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
