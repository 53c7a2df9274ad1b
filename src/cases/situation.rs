//! The note a case's credential items start with: the registry's resolution of each of the
//! candidate's credentials into the destination, so the officer starts from facts. (The permit
//! route comes from the route finder, `crate::eligibility`.)

use chrono::NaiveDate;

use crate::registry::Registry;
use crate::registry::resolve::{Outcome, Resolution, Rules, Via, resolve};

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
