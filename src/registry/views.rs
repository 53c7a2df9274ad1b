//! What the registry endpoints answer: rows turned into the API's shapes, labels picked by the
//! caller's language.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::model::*;
use super::resolve::{Outcome, Relation, Via};
use super::route::{GroupRule, Route};
use super::snapshot::{Registry, SituationGroup, Skill};
use crate::i18n::{Locale, LocalizedText};

#[derive(Debug, Serialize, ToSchema)]
pub struct JurisdictionView {
    /// `CN` or `HK` (a table: more can be added).
    pub code: String,
    pub name: String,
    pub names: LocalizedText,
    #[schema(pattern = "^[A-Z]{3}$")]
    pub currency: String,
    pub languages: Vec<String>,
    pub qualifications_framework: String,
    /// How its company registration numbers are written; `null` when the registry has no form.
    pub registration_number: Option<RegistrationFormat>,
}

impl JurisdictionView {
    pub fn new(row: &JurisdictionRow, locale: Locale) -> Self {
        let names = LocalizedText::new(&row.name_en, &row.name_zh_hans, &row.name_zh_hant);
        Self {
            code: row.code.clone(),
            name: names.get(locale).to_owned(),
            names,
            currency: row.currency.clone(),
            languages: serde_json::from_str(&row.languages).unwrap_or_default(),
            qualifications_framework: row.qualifications_framework.clone(),
            registration_number: row.registration_format(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LocationView {
    pub id: String,
    #[schema(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: String,
    #[schema(value_type = LocationKind)]
    pub kind: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub names: LocalizedText,
}

impl LocationView {
    pub fn new(row: &LocationRow, locale: Locale) -> Self {
        let names = LocalizedText::new(&row.name_en, &row.name_zh_hans, &row.name_zh_hant);
        Self {
            id: row.id.clone(),
            jurisdiction: row.jurisdiction.clone(),
            kind: row.kind.clone(),
            parent_id: row.parent_id.clone(),
            name: names.get(locale).to_owned(),
            names,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillView {
    pub id: String,
    pub slug: String,
    /// The label in the caller's language (`Accept-Language`).
    pub label: String,
    pub labels: LocalizedText,
    pub category: String,
    pub aliases: Vec<String>,
}

impl SkillView {
    pub fn new(skill: &Skill, locale: Locale) -> Self {
        Self {
            id: skill.id.clone(),
            slug: skill.id.clone(),
            label: skill.labels.get(locale).to_owned(),
            labels: skill.labels.clone(),
            category: skill.category_id.clone(),
            aliases: skill.aliases.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QualificationView {
    pub id: String,
    #[schema(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: String,
    pub framework: String,
    /// The framework level's id, e.g. `hkqf-5` or `cn-academic-bachelor`; none for professional titles.
    pub level: Option<String>,
    pub level_name: Option<String>,
    pub level_rank: Option<i32>,
    #[schema(value_type = super::service::QualificationKind)]
    pub kind: String,
    pub title: LocalizedText,
    pub awarding_body: LocalizedText,
}

impl QualificationView {
    pub fn new(row: &QualificationRow, registry: &Registry, locale: Locale) -> Self {
        let level = row.level_id.as_ref().and_then(|id| registry.levels.get(id));
        Self {
            id: row.id.clone(),
            jurisdiction: row.jurisdiction.clone(),
            framework: row.framework.clone(),
            level: row.level_id.clone(),
            level_name: level.map(|l| level_name(l).get(locale).to_owned()),
            level_rank: level.map(|l| l.rank),
            kind: row.kind.clone(),
            title: row.title(),
            awarding_body: row.awarding_body(),
        }
    }
}

pub fn level_name(level: &LevelRow) -> LocalizedText {
    LocalizedText::new(&level.name_en, &level.name_zh_hans, &level.name_zh_hant)
}

/// Where a rule stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleStatus {
    Active,
    Scheduled,
    Retired,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EquivalenceView {
    pub id: String,
    pub from_qualification_id: String,
    pub to_qualification_id: Option<String>,
    pub to_jurisdiction: String,
    /// A framework level id in the target jurisdiction.
    pub to_level: Option<String>,
    pub relation: Relation,
    pub conditions: Option<LocalizedText>,
    pub authority: String,
    pub source: Option<String>,
    pub effective_from: NaiveDate,
    /// First day the rule no longer applies.
    pub effective_to: Option<NaiveDate>,
    pub verify_before_use: bool,
    pub status: RuleStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl EquivalenceView {
    pub fn new(row: &EquivalenceRow, today: NaiveDate) -> Self {
        let status = if row.in_force_on(today) {
            RuleStatus::Active
        } else if row.effective_from > today && row.effective_to.is_none_or(|to| to > row.effective_from) {
            RuleStatus::Scheduled
        } else {
            RuleStatus::Retired
        };
        Self {
            id: row.id.clone(),
            from_qualification_id: row.from_qualification_id.clone(),
            to_qualification_id: row.to_qualification_id.clone(),
            to_jurisdiction: row.to_jurisdiction.clone(),
            to_level: row.to_level_id.clone(),
            relation: Relation::parse(&row.relation).unwrap_or(Relation::Partial),
            conditions: row.conditions(),
            authority: row.authority.clone(),
            source: row.source.clone(),
            effective_from: row.effective_from,
            effective_to: row.effective_to,
            verify_before_use: row.verify_before_use,
            status,
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResolutionView {
    pub qualification_id: String,
    pub to_jurisdiction: String,
    pub outcome: Outcome,
    /// `direct` (an equivalence rule), `framework_level` (level comparability),
    /// `same_jurisdiction`, or null when nothing applies.
    pub via: Option<Via>,
    pub equivalence_id: Option<String>,
    /// The framework-level comparability used, when `via` is `framework_level`.
    pub comparability_id: Option<String>,
    pub to_qualification_id: Option<String>,
    pub to_level: Option<String>,
    /// The conditions in the caller's language.
    pub conditions: Option<String>,
    pub authority: Option<String>,
    pub verify_before_use: bool,
    /// One sentence in the caller's language saying what applies and by which rule.
    pub explanation: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkAuthorizationBasisView {
    pub code: String,
    #[schema(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: String,
    pub name: String,
    pub names: LocalizedText,
    pub description: String,
    pub authorizes_work: bool,
    pub requires_job_offer: bool,
    pub employer_sponsored: bool,
    pub time_limited: bool,
    pub source: String,
    /// Who may take it and how (conditions, fee, processing days, authority, steps); `null` for
    /// a basis the data does not describe as a route.
    pub route: Option<Route>,
}

impl WorkAuthorizationBasisView {
    pub fn new(row: &WorkAuthorizationBasisRow, route: Option<&Route>, locale: Locale) -> Self {
        let names = LocalizedText::new(&row.name_en, &row.name_zh_hans, &row.name_zh_hant);
        let descriptions = LocalizedText::new(
            &row.description_en,
            &row.description_zh_hans,
            &row.description_zh_hant,
        );
        Self {
            code: row.code.clone(),
            jurisdiction: row.jurisdiction.clone(),
            name: names.get(locale).to_owned(),
            names,
            description: descriptions.get(locale).to_owned(),
            authorizes_work: row.authorizes_work,
            requires_job_offer: row.requires_job_offer,
            employer_sponsored: row.employer_sponsored,
            time_limited: row.time_limited,
            source: row.source.clone(),
            route: route.cloned(),
        }
    }
}

/// A situation group: who a person is for the purposes of routes.
#[derive(Debug, Serialize, ToSchema)]
pub struct SituationGroupView {
    pub code: String,
    pub name: String,
    pub description: String,
    /// Every key given must hold: `nationality_in`, `nationality_not_in`, `residence_in`,
    /// `residence_not_in`, `holds_any_basis`.
    #[schema(value_type = Object)]
    pub rule: GroupRule,
}

impl SituationGroupView {
    pub fn new(group: &SituationGroup, locale: Locale) -> Self {
        SituationGroupView {
            code: group.code.clone(),
            name: group.name.get(locale).to_owned(),
            description: group.description.get(locale).to_owned(),
            rule: group.rule.clone(),
        }
    }
}
