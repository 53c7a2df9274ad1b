//! The case status machine and the small vocabularies of cases (task status, category,
//! direction). Pure: no database, unit-tested here.
//!
//! Moves (anything else is refused with 409):
//! - `open → in_progress`: an officer starts working on it;
//! - `open → closed`: a request that will not be pursued (duplicate, withdrawn) is closed unworked;
//! - `in_progress ⇄ waiting_on_candidate`: the ball is with the candidate, and back;
//! - `in_progress → resolved`, `waiting_on_candidate → resolved`: every step is settled;
//! - `resolved → in_progress`: reopened, when something turns out not to be settled after all;
//! - `resolved → closed`: filed. `closed` is final.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Open,
    InProgress,
    WaitingOnCandidate,
    Resolved,
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 5] = [
        CaseStatus::Open,
        CaseStatus::InProgress,
        CaseStatus::WaitingOnCandidate,
        CaseStatus::Resolved,
        CaseStatus::Closed,
    ];

    /// The stored values of the statuses in which work has ended (`!is_active`).
    pub const SETTLED: [&'static str; 2] = [CaseStatus::Resolved.as_str(), CaseStatus::Closed.as_str()];

    pub const fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::InProgress => "in_progress",
            CaseStatus::WaitingOnCandidate => "waiting_on_candidate",
            CaseStatus::Resolved => "resolved",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn parse(value: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// The status a row stores. The column's CHECK keeps it in the vocabulary; a value outside
    /// it (a hand-edited row) reads as closed, so that nothing reminds of it.
    pub fn stored(value: &str) -> CaseStatus {
        CaseStatus::parse(value).unwrap_or(CaseStatus::Closed)
    }

    /// Whether work is still going on: its tasks can be overdue and its deadlines remind.
    pub fn is_active(self) -> bool {
        !matches!(self, CaseStatus::Resolved | CaseStatus::Closed)
    }

    /// Whether the machine allows moving from `self` to `to` (staying put is not a move).
    pub fn may_move(self, to: CaseStatus) -> bool {
        use CaseStatus::*;
        matches!(
            (self, to),
            (Open, InProgress)
                | (Open, Closed)
                | (InProgress, WaitingOnCandidate)
                | (WaitingOnCandidate, InProgress)
                | (InProgress, Resolved)
                | (WaitingOnCandidate, Resolved)
                | (Resolved, InProgress)
                | (Resolved, Closed)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Todo,
    Doing,
    Done,
    NotApplicable,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 4] = [
        TaskStatus::Todo,
        TaskStatus::Doing,
        TaskStatus::Done,
        TaskStatus::NotApplicable,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Todo => "todo",
            TaskStatus::Doing => "doing",
            TaskStatus::Done => "done",
            TaskStatus::NotApplicable => "not_applicable",
        }
    }

    pub fn parse(value: &str) -> Option<TaskStatus> {
        TaskStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// The status a row stores. The column's CHECK keeps it in the vocabulary; a value outside
    /// it (a hand-edited row) reads as still to do, so that it is not taken as finished.
    pub fn stored(value: &str) -> TaskStatus {
        TaskStatus::parse(value).unwrap_or(TaskStatus::Todo)
    }

    /// The stored values of a task still to be done: only these can be overdue.
    pub const PENDING: [&'static str; 2] = [TaskStatus::Todo.as_str(), TaskStatus::Doing.as_str()];
}

/// A move across the boundary: `<FROM>_TO_<TO>` over two different jurisdiction codes. Whether
/// the codes exist is the registry's to say (`is_known`), not this type's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Direction {
    pub from: String,
    pub to: String,
}

impl Direction {
    /// Splits `CN_TO_HK`; codes are upper-case ASCII letters.
    pub fn parse(value: &str) -> Option<Direction> {
        let (from, to) = value.split_once("_TO_")?;
        let code = |c: &str| !c.is_empty() && c.len() <= 8 && c.bytes().all(|b| b.is_ascii_uppercase());
        (code(from) && code(to) && from != to).then(|| Direction {
            from: from.to_owned(),
            to: to.to_owned(),
        })
    }

    pub fn between(from: &str, to: &str) -> Option<Direction> {
        Direction::parse(&format!("{from}_TO_{to}"))
    }

    pub fn code(&self) -> String {
        format!("{}_TO_{}", self.from, self.to)
    }

    /// Both ends are jurisdictions of the registry snapshot.
    pub fn is_known(&self, registry: &crate::registry::Registry) -> bool {
        registry.jurisdiction(&self.from).is_some() && registry.jurisdiction(&self.to).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::CaseStatus::*;
    use super::*;

    #[test]
    fn the_main_path_is_legal() {
        for (from, to) in [
            (Open, InProgress),
            (InProgress, WaitingOnCandidate),
            (WaitingOnCandidate, InProgress),
            (InProgress, Resolved),
            (Resolved, Closed),
        ] {
            assert!(from.may_move(to), "{from:?} → {to:?}");
        }
    }

    #[test]
    fn the_documented_side_moves_are_legal() {
        assert!(Open.may_move(Closed), "an unpursued request is closed");
        assert!(WaitingOnCandidate.may_move(Resolved));
        assert!(Resolved.may_move(InProgress), "reopen");
    }

    #[test]
    fn everything_else_is_illegal() {
        let legal = [
            (Open, InProgress),
            (Open, Closed),
            (InProgress, WaitingOnCandidate),
            (WaitingOnCandidate, InProgress),
            (InProgress, Resolved),
            (WaitingOnCandidate, Resolved),
            (Resolved, InProgress),
            (Resolved, Closed),
        ];
        for from in CaseStatus::ALL {
            for to in CaseStatus::ALL {
                assert_eq!(
                    from.may_move(to),
                    legal.contains(&(from, to)),
                    "{from:?} → {to:?}"
                );
            }
        }
        for to in CaseStatus::ALL {
            assert!(!Closed.may_move(to), "closed is final");
        }
    }

    #[test]
    fn only_unfinished_cases_are_active() {
        assert!(Open.is_active() && InProgress.is_active() && WaitingOnCandidate.is_active());
        assert!(!Resolved.is_active() && !Closed.is_active());
    }

    #[test]
    fn names_round_trip() {
        for status in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(status.as_str()), Some(status));
        }
        for status in TaskStatus::ALL {
            assert_eq!(TaskStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(CaseStatus::parse("pending"), None);
    }

    #[test]
    fn directions_parse_two_different_codes() {
        let d = Direction::parse("CN_TO_HK").unwrap();
        assert_eq!((d.from.as_str(), d.to.as_str()), ("CN", "HK"));
        assert_eq!(d.code(), "CN_TO_HK");
        for bad in [
            "CN_TO_CN",
            "CN-HK",
            "cn_TO_hk",
            "_TO_HK",
            "CN_TO_",
            "CNTOHK",
            "CN_TO_HK_TO_MO",
        ] {
            assert_eq!(Direction::parse(bad), None, "{bad}");
        }
    }
}
