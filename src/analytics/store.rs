//! Overview queries: counts grouped in the database, medians computed here.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, Utc};
use diesel::dsl::count_star;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::applications::status::Status as ApplicationStatus;
use crate::cases::status::CaseStatus;
use crate::db::schema::{applications, candidates, cases, employers};
use crate::db::{Db, DbConnection};
use crate::error::AppError;

#[derive(Debug, Serialize, ToSchema)]
pub struct Overview {
    /// Candidate profiles, erased ones left out.
    pub candidates: i64,
    pub employers: i64,
    pub verified_employers: i64,
    /// Published and not past their expiry.
    pub open_jobs: i64,
    /// Every application status, zeros included.
    pub applications_by_status: BTreeMap<String, i64>,
    /// Every case status, zeros included.
    pub cases_by_status: BTreeMap<String, i64>,
    /// Directions that have cases.
    pub cases_by_direction: BTreeMap<String, i64>,
    /// Median of (resolved_at − created_at) in days over cases resolved (and not reopened);
    /// null when none is.
    pub median_days_to_resolve: Option<f64>,
    /// Pending tasks past their due date in cases still being worked on.
    pub overdue_tasks: i64,
}

fn grouped(pairs: Vec<(String, i64)>, all: &[&str]) -> BTreeMap<String, i64> {
    let mut counts: BTreeMap<String, i64> = all.iter().map(|s| ((*s).to_owned(), 0)).collect();
    for (key, n) in pairs {
        *counts.entry(key).or_default() += n;
    }
    counts
}

/// The median of the values, `None` for none.
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

pub fn overview(conn: &mut DbConnection, now: NaiveDateTime, today: NaiveDate) -> QueryResult<Overview> {
    let candidates = candidates::table
        .filter(candidates::erased_at.is_null())
        .count()
        .get_result(conn)?;
    let employers = employers::table.count().get_result(conn)?;
    let verified_employers = employers::table
        .filter(employers::verified.eq(true))
        .count()
        .get_result(conn)?;
    let open_jobs = crate::jobs::store::count_open(conn, now)?;
    let application_statuses: Vec<&str> = ApplicationStatus::ALL.iter().map(|s| s.as_str()).collect();
    let applications_by_status = grouped(
        applications::table
            .group_by(applications::status)
            .select((applications::status, count_star()))
            .load(conn)?,
        &application_statuses,
    );
    let case_statuses: Vec<&str> = CaseStatus::ALL.iter().map(|s| s.as_str()).collect();
    let cases_by_status = grouped(
        cases::table
            .group_by(cases::status)
            .select((cases::status, count_star()))
            .load(conn)?,
        &case_statuses,
    );
    let cases_by_direction = grouped(
        cases::table
            .group_by(cases::direction)
            .select((cases::direction, count_star()))
            .load(conn)?,
        &[],
    );
    let resolved: Vec<(NaiveDateTime, Option<NaiveDateTime>)> = cases::table
        .filter(cases::resolved_at.is_not_null())
        .select((cases::created_at, cases::resolved_at))
        .load(conn)?;
    let days = resolved
        .into_iter()
        .filter_map(|(created, resolved)| resolved.map(|r| (r - created).num_seconds() as f64 / 86_400.0))
        .collect();
    let median_days_to_resolve = median(days).map(|d| (d * 100.0).round() / 100.0);
    let overdue_tasks = crate::cases::store::overdue_task_count(conn, today)?;
    Ok(Overview {
        candidates,
        employers,
        verified_employers,
        open_jobs,
        applications_by_status,
        cases_by_status,
        cases_by_direction,
        median_days_to_resolve,
        overdue_tasks,
    })
}

/// The overview as of now.
pub async fn current_overview(db: &Db) -> Result<Overview, AppError> {
    db.read(|conn| Ok(overview(conn, Utc::now().naive_utc(), crate::cases::today())?))
        .await
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn median_of_odd_even_and_none() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }
}
