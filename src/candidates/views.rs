//! What the candidate endpoints answer: rows turned into the API's shapes, registry labels in the
//! caller's language.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::*;
use crate::i18n::Locale;
use crate::languages::LanguageLevel;
use crate::money::SalaryPeriod;
use crate::registry::Registry;

/// A salary expectation: whole units of a currency, per period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SalaryExpectation {
    #[schema(minimum = 0, maximum = 1000000000)]
    pub amount: i64,
    /// `CNY` or `HKD`.
    #[schema(pattern = "^[A-Z]{3}$")]
    pub currency: String,
    pub period: SalaryPeriod,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillLevelView {
    pub skill_id: String,
    /// The skill's label in the caller's language.
    pub label: String,
    /// 1–5.
    pub level: i32,
    pub years: i32,
}

/// A candidate profile. `id` is what others use to refer to the candidate.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileView {
    pub id: String,
    pub display_name: String,
    pub headline: String,
    pub summary: String,
    #[schema(pattern = "^[A-Z]{2}$")]
    pub residence_jurisdiction: String,
    pub location_id: Option<String>,
    pub languages: Vec<LanguageLevel>,
    pub skills: Vec<SkillLevelView>,
    pub desired_jurisdictions: Vec<String>,
    pub desired_location_ids: Vec<String>,
    pub salary_expectation: Option<SalaryExpectation>,
    pub visibility: Visibility,
    /// ISO 3166-1 alpha-2. Null for every reader but the candidate and the agency.
    pub nationality: Option<String>,
    /// Null for every reader but the candidate and the agency.
    pub dependent_children: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ProfileView {
    /// The profile `reader` may see, decided on the stored record (an index may trail a
    /// withdrawal or an erasure by a moment; an answer never does); a cross-border sight is
    /// added to `reads` for the audit.
    pub fn if_visible(
        candidate: &CandidateRecords,
        reader: &super::visibility::Reader<'_>,
        registry: &Registry,
        locale: Locale,
        reads: &mut Vec<super::visibility::CrossBorderRead>,
    ) -> Option<Self> {
        let sight = super::visibility::decide(super::visibility::subject(candidate), reader);
        if !sight.is_visible() {
            return None;
        }
        reads.extend(sight.cross_border_read(&candidate.row));
        let view = Self::new(
            &candidate.row,
            &candidate.languages,
            &candidate.skills,
            registry,
            locale,
        );
        Some(view.seen_as(&sight))
    }

    /// What `sight` may see of the profile: the candidate's private situation (nationality,
    /// children) only for themself and the agency.
    pub fn seen_as(mut self, sight: &super::visibility::Sight) -> Self {
        if !sight.sees_private_situation() {
            self.nationality = None;
            self.dependent_children = None;
        }
        self
    }

    pub fn new(
        row: &CandidateRow,
        languages: &[LanguageRow],
        skills: &[SkillRow],
        registry: &Registry,
        locale: Locale,
    ) -> Self {
        let salary_expectation = match (&row.salary_amount, &row.salary_currency, &row.salary_period) {
            (Some(amount), Some(currency), Some(period)) => {
                SalaryPeriod::parse(period).map(|period| SalaryExpectation {
                    amount: *amount,
                    currency: currency.clone(),
                    period,
                })
            }
            _ => None,
        };
        Self {
            id: row.id.clone(),
            display_name: row.display_name.clone(),
            headline: row.headline.clone(),
            summary: row.summary.clone(),
            residence_jurisdiction: row.residence_jurisdiction.clone(),
            location_id: row.location_id.clone(),
            languages: languages
                .iter()
                .map(|l| LanguageLevel {
                    code: l.code.clone(),
                    level: l.level,
                })
                .collect(),
            skills: skills
                .iter()
                .map(|s| SkillLevelView {
                    label: registry
                        .skill(&s.skill_id)
                        .map(|skill| skill.labels.get(locale).to_owned())
                        .unwrap_or_else(|| s.skill_id.clone()),
                    skill_id: s.skill_id.clone(),
                    level: s.level,
                    years: s.years,
                })
                .collect(),
            desired_jurisdictions: row.desired_jurisdictions(),
            desired_location_ids: row.desired_location_ids(),
            salary_expectation,
            visibility: row.visibility(),
            nationality: row.nationality.clone(),
            dependent_children: row.dependent_children,
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        }
    }
}

/// The qualification a credential is for, as the registry names it.
#[derive(Debug, Serialize, ToSchema)]
pub struct QualificationSummary {
    pub id: String,
    pub title: String,
    #[schema(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: String,
    pub framework: String,
    pub level_id: Option<String>,
    /// The framework level's name in the caller's language.
    pub level: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CredentialView {
    pub id: String,
    pub qualification_id: String,
    /// Absent when the qualification has left the registry.
    pub qualification: Option<QualificationSummary>,
    pub awarded_on: Option<NaiveDate>,
    pub status: VerificationStatus,
    /// The agency's note on its check: for the agency and the candidate only (null for an
    /// employer).
    pub verification_note: Option<String>,
    pub verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

fn status_of(value: &str) -> VerificationStatus {
    VerificationStatus::parse(value)
}

impl CredentialView {
    pub fn new(row: &CredentialRow, registry: &Registry, locale: Locale) -> Self {
        let qualification = registry.qualifications.get(&row.qualification_id).map(|q| {
            let level = q
                .level_id
                .as_ref()
                .and_then(|id| registry.levels.get(id))
                .map(|l| {
                    crate::i18n::LocalizedText::new(&l.name_en, &l.name_zh_hans, &l.name_zh_hant)
                        .get(locale)
                        .to_owned()
                });
            QualificationSummary {
                id: q.id.clone(),
                title: q.title().get(locale).to_owned(),
                jurisdiction: q.jurisdiction.clone(),
                framework: q.framework.clone(),
                level_id: q.level_id.clone(),
                level,
            }
        });
        Self {
            id: row.id.clone(),
            qualification_id: row.qualification_id.clone(),
            qualification,
            awarded_on: row.awarded_on,
            status: status_of(&row.status),
            verification_note: row.verification_note.clone(),
            verified_at: row.verified_at.map(|at| at.and_utc()),
            created_at: row.created_at.and_utc(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkAuthorizationView {
    pub id: String,
    #[schema(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: String,
    /// A work-authorisation basis code of the jurisdiction, e.g. `HK_TTPS`.
    pub basis: String,
    /// The basis's name in the caller's language.
    pub basis_name: Option<String>,
    /// Whether the basis allows work at all (some permits allow only visits).
    pub authorizes_work: Option<bool>,
    pub valid_until: Option<NaiveDate>,
    pub status: VerificationStatus,
    /// The agency's note on its check: for the agency and the candidate only (null for an
    /// employer).
    pub verification_note: Option<String>,
    pub verified_at: Option<DateTime<Utc>>,
    /// Counts today: not rejected and not expired.
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl WorkAuthorizationView {
    pub fn new(row: &WorkAuthorizationRow, registry: &Registry, locale: Locale, today: NaiveDate) -> Self {
        let basis = registry.bases.iter().find(|b| b.code == row.basis);
        Self {
            id: row.id.clone(),
            jurisdiction: row.jurisdiction.clone(),
            basis: row.basis.clone(),
            basis_name: basis.map(|b| {
                crate::i18n::LocalizedText::new(&b.name_en, &b.name_zh_hans, &b.name_zh_hant)
                    .get(locale)
                    .to_owned()
            }),
            authorizes_work: basis.map(|b| b.authorizes_work),
            valid_until: row.valid_until,
            status: status_of(&row.status),
            verification_note: row.verification_note.clone(),
            verified_at: row.verified_at.map(|at| at.and_utc()),
            active: row.is_active(today),
            created_at: row.created_at.and_utc(),
        }
    }
}

/// A consent record; withdrawal is a state, the record stays.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentView {
    pub id: String,
    #[schema(value_type = super::consents::ConsentPurpose)]
    pub purpose: String,
    #[schema(pattern = "^[A-Z]{2}$")]
    pub to_jurisdiction: String,
    /// The version of the notice the candidate consented under.
    pub notice_version: String,
    pub granted_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub active: bool,
}

impl From<&ConsentRow> for ConsentView {
    fn from(row: &ConsentRow) -> Self {
        Self {
            id: row.id.clone(),
            purpose: row.purpose.clone(),
            to_jurisdiction: row.to_jurisdiction.clone(),
            notice_version: row.notice_version.clone(),
            granted_at: row.granted_at.and_utc(),
            withdrawn_at: row.withdrawn_at.map(|at| at.and_utc()),
            active: row.is_active(),
        }
    }
}

/// A candidate as another reader (an employer, the agency) sees them: the profile with what they
/// hold.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateView {
    #[serde(flatten)]
    pub profile: ProfileView,
    pub credentials: Vec<CredentialView>,
    pub work_authorizations: Vec<WorkAuthorizationView>,
}

impl CandidateView {
    /// The view as `sight` may have it: the verification notes are left out for anyone the rule
    /// does not show them to (`Sight::sees_verification_notes`).
    pub fn seen_as(mut self, sight: &super::visibility::Sight) -> Self {
        self.profile = self.profile.seen_as(sight);
        if !sight.sees_verification_notes() {
            for credential in &mut self.credentials {
                credential.verification_note = None;
            }
            for authorization in &mut self.work_authorizations {
                authorization.verification_note = None;
            }
        }
        self
    }
}
