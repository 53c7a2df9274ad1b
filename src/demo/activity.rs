//! Demo accounts and what people do with the market: applications along the pipeline, with their
//! history, and one-stop cases for offers across the boundary (opened the way an officer opens
//! them, so their checklists come from the candidate's situation).

use crate::applications::status::Status::{self, *};
use std::collections::HashSet;
use std::sync::Arc;

use chrono::{Duration, NaiveDateTime};
use rand::Rng;

use super::people::Candidate;
use super::{BATCH, DOMAIN, Demo, Progress};
use crate::applications::model::{ApplicationEventRow, ApplicationRow};
use crate::auth::model::NewUser;
use crate::auth::{AuthUser, Role};
use crate::candidates::visibility::boundary_allows;
use crate::cases::views::OpenCase;
use crate::db::Db;
use crate::db::bulk::bulk_insert;
use crate::db::schema::{application_events, applications};
use crate::error::AppError;
use crate::registry::Registry;

/// An account to insert; every demo account shares the demo password's hash.
#[derive(Debug, Clone)]
pub struct DemoUser {
    pub id: String,
    pub email: String,
    pub password_hash: String,
    pub role: &'static str,
    pub display_name: String,
    pub locale: &'static str,
    pub at: NaiveDateTime,
}

impl DemoUser {
    pub fn as_new(&self) -> NewUser<'_> {
        NewUser {
            id: &self.id,
            email: &self.email,
            password_hash: &self.password_hash,
            role: self.role,
            display_name: &self.display_name,
            locale: self.locale,
            email_verified_at: Some(self.at),
            created_at: self.at,
            updated_at: self.at,
        }
    }
}

fn user(
    demo: &mut Demo<'_>,
    local: String,
    role: &'static str,
    name: String,
    hash: &str,
    at: NaiveDateTime,
) -> DemoUser {
    DemoUser {
        id: demo.id(),
        email: format!("{local}@{DOMAIN}"),
        password_hash: hash.to_owned(),
        role,
        display_name: name,
        locale: "en",
        at,
    }
}

/// The admin and the agency officer.
pub fn staff(demo: &mut Demo<'_>, hash: &str, at: NaiveDateTime) -> Vec<DemoUser> {
    vec![
        user(
            demo,
            "admin".into(),
            Role::Admin.as_str(),
            "Demo Admin".into(),
            hash,
            at,
        ),
        user(
            demo,
            "officer".into(),
            Role::AgencyOfficer.as_str(),
            "Demo Officer".into(),
            hash,
            at,
        ),
    ]
}

/// The owner of employer `serial`: the first two are the demo employer accounts.
pub fn owner(
    demo: &mut Demo<'_>,
    serial: usize,
    jurisdiction: &str,
    hash: &str,
    at: NaiveDateTime,
) -> DemoUser {
    let local = match serial {
        0 => "employer.hk".to_owned(),
        1 => "employer.cn".to_owned(),
        _ => format!("employer-{serial}"),
    };
    let name = format!("{jurisdiction} recruiter {serial}");
    user(demo, local, Role::Employer.as_str(), name, hash, at)
}

/// The account of candidate `serial`: the first two are the demo candidate accounts.
pub fn candidate_account(demo: &mut Demo<'_>, serial: usize, hash: &str, at: NaiveDateTime) -> DemoUser {
    let local = match serial {
        0 => "candidate.hk".to_owned(),
        1 => "candidate.cn".to_owned(),
        _ => format!("candidate-{serial}"),
    };
    user(
        demo,
        local,
        Role::Candidate.as_str(),
        format!("Candidate {serial}"),
        hash,
        at,
    )
}

/// The accounts to print.
pub fn accounts() -> Vec<super::Account> {
    let account = |role, local: &str, note| super::Account {
        role,
        email: format!("{local}@{DOMAIN}"),
        note,
    };
    vec![
        account("admin", "admin", "registry, audit, staff"),
        account("agency_officer", "officer", "verification, cases, analytics"),
        account(
            "employer",
            "employer.hk",
            "owner of a verified Hong Kong employer",
        ),
        account("employer", "employer.cn", "owner of a verified Shenzhen employer"),
        account("candidate", "candidate.hk", "lives in Hong Kong"),
        account("candidate", "candidate.cn", "lives in Shenzhen"),
    ]
}

/// What applying needs to know of a candidate.
pub struct Applicant {
    pub id: String,
    pub residence: String,
    pub consented_to: Vec<String>,
}

impl Applicant {
    pub fn of(candidate: &Candidate) -> Self {
        Applicant {
            id: candidate.row.id.clone(),
            residence: candidate.row.residence_jurisdiction.clone(),
            consented_to: candidate
                .consents
                .iter()
                .map(|c| c.to_jurisdiction.clone())
                .collect(),
        }
    }
}

/// The pipeline a demo application went through, by how far it got.
const PATHS: &[(&[Status], u32)] = &[
    (&[Submitted], 45),
    (&[Submitted, Screening], 20),
    (&[Submitted, Screening, Interview], 12),
    (&[Submitted, Screening, Interview, Offer], 8),
    (&[Submitted, Screening, Interview, Offer, Hired], 4),
    (&[Submitted, Screening, Rejected], 8),
    (&[Submitted, Withdrawn], 3),
];

/// An application with the route to its employer, for cases.
pub struct Applied {
    pub id: String,
    pub candidate_id: String,
    pub status: Status,
    pub cross_border: bool,
}

/// About one application per candidate, to open jobs at home or where they consented to be seen
/// (as the API demands), each with its history.
pub async fn seed_applications(
    db: &Db,
    demo: &mut Demo<'_>,
    candidates: &[Applicant],
    open_jobs: &[(String, String)],
    now: NaiveDateTime,
    progress: &dyn Progress,
) -> Result<Vec<Applied>, AppError> {
    let mut applied = Vec::new();
    if open_jobs.is_empty() {
        return Ok(applied);
    }
    progress.stage("applications", candidates.len() as u64);
    let total_weight: u32 = PATHS.iter().map(|(_, w)| w).sum();
    let mut seen = HashSet::new();
    for (batch_no, batch) in candidates.chunks(BATCH).enumerate() {
        let mut rows = Vec::new();
        let mut events = Vec::new();
        for candidate in batch {
            let (job_id, jurisdiction) = &open_jobs[demo.rng.random_range(0..open_jobs.len())];
            let reachable = boundary_allows(&candidate.residence, &candidate.consented_to, jurisdiction);
            if !reachable || !seen.insert((candidate.id.clone(), job_id.clone())) {
                continue;
            }
            let mut roll = demo.rng.random_range(0..total_weight);
            let path = PATHS
                .iter()
                .find(|(_, weight)| {
                    let hit = roll < *weight;
                    roll = roll.saturating_sub(*weight);
                    hit
                })
                .map_or(PATHS[0].0, |(path, _)| *path);
            let id = demo.id();
            let started = now - Duration::days(demo.rng.random_range(5..40));
            for (step, status) in path.iter().enumerate() {
                events.push(ApplicationEventRow {
                    id: demo.id(),
                    application_id: id.clone(),
                    from_status: step
                        .checked_sub(1)
                        .map(|previous| path[previous].as_str().to_owned()),
                    to_status: status.as_str().to_owned(),
                    actor_id: None,
                    at: started + Duration::days(step as i64 * 3),
                });
            }
            let status = path[path.len() - 1];
            rows.push(ApplicationRow {
                id: id.clone(),
                job_id: job_id.clone(),
                candidate_id: candidate.id.clone(),
                cover_letter: None,
                status: status.as_str().to_owned(),
                created_at: started,
                updated_at: started + Duration::days((path.len() as i64 - 1) * 3),
            });
            applied.push(Applied {
                id,
                candidate_id: candidate.id.clone(),
                status,
                cross_border: *jurisdiction != candidate.residence,
            });
        }
        db.write(move |conn| {
            bulk_insert!(conn, applications::table, rows);
            bulk_insert!(conn, application_events::table, events);
            Ok(())
        })
        .await?;
        progress.advance(((batch_no + 1) * BATCH).min(candidates.len()) as u64);
    }
    progress.finish_stage();
    Ok(applied)
}

/// Cases at different stages: every case has its offer accepted, most a visa, some an arrival
/// and a first working day, so the checklists show due dates counted from each milestone.
fn demo_milestones(n: usize, today: chrono::NaiveDate) -> crate::cases::planning::MilestoneChange {
    use crate::registry::route::Anchor;
    let ago = |days: i64| Some(Some(today - chrono::Duration::days(days)));
    let stage = n % 4;
    [
        (Anchor::OfferAccepted, ago(40 + (n % 20) as i64)),
        (Anchor::VisaApproved, if stage >= 1 { ago(15) } else { None }),
        (Anchor::Arrival, if stage >= 2 { ago(10) } else { None }),
        (Anchor::EmploymentStart, if stage >= 3 { ago(7) } else { None }),
    ]
}

/// Cases for offers across the boundary (at most 200), opened by the demo officer from the
/// application, so direction, job and checklist come from the candidate's situation.
pub async fn seed_cases(
    db: &Db,
    registry: Arc<Registry>,
    officer_id: &str,
    applied: &[Applied],
    progress: &dyn Progress,
) -> Result<usize, AppError> {
    let offers: Vec<(String, String)> = applied
        .iter()
        .filter(|a| a.cross_border && a.status == Offer)
        .take(200)
        .map(|a| (a.id.clone(), a.candidate_id.clone()))
        .collect();
    progress.stage("cases", offers.len() as u64);
    let officer = AuthUser {
        id: officer_id.to_owned(),
        role: Role::AgencyOfficer,
        request_id: None,
    };
    let count = offers.len();
    // Demo jobs pay in their own currency, which is the one the routes' income thresholds use.
    let rates = crate::money::Rates::default();
    let today = crate::cases::today();
    db.write(move |conn| {
        for (n, (application_id, candidate_id)) in offers.into_iter().enumerate() {
            let body = OpenCase {
                candidate_id: Some(candidate_id),
                direction: None,
                job_id: None,
                application_id: Some(application_id),
                summary: Some("Offer accepted: permit, credentials and relocation to arrange.".into()),
                assignee_id: Some(officer.id.clone()),
            };
            let case = crate::cases::opening::open_in(conn, &registry, &rates, &officer, &body)?;
            let planning = crate::cases::planning::Planning {
                registry: &registry,
                rates: &rates,
                actor: &officer,
                at: chrono::Utc::now().naive_utc(),
            };
            planning.change(conn, &case.id, None, Some(&demo_milestones(n, today)))?;
        }
        Ok(())
    })
    .await?;
    progress.advance(count as u64);
    progress.finish_stage();
    Ok(count)
}
