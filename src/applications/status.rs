//! The application pipeline. The employer moves an application forward one step at a time
//! (submitted → screening → interview → offer → hired) or rejects it at any open step; the
//! candidate may withdraw while it is open. Hired, rejected and withdrawn are final.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Submitted,
    Screening,
    Interview,
    Offer,
    Hired,
    Rejected,
    Withdrawn,
}

/// Which side asks for a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Employer,
    Candidate,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Submitted,
        Status::Screening,
        Status::Interview,
        Status::Offer,
        Status::Hired,
        Status::Rejected,
        Status::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Screening => "screening",
            Status::Interview => "interview",
            Status::Offer => "offer",
            Status::Hired => "hired",
            Status::Rejected => "rejected",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(value: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// The status a row stores. The column's CHECK keeps it in the vocabulary; a value outside
    /// it (a hand-edited row) reads as submitted, the stage that grants nothing.
    pub fn stored(value: &str) -> Status {
        Status::parse(value).unwrap_or(Status::Submitted)
    }

    pub fn is_final(self) -> bool {
        matches!(self, Status::Hired | Status::Rejected | Status::Withdrawn)
    }

    /// The step after this one on the employer's path, if any.
    fn next(self) -> Option<Status> {
        match self {
            Status::Submitted => Some(Status::Screening),
            Status::Screening => Some(Status::Interview),
            Status::Interview => Some(Status::Offer),
            Status::Offer => Some(Status::Hired),
            _ => None,
        }
    }

    /// Whether `side` may move an application from `self` to `to`.
    pub fn may_move(self, to: Status, side: Side) -> bool {
        if self.is_final() {
            return false;
        }
        match side {
            Side::Employer => to == Status::Rejected || self.next() == Some(to),
            Side::Candidate => to == Status::Withdrawn,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_employer_moves_one_step_at_a_time_or_rejects() {
        use Status::*;
        let path = [Submitted, Screening, Interview, Offer, Hired];
        for pair in path.windows(2) {
            assert!(
                pair[0].may_move(pair[1], Side::Employer),
                "{:?} → {:?}",
                pair[0],
                pair[1]
            );
        }
        assert!(!Submitted.may_move(Interview, Side::Employer), "no skipping");
        assert!(!Interview.may_move(Screening, Side::Employer), "no going back");
        for open in [Submitted, Screening, Interview, Offer] {
            assert!(open.may_move(Rejected, Side::Employer));
            assert!(
                !open.may_move(Withdrawn, Side::Employer),
                "only the candidate withdraws"
            );
        }
    }

    #[test]
    fn the_candidate_may_only_withdraw_an_open_application() {
        use Status::*;
        for open in [Submitted, Screening, Interview, Offer] {
            assert!(open.may_move(Withdrawn, Side::Candidate));
            assert!(!open.may_move(Hired, Side::Candidate));
        }
    }

    #[test]
    fn final_states_stay_final() {
        for done in [Status::Hired, Status::Rejected, Status::Withdrawn] {
            for to in Status::ALL {
                assert!(!done.may_move(to, Side::Employer) && !done.may_move(to, Side::Candidate));
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
        assert_eq!(Status::parse("pending"), None);
    }
}
