//! Demo employers and their jobs: both jurisdictions, valid registration numbers, jobs in the
//! three scripts across the industries of the skills taxonomy.

use chrono::{Duration, NaiveDateTime};
use rand::Rng;
use rand::seq::IndexedRandom;

use super::Demo;
use super::text;
use crate::employers::model::{EmployerRow, MemberRow};
use crate::i18n::Locale;
use crate::jobs::model::{JobLanguageRow, JobRow, JobSkillRow};
use crate::jobs::status::JobStatus;
use crate::registry::Registry;

/// One employer with the account that owns it.
pub struct Employer {
    pub row: EmployerRow,
    pub owner: MemberRow,
}

pub fn employer(
    demo: &mut Demo<'_>,
    serial: usize,
    jurisdiction: &str,
    owner_id: &str,
    at: NaiveDateTime,
) -> Employer {
    let industry = demo.industry();
    let industry_en = demo
        .registry
        .categories
        .get(&industry)
        .map(|c| c.label_en.clone())
        .unwrap_or_default();
    let name = text::employer_name(&mut demo.rng, jurisdiction, &industry_en, serial);
    let registration_number = if jurisdiction == "HK" {
        format!("{:08}", 30_000_000 + serial)
    } else {
        let first17 = format!("914403{:011}", serial);
        crate::employers::registration::complete_uscc(&first17).unwrap_or(first17)
    };
    let id = demo.id();
    let verified = demo.rng.random_bool(0.9);
    Employer {
        row: EmployerRow {
            id: id.clone(),
            name,
            jurisdiction: jurisdiction.to_owned(),
            registration_number,
            verified,
            verification_note: verified.then(|| "Business registration checked (demo)".to_owned()),
            verified_by: None,
            verified_at: verified.then_some(at),
            created_by: owner_id.to_owned(),
            created_at: at,
            updated_at: at,
        },
        owner: MemberRow {
            employer_id: id,
            user_id: owner_id.to_owned(),
            role: "owner".into(),
            created_at: at,
        },
    }
}

/// A job with its lists.
pub struct Job {
    pub row: JobRow,
    pub skills: Vec<JobSkillRow>,
    pub languages: Vec<JobLanguageRow>,
}

pub fn job(demo: &mut Demo<'_>, employer: &EmployerRow, at: NaiveDateTime) -> Job {
    let registry: &Registry = demo.registry;
    let hk = employer.jurisdiction == "HK";
    let id = demo.id();
    let industry = demo.industry();
    let skills = demo.skills_of(&industry, 2, 4);
    let script = demo.script(if hk { [0.5, 0.15, 0.35] } else { [0.3, 0.6, 0.1] });
    let labels: Vec<&str> = skills.iter().map(|s| s.labels.get(script)).collect();
    let place_row = demo.location(&employer.jurisdiction);
    let place = match script {
        Locale::En => place_row.name_en.clone(),
        Locale::ZhHans => place_row.name_zh_hans.clone(),
        Locale::ZhHant => place_row.name_zh_hant.clone(),
    };
    let industry_label = registry
        .categories
        .get(&industry)
        .map(|c| match script {
            Locale::En => c.label_en.to_lowercase(),
            Locale::ZhHans => c.label_zh_hans.clone(),
            Locale::ZhHant => c.label_zh_hant.clone(),
        })
        .unwrap_or_default();
    let title = text::job_title(&mut demo.rng, script, labels[0]);
    let description = text::job_description(script, &labels, &place, &industry_label);
    let (currency, low) = if hk {
        ("HKD", demo.rng.random_range(18..=90) * 1000)
    } else {
        ("CNY", demo.rng.random_range(10..=60) * 1000)
    };
    let high = low + demo.rng.random_range(2..=30) * 1000;
    let yearly = demo.rng.random_bool(0.15);
    let (salary_min, salary_max, salary_period) = if yearly {
        (low * 13, high * 13, "year")
    } else {
        (low, high, "month")
    };
    let status = match demo.rng.random_range(0..100) {
        0..90 => JobStatus::Open,
        90..95 => JobStatus::Closed,
        _ => JobStatus::Draft,
    };
    let published_at =
        (status != JobStatus::Draft).then(|| at - Duration::days(demo.rng.random_range(0..60)));
    let expires_at = published_at.map(|p| p + Duration::days(demo.rng.random_range(60..150)));
    let qualification_min_level_id = demo.rng.random_bool(0.4).then(|| {
        if hk {
            "hkqf-5".to_owned()
        } else {
            "cn-academic-bachelor".to_owned()
        }
    });
    let skills = skills
        .iter()
        .enumerate()
        .map(|(i, skill)| JobSkillRow {
            job_id: id.clone(),
            skill_id: skill.id.clone(),
            min_level: demo.rng.random_range(2..=4),
            required: i < 2,
        })
        .collect();
    let mut languages = vec![JobLanguageRow {
        job_id: id.clone(),
        code: if hk { "en".into() } else { "cmn".into() },
        level: demo.rng.random_range(3..=4),
    }];
    if demo.rng.random_bool(0.4) {
        languages.push(JobLanguageRow {
            job_id: id.clone(),
            code: if hk { "yue".into() } else { "en".into() },
            level: 3,
        });
    }
    let employment_type = [
        "full_time",
        "full_time",
        "full_time",
        "contract",
        "part_time",
        "internship",
    ]
    .choose(&mut demo.rng)
    .copied()
    .unwrap_or("full_time");
    Job {
        row: JobRow {
            id,
            employer_id: employer.id.clone(),
            title,
            description,
            location_id: place_row.id.clone(),
            employment_type: employment_type.into(),
            salary_min,
            salary_max,
            salary_currency: currency.into(),
            salary_period: salary_period.into(),
            qualification_id: None,
            qualification_min_level_id,
            sponsorship: hk && demo.rng.random_bool(0.3),
            status: status.as_str().into(),
            expires_at,
            published_at,
            closed_at: (status == JobStatus::Closed).then_some(at),
            created_by: employer.created_by.clone(),
            created_at: published_at.unwrap_or(at),
            updated_at: at,
        },
        skills,
        languages,
    }
}
