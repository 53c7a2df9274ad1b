//! Candidate rows as stored, and the small value types their text columns hold.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::{
    candidate_languages, candidate_skills, candidates, consents, credentials, work_authorizations,
};

/// A candidate as stored: every column of `candidates`, in order.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = candidates, treat_none_as_null = true)]
pub struct CandidateRow {
    pub id: String,
    pub user_id: String,
    pub display_name: String,
    pub headline: String,
    pub summary: String,
    pub residence_jurisdiction: String,
    pub location_id: Option<String>,
    /// JSON array of jurisdiction codes.
    pub desired_jurisdictions: String,
    /// JSON array of location ids.
    pub desired_location_ids: String,
    pub salary_amount: Option<i64>,
    pub salary_currency: Option<String>,
    pub salary_period: Option<String>,
    /// `private` or `employers`.
    pub visibility: String,
    pub erased_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// ISO 3166-1 alpha-2; private to the candidate and the agency.
    pub nationality: Option<String>,
    /// Private to the candidate and the agency.
    pub dependent_children: Option<i32>,
}

impl CandidateRow {
    pub fn visibility(&self) -> Visibility {
        Visibility::parse(&self.visibility).unwrap_or(Visibility::Private)
    }

    pub fn desired_jurisdictions(&self) -> Vec<String> {
        serde_json::from_str(&self.desired_jurisdictions).unwrap_or_default()
    }

    pub fn desired_location_ids(&self) -> Vec<String> {
        serde_json::from_str(&self.desired_location_ids).unwrap_or_default()
    }
}

/// Who may find a candidate: nobody but the agency (`private`), or employers within the consent
/// rule (`employers`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Private,
    Employers,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Private => "private",
            Visibility::Employers => "employers",
        }
    }

    pub fn parse(value: &str) -> Option<Visibility> {
        match value {
            "private" => Some(Visibility::Private),
            "employers" => Some(Visibility::Employers),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = candidate_languages)]
pub struct LanguageRow {
    pub candidate_id: String,
    pub code: String,
    pub level: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = candidate_skills)]
pub struct SkillRow {
    pub candidate_id: String,
    pub skill_id: String,
    pub level: i32,
    pub years: i32,
}

/// The agency's verdict on something a candidate claims to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VerificationStatus {
    Pending,
    Verified,
    Rejected,
}

impl VerificationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VerificationStatus::Pending => "pending",
            VerificationStatus::Verified => "verified",
            VerificationStatus::Rejected => "rejected",
        }
    }

    /// A stored value; anything not yet decided either way reads as pending.
    pub fn parse(value: &str) -> VerificationStatus {
        [VerificationStatus::Verified, VerificationStatus::Rejected]
            .into_iter()
            .find(|s| s.as_str() == value)
            .unwrap_or(VerificationStatus::Pending)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = credentials, treat_none_as_null = true)]
pub struct CredentialRow {
    pub id: String,
    pub candidate_id: String,
    pub qualification_id: String,
    pub awarded_on: Option<NaiveDate>,
    pub status: String,
    pub verification_note: Option<String>,
    pub verified_by: Option<String>,
    pub verified_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = work_authorizations, treat_none_as_null = true)]
pub struct WorkAuthorizationRow {
    pub id: String,
    pub candidate_id: String,
    pub jurisdiction: String,
    pub basis: String,
    pub valid_until: Option<NaiveDate>,
    pub status: String,
    pub verification_note: Option<String>,
    pub verified_by: Option<String>,
    pub verified_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

impl WorkAuthorizationRow {
    pub fn is_active(&self, today: NaiveDate) -> bool {
        authorization_counts(&self.status, self.valid_until, today)
    }
}

/// Whether a work authorisation counts on `today`: the agency has not rejected it and it has not
/// expired (it is valid through its `valid_until` day; none means no expiry). Expired ones stop
/// counting — matching and search use this, not their own reading of the dates.
pub fn authorization_counts(status: &str, valid_until: Option<NaiveDate>, today: NaiveDate) -> bool {
    status != VerificationStatus::Rejected.as_str() && valid_until.is_none_or(|until| until >= today)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = consents)]
pub struct ConsentRow {
    pub id: String,
    pub candidate_id: String,
    pub purpose: String,
    pub to_jurisdiction: String,
    pub notice_version: String,
    pub granted_at: NaiveDateTime,
    pub withdrawn_at: Option<NaiveDateTime>,
}

impl ConsentRow {
    pub fn is_active(&self) -> bool {
        self.withdrawn_at.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn authorisations_count_until_their_last_day_unless_rejected() {
        let today = day("2026-12-01");
        assert!(authorization_counts("pending", None, today));
        assert!(authorization_counts("verified", Some(day("2026-12-01")), today));
        assert!(authorization_counts("pending", Some(day("2027-01-01")), today));
        assert!(!authorization_counts("verified", Some(day("2026-11-30")), today));
        assert!(!authorization_counts("rejected", None, today));
        assert!(!authorization_counts("rejected", Some(day("2030-01-01")), today));
    }
}

/// A live candidate with everything search and matching read of them.
#[derive(Debug, Clone)]
pub struct CandidateRecords {
    pub row: CandidateRow,
    pub skills: Vec<SkillRow>,
    pub languages: Vec<LanguageRow>,
    pub credentials: Vec<CredentialRow>,
    pub authorizations: Vec<WorkAuthorizationRow>,
    /// Jurisdictions with an active cross-border consent.
    pub consented_to: Vec<String>,
}
