//! The candidate's situation fills two checklist items when a case opens, so the officer starts
//! from facts rather than a blank list: the permit route (from the work authorisations the
//! candidate holds in the destination and whether the job sponsors one) and credential
//! recognition (the registry's resolution of each credential into the destination).

use chrono::NaiveDate;

use crate::registry::Registry;
use crate::registry::resolve::{Outcome, Resolution, Rules, Via, resolve};

/// What the opening case writes into a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advice {
    /// Nothing to do: the candidate already holds what the task is about.
    pub not_applicable: bool,
    pub note: String,
}

/// The permit route into `to`, given the authorising bases the candidate holds there (active
/// ones only) and whether the job, if any, sponsors a permit.
pub fn permit_route(to: &str, held_bases: &[String], job_sponsors: Option<bool>) -> Advice {
    if !held_bases.is_empty() {
        return Advice {
            not_applicable: true,
            note: format!("Already authorised to work in {to}: {}.", held_bases.join(", ")),
        };
    }
    let note = match (to, job_sponsors) {
        ("HK", Some(true)) => {
            "The job sponsors a visa: Admission Scheme for Mainland Talents and Professionals (ASMTP) through the employer."
                .to_owned()
        }
        ("HK", _) => {
            "No sponsoring job: Top Talent Pass Scheme (TTPS) or Quality Migrant Admission Scheme (QMAS), by the candidate's profile."
                .to_owned()
        }
        ("CN", _) => {
            "Hong Kong residents of Chinese nationality need no employment permit (since 2018): Residence Permit for HK/Macao/Taiwan Residents or the Home Return Permit; foreign nationals: Foreigner's Work Permit through the employer."
                .to_owned()
        }
        _ => format!("No work authorisation for {to} on file: choose the route from the candidate's situation."),
    };
    Advice {
        not_applicable: false,
        note,
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_authorisation_makes_the_permit_task_unnecessary() {
        let advice = permit_route("HK", &["HK_PR".to_owned()], Some(false));
        assert!(advice.not_applicable);
        assert!(advice.note.contains("HK_PR"), "{}", advice.note);
    }

    #[test]
    fn the_route_follows_sponsorship_and_destination() {
        assert!(permit_route("HK", &[], Some(true)).note.contains("ASMTP"));
        let unsponsored = permit_route("HK", &[], None);
        assert!(!unsponsored.not_applicable);
        assert!(unsponsored.note.contains("TTPS") && unsponsored.note.contains("QMAS"));
        assert!(
            permit_route("CN", &[], Some(true))
                .note
                .contains("Residence Permit")
        );
        assert!(permit_route("MO", &[], None).note.contains("MO"));
    }
}
