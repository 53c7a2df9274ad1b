//! Does a candidate meet a qualification requirement (a job's, a route's)? Each credential is resolved into
//! the requirement's jurisdiction by the registry's rules (`registry::resolve`), and the best
//! answer over the credentials wins, naming the rule it relied on.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::model::QualificationRow;
use super::resolve::{Outcome, Rules, Via, resolve};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QualificationStatus {
    // Ordered worst to best, so the best over several credentials is the maximum.
    Missing,
    Partial,
    MetViaEquivalence,
    Met,
    NotRequired,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct QualificationFit {
    pub status: QualificationStatus,
    /// The equivalence rule that made a foreign credential count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equivalence_id: Option<String>,
    /// The framework-level comparability used when no direct rule exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparability_id: Option<String>,
    /// The candidate's qualification the answer rests on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualification_id: Option<String>,
}

impl QualificationFit {
    fn bare(status: QualificationStatus) -> Self {
        QualificationFit {
            status,
            equivalence_id: None,
            comparability_id: None,
            qualification_id: None,
        }
    }
}

/// What a job asks for: a specific qualification, or a minimum framework level.
#[derive(Debug, Clone, Copy)]
pub enum Requirement<'a> {
    None,
    Qualification(&'a str),
    MinLevel(&'a str),
}

/// The registry pieces a fit reads.
pub struct Book<'a> {
    pub rules: Rules<'a>,
    pub qualifications: &'a HashMap<String, QualificationRow>,
}

pub fn fit(
    book: &Book<'_>,
    held: &[String],
    requirement: Requirement<'_>,
    day: NaiveDate,
) -> QualificationFit {
    let target = match requirement {
        Requirement::None => return QualificationFit::bare(QualificationStatus::NotRequired),
        Requirement::Qualification(id) => book
            .qualifications
            .get(id)
            .map(|q| (q.jurisdiction.as_str(), q.level_id.as_deref(), Some(id))),
        Requirement::MinLevel(id) => book
            .rules
            .levels
            .get(id)
            .map(|l| (l.jurisdiction.as_str(), Some(id), None)),
    };
    // A requirement naming what the registry no longer has cannot be met or judged.
    let Some((jurisdiction, min_level, wanted)) = target else {
        return QualificationFit::bare(QualificationStatus::Missing);
    };
    held.iter()
        .filter_map(|id| book.qualifications.get(id))
        .map(|credential| judge(book, credential, jurisdiction, min_level, wanted, day))
        .max_by_key(|fit| fit.status)
        .unwrap_or_else(|| QualificationFit::bare(QualificationStatus::Missing))
}

/// One credential against the requirement in `jurisdiction`.
fn judge(
    book: &Book<'_>,
    credential: &QualificationRow,
    jurisdiction: &str,
    min_level: Option<&str>,
    wanted: Option<&str>,
    day: NaiveDate,
) -> QualificationFit {
    let resolution = resolve(&book.rules, credential, jurisdiction, day);
    let direct = resolution.via == Some(Via::SameJurisdiction);
    let counts = matches!(resolution.outcome, Outcome::Equivalent | Outcome::Comparable);
    let resolved_level = resolution.to_level_id.clone().or_else(|| {
        let to = resolution.to_qualification_id.as_ref()?;
        book.qualifications.get(to)?.level_id.clone()
    });
    let reaches_level = match (min_level, resolved_level.as_deref()) {
        (Some(min), Some(level)) => at_or_above(book, level, min),
        _ => false,
    };
    let status = match wanted {
        // A named qualification: the same one, or one a rule maps onto it.
        Some(wanted) if resolution.to_qualification_id.as_deref() == Some(wanted) => match (direct, counts) {
            (true, _) => QualificationStatus::Met,
            (false, true) => QualificationStatus::MetViaEquivalence,
            (false, false) => QualificationStatus::Partial,
        },
        // Another qualification at (or above) the named one's level counts in part.
        Some(_) if reaches_level && resolution.outcome != Outcome::None => QualificationStatus::Partial,
        Some(_) => QualificationStatus::Missing,
        None if !reaches_level || resolution.outcome == Outcome::None => QualificationStatus::Missing,
        None if direct => QualificationStatus::Met,
        None if counts => QualificationStatus::MetViaEquivalence,
        None => QualificationStatus::Partial,
    };
    if status == QualificationStatus::Missing {
        return QualificationFit::bare(status);
    }
    QualificationFit {
        status,
        equivalence_id: resolution.equivalence_id,
        comparability_id: resolution.comparability_id,
        qualification_id: Some(credential.id.clone()),
    }
}

/// Whether `level` is `min` or above it on the same ladder. Ranks mean something only within
/// their framework: a Mainland senior worker (vocational rank 3) is not a bachelor (academic
/// rank 3); a level reaches another framework only through a stated rule, which `resolve` has
/// already applied to give `level`.
fn at_or_above(book: &Book<'_>, level: &str, min: &str) -> bool {
    match (book.rules.levels.get(level), book.rules.levels.get(min)) {
        (Some(level), Some(min)) => level.framework == min.framework && level.rank >= min.rank,
        _ => false,
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::registry::model::{ComparabilityRow, EquivalenceRow, LevelRow};
    use crate::registry::test_rows;

    fn day() -> NaiveDate {
        "2026-06-01".parse().unwrap()
    }

    fn level(id: &str, jurisdiction: &str, rank: i32) -> (String, LevelRow) {
        test_rows::level(id, jurisdiction, "F", rank)
    }

    fn level_in(framework: &str, id: &str, jurisdiction: &str, rank: i32) -> (String, LevelRow) {
        test_rows::level(id, jurisdiction, framework, rank)
    }

    fn qualification(id: &str, jurisdiction: &str, level: &str) -> (String, QualificationRow) {
        (
            id.into(),
            test_rows::qualification(id, jurisdiction, "F", Some(level)),
        )
    }

    fn equivalence(id: &str, from: &str, to: &str, relation: &str) -> EquivalenceRow {
        test_rows::equivalence(id, from, Some(to), "HK", relation)
    }

    struct World {
        levels: HashMap<String, LevelRow>,
        qualifications: HashMap<String, QualificationRow>,
        equivalences: Vec<EquivalenceRow>,
        comparabilities: Vec<ComparabilityRow>,
    }

    impl World {
        fn new() -> World {
            World {
                levels: [
                    level("CN_L6", "CN", 6),
                    level("HK_L5", "HK", 5),
                    level("HK_L6", "HK", 6),
                    // A vocational ladder beside the academic one, with ranks that overlap it.
                    level_in("VOC", "CN_VOC_6", "CN", 6),
                    level_in("VOC", "CN_VOC_8", "CN", 8),
                ]
                .into_iter()
                .collect(),
                qualifications: [
                    qualification("CN_BACHELOR", "CN", "CN_L6"),
                    qualification("CN_DIPLOMA", "CN", "CN_L6"),
                    qualification("CN_CERT", "CN", "CN_L6"),
                    qualification("HK_BACHELOR", "HK", "HK_L5"),
                    qualification("HK_MASTER", "HK", "HK_L6"),
                    qualification("CN_SENIOR_WORKER", "CN", "CN_VOC_6"),
                    qualification("CN_CHIEF_TECHNICIAN", "CN", "CN_VOC_8"),
                ]
                .into_iter()
                .collect(),
                equivalences: vec![
                    equivalence("EQ-1", "CN_BACHELOR", "HK_BACHELOR", "equivalent"),
                    equivalence("EQ-2", "CN_DIPLOMA", "HK_BACHELOR", "partial"),
                ],
                comparabilities: vec![ComparabilityRow {
                    id: "CMP-1".into(),
                    from_level_id: "CN_L6".into(),
                    to_level_id: "HK_L5".into(),
                    relation: "comparable".into(),
                    authority: "A".into(),
                    source: None,
                    note: None,
                }],
            }
        }

        fn fit(&self, held: &[&str], requirement: Requirement<'_>) -> QualificationFit {
            let book = Book {
                rules: Rules {
                    equivalences: &self.equivalences,
                    comparabilities: &self.comparabilities,
                    levels: &self.levels,
                },
                qualifications: &self.qualifications,
            };
            let held: Vec<String> = held.iter().map(|s| s.to_string()).collect();
            fit(&book, &held, requirement, day())
        }
    }

    #[test]
    fn no_requirement_is_not_required() {
        let fit = World::new().fit(&[], Requirement::None);
        assert_eq!(fit.status, QualificationStatus::NotRequired);
    }

    #[test]
    fn the_named_qualification_itself_is_met() {
        let fit = World::new().fit(&["HK_BACHELOR"], Requirement::Qualification("HK_BACHELOR"));
        assert_eq!(fit.status, QualificationStatus::Met);
        assert_eq!(fit.equivalence_id, None);
    }

    #[test]
    fn an_equivalence_rule_meets_it_and_is_named() {
        let fit = World::new().fit(&["CN_BACHELOR"], Requirement::Qualification("HK_BACHELOR"));
        assert_eq!(fit.status, QualificationStatus::MetViaEquivalence);
        assert_eq!(fit.equivalence_id.as_deref(), Some("EQ-1"));
        assert_eq!(fit.qualification_id.as_deref(), Some("CN_BACHELOR"));
    }

    #[test]
    fn a_partial_rule_is_partial() {
        let fit = World::new().fit(&["CN_DIPLOMA"], Requirement::Qualification("HK_BACHELOR"));
        assert_eq!(fit.status, QualificationStatus::Partial);
        assert_eq!(fit.equivalence_id.as_deref(), Some("EQ-2"));
    }

    #[test]
    fn the_best_credential_wins() {
        let fit = World::new().fit(
            &["CN_DIPLOMA", "CN_BACHELOR"],
            Requirement::Qualification("HK_BACHELOR"),
        );
        assert_eq!(fit.status, QualificationStatus::MetViaEquivalence);
        assert_eq!(fit.equivalence_id.as_deref(), Some("EQ-1"));
    }

    #[test]
    fn another_qualification_at_the_level_is_partial_and_nothing_is_missing() {
        let world = World::new();
        let fit = world.fit(&["HK_MASTER"], Requirement::Qualification("HK_BACHELOR"));
        assert_eq!(fit.status, QualificationStatus::Partial);
        assert_eq!(
            world.fit(&[], Requirement::Qualification("HK_BACHELOR")).status,
            QualificationStatus::Missing
        );
    }

    #[test]
    fn a_minimum_level_is_met_directly_or_through_comparability() {
        let world = World::new();
        assert_eq!(
            world.fit(&["HK_MASTER"], Requirement::MinLevel("HK_L6")).status,
            QualificationStatus::Met
        );
        assert_eq!(
            world.fit(&["HK_BACHELOR"], Requirement::MinLevel("HK_L6")).status,
            QualificationStatus::Missing
        );
        let via_rule = world.fit(&["CN_BACHELOR"], Requirement::MinLevel("HK_L5"));
        assert_eq!(via_rule.status, QualificationStatus::MetViaEquivalence);
        assert_eq!(via_rule.equivalence_id.as_deref(), Some("EQ-1"));
        let via_level = world.fit(&["CN_CERT"], Requirement::MinLevel("HK_L5"));
        assert_eq!(via_level.status, QualificationStatus::MetViaEquivalence);
        assert_eq!(via_level.comparability_id.as_deref(), Some("CMP-1"));
        assert_eq!(via_level.equivalence_id, None);
    }

    #[test]
    fn ranks_of_another_framework_never_meet_a_minimum() {
        let world = World::new();
        assert_eq!(
            world.fit(&["CN_BACHELOR"], Requirement::MinLevel("CN_L6")).status,
            QualificationStatus::Met
        );
        for vocational in ["CN_SENIOR_WORKER", "CN_CHIEF_TECHNICIAN"] {
            assert_eq!(
                world.fit(&[vocational], Requirement::MinLevel("CN_L6")).status,
                QualificationStatus::Missing,
                "{vocational} is on the vocational ladder"
            );
            assert_eq!(
                world
                    .fit(&[vocational], Requirement::Qualification("CN_BACHELOR"))
                    .status,
                QualificationStatus::Missing,
                "{vocational} is no degree, not even in part"
            );
        }
        // Within its own ladder a vocational level still counts.
        assert_eq!(
            world
                .fit(&["CN_CHIEF_TECHNICIAN"], Requirement::MinLevel("CN_VOC_6"))
                .status,
            QualificationStatus::Met
        );
    }

    #[test]
    fn an_unknown_requirement_cannot_be_met() {
        let fit = World::new().fit(&["HK_BACHELOR"], Requirement::Qualification("GONE"));
        assert_eq!(fit.status, QualificationStatus::Missing);
    }
}
