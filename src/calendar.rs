//! The agency's calendar. Shenzhen and Hong Kong both keep UTC+8 all year (no daylight saving),
//! so due dates, award windows and "once a day" follow that clock, not UTC's.

use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};

/// Today in Shenzhen and Hong Kong.
pub fn today() -> NaiveDate {
    local_day(Utc::now().naive_utc())
}

/// The day of a UTC time in Shenzhen and Hong Kong.
pub fn local_day(at: NaiveDateTime) -> NaiveDate {
    (at + Duration::hours(8)).date()
}
