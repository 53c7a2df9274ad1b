//! Registry queries.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::model::{EquivalenceRow, QualificationRow};
use crate::db::DbConnection;
use crate::db::schema::{equivalences, qualifications, registry_version, work_authorization_bases};

pub fn current_version(conn: &mut DbConnection) -> QueryResult<i64> {
    registry_version::table
        .find(1)
        .select(registry_version::version)
        .first(conn)
}

/// Marks the registry changed. Called first in every registry write: on PostgreSQL the row lock
/// also queues concurrent registry writes, so rule checks (no overlapping rules) see each other.
pub fn bump_version(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::update(registry_version::table.find(1))
        .set(registry_version::version.eq(registry_version::version + 1))
        .execute(conn)
        .map(drop)
}

pub fn insert_qualification(conn: &mut DbConnection, row: &QualificationRow) -> QueryResult<()> {
    diesel::insert_into(qualifications::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn find_equivalence(conn: &mut DbConnection, id: &str) -> QueryResult<Option<EquivalenceRow>> {
    equivalences::table
        .find(id)
        .select(EquivalenceRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_equivalence(conn: &mut DbConnection, row: &EquivalenceRow) -> QueryResult<()> {
    diesel::insert_into(equivalences::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn update_equivalence(conn: &mut DbConnection, row: &EquivalenceRow) -> QueryResult<()> {
    diesel::update(equivalences::table.find(&row.id))
        .set(row)
        .execute(conn)
        .map(drop)
}

/// Rules for the same pair (same source, same target) other than `except`.
pub fn rules_for_pair(conn: &mut DbConnection, rule: &EquivalenceRow) -> QueryResult<Vec<EquivalenceRow>> {
    let mut query = equivalences::table
        .filter(equivalences::from_qualification_id.eq(&rule.from_qualification_id))
        .filter(equivalences::to_jurisdiction.eq(&rule.to_jurisdiction))
        .filter(equivalences::id.ne(&rule.id))
        .into_boxed();
    query = match &rule.to_qualification_id {
        Some(id) => query.filter(equivalences::to_qualification_id.eq(id.clone())),
        None => query.filter(equivalences::to_qualification_id.is_null()),
    };
    query = match &rule.to_level_id {
        Some(id) => query.filter(equivalences::to_level_id.eq(id.clone())),
        None => query.filter(equivalences::to_level_id.is_null()),
    };
    query.select(EquivalenceRow::as_select()).load(conn)
}

/// Whether two validity periods share a day (end dates excluded, open ends unbounded).
pub fn periods_overlap(a: (NaiveDate, Option<NaiveDate>), b: (NaiveDate, Option<NaiveDate>)) -> bool {
    let starts_before_end = |start: NaiveDate, end: Option<NaiveDate>| end.is_none_or(|end| start < end);
    a.0 < b.1.unwrap_or(NaiveDate::MAX) && starts_before_end(b.0, a.1) && a.1 != Some(a.0) && b.1 != Some(b.0)
}

/// Stores a basis's route (its JSON).
pub fn set_route(conn: &mut DbConnection, code: &str, route: &str) -> QueryResult<usize> {
    diesel::update(work_authorization_bases::table.find(code))
        .set(work_authorization_bases::route.eq(route))
        .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn overlap_of_validity_periods() {
        let open = (d("2020-01-01"), None);
        assert!(periods_overlap(open, (d("2024-01-01"), None)));
        assert!(periods_overlap(open, (d("2010-01-01"), Some(d("2020-01-02")))));
        // Touching ends do not overlap: the end date is excluded.
        assert!(!periods_overlap(open, (d("2010-01-01"), Some(d("2020-01-01")))));
        assert!(!periods_overlap(
            (d("2020-01-01"), Some(d("2021-01-01"))),
            (d("2021-01-01"), None)
        ));
        // A rule withdrawn before it started covers no day.
        assert!(!periods_overlap(open, (d("2022-01-01"), Some(d("2022-01-01")))));
    }
}
