//! Registry rows as stored.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{
    equivalences, jurisdictions, level_comparabilities, locations, qualification_levels, qualifications,
    situation_groups, skill_categories, skills, work_authorization_bases,
};
use crate::i18n::LocalizedText;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = jurisdictions)]
pub struct JurisdictionRow {
    pub code: String,
    pub name_en: String,
    pub name_zh_hans: String,
    pub name_zh_hant: String,
    pub currency: String,
    /// JSON array of language codes.
    pub languages: String,
    pub qualifications_framework: String,
    /// JSON of a [`RegistrationFormat`]; empty when none is known.
    pub registration_number: String,
}

impl JurisdictionRow {
    pub fn registration_format(&self) -> Option<RegistrationFormat> {
        serde_json::from_str(&self.registration_number).ok()
    }
}

/// How a company registration number of a jurisdiction is written: a pattern over the number
/// upper-cased without spaces, the part kept (a capture group), and a check algorithm chosen by
/// name from the closed set `employers::registration` implements.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RegistrationFormat {
    pub name: LocalizedText,
    /// A regular expression over the number upper-cased without spaces.
    pub pattern: String,
    /// A regular expression whose first group is the part stored.
    #[serde(default)]
    pub keep: Option<String>,
    /// `gb32100` (GB 32100-2015 check character) or `none`.
    pub check: String,
    #[serde(default)]
    pub example: Option<String>,
}

/// What a location is; the vocabulary of `locations.kind` (its CHECK holds the column to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    City,
    District,
    CooperationZone,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = locations)]
pub struct LocationRow {
    pub id: String,
    pub jurisdiction: String,
    pub kind: String,
    pub parent_id: Option<String>,
    pub name_en: String,
    pub name_zh_hans: String,
    pub name_zh_hant: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = qualification_levels)]
pub struct LevelRow {
    pub id: String,
    pub jurisdiction: String,
    pub framework: String,
    pub rank: i32,
    pub name_en: String,
    pub name_zh_hans: String,
    pub name_zh_hant: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = level_comparabilities)]
pub struct ComparabilityRow {
    pub id: String,
    pub from_level_id: String,
    pub to_level_id: String,
    pub relation: String,
    pub authority: String,
    pub source: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = qualifications)]
pub struct QualificationRow {
    pub id: String,
    pub jurisdiction: String,
    pub framework: String,
    pub level_id: Option<String>,
    pub kind: String,
    pub title_en: String,
    pub title_zh_hans: String,
    pub title_zh_hant: String,
    pub awarding_body_en: String,
    pub awarding_body_zh_hans: String,
    pub awarding_body_zh_hant: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl QualificationRow {
    pub fn title(&self) -> LocalizedText {
        LocalizedText::new(&self.title_en, &self.title_zh_hans, &self.title_zh_hant)
    }

    pub fn awarding_body(&self) -> LocalizedText {
        LocalizedText::new(
            &self.awarding_body_en,
            &self.awarding_body_zh_hans,
            &self.awarding_body_zh_hant,
        )
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = equivalences, treat_none_as_null = true)]
pub struct EquivalenceRow {
    pub id: String,
    pub from_qualification_id: String,
    pub to_qualification_id: Option<String>,
    pub to_jurisdiction: String,
    pub to_level_id: Option<String>,
    pub relation: String,
    pub conditions_en: Option<String>,
    pub conditions_zh_hans: Option<String>,
    pub conditions_zh_hant: Option<String>,
    pub authority: String,
    pub source: Option<String>,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
    pub verify_before_use: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl EquivalenceRow {
    pub fn conditions(&self) -> Option<LocalizedText> {
        self.conditions_en.as_ref().map(|en| LocalizedText {
            en: en.clone(),
            zh_hans: self.conditions_zh_hans.clone().unwrap_or_default(),
            zh_hant: self.conditions_zh_hant.clone().unwrap_or_default(),
        })
    }

    pub fn set_conditions(&mut self, conditions: Option<LocalizedText>) {
        let non_empty = |s: String| (!s.trim().is_empty()).then_some(s);
        match conditions {
            Some(text) => {
                self.conditions_en = Some(text.en);
                self.conditions_zh_hans = non_empty(text.zh_hans);
                self.conditions_zh_hant = non_empty(text.zh_hant);
            }
            None => {
                self.conditions_en = None;
                self.conditions_zh_hans = None;
                self.conditions_zh_hant = None;
            }
        }
    }

    /// In force on `day`: from `effective_from` up to, not including, `effective_to`.
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        self.effective_from <= day && self.effective_to.is_none_or(|to| day < to)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = work_authorization_bases)]
pub struct WorkAuthorizationBasisRow {
    pub code: String,
    pub jurisdiction: String,
    pub name_en: String,
    pub name_zh_hans: String,
    pub name_zh_hant: String,
    pub description_en: String,
    pub description_zh_hans: String,
    pub description_zh_hant: String,
    pub authorizes_work: bool,
    pub requires_job_offer: bool,
    pub employer_sponsored: bool,
    pub time_limited: bool,
    pub source: String,
    /// JSON of a [`super::route::Route`]; empty until the shipped data fills it.
    pub route: String,
}

impl WorkAuthorizationBasisRow {
    pub fn name(&self) -> LocalizedText {
        LocalizedText::new(&self.name_en, &self.name_zh_hans, &self.name_zh_hant)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = situation_groups)]
pub struct SituationGroupRow {
    pub code: String,
    pub name_en: String,
    pub name_zh_hans: String,
    pub name_zh_hant: String,
    pub description_en: String,
    pub description_zh_hans: String,
    pub description_zh_hant: String,
    /// JSON of a [`super::route::GroupRule`].
    pub rule: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = skill_categories)]
pub struct SkillCategoryRow {
    pub id: String,
    pub label_en: String,
    pub label_zh_hans: String,
    pub label_zh_hant: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = skills)]
pub struct SkillRow {
    pub id: String,
    pub category_id: String,
    pub label_en: String,
    pub label_zh_hans: String,
    pub label_zh_hant: String,
    /// JSON array of strings.
    pub aliases: String,
}
