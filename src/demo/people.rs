//! Demo candidates: where they live and want to work, what they can do and hold, and whom they
//! let see them.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rand::Rng;

use super::Demo;
use super::text;
use crate::candidates::CONSENT_NOTICE_VERSION;
use crate::candidates::model::{
    CandidateRow, ConsentRow, CredentialRow, LanguageRow, SkillRow, WorkAuthorizationRow,
};

pub struct Candidate {
    pub row: CandidateRow,
    pub skills: Vec<SkillRow>,
    pub languages: Vec<LanguageRow>,
    pub credentials: Vec<CredentialRow>,
    pub authorizations: Vec<WorkAuthorizationRow>,
    pub consents: Vec<ConsentRow>,
}

/// Candidate `serial`: the first lives in Hong Kong, the second in Shenzhen (the demo accounts).
pub fn candidate(demo: &mut Demo<'_>, user_id: &str, serial: usize, at: NaiveDateTime) -> Candidate {
    let id = demo.id();
    let hk = match serial {
        0 => true,
        1 => false,
        _ => demo.rng.random_bool(0.45),
    };
    let (home, other) = if hk { ("HK", "CN") } else { ("CN", "HK") };
    let script = demo.script(if hk { [0.4, 0.1, 0.5] } else { [0.2, 0.75, 0.05] });
    let name = text::person_name(&mut demo.rng, script);
    let industry = demo.industry();
    let skills = demo.skills_of(&industry, 3, 6);
    let labels: Vec<&str> = skills.iter().map(|s| s.labels.get(script)).collect();
    let years = demo.rng.random_range(1..=20);
    let headline = text::headline(&mut demo.rng, script, labels[0], years);
    let summary = text::summary(script, &labels);
    let desired: Vec<&str> = match demo.rng.random_range(0..10) {
        0..4 => vec!["CN", "HK"],
        4..8 => vec![other],
        _ => vec![home],
    };
    let wants_other = desired.contains(&other);
    let location = demo.location(home).id.clone();
    let (currency, amount) = if hk {
        ("HKD", demo.rng.random_range(20..=100) * 1000)
    } else {
        ("CNY", demo.rng.random_range(12..=70) * 1000)
    };
    let row = CandidateRow {
        id: id.clone(),
        user_id: user_id.to_owned(),
        display_name: name,
        headline,
        summary,
        residence_jurisdiction: home.into(),
        location_id: Some(location),
        desired_jurisdictions: serde_json::to_string(&desired).unwrap_or_else(|_| "[]".into()),
        desired_location_ids: "[]".into(),
        salary_amount: Some(amount),
        salary_currency: Some(currency.into()),
        salary_period: Some("month".into()),
        visibility: if demo.rng.random_bool(0.85) {
            "employers"
        } else {
            "private"
        }
        .into(),
        erased_at: None,
        created_at: at,
        updated_at: at,
        // Chinese nationals on both sides (Hong Kong residents included); drawn without the
        // generator, so the rest of the demo market stays what the seed made it.
        nationality: Some("CN".into()),
        dependent_children: None,
    };
    let skills = skills
        .iter()
        .map(|skill| SkillRow {
            candidate_id: id.clone(),
            skill_id: skill.id.clone(),
            level: demo.rng.random_range(2..=5),
            years: demo.rng.random_range(1..=years.max(1)),
        })
        .collect();
    let mut languages = vec![LanguageRow {
        candidate_id: id.clone(),
        code: if hk { "yue".into() } else { "cmn".into() },
        level: 5,
    }];
    languages.push(LanguageRow {
        candidate_id: id.clone(),
        code: "en".into(),
        level: demo.rng.random_range(2..=5),
    });
    if hk && demo.rng.random_bool(0.6) {
        languages.push(LanguageRow {
            candidate_id: id.clone(),
            code: "cmn".into(),
            level: demo.rng.random_range(2..=4),
        });
    }
    let degree = if hk {
        [
            "hk-bachelor-engineering",
            "hk-bachelor-science",
            "hk-bachelor-business-administration",
            "hk-master-science",
        ]
    } else {
        [
            "cn-bachelor-engineering",
            "cn-bachelor-science",
            "cn-bachelor-management",
            "cn-master",
        ]
    };
    let credentials = vec![CredentialRow {
        id: demo.id(),
        candidate_id: id.clone(),
        qualification_id: degree[demo.rng.random_range(0..degree.len())].into(),
        awarded_on: NaiveDate::from_ymd_opt(2026 - years, 7, 1),
        status: if demo.rng.random_bool(0.5) {
            "verified"
        } else {
            "pending"
        }
        .into(),
        verification_note: None,
        verified_by: None,
        verified_at: None,
        created_at: at,
    }];
    let mut authorizations = vec![authorization(
        demo,
        &id,
        home,
        if hk { "HK_PR" } else { "CN_CITIZEN" },
        None,
        at,
    )];
    if wants_other && demo.rng.random_bool(0.25) {
        let (basis, until) = if hk {
            ("CN_HKMO_RESIDENT", None)
        } else {
            (
                "HK_TTPS",
                Some(at.date() + Duration::days(demo.rng.random_range(200..900))),
            )
        };
        authorizations.push(authorization(demo, &id, other, basis, until, at));
    }
    let consents = if wants_other && demo.rng.random_bool(0.6) {
        vec![ConsentRow {
            id: demo.id(),
            candidate_id: id.clone(),
            purpose: "cross_border_sharing".into(),
            to_jurisdiction: other.into(),
            notice_version: CONSENT_NOTICE_VERSION.into(),
            granted_at: at,
            withdrawn_at: None,
        }]
    } else {
        Vec::new()
    };
    Candidate {
        row,
        skills,
        languages,
        credentials,
        authorizations,
        consents,
    }
}

fn authorization(
    demo: &mut Demo<'_>,
    candidate_id: &str,
    jurisdiction: &str,
    basis: &str,
    valid_until: Option<NaiveDate>,
    at: NaiveDateTime,
) -> WorkAuthorizationRow {
    WorkAuthorizationRow {
        id: demo.id(),
        candidate_id: candidate_id.to_owned(),
        jurisdiction: jurisdiction.into(),
        basis: basis.into(),
        valid_until,
        status: "pending".into(),
        verification_note: None,
        verified_by: None,
        verified_at: None,
        created_at: at,
    }
}
