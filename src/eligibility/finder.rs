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
