//! What a case starts from: the candidate's situation as the routes judge it, the route the case
//! takes (the route finder's first that is not ruled out, `crate::eligibility`), and the note its
//! credential items start with (the registry's resolution of each credential into the
//! destination), so the officer starts from facts.

use chrono::NaiveDate;

use super::model::CaseRow;
use crate::db::DbConnection;
use crate::eligibility::conditions::Context;
use crate::eligibility::finder::RouteStatus;
use crate::eligibility::situation::Situation;
use crate::error::AppError;
use crate::registry::Registry;
use crate::registry::resolve::{Outcome, Resolution, Rules, Via, resolve};
use crate::registry::route::ChecklistItem;

/// Each credential's standing in `to` by the registry's rules in force on `day`, one line each;
/// `None` when the candidate has no credentials on file.
pub fn credential_recognition(
    registry: &Registry,
    qualification_ids: &[String],
    to: &str,
    day: NaiveDate,
) -> Option<String> {
    let rules = Rules {
        equivalences: &registry.equivalences,
        comparabilities: &registry.comparabilities,
        levels: &registry.levels,
    };
    let lines: Vec<String> = qualification_ids
        .iter()
        .filter_map(|id| registry.qualifications.get(id))
        .map(|qualification| {
            let resolution = resolve(&rules, qualification, to, day);
            format!("{}: {}", qualification.title_en, describe(&resolution))
        })
        .collect();
    (!lines.is_empty()).then(|| format!("Registry resolution into {to} — {}", lines.join("; ")))
}

fn describe(resolution: &Resolution) -> String {
    let outcome = match resolution.outcome {
        Outcome::Equivalent => "equivalent",
        Outcome::Comparable => "comparable",
        Outcome::Partial => "partial",
        Outcome::None => "no recognised counterpart: assessment needed",
    };
    let via = match (&resolution.via, &resolution.equivalence_id) {
        (Some(Via::Direct), Some(rule)) => format!(" (equivalence rule {rule})"),
        (Some(Via::FrameworkLevel), _) => " (by framework level)".to_owned(),
        (Some(Via::SameJurisdiction), _) => " (awarded there)".to_owned(),
        _ => String::new(),
    };
    let verify = if resolution.verify_before_use {
        ", verify before use"
    } else {
        ""
    };
    format!("{outcome}{via}{verify}")
}

/// The candidate's situation as the case's routes and conditions judge it: the case's job, if
/// any, is the offer.
pub fn of_case(conn: &mut DbConnection, case: &CaseRow, today: NaiveDate) -> Result<Situation, AppError> {
    let candidate = crate::candidates::store::find(conn, &case.candidate_id)?.ok_or(AppError::NotFound)?;
    crate::eligibility::situation::of_candidate(conn, &candidate, case.job_id.as_deref(), today)
}

/// The finder's first route that is not ruled out, with the steps to take it (none when the
/// candidate already holds it).
pub fn first_route(context: &Context<'_>) -> Option<(String, Vec<ChecklistItem>)> {
    let best = crate::eligibility::finder::find(context)
        .into_iter()
        .find(|judged| judged.status != RouteStatus::NotEligible)?;
    let steps = if best.status == RouteStatus::AlreadyAuthorised {
        Vec::new()
    } else {
        best.route.steps.clone()
    };
    Some((best.basis.code.clone(), steps))
}
