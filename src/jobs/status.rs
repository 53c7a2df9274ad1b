//! When a job is open: published, not closed, and not past its expiry. Expiry needs no
//! background job: it is a fact of the clock, read wherever status is shown.

use chrono::NaiveDateTime;

use super::model::JobRow;

/// Whether candidates can see and apply to the job at `now`: published, not closed, not expired.
pub fn is_open(job: &JobRow, now: NaiveDateTime) -> bool {
    job.status == "open" && job.expires_at.is_none_or(|at| at > now)
}

/// The status clients see: the stored one, except that an open job past its expiry is `expired`.
/// Expiry needs no background job: it is a fact of the clock, read wherever status is shown.
pub fn effective_status(job: &JobRow, now: NaiveDateTime) -> &str {
    if job.status == "open" && !is_open(job, now) {
        "expired"
    } else {
        &job.status
    }
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
        assert_eq!(effective_status(&expired, now), "expired");
        for status in ["draft", "closed"] {
            let job = job(status, Some("2030-01-01T00:00:00"));
            assert!(!is_open(&job, now));
            assert_eq!(effective_status(&job, now), status);
        }
    }
}
