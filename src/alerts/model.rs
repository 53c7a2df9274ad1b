//! Saved searches as stored, their filters, and the frequency rule (when a search is next due).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::saved_searches;
use crate::search::job_search::request::JobFilters;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = saved_searches)]
pub struct SavedSearchRow {
    pub id: String,
    /// The candidate's account (a search needs no profile; it is mailed to the account).
    pub user_id: String,
    /// Words as `GET /jobs/search` takes them in `q`; empty matches every job the filters let in.
    pub query: String,
    /// `SavedFilters` as JSON.
    pub filters: String,
    /// `instant`, `daily` or `weekly`.
    pub frequency: String,
    pub created_at: NaiveDateTime,
    /// When alerts last ran this search (mailed or not); none before the first run.
    pub last_run_at: Option<NaiveDateTime>,
    pub next_due_at: NaiveDateTime,
}

impl SavedSearchRow {
    /// The filters as saved; a row written by this code always parses.
    pub fn saved_filters(&self) -> SavedFilters {
        serde_json::from_str(&self.filters).unwrap_or_default()
    }

    /// Jobs published from this instant on are new to the next run: the previous run minus the
    /// lookback (the index may have trailed the database then), never before the search was
    /// saved — so saving a search mails nothing that was already there.
    pub fn window_start(&self, lookback: Duration) -> NaiveDateTime {
        match self.last_run_at {
            Some(last) => (last - lookback).max(self.created_at),
            None => self.created_at,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// At every run of the alerts (every `alerts.interval_secs`) that finds new jobs.
    Instant,
    /// At most once a day.
    Daily,
    /// At most once a week.
    Weekly,
}

impl Frequency {
    pub const ALL: [Frequency; 3] = [Frequency::Instant, Frequency::Daily, Frequency::Weekly];

    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Instant => "instant",
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
        }
    }

    pub fn parse(value: &str) -> Option<Frequency> {
        Self::ALL.into_iter().find(|f| f.as_str() == value)
    }

    fn period(self) -> Duration {
        match self {
            Frequency::Instant => Duration::zero(),
            Frequency::Daily => Duration::days(1),
            Frequency::Weekly => Duration::days(7),
        }
    }

    /// When a search saved at `at` is first due: instant ones at the next run, daily and weekly
    /// ones a day or a week later (their first digest covers that day or week).
    pub fn first_due(self, at: NaiveDateTime) -> NaiveDateTime {
        at + self.period()
    }

    /// When a search that was due at `due` and ran at `now` is next due: one period after it was
    /// due, so the digest keeps its time of day rather than drifting by the run interval; but
    /// never again before a whole period has passed since `now` when runs were missed.
    pub fn next_due(self, due: NaiveDateTime, now: NaiveDateTime) -> NaiveDateTime {
        if self == Frequency::Instant {
            return now;
        }
        let on_schedule = due + self.period();
        if on_schedule > now {
            on_schedule
        } else {
            now + self.period()
        }
    }
}

/// The filters of a saved search: those of `GET /jobs/search`, checked the same way, except
/// `posted_since` (alerts mail what is new since the previous one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SavedFilters {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skill_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::jobs::input::EmploymentType>)]
    pub employment_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sponsorship: Option<bool>,
    /// Per month, in `salary_currency` (needed with it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salary_min: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = "^[A-Z]{3}$")]
    pub salary_currency: Option<String>,
}

impl SavedFilters {
    /// The job-search request these filters and `query` make.
    pub fn job_filters(&self, query: &str) -> JobFilters {
        let query = query.trim();
        JobFilters {
            q: (!query.is_empty()).then(|| query.to_owned()),
            jurisdiction: self.jurisdiction.clone(),
            location_id: self.location_id.clone(),
            skill_id: self.skill_id.clone(),
            employment_type: self.employment_type.clone(),
            sponsorship: self.sponsorship,
            posted_since: None,
            salary_min: self.salary_min,
            salary_currency: self.salary_currency.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn instant_searches_are_due_at_every_run() {
        let saved = at("2026-12-01 09:00");
        assert_eq!(Frequency::Instant.first_due(saved), saved);
        let now = at("2026-12-01 09:01");
        assert_eq!(Frequency::Instant.next_due(saved, now), now);
    }

    #[test]
    fn daily_and_weekly_searches_keep_their_time_of_day() {
        let saved = at("2026-12-01 09:00");
        let due = Frequency::Daily.first_due(saved);
        assert_eq!(due, at("2026-12-02 09:00"));
        // Run a minute late: next due a day after it was due, not after the run.
        assert_eq!(
            Frequency::Daily.next_due(due, at("2026-12-02 09:01")),
            at("2026-12-03 09:00")
        );
        assert_eq!(Frequency::Weekly.first_due(saved), at("2026-12-08 09:00"));
    }

    #[test]
    fn missed_runs_do_not_cause_a_burst() {
        let due = at("2026-12-02 09:00");
        // The service was down for three days: one digest now, the next a full day later.
        assert_eq!(
            Frequency::Daily.next_due(due, at("2026-12-05 12:00")),
            at("2026-12-06 12:00")
        );
    }

    #[test]
    fn the_window_reaches_back_but_never_before_saving() {
        let row = SavedSearchRow {
            id: "s".into(),
            user_id: "u".into(),
            query: String::new(),
            filters: "{}".into(),
            frequency: "daily".into(),
            created_at: at("2026-12-01 09:00"),
            last_run_at: None,
            next_due_at: at("2026-12-02 09:00"),
        };
        let hour = Duration::hours(1);
        assert_eq!(row.window_start(hour), at("2026-12-01 09:00"));
        let ran = SavedSearchRow {
            last_run_at: Some(at("2026-12-01 09:30")),
            ..row.clone()
        };
        assert_eq!(ran.window_start(hour), at("2026-12-01 09:00"));
        let later = SavedSearchRow {
            last_run_at: Some(at("2026-12-02 09:00")),
            ..row
        };
        assert_eq!(later.window_start(hour), at("2026-12-02 08:00"));
    }

    #[test]
    fn filters_round_trip_without_empty_fields() {
        let filters = SavedFilters {
            jurisdiction: Some("HK".into()),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&filters).unwrap(),
            r#"{"jurisdiction":"HK"}"#
        );
        let job = filters.job_filters("  rust ");
        assert_eq!(job.q.as_deref(), Some("rust"));
        assert!(filters.job_filters(" ").q.is_none());
    }
}
