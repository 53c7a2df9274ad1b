//! The route finder: every route into a jurisdiction the registry knows, judged on a situation,
//! ranked `already_authorised`, `eligible`, `possible`, `not_eligible`, then by the data's
//! preference. Cases take their permit route from the same answer.

use serde::Serialize;
use utoipa::ToSchema;

use super::conditions::{Context, Finding, Verdict};
use crate::i18n::LocalizedText;
use crate::registry::model::WorkAuthorizationBasisRow;
use crate::registry::route::Route;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RouteStatus {
    // Ranked best first.
    AlreadyAuthorised,
    Eligible,
    Possible,
    NotEligible,
}

/// One basis judged: the findings sorted into the three lists.
#[derive(Debug, Clone)]
pub struct Judged<'a> {
    pub basis: &'a WorkAuthorizationBasisRow,
    pub route: &'a Route,
    pub status: RouteStatus,
    pub met: Vec<LocalizedText>,
    pub to_verify: Vec<LocalizedText>,
    pub unmet: Vec<LocalizedText>,
}

fn statement(en: &str, zh_hans: &str, zh_hant: &str) -> LocalizedText {
    LocalizedText::new(en, zh_hans, zh_hant)
}

/// Every route into `context.to` in force today, judged and ranked.
pub fn find<'a>(context: &Context<'a>) -> Vec<Judged<'a>> {
    let registry = context.registry;
    let today = context.situation.today;
    let mut judged: Vec<Judged<'a>> = registry
        .bases
        .iter()
        .filter(|basis| basis.jurisdiction == context.to)
        .filter_map(|basis| {
            let route = registry.routes.get(&basis.code)?;
            judge(context, basis, route).filter(|_| route.in_force_on(today))
        })
        .collect();
    judged.sort_by(|a, b| {
        (a.status, a.route.preference, &a.basis.code).cmp(&(b.status, b.route.preference, &b.basis.code))
    });
    judged
}

fn judge<'a>(
    context: &Context<'_>,
    basis: &'a WorkAuthorizationBasisRow,
    route: &'a Route,
) -> Option<Judged<'a>> {
    let held = context
        .situation
        .held_bases
        .iter()
        .any(|h| h.code == basis.code && h.jurisdiction == basis.jurisdiction);
    if held && basis.authorizes_work {
        return Some(Judged {
            basis,
            route,
            status: RouteStatus::AlreadyAuthorised,
            met: vec![statement("Held and active", "已持有且有效", "已持有且有效")],
            to_verify: Vec::new(),
            unmet: Vec::new(),
        });
    }
    // A status one holds rather than applies for is no route for those who lack it.
    if !route.open_to_application {
        return None;
    }
    let findings: Vec<Finding> = route.conditions.iter().map(|c| context.judge(c)).collect();
    let mut sorted = Judged {
        basis,
        route,
        status: RouteStatus::Eligible,
        met: Vec::new(),
        to_verify: Vec::new(),
        unmet: Vec::new(),
    };
    if !basis.authorizes_work {
        sorted.unmet.push(statement(
            "This permit does not allow work",
            "此证件不允许工作",
            "此證件不允許工作",
        ));
    }
    for found in findings {
        match found.verdict {
            Verdict::Met => sorted.met.push(found.text),
            Verdict::ToVerify => sorted.to_verify.push(found.text),
            Verdict::Unmet => sorted.unmet.push(found.text),
        }
    }
    sorted.status = if !sorted.unmet.is_empty() {
        RouteStatus::NotEligible
    } else if !sorted.to_verify.is_empty() {
        RouteStatus::Possible
    } else {
        RouteStatus::Eligible
    };
    Some(sorted)
}

impl Judged<'_> {
    /// One sentence on the standing, in three scripts.
    pub fn explanation(&self) -> LocalizedText {
        let name = self.basis.name();
        let (n_verify, n_unmet) = (self.to_verify.len(), self.unmet.len());
        match self.status {
            RouteStatus::AlreadyAuthorised => LocalizedText::new(
                format!("{}: already held; no permit route is needed.", name.en),
                format!("{}：已持有，无需另办工作许可。", name.zh_hans),
                format!("{}：已持有，無需另辦工作許可。", name.zh_hant),
            ),
            RouteStatus::Eligible => LocalizedText::new(
                format!("{}: every condition is met.", name.en),
                format!("{}：全部条件均已符合。", name.zh_hans),
                format!("{}：全部條件均已符合。", name.zh_hant),
            ),
            RouteStatus::Possible => LocalizedText::new(
                format!(
                    "{}: nothing rules it out; {n_verify} condition(s) to verify.",
                    name.en
                ),
                format!("{}：没有不符合的条件；尚有{n_verify}项待核实。", name.zh_hans),
                format!("{}：沒有不符合的條件；尚有{n_verify}項待核實。", name.zh_hant),
            ),
            RouteStatus::NotEligible => LocalizedText::new(
                format!("{}: {n_unmet} condition(s) not met.", name.en),
                format!("{}：有{n_unmet}项条件不符合。", name.zh_hans),
                format!("{}：有{n_unmet}項條件不符合。", name.zh_hant),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eligibility::conditions::tests::{in_b, job_in, person, registry};
    use crate::eligibility::situation::{Credential, HeldBasis};
    use crate::registry::Registry;
    use crate::registry::route::Condition;

    fn basis(code: &str, authorizes_work: bool) -> WorkAuthorizationBasisRow {
        WorkAuthorizationBasisRow {
            code: code.into(),
            jurisdiction: "B".into(),
            name_en: code.into(),
            name_zh_hans: code.into(),
            name_zh_hant: code.into(),
            description_en: String::new(),
            description_zh_hans: String::new(),
            description_zh_hant: String::new(),
            authorizes_work,
            requires_job_offer: false,
            employer_sponsored: false,
            time_limited: false,
            source: String::new(),
            route: String::new(),
        }
    }

    fn route(open: bool, preference: i32, conditions: Vec<Condition>) -> Route {
        Route {
            open_to_application: open,
            preference,
            conditions,
            first_grant_months: None,
            processing_days: None,
            fee: None,
            authority: LocalizedText::new("Office", "", ""),
            channel: None,
            source_url: "https://example.org".into(),
            checked_on: "2026-12-03".parse().unwrap(),
            verify_before_use: false,
            effective_from: None,
            effective_to: None,
            steps: Vec::new(),
        }
    }

    fn with_routes() -> Registry {
        let mut registry = registry();
        let sponsored = vec![
            Condition::GroupAny(vec!["a_resident".into()]),
            Condition::JobOffer(true),
            Condition::EmployerSponsors(true),
            Condition::MinLevel("b-5".into()),
        ];
        let talent = vec![Condition::Check(LocalizedText::new(
            "a listed university",
            "",
            "",
        ))];
        let mut ended = route(true, 0, Vec::new());
        ended.effective_to = Some("2026-10-04".parse().unwrap());
        for (code, work, route) in [
            ("B_PR", true, route(false, 0, Vec::new())),
            ("B_SPONSORED", true, route(true, 10, sponsored)),
            ("B_TALENT", true, route(true, 30, talent)),
            ("B_VISIT", false, route(true, 90, Vec::new())),
            ("B_PILOT", true, ended),
        ] {
            registry.bases.push(basis(code, work));
            registry.routes.insert(code.into(), route);
        }
        registry
    }

    fn statuses(
        registry: &Registry,
        situation: &crate::eligibility::situation::Situation,
    ) -> Vec<(String, RouteStatus)> {
        in_b(registry, situation, |context| {
            find(context)
                .into_iter()
                .map(|j| (j.basis.code.clone(), j.status))
                .collect()
        })
    }

    #[test]
    fn routes_are_ranked_and_held_statuses_come_first() {
        let registry = with_routes();
        let mut graduate = person(Some("AN"), "A");
        graduate.credentials.push(Credential {
            qualification_id: "a-degree".into(),
            awarded_on: None,
            verified: true,
        });
        graduate.job = Some(job_in("B", true, 50_000.0));
        let found = statuses(&registry, &graduate);
        assert_eq!(
            found,
            [
                ("B_SPONSORED".to_owned(), RouteStatus::Eligible),
                ("B_TALENT".to_owned(), RouteStatus::Possible),
                ("B_VISIT".to_owned(), RouteStatus::NotEligible),
            ],
            "the ended pilot and the status one cannot apply for are left out"
        );
        graduate.held_bases.push(HeldBasis {
            code: "B_PR".into(),
            jurisdiction: "B".into(),
            valid_until: None,
            verified: true,
        });
        assert_eq!(
            statuses(&registry, &graduate)[0],
            ("B_PR".to_owned(), RouteStatus::AlreadyAuthorised)
        );
    }

    #[test]
    fn each_unmet_condition_is_named() {
        let registry = with_routes();
        let mut foreigner = person(Some("XX"), "B");
        foreigner.job = Some(job_in("B", false, 50_000.0));
        in_b(&registry, &foreigner, |context| {
            let found = find(context);
            let sponsored = found.iter().find(|j| j.basis.code == "B_SPONSORED").unwrap();
            assert_eq!(sponsored.status, RouteStatus::NotEligible);
            assert_eq!(
                sponsored.unmet.len(),
                3,
                "group, sponsorship, level: {:?}",
                sponsored.unmet
            );
            assert!(sponsored.explanation().en.contains("3 condition(s) not met"));
            let visit = found.iter().find(|j| j.basis.code == "B_VISIT").unwrap();
            assert!(visit.unmet[0].en.contains("does not allow work"));
        });
    }
}
