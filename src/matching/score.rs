//! The match score of one job and one candidate, and its explanation. Pure: the caller supplies
//! the registry pieces, the day and the text relevance. The formula (also in docs/matching.md):
//!
//! score = 0.40·skills + 0.15·qualification + 0.20·work authorisation + 0.10·languages
//!       + 0.05·salary + 0.10·text
//!
//! each part in [0, 1]. Hits with no work authorisation and no sponsorship rank after every
//! other hit whatever their score (`ranks_before`), and can be left out altogether.

use std::cmp::Ordering;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::registry::fit::{self, Book, QualificationFit, QualificationStatus, Requirement};
use crate::search::schema::facts::{CandidateFacts, JobFacts};

const SKILLS_WEIGHT: f64 = 0.40;
const QUALIFICATION_WEIGHT: f64 = 0.15;
const AUTHORIZATION_WEIGHT: f64 = 0.20;
const LANGUAGES_WEIGHT: f64 = 0.10;
const SALARY_WEIGHT: f64 = 0.05;
const TEXT_WEIGHT: f64 = 0.10;
/// A required skill counts twice an optional one.
const REQUIRED_SKILL_WEIGHT: f64 = 2.0;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SkillMatch {
    pub skill_id: String,
    pub label: String,
    pub min_level: i32,
    pub required: bool,
    /// The candidate's level, when they have the skill at all.
    pub level: Option<i32>,
}

/// A skill held below the minimum is listed as missing with its level (and earns part credit).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SkillFit {
    pub matched: Vec<SkillMatch>,
    pub missing_required: Vec<SkillMatch>,
    pub missing_optional: Vec<SkillMatch>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthorizationStatus {
    Held,
    Sponsored,
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AuthorizationFit {
    pub status: AuthorizationStatus,
    /// The basis held in the job's jurisdiction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct LanguageFit {
    pub matched: Vec<String>,
    pub missing: Vec<String>,
}

/// The candidate's expectation against the job's range, per month in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SalaryStatus {
    Overlap,
    /// Expects less than the range offers.
    Below,
    /// Expects more than the range offers.
    Above,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SalaryFit {
    pub status: SalaryStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Explanation {
    /// 0 to 1, see the formula in docs/matching.md.
    pub score: f64,
    pub skills: SkillFit,
    pub qualification: QualificationFit,
    pub work_authorization: AuthorizationFit,
    pub languages: LanguageFit,
    pub salary: SalaryFit,
    /// Text relevance from the index, relative to the best hit of the pool (0 to 1).
    pub text_score: f64,
}

/// What scoring reads besides the two sides.
pub struct Context<'a> {
    pub book: Book<'a>,
    /// Whether a work-authorisation basis allows work at all.
    pub authorizes_work: &'a dyn Fn(&str) -> bool,
    pub skill_label: &'a dyn Fn(&str) -> String,
    pub today: NaiveDate,
}

pub fn explain(
    context: &Context<'_>,
    job: &JobFacts,
    candidate: &CandidateFacts,
    text_score: f64,
) -> Explanation {
    let (skills, skills_part) = skills(context, job, candidate);
    let requirement = match (&job.qualification_id, &job.qualification_min_level_id) {
        (Some(id), _) => Requirement::Qualification(id),
        (None, Some(level)) => Requirement::MinLevel(level),
        (None, None) => Requirement::None,
    };
    let qualification = fit::fit(
        &context.book,
        &candidate.qualification_ids,
        requirement,
        context.today,
    );
    let work_authorization = authorization(context, job, candidate);
    let (languages, languages_part) = languages(job, candidate);
    let (salary, salary_part) = salary(job, candidate);
    let text_score = text_score.clamp(0.0, 1.0);
    let score = SKILLS_WEIGHT * skills_part
        + QUALIFICATION_WEIGHT * qualification_part(qualification.status)
        + AUTHORIZATION_WEIGHT * authorization_part(work_authorization.status)
        + LANGUAGES_WEIGHT * languages_part
        + SALARY_WEIGHT * salary_part
        + TEXT_WEIGHT * text_score;
    Explanation {
        score: round(score),
        skills,
        qualification,
        work_authorization,
        languages,
        salary,
        text_score: round(text_score),
    }
}

/// The order of hits: work authorisation held or sponsored first, then by score.
pub fn ranks_before(a: &Explanation, b: &Explanation) -> Ordering {
    let unauthorized = |e: &Explanation| e.work_authorization.status == AuthorizationStatus::None;
    unauthorized(a)
        .cmp(&unauthorized(b))
        .then(b.score.total_cmp(&a.score))
}

fn skills(context: &Context<'_>, job: &JobFacts, candidate: &CandidateFacts) -> (SkillFit, f64) {
    let mut fit = SkillFit {
        matched: Vec::new(),
        missing_required: Vec::new(),
        missing_optional: Vec::new(),
    };
    let (mut earned, mut possible) = (0.0, 0.0);
    for requirement in &job.skills {
        let weight = if requirement.required {
            REQUIRED_SKILL_WEIGHT
        } else {
            1.0
        };
        let level = candidate
            .skills
            .iter()
            .find(|held| held.skill_id == requirement.skill_id)
            .map(|held| held.level);
        let min_level = requirement.min_level.max(1);
        let credit = match level {
            Some(level) if level >= min_level => 1.0,
            // Below the minimum: half credit at most, in proportion to the level reached.
            Some(level) => 0.5 * f64::from(level.max(0)) / f64::from(min_level),
            None => 0.0,
        };
        earned += weight * credit;
        possible += weight;
        let entry = SkillMatch {
            skill_id: requirement.skill_id.clone(),
            label: (context.skill_label)(&requirement.skill_id),
            min_level: requirement.min_level,
            required: requirement.required,
            level,
        };
        match (credit == 1.0, requirement.required) {
            (true, _) => fit.matched.push(entry),
            (false, true) => fit.missing_required.push(entry),
            (false, false) => fit.missing_optional.push(entry),
        }
    }
    let part = if possible > 0.0 { earned / possible } else { 1.0 };
    (fit, part)
}

fn qualification_part(status: QualificationStatus) -> f64 {
    match status {
        QualificationStatus::NotRequired | QualificationStatus::Met => 1.0,
        QualificationStatus::MetViaEquivalence => 0.9,
        QualificationStatus::Partial => 0.5,
        QualificationStatus::Missing => 0.0,
    }
}

fn authorization(context: &Context<'_>, job: &JobFacts, candidate: &CandidateFacts) -> AuthorizationFit {
    let held = candidate.authorizations.iter().find(|a| {
        a.jurisdiction == job.jurisdiction
            && a.valid_until.is_none_or(|until| until >= context.today)
            && (context.authorizes_work)(&a.basis)
    });
    match (held, job.sponsorship) {
        (Some(held), _) => AuthorizationFit {
            status: AuthorizationStatus::Held,
            basis: Some(held.basis.clone()),
        },
        (None, true) => AuthorizationFit {
            status: AuthorizationStatus::Sponsored,
            basis: None,
        },
        (None, false) => AuthorizationFit {
            status: AuthorizationStatus::None,
            basis: None,
        },
    }
}

fn authorization_part(status: AuthorizationStatus) -> f64 {
    match status {
        AuthorizationStatus::Held => 1.0,
        // A sponsored permit is a real route, but it takes months and can be refused.
        AuthorizationStatus::Sponsored => 0.6,
        AuthorizationStatus::None => 0.0,
    }
}

fn languages(job: &JobFacts, candidate: &CandidateFacts) -> (LanguageFit, f64) {
    let (matched, missing): (Vec<_>, Vec<_>) = job.languages.iter().partition(|wanted| {
        candidate
            .languages
            .iter()
            .any(|spoken| spoken.code == wanted.code && spoken.level >= wanted.level)
    });
    let part = if job.languages.is_empty() {
        1.0
    } else {
        matched.len() as f64 / job.languages.len() as f64
    };
    let codes =
        |list: Vec<&crate::search::schema::facts::Spoken>| list.into_iter().map(|l| l.code.clone()).collect();
    let fit = LanguageFit {
        matched: codes(matched),
        missing: codes(missing),
    };
    (fit, part)
}

fn salary(job: &JobFacts, candidate: &CandidateFacts) -> (SalaryFit, f64) {
    let (status, part) = match (job.salary_monthly, candidate.salary_monthly) {
        (Some((low, _)), Some(expected)) if expected < low => (SalaryStatus::Below, 1.0),
        (Some((_, high)), Some(expected)) if expected > high => {
            // The further above the range, the less it fits.
            (SalaryStatus::Above, high as f64 / expected as f64)
        }
        (Some(_), Some(_)) => (SalaryStatus::Overlap, 1.0),
        _ => (SalaryStatus::Unknown, 0.5),
    };
    (SalaryFit { status }, part)
}

fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::registry::resolve::Rules;
    use crate::search::schema::facts::{Authorization, HeldSkill, Requirement as Skill, Spoken};

    fn job() -> JobFacts {
        JobFacts {
            id: "job".into(),
            jurisdiction: "HK".into(),
            skills: vec![
                Skill {
                    skill_id: "rust".into(),
                    min_level: 4,
                    required: true,
                },
                Skill {
                    skill_id: "sql".into(),
                    min_level: 2,
                    required: false,
                },
            ],
            qualification_id: None,
            qualification_min_level_id: None,
            languages: vec![
                Spoken {
                    code: "en".into(),
                    level: 4,
                },
                Spoken {
                    code: "yue".into(),
                    level: 3,
                },
            ],
            sponsorship: false,
            salary_monthly: Some((30_000, 40_000)),
        }
    }

    fn candidate() -> CandidateFacts {
        CandidateFacts {
            id: "cand".into(),
            residence: "CN".into(),
            desired_jurisdictions: vec!["HK".into()],
            skills: vec![
                HeldSkill {
                    skill_id: "rust".into(),
                    level: 5,
                },
                HeldSkill {
                    skill_id: "sql".into(),
                    level: 3,
                },
            ],
            languages: vec![
                Spoken {
                    code: "en".into(),
                    level: 5,
                },
                Spoken {
                    code: "yue".into(),
                    level: 4,
                },
            ],
            qualification_ids: vec![],
            authorizations: vec![Authorization {
                jurisdiction: "HK".into(),
                basis: "HK_PR".into(),
                valid_until: None,
            }],
            salary_monthly: Some(35_000),
        }
    }

    fn explain_pair(job: &JobFacts, candidate: &CandidateFacts, text: f64) -> Explanation {
        let (equivalences, comparabilities, levels, qualifications) =
            (Vec::new(), Vec::new(), HashMap::new(), HashMap::new());
        let context = Context {
            book: Book {
                rules: Rules {
                    equivalences: &equivalences,
                    comparabilities: &comparabilities,
                    levels: &levels,
                },
                qualifications: &qualifications,
            },
            authorizes_work: &|basis| basis != "HK_VISITOR",
            skill_label: &|id| format!("label of {id}"),
            today: "2026-06-01".parse().unwrap(),
        };
        explain(&context, job, candidate, text)
    }

    #[test]
    fn a_perfect_fit_scores_one() {
        let e = explain_pair(&job(), &candidate(), 1.0);
        assert_eq!(e.score, 1.0);
        assert_eq!(e.skills.matched.len(), 2);
        assert_eq!(e.skills.matched[0].label, "label of rust");
        assert_eq!(e.work_authorization.status, AuthorizationStatus::Held);
        assert_eq!(e.work_authorization.basis.as_deref(), Some("HK_PR"));
        assert_eq!(e.qualification.status, QualificationStatus::NotRequired);
        assert_eq!(e.languages.missing, Vec::<String>::new());
        assert_eq!(e.salary.status, SalaryStatus::Overlap);
    }

    #[test]
    fn required_skills_weigh_twice_and_a_low_level_earns_part() {
        let mut candidate = candidate();
        candidate.skills = vec![HeldSkill {
            skill_id: "sql".into(),
            level: 3,
        }];
        let e = explain_pair(&job(), &candidate, 1.0);
        // skills = 1 (sql) / 3 (2 for rust + 1 for sql): the score loses 0.40 · 2/3.
        assert_eq!(e.score, round(1.0 - 0.40 * 2.0 / 3.0));
        assert_eq!(e.skills.missing_required[0].skill_id, "rust");
        assert_eq!(e.skills.missing_required[0].level, None);

        candidate.skills.push(HeldSkill {
            skill_id: "rust".into(),
            level: 2,
        });
        let e = explain_pair(&job(), &candidate, 1.0);
        // rust at 2 of 4: half of half credit, 0.25 · 2 of the 3 weights.
        assert_eq!(e.score, round(1.0 - 0.40 * (2.0 - 0.5) / 3.0));
        assert_eq!(e.skills.missing_required[0].level, Some(2));
    }

    #[test]
    fn sponsorship_stands_in_for_a_missing_authorisation_and_none_ranks_last() {
        let mut candidate = candidate();
        candidate.authorizations.clear();
        let none = explain_pair(&job(), &candidate, 1.0);
        assert_eq!(none.work_authorization.status, AuthorizationStatus::None);
        assert_eq!(none.score, 0.8);
        let mut sponsoring = job();
        sponsoring.sponsorship = true;
        let sponsored = explain_pair(&sponsoring, &candidate, 1.0);
        assert_eq!(
            sponsored.work_authorization.status,
            AuthorizationStatus::Sponsored
        );
        assert_eq!(sponsored.score, round(0.8 + 0.20 * 0.6));

        // A weaker hit with authorisation still ranks before a stronger one without.
        let mut weak = candidate.clone();
        weak.skills.clear();
        weak.authorizations = crate::matching::score::tests::candidate().authorizations;
        let weak = explain_pair(&job(), &weak, 0.0);
        assert!(weak.score < none.score);
        assert_eq!(ranks_before(&weak, &none), Ordering::Less);
        assert_eq!(ranks_before(&sponsored, &none), Ordering::Less);
    }

    #[test]
    fn an_expired_or_non_working_basis_is_not_held() {
        let mut candidate = candidate();
        candidate.authorizations[0].valid_until = Some("2026-05-31".parse().unwrap());
        assert_eq!(
            explain_pair(&job(), &candidate, 1.0).work_authorization.status,
            AuthorizationStatus::None
        );
        candidate.authorizations[0] = Authorization {
            jurisdiction: "HK".into(),
            basis: "HK_VISITOR".into(),
            valid_until: None,
        };
        assert_eq!(
            explain_pair(&job(), &candidate, 1.0).work_authorization.status,
            AuthorizationStatus::None
        );
        candidate.authorizations[0] = Authorization {
            jurisdiction: "CN".into(),
            basis: "CN_HUKOU".into(),
            valid_until: None,
        };
        assert_eq!(
            explain_pair(&job(), &candidate, 1.0).work_authorization.status,
            AuthorizationStatus::None
        );
    }

    #[test]
    fn languages_need_the_level() {
        let mut candidate = candidate();
        candidate.languages[1].level = 2;
        let e = explain_pair(&job(), &candidate, 1.0);
        assert_eq!(e.languages.matched, vec!["en".to_string()]);
        assert_eq!(e.languages.missing, vec!["yue".to_string()]);
        assert_eq!(e.score, round(1.0 - 0.10 * 0.5));
    }

    #[test]
    fn salary_above_the_range_fits_less_the_further_it_is() {
        let mut candidate = candidate();
        candidate.salary_monthly = Some(20_000);
        assert_eq!(
            explain_pair(&job(), &candidate, 1.0).salary.status,
            SalaryStatus::Below
        );
        candidate.salary_monthly = Some(50_000);
        let above = explain_pair(&job(), &candidate, 1.0);
        assert_eq!(above.salary.status, SalaryStatus::Above);
        assert_eq!(above.score, round(0.95 + 0.05 * 40_000.0 / 50_000.0));
        candidate.salary_monthly = None;
        let unknown = explain_pair(&job(), &candidate, 1.0);
        assert_eq!(unknown.salary.status, SalaryStatus::Unknown);
        assert_eq!(unknown.score, 0.975);
    }

    #[test]
    fn text_relevance_is_clamped_and_weighted() {
        assert_eq!(explain_pair(&job(), &candidate(), 0.5).score, 0.95);
        assert_eq!(explain_pair(&job(), &candidate(), 7.0).text_score, 1.0);
    }

    #[test]
    fn a_job_asking_nothing_is_met_by_anyone_authorised() {
        let mut bare = job();
        bare.skills.clear();
        bare.languages.clear();
        bare.salary_monthly = None;
        let e = explain_pair(&bare, &candidate(), 0.0);
        assert_eq!(e.score, round(0.40 + 0.15 + 0.20 + 0.10 + 0.05 * 0.5));
    }
}
