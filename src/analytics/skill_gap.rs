//! Skill gap: per skill and jurisdiction, the open jobs that ask for the skill against the
//! candidates who offer it there — where the market is short of people.
//!
//! - **Open jobs:** published, not closed, not past their expiry; a job belongs to the
//!   jurisdiction of its location (of its employer when the location is unknown). Every skill a
//!   job lists counts, required or nice-to-have; `open_jobs_requiring` counts the required only.
//! - **Candidates:** profiles not erased, whatever their visibility (these are counts, no one is
//!   shown), offering the skill at any level, counted in their residence jurisdiction and in
//!   every jurisdiction they want to work in — a Shenzhen engineer looking at Hong Kong is supply
//!   for Hong Kong too.
//! - **Ratio:** `open_jobs / max(candidates, 1)`, two decimals; rows sorted by ratio, then open
//!   jobs (descending), then jurisdiction and skill id. A skill with neither jobs nor candidates
//!   in a jurisdiction has no row.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{candidate_skills, candidates, employers, job_skills, jobs};
use crate::db::{Db, DbConnection};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::registry::Registry;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SkillGap {
    pub skill_id: String,
    /// The skill's label in the caller's language.
    pub label: String,
    #[schema(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: String,
    /// Open jobs in the jurisdiction listing the skill, required or nice-to-have.
    pub open_jobs: i64,
    /// Of those, the jobs where the skill is required.
    pub open_jobs_requiring: i64,
    /// Candidates offering the skill who live in the jurisdiction or want to work there.
    pub candidates: i64,
    /// `open_jobs / max(candidates, 1)`, rounded to two decimals: above 1, more openings than
    /// people.
    pub ratio: f64,
}

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    open_jobs: i64,
    requiring: i64,
    candidates: i64,
}

/// The gap as of now, read on the database's blocking pool: the API's answer and the analytics
/// page's chart.
pub async fn current(
    db: &Db,
    registry: Arc<Registry>,
    jurisdiction: Option<String>,
    locale: Locale,
) -> Result<Vec<SkillGap>, AppError> {
    db.read(move |conn| {
        Ok(skill_gap(
            conn,
            &registry,
            jurisdiction.as_deref(),
            Utc::now().naive_utc(),
            locale,
        )?)
    })
    .await
}

/// The gap in `jurisdiction`, or in every jurisdiction (one row per skill and jurisdiction).
pub fn skill_gap(
    conn: &mut DbConnection,
    registry: &Registry,
    jurisdiction: Option<&str>,
    now: NaiveDateTime,
    locale: Locale,
) -> QueryResult<Vec<SkillGap>> {
    let mut counts: BTreeMap<(String, String), Counts> = BTreeMap::new();
    let demand: Vec<(String, bool, String, String)> = job_skills::table
        .inner_join(jobs::table.inner_join(employers::table))
        .filter(crate::jobs::status::open_at(now))
        .select((
            job_skills::skill_id,
            job_skills::required,
            jobs::location_id,
            employers::jurisdiction,
        ))
        .load(conn)?;
    for (skill_id, required, location_id, employer_jurisdiction) in demand {
        let place = registry
            .locations
            .iter()
            .find(|l| l.id == location_id)
            .map(|l| l.jurisdiction.clone())
            .unwrap_or(employer_jurisdiction);
        let entry = counts.entry((place, skill_id)).or_default();
        entry.open_jobs += 1;
        entry.requiring += i64::from(required);
    }
    let supply: Vec<(String, String, String)> = candidate_skills::table
        .inner_join(candidates::table)
        .filter(candidates::erased_at.is_null())
        .select((
            candidate_skills::skill_id,
            candidates::residence_jurisdiction,
            candidates::desired_jurisdictions,
        ))
        .load(conn)?;
    for (skill_id, residence, desired) in supply {
        let mut places: Vec<String> = serde_json::from_str(&desired).unwrap_or_default();
        places.push(residence);
        places.sort();
        places.dedup();
        for place in places {
            counts.entry((place, skill_id.clone())).or_default().candidates += 1;
        }
    }
    let mut rows: Vec<SkillGap> = counts
        .into_iter()
        .filter(|((place, _), _)| jurisdiction.is_none_or(|j| j == place))
        .map(|((place, skill_id), c)| SkillGap {
            label: registry
                .skill(&skill_id)
                .map(|s| s.labels.get(locale).to_owned())
                .unwrap_or_else(|| skill_id.clone()),
            skill_id,
            jurisdiction: place,
            open_jobs: c.open_jobs,
            open_jobs_requiring: c.requiring,
            candidates: c.candidates,
            ratio: ratio(c.open_jobs, c.candidates),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.ratio
            .total_cmp(&a.ratio)
            .then(b.open_jobs.cmp(&a.open_jobs))
            .then_with(|| a.jurisdiction.cmp(&b.jurisdiction))
            .then_with(|| a.skill_id.cmp(&b.skill_id))
    });
    Ok(rows)
}

/// Openings per person, two decimals; no candidates counts as one, so the ratio stays finite
/// and a skill nobody offers ranks by its number of openings.
pub fn ratio(open_jobs: i64, candidates: i64) -> f64 {
    let raw = open_jobs as f64 / candidates.max(1) as f64;
    (raw * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::ratio;

    #[test]
    fn ratio_is_openings_per_person() {
        assert_eq!(ratio(3, 0), 3.0);
        assert_eq!(ratio(3, 1), 3.0);
        assert_eq!(ratio(2, 3), 0.67);
        assert_eq!(ratio(0, 5), 0.0);
    }
}
