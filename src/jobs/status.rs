//! A job's status, and when a job is open: published, not closed, and not past its expiry.
//! Expiry needs no background job: it is a fact of the clock, read wherever status is shown, and
//! `open_at` is the one rule every area filters by (jobs, applications, analytics, the search
//! indexer; matching and search read the index, which holds open jobs only).

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::JobRow;
use diesel::prelude::*;

use crate::db::schema::jobs;

/// What clients see. `draft`, `open` and `closed` are stored; `expired` is an open job past its
/// `expires_at`, never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Draft,
    Open,
    Closed,
    Expired,
}

impl JobStatus {
    pub const ALL: [JobStatus; 4] = [
        JobStatus::Draft,
        JobStatus::Open,
        JobStatus::Closed,
        JobStatus::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Draft => "draft",
            JobStatus::Open => "open",
            JobStatus::Closed => "closed",
            JobStatus::Expired => "expired",
        }
    }

    pub fn parse(value: &str) -> Option<JobStatus> {
        JobStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// The status a row stores. A value outside the vocabulary (a hand-edited row) reads as
    /// closed: never shown to candidates as open.
    pub fn stored(job: &JobRow) -> JobStatus {
        match JobStatus::parse(&job.status) {
            Some(status @ (JobStatus::Draft | JobStatus::Open | JobStatus::Closed)) => status,
            _ => JobStatus::Closed,
        }
    }

    /// The status clients see at `now`: the stored one, except that an open job past its
    /// expiry is `expired`.
    pub fn at(job: &JobRow, now: NaiveDateTime) -> JobStatus {
        match JobStatus::stored(job) {
            JobStatus::Open if !unexpired(job.expires_at, now) => JobStatus::Expired,
            stored => stored,
        }
    }
}

/// Whether candidates can see and apply to the job at `now`: published, not closed, not expired.
pub fn is_open(job: &JobRow, now: NaiveDateTime) -> bool {
    JobStatus::at(job, now) == JobStatus::Open
}

fn unexpired(expires_at: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    expires_at.is_none_or(|at| at > now)
}

/// `is_open` as a filter on the `jobs` table, for queries that must not load closed rows.
#[diesel::dsl::auto_type]
pub fn open_at(now: NaiveDateTime) -> _ {
    let open: &'static str = JobStatus::Open.as_str();
    jobs::status
        .eq(open)
        .and(jobs::expires_at.is_null().or(jobs::expires_at.gt(now)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::service::tests::job;

    #[test]
    fn an_open_job_past_its_expiry_is_expired_and_not_open() {
        let now: NaiveDateTime = "2030-06-01T00:00:00".parse().unwrap();
        assert!(is_open(&job("open", None), now));
        assert!(is_open(&job("open", Some("2030-06-01T00:00:01")), now));
        let expired = job("open", Some("2030-06-01T00:00:00"));
        assert!(!is_open(&expired, now));
        assert_eq!(JobStatus::at(&expired, now), JobStatus::Expired);
        for status in [JobStatus::Draft, JobStatus::Closed] {
            let job = job(status.as_str(), Some("2030-01-01T00:00:00"));
            assert!(!is_open(&job, now));
            assert_eq!(JobStatus::at(&job, now), status);
        }
    }

    #[test]
    fn a_stored_value_outside_the_vocabulary_is_never_open() {
        let now: NaiveDateTime = "2030-06-01T00:00:00".parse().unwrap();
        for stored in ["expired", "OPEN", ""] {
            let job = job(stored, None);
            assert_eq!(JobStatus::at(&job, now), JobStatus::Closed);
            assert!(!is_open(&job, now));
        }
    }
}
