//! The facts a route's conditions are judged on: the person's situation (nationality, residence,
//! children, the authorisations and credentials on file) and, when one is named, the job.

use chrono::NaiveDate;

use crate::candidates::model::{CandidateRow, VerificationStatus};
use crate::db::DbConnection;
use crate::error::AppError;
use crate::money::{Rates, SalaryPeriod, monthly};

#[derive(Debug, Clone)]
pub struct Situation {
    /// ISO 3166-1 alpha-2; `None` when the candidate has not said.
    pub nationality: Option<String>,
    /// The jurisdiction the candidate lives in.
    pub residence: String,
    pub dependent_children: Option<u32>,
    /// Work-authorisation bases held and active today (claimed or verified).
    pub held_bases: Vec<HeldBasis>,
    /// Credentials on file, rejected ones left out.
    pub credentials: Vec<Credential>,
    pub job: Option<JobFacts>,
    pub today: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldBasis {
    pub code: String,
    pub jurisdiction: String,
    pub valid_until: Option<NaiveDate>,
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub qualification_id: String,
    pub awarded_on: Option<NaiveDate>,
    pub verified: bool,
}

/// What a route asks of a job.
#[derive(Debug, Clone, PartialEq)]
pub struct JobFacts {
    pub title: String,
    /// The employer's jurisdiction: where the job is.
    pub jurisdiction: String,
    pub sponsors: bool,
    /// The lower end of the advertised pay, a year's worth, in `currency`.
    pub annual_pay: f64,
    pub currency: String,
    pub qualification_id: Option<String>,
    pub min_level_id: Option<String>,
}

impl JobFacts {
    /// The job's yearly pay in `currency`, through the configured rates when they differ.
    pub fn annual_pay_in(&self, currency: &str, rates: &Rates) -> Option<f64> {
        if self.currency == currency {
            return Some(self.annual_pay);
        }
        let reference = rates.to_reference(self.annual_pay, &self.currency)? as f64;
        let per_unit = rates.to_reference(1_000_000.0, currency)? as f64 / 1_000_000.0;
        (per_unit > 0.0).then(|| reference / per_unit)
    }
}

/// The candidate's situation today, with the job when one is named.
pub fn of_candidate(
    conn: &mut DbConnection,
    candidate: &CandidateRow,
    job_id: Option<&str>,
    today: NaiveDate,
) -> Result<Situation, AppError> {
    let held_bases = crate::candidates::store::authorizations_of(conn, &candidate.id)?
        .into_iter()
        .filter(|a| a.is_active(today))
        .map(|a| HeldBasis {
            verified: VerificationStatus::parse(&a.status) == VerificationStatus::Verified,
            code: a.basis,
            jurisdiction: a.jurisdiction,
            valid_until: a.valid_until,
        })
        .collect();
    let credentials = crate::candidates::store::credentials_of(conn, &candidate.id)?
        .into_iter()
        .filter(|c| VerificationStatus::parse(&c.status) != VerificationStatus::Rejected)
        .map(|c| Credential {
            verified: VerificationStatus::parse(&c.status) == VerificationStatus::Verified,
            qualification_id: c.qualification_id,
            awarded_on: c.awarded_on,
        })
        .collect();
    let job = match job_id {
        Some(id) => job_facts(conn, id)?,
        None => None,
    };
    Ok(Situation {
        nationality: candidate.nationality.clone(),
        residence: candidate.residence_jurisdiction.clone(),
        dependent_children: candidate.dependent_children.and_then(|n| u32::try_from(n).ok()),
        held_bases,
        credentials,
        job,
        today,
    })
}

fn job_facts(conn: &mut DbConnection, job_id: &str) -> Result<Option<JobFacts>, AppError> {
    let Some(job) = crate::jobs::store::find_job(conn, job_id)? else {
        return Ok(None);
    };
    let Some(employer) = crate::employers::store::find_employer(conn, &job.employer_id)? else {
        return Ok(None);
    };
    let period = SalaryPeriod::parse(&job.salary_period).unwrap_or(SalaryPeriod::Month);
    Ok(Some(JobFacts {
        title: job.title,
        jurisdiction: employer.jurisdiction,
        sponsors: job.sponsorship,
        annual_pay: monthly(job.salary_min, period) * 12.0,
        currency: job.salary_currency,
        qualification_id: job.qualification_id,
        min_level_id: job.qualification_min_level_id,
    }))
}
