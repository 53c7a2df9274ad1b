//! Registry rows for unit tests, named by their ids in every language.

use chrono::NaiveDateTime;

use super::model::{EquivalenceRow, LevelRow, QualificationRow};

/// A fixed time for `created_at` and `updated_at`: nothing a test checks depends on it.
fn at() -> NaiveDateTime {
    "2020-01-01T00:00:00".parse().unwrap()
}

/// A framework level, keyed by its id as the registry's map is.
pub(crate) fn level(id: &str, jurisdiction: &str, framework: &str, rank: i32) -> (String, LevelRow) {
    let row = LevelRow {
        id: id.into(),
        jurisdiction: jurisdiction.into(),
        framework: framework.into(),
        rank,
        name_en: id.into(),
        name_zh_hans: id.into(),
        name_zh_hant: id.into(),
    };
    (id.into(), row)
}

/// An academic qualification, at `level` of `framework` when one is given.
pub(crate) fn qualification(
    id: &str,
    jurisdiction: &str,
    framework: &str,
    level: Option<&str>,
) -> QualificationRow {
    QualificationRow {
        id: id.into(),
        jurisdiction: jurisdiction.into(),
        framework: framework.into(),
        level_id: level.map(Into::into),
        kind: "academic".into(),
        title_en: id.into(),
        title_zh_hans: id.into(),
        title_zh_hant: id.into(),
        awarding_body_en: "b".into(),
        awarding_body_zh_hans: "b".into(),
        awarding_body_zh_hant: "b".into(),
        created_at: at(),
        updated_at: at(),
    }
}

/// A rule in force from 2020-01-01 with no end, conditions or source.
pub(crate) fn equivalence(
    id: &str,
    from: &str,
    to: Option<&str>,
    to_jurisdiction: &str,
    relation: &str,
) -> EquivalenceRow {
    EquivalenceRow {
        id: id.into(),
        from_qualification_id: from.into(),
        to_qualification_id: to.map(Into::into),
        to_jurisdiction: to_jurisdiction.into(),
        to_level_id: None,
        relation: relation.into(),
        conditions_en: None,
        conditions_zh_hans: None,
        conditions_zh_hant: None,
        authority: "A".into(),
        source: None,
        effective_from: "2020-01-01".parse().unwrap(),
        effective_to: None,
        verify_before_use: false,
        created_at: at(),
        updated_at: at(),
    }
}
