//! `talentbridge seed-demo`: a realistic, reproducible market — employers of both jurisdictions
//! with valid registration numbers, jobs in English, Simplified and Traditional Chinese,
//! candidates with skills, credentials, work authorisations and consents, applications and
//! cases — written in bulk, batch by batch in transactions. It appends no index events: the
//! caller rebuilds the indexes once afterwards (`search::rebuild`), which is what makes a
//! million jobs take minutes rather than hours.

mod activity;
mod market;
mod people;
pub(crate) mod text;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{NaiveDateTime, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use crate::db::bulk::bulk_insert;
use crate::db::schema::{
    candidate_languages, candidate_skills, candidates, consents, credentials, employer_members, employers,
    job_languages, job_skills, jobs, users, work_authorizations,
};
use crate::db::{Db, DbConnection};
use crate::employers::model::EmployerRow;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::jobs::status::JobStatus;
use crate::registry::Registry;
use crate::registry::model::LocationRow;
use crate::registry::snapshot::Skill;

/// The password of every demo account (printed at the end; demo data only).
pub const DEMO_PASSWORD: &str = "demo-password-2026";
const DOMAIN: &str = "demo.talentbridge.example";
/// Records generated per transaction.
const BATCH: usize = 2000;

#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub jobs: usize,
    pub candidates: usize,
    /// The same seed gives the same data.
    pub seed: u64,
}

/// What the command reports as it goes.
pub trait Progress: Send + Sync {
    fn stage(&self, _name: &'static str, _total: u64) {}
    fn advance(&self, _done: u64) {}
    fn finish_stage(&self) {}
}

pub struct Quiet;
impl Progress for Quiet {}

/// A demo account to print.
#[derive(Debug, Clone)]
pub struct Account {
    pub role: &'static str,
    pub email: String,
    pub note: &'static str,
}

#[derive(Debug, Clone, Default)]
pub struct Seeded {
    pub employers: usize,
    pub jobs: usize,
    pub candidates: usize,
    pub applications: usize,
    pub cases: usize,
    pub accounts: Vec<Account>,
}

/// The generator's state: the seeded random source and the registry it draws words from.
pub(crate) struct Demo<'a> {
    pub rng: StdRng,
    pub registry: &'a Registry,
    skills_by_category: HashMap<&'a str, Vec<&'a Skill>>,
    categories: Vec<&'a str>,
    locations: HashMap<&'a str, Vec<&'a LocationRow>>,
}

impl<'a> Demo<'a> {
    fn new(registry: &'a Registry, seed: u64) -> Self {
        let mut skills_by_category: HashMap<&str, Vec<&Skill>> = HashMap::new();
        for skill in &registry.skills {
            skills_by_category
                .entry(skill.category_id.as_str())
                .or_default()
                .push(skill);
        }
        let mut categories: Vec<&str> = skills_by_category
            .iter()
            .filter(|(id, skills)| **id != "general" && skills.len() >= 4)
            .map(|(id, _)| *id)
            .collect();
        categories.sort();
        let mut locations: HashMap<&str, Vec<&LocationRow>> = HashMap::new();
        for location in &registry.locations {
            locations
                .entry(location.jurisdiction.as_str())
                .or_default()
                .push(location);
        }
        Demo {
            rng: StdRng::seed_from_u64(seed),
            registry,
            skills_by_category,
            categories,
            locations,
        }
    }

    /// A random but reproducible id.
    pub fn id(&mut self) -> String {
        uuid::Builder::from_random_bytes(self.rng.random())
            .into_uuid()
            .to_string()
    }

    pub fn industry(&mut self) -> String {
        self.categories
            .choose(&mut self.rng)
            .map(|c| c.to_string())
            .unwrap_or_default()
    }

    /// Between `min` and `max` distinct skills of the industry, the first the most defining.
    pub fn skills_of(&mut self, industry: &str, min: usize, max: usize) -> Vec<&'a Skill> {
        let pool = self.skills_by_category.get(industry).cloned().unwrap_or_default();
        let count = self.rng.random_range(min..=max).min(pool.len());
        pool.choose_multiple(&mut self.rng, count).copied().collect()
    }

    /// A script by weights `[English, Simplified, Traditional]`.
    pub fn script(&mut self, weights: [f64; 3]) -> Locale {
        let roll: f64 = self.rng.random();
        if roll < weights[0] {
            Locale::En
        } else if roll < weights[0] + weights[1] {
            Locale::ZhHans
        } else {
            Locale::ZhHant
        }
    }

    pub fn location(&mut self, jurisdiction: &str) -> &'a LocationRow {
        let places = &self.locations[jurisdiction];
        places[self.rng.random_range(0..places.len())]
    }
}

/// Whether demo data is there already (its admin account exists).
pub async fn present(db: &Db) -> Result<bool, AppError> {
    let email = format!("admin@{DOMAIN}");
    db.read(move |conn| Ok(crate::auth::store::find_user_by_email(conn, &email)?.is_some()))
        .await
}

/// Writes the demo market. Refuses (409) when demo data is present already.
pub async fn seed(
    db: &Db,
    registry: Arc<Registry>,
    size: Size,
    progress: &dyn Progress,
) -> Result<Seeded, AppError> {
    if present(db).await? {
        return Err(AppError::Conflict("demo data is present already".into()));
    }
    let password_hash = crate::auth::password::hash(DEMO_PASSWORD.to_owned()).await?;
    let now = Utc::now().naive_utc();
    let mut demo = Demo::new(&registry, size.seed);
    let staff = activity::staff(&mut demo, &password_hash, now);
    let officer_id = staff[1].id.clone();
    db.write(move |conn| {
        for user in &staff {
            crate::auth::store::insert_user(conn, &user.as_new())?;
        }
        Ok(())
    })
    .await?;
    let seeding = Seeding {
        db,
        password_hash: &password_hash,
        now,
        progress,
    };
    let employers = seeding.employers(&mut demo, size).await?;
    let open_jobs = seeding.jobs(&mut demo, size, &employers).await?;
    let candidates = seeding.candidates(&mut demo, size).await?;
    let applications =
        activity::seed_applications(db, &mut demo, &candidates, &open_jobs, now, progress).await?;
    let cases = activity::seed_cases(db, registry.clone(), &officer_id, &applications, progress).await?;
    refresh_statistics(db).await?;
    Ok(Seeded {
        employers: employers.len(),
        jobs: size.jobs,
        candidates: candidates.len(),
        applications: applications.len(),
        cases,
        accounts: activity::accounts(),
    })
}

/// Without fresh statistics the planner takes the bulk-loaded tables for nearly empty: the
/// index build that follows then sorted every open job for each page of 1,000 (1.7 s a page,
/// half an hour in all at a million jobs on PostgreSQL) instead of walking the primary key.
async fn refresh_statistics(db: &Db) -> Result<(), AppError> {
    db.write(|conn| {
        use diesel::RunQueryDsl;
        diesel::sql_query("ANALYZE").execute(conn)?;
        Ok(())
    })
    .await
}

/// What the bulk steps of seeding share: where they write, the time the market is seeded at, the
/// demo accounts' password hash, and the progress shown.
struct Seeding<'s> {
    db: &'s Db,
    password_hash: &'s str,
    now: NaiveDateTime,
    progress: &'s dyn Progress,
}

impl Seeding<'_> {
    /// Makes `count` records with `make(serial)` and writes them `BATCH` at a time with `write`,
    /// each batch in one transaction, the bar advancing after each.
    async fn in_batches<T: Send + 'static>(
        &self,
        stage: &'static str,
        count: usize,
        mut make: impl FnMut(usize) -> T,
        write: fn(&mut DbConnection, Vec<T>) -> Result<(), AppError>,
    ) -> Result<(), AppError> {
        self.progress.stage(stage, count as u64);
        for start in (0..count).step_by(BATCH) {
            let end = (start + BATCH).min(count);
            let batch: Vec<T> = (start..end).map(&mut make).collect();
            self.db.write(move |conn| write(conn, batch)).await?;
            self.progress.advance(end as u64);
        }
        self.progress.finish_stage();
        Ok(())
    }

    /// One employer per 25 jobs (at least four), alternating jurisdictions; the first of each side
    /// belongs to a demo account and is verified.
    async fn employers(&self, demo: &mut Demo<'_>, size: Size) -> Result<Vec<EmployerRow>, AppError> {
        let (password_hash, now) = (self.password_hash, self.now);
        let count = (size.jobs / 25).clamp(4, 40_000);
        let mut all = Vec::with_capacity(count);
        let make = |serial: usize| {
            let jurisdiction = if serial.is_multiple_of(2) { "HK" } else { "CN" };
            let owner = activity::owner(demo, serial, jurisdiction, password_hash, now);
            let mut employer = market::employer(demo, serial, jurisdiction, &owner.id, now);
            if serial < 2 {
                employer.row.verified = true;
                employer.row.verified_at = Some(now);
            }
            all.push(employer.row.clone());
            (owner, employer)
        };
        self.in_batches("employers", count, make, |conn, made| {
            let (owners, made): (Vec<_>, Vec<_>) = made.into_iter().unzip();
            let users: Vec<_> = owners.iter().map(|u| u.as_new()).collect();
            bulk_insert!(conn, users::table, users);
            let (rows, members): (Vec<_>, Vec<_>) = made.into_iter().map(|e| (e.row, e.owner)).unzip();
            bulk_insert!(conn, employers::table, rows);
            bulk_insert!(conn, employer_members::table, members);
            Ok(())
        })
        .await?;
        Ok(all)
    }

    /// Jobs spread over the employers; returns the open ones as `(job id, employer jurisdiction)`.
    async fn jobs(
        &self,
        demo: &mut Demo<'_>,
        size: Size,
        employers: &[EmployerRow],
    ) -> Result<Vec<(String, String)>, AppError> {
        let now = self.now;
        let mut open = Vec::new();
        let make = |_| {
            let employer = &employers[demo.rng.random_range(0..employers.len())];
            let job = market::job(demo, employer, now);
            if JobStatus::stored(&job.row) == JobStatus::Open {
                open.push((job.row.id.clone(), employer.jurisdiction.clone()));
            }
            job
        };
        self.in_batches("jobs", size.jobs, make, |conn, made| {
            let (rows, lists): (Vec<_>, Vec<_>) =
                made.into_iter().map(|j| (j.row, (j.skills, j.languages))).unzip();
            let (skills, languages): (Vec<Vec<_>>, Vec<Vec<_>>) = lists.into_iter().unzip();
            bulk_insert!(conn, jobs::table, rows);
            bulk_insert!(conn, job_skills::table, skills.concat());
            bulk_insert!(conn, job_languages::table, languages.concat());
            Ok(())
        })
        .await?;
        Ok(open)
    }

    /// Candidates with their accounts, holdings and consents; the first two belong to demo accounts.
    async fn candidates(
        &self,
        demo: &mut Demo<'_>,
        size: Size,
    ) -> Result<Vec<activity::Applicant>, AppError> {
        let (password_hash, now) = (self.password_hash, self.now);
        let count = size.candidates.max(2);
        let mut applicants = Vec::with_capacity(count);
        let make = |serial: usize| {
            let account = activity::candidate_account(demo, serial, password_hash, now);
            let candidate = people::candidate(demo, &account.id, serial, now);
            applicants.push(activity::Applicant::of(&candidate));
            (account, candidate)
        };
        self.in_batches("candidates", count, make, |conn, made| {
            let (accounts, made): (Vec<_>, Vec<_>) = made.into_iter().unzip();
            let users: Vec<_> = accounts.iter().map(|u| u.as_new()).collect();
            bulk_insert!(conn, users::table, users);
            let rows: Vec<_> = made.iter().map(|c| c.row.clone()).collect();
            bulk_insert!(conn, candidates::table, rows);
            let mut skills = Vec::new();
            let mut languages = Vec::new();
            let mut held = Vec::new();
            let mut authorizations = Vec::new();
            let mut consented = Vec::new();
            for candidate in made {
                skills.extend(candidate.skills);
                languages.extend(candidate.languages);
                held.extend(candidate.credentials);
                authorizations.extend(candidate.authorizations);
                consented.extend(candidate.consents);
            }
            bulk_insert!(conn, candidate_skills::table, skills);
            bulk_insert!(conn, candidate_languages::table, languages);
            bulk_insert!(conn, credentials::table, held);
            bulk_insert!(conn, work_authorizations::table, authorizations);
            bulk_insert!(conn, consents::table, consented);
            Ok(())
        })
        .await?;
        Ok(applicants)
    }
}
