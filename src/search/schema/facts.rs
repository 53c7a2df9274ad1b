//! What scoring needs of a job and of a candidate, in plain values. Both are stored with each
//! document in the index (as JSON), so ranking a pool of hits reads no database row; the
//! records are loaded only for the page returned.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::candidates::model::CandidateRecords;
use crate::jobs::model::FullJob;
use crate::money::{Rates, SalaryPeriod, monthly};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    pub skill_id: String,
    pub min_level: i32,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spoken {
    pub code: String,
    pub level: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobFacts {
    pub id: String,
    /// Where the job is (its location's jurisdiction).
    pub jurisdiction: String,
    pub skills: Vec<Requirement>,
    pub qualification_id: Option<String>,
    pub qualification_min_level_id: Option<String>,
    pub languages: Vec<Spoken>,
    pub sponsorship: bool,
    /// The salary range per month in the reference currency; `None` without a rate.
    pub salary_monthly: Option<(u64, u64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldSkill {
    pub skill_id: String,
    pub level: i32,
}

/// A work authorisation the agency has not rejected; whether it has expired is decided on the
/// day of scoring, not of indexing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authorization {
    pub jurisdiction: String,
    pub basis: String,
    pub valid_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateFacts {
    pub id: String,
    pub residence: String,
    pub desired_jurisdictions: Vec<String>,
    pub skills: Vec<HeldSkill>,
    pub languages: Vec<Spoken>,
    /// Qualifications of the credentials the agency has not rejected.
    pub qualification_ids: Vec<String>,
    pub authorizations: Vec<Authorization>,
    /// The expectation per month in the reference currency.
    pub salary_monthly: Option<u64>,
}

impl JobFacts {
    pub fn of(full: &FullJob, jurisdiction: &str, rates: &Rates) -> JobFacts {
        let job = &full.job;
        let salary_monthly = SalaryPeriod::parse(&job.salary_period).and_then(|period| {
            let low = rates.to_reference(monthly(job.salary_min, period), &job.salary_currency)?;
            let high = rates.to_reference(monthly(job.salary_max, period), &job.salary_currency)?;
            Some((low, high))
        });
        JobFacts {
            id: job.id.clone(),
            jurisdiction: jurisdiction.to_owned(),
            skills: full
                .skills
                .iter()
                .map(|s| Requirement {
                    skill_id: s.skill_id.clone(),
                    min_level: s.min_level,
                    required: s.required,
                })
                .collect(),
            qualification_id: job.qualification_id.clone(),
            qualification_min_level_id: job.qualification_min_level_id.clone(),
            languages: full
                .languages
                .iter()
                .map(|l| Spoken {
                    code: l.code.clone(),
                    level: l.level,
                })
                .collect(),
            sponsorship: job.sponsorship,
            salary_monthly,
        }
    }
}

impl CandidateFacts {
    pub fn of(records: &CandidateRecords, rates: &Rates) -> CandidateFacts {
        let row = &records.row;
        let rejected = crate::candidates::model::VerificationStatus::Rejected.as_str();
        let salary_monthly = match (&row.salary_amount, &row.salary_currency, &row.salary_period) {
            (Some(amount), Some(currency), Some(period)) => SalaryPeriod::parse(period)
                .and_then(|period| rates.to_reference(monthly(*amount, period), currency)),
            _ => None,
        };
        CandidateFacts {
            id: row.id.clone(),
            residence: row.residence_jurisdiction.clone(),
            desired_jurisdictions: row.desired_jurisdictions(),
            skills: records
                .skills
                .iter()
                .map(|s| HeldSkill {
                    skill_id: s.skill_id.clone(),
                    level: s.level,
                })
                .collect(),
            languages: records
                .languages
                .iter()
                .map(|l| Spoken {
                    code: l.code.clone(),
                    level: l.level,
                })
                .collect(),
            qualification_ids: records
                .credentials
                .iter()
                .filter(|c| c.status != rejected)
                .map(|c| c.qualification_id.clone())
                .collect(),
            authorizations: records
                .authorizations
                .iter()
                .filter(|a| a.status != rejected)
                .map(|a| Authorization {
                    jurisdiction: a.jurisdiction.clone(),
                    basis: a.basis.clone(),
                    valid_until: a.valid_until,
                })
                .collect(),
            salary_monthly,
        }
    }
}
