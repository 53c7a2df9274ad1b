//! "What does this credential count as over there?" — a pure function of the registry. A direct
//! rule in force on the day wins; otherwise the framework level's comparability; otherwise none.
//! The answer always names the rule it used.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{ComparabilityRow, EquivalenceRow, LevelRow, QualificationRow};
use crate::i18n::{Locale, LocalizedText};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Equivalent,
    Comparable,
    Partial,
}

impl Relation {
    pub fn parse(value: &str) -> Option<Relation> {
        match value {
            "equivalent" => Some(Relation::Equivalent),
            "comparable" => Some(Relation::Comparable),
            "partial" => Some(Relation::Partial),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Equivalent => "equivalent",
            Relation::Comparable => "comparable",
            Relation::Partial => "partial",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Equivalent,
    Comparable,
    Partial,
    None,
}

impl From<Relation> for Outcome {
    fn from(relation: Relation) -> Self {
        match relation {
            Relation::Equivalent => Outcome::Equivalent,
            Relation::Comparable => Outcome::Comparable,
            Relation::Partial => Outcome::Partial,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// The qualification belongs to the target jurisdiction already.
    SameJurisdiction,
    Direct,
    FrameworkLevel,
}

/// The registry a resolution reads: borrowed, so the snapshot and tests can both supply it.
pub struct Rules<'a> {
    pub equivalences: &'a [EquivalenceRow],
    pub comparabilities: &'a [ComparabilityRow],
    pub levels: &'a HashMap<String, LevelRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    pub outcome: Outcome,
    pub via: Option<Via>,
    pub equivalence_id: Option<String>,
    pub comparability_id: Option<String>,
    pub to_qualification_id: Option<String>,
    pub to_level_id: Option<String>,
    pub conditions: Option<LocalizedText>,
    pub authority: Option<String>,
    pub verify_before_use: bool,
}

impl Resolution {
    fn none() -> Self {
        Resolution {
            outcome: Outcome::None,
            via: None,
            equivalence_id: None,
            comparability_id: None,
            to_qualification_id: None,
            to_level_id: None,
            conditions: None,
            authority: None,
            verify_before_use: false,
        }
    }
}

pub fn resolve(
    rules: &Rules<'_>,
    qualification: &QualificationRow,
    to_jurisdiction: &str,
    day: NaiveDate,
) -> Resolution {
    if qualification.jurisdiction == to_jurisdiction {
        return Resolution {
            outcome: Outcome::Equivalent,
            via: Some(Via::SameJurisdiction),
            to_qualification_id: Some(qualification.id.clone()),
            to_level_id: qualification.level_id.clone(),
            ..Resolution::none()
        };
    }
    if let Some(rule) = strongest_direct_rule(rules, qualification, to_jurisdiction, day) {
        return Resolution {
            outcome: Relation::parse(&rule.relation)
                .map(Outcome::from)
                .unwrap_or(Outcome::None),
            via: Some(Via::Direct),
            equivalence_id: Some(rule.id.clone()),
            to_qualification_id: rule.to_qualification_id.clone(),
            to_level_id: rule.to_level_id.clone(),
            conditions: rule.conditions(),
            authority: Some(rule.authority.clone()),
            verify_before_use: rule.verify_before_use,
            ..Resolution::none()
        };
    }
    let comparable = qualification.level_id.as_ref().and_then(|level| {
        rules.comparabilities.iter().find(|c| {
            &c.from_level_id == level
                && rules
                    .levels
                    .get(&c.to_level_id)
                    .is_some_and(|to| to.jurisdiction == to_jurisdiction)
        })
    });
    match comparable {
        Some(rule) => Resolution {
            outcome: Relation::parse(&rule.relation)
                .map(Outcome::from)
                .unwrap_or(Outcome::Comparable),
            via: Some(Via::FrameworkLevel),
            comparability_id: Some(rule.id.clone()),
            to_level_id: Some(rule.to_level_id.clone()),
            authority: Some(rule.authority.clone()),
            verify_before_use: true,
            ..Resolution::none()
        },
        None => Resolution::none(),
    }
}

/// Among the rules in force for this qualification and jurisdiction: the strongest relation, then
/// a rule naming a qualification over one naming a level, then the most recent.
fn strongest_direct_rule<'a>(
    rules: &Rules<'a>,
    qualification: &QualificationRow,
    to_jurisdiction: &str,
    day: NaiveDate,
) -> Option<&'a EquivalenceRow> {
    rules
        .equivalences
        .iter()
        .filter(|e| e.from_qualification_id == qualification.id && e.to_jurisdiction == to_jurisdiction)
        .filter(|e| e.in_force_on(day))
        .filter_map(|e| Relation::parse(&e.relation).map(|r| (r, e)))
        .min_by(|(ra, a), (rb, b)| {
            ra.cmp(rb)
                .then(
                    b.to_qualification_id
                        .is_some()
                        .cmp(&a.to_qualification_id.is_some()),
                )
                .then(b.effective_from.cmp(&a.effective_from))
        })
        .map(|(_, e)| e)
}

/// Names used in an explanation.
pub struct Names<'a> {
    pub qualification: &'a str,
    pub jurisdiction: &'a str,
    pub target: Option<&'a str>,
}

/// A sentence for people, in their language. The structured fields carry the same facts.
pub fn explain(resolution: &Resolution, names: &Names<'_>, locale: Locale) -> String {
    let q = names.qualification;
    let j = names.jurisdiction;
    let target = names.target.unwrap_or(j);
    let rule = resolution
        .equivalence_id
        .as_deref()
        .or(resolution.comparability_id.as_deref())
        .unwrap_or("");
    let authority = resolution.authority.as_deref().unwrap_or("");
    let relation = |o: Outcome| match (o, locale) {
        (Outcome::Equivalent, Locale::En) => "equivalent to",
        (Outcome::Comparable, Locale::En) => "comparable to",
        (Outcome::Partial, Locale::En) => "partly recognised as",
        (Outcome::Equivalent, Locale::ZhHans) => "等同于",
        (Outcome::Comparable, Locale::ZhHans) => "可比于",
        (Outcome::Partial, Locale::ZhHans) => "有条件地承认为",
        (Outcome::Equivalent, Locale::ZhHant) => "等同於",
        (Outcome::Comparable, Locale::ZhHant) => "可比於",
        (Outcome::Partial, Locale::ZhHant) => "有條件地承認為",
        (Outcome::None, _) => "",
    };
    let mut text = match (resolution.via, locale) {
        (Some(Via::SameJurisdiction), Locale::En) => {
            format!("{q} is a qualification of {j}; it counts as itself.")
        }
        (Some(Via::SameJurisdiction), Locale::ZhHans) => format!("{q}是{j}的资历，按其本身认可。"),
        (Some(Via::SameJurisdiction), Locale::ZhHant) => format!("{q}是{j}的資歷，按其本身認可。"),
        (Some(Via::Direct), Locale::En) => {
            format!(
                "By rule {rule} ({authority}), {q} is {} {target} in {j}.",
                relation(resolution.outcome)
            )
        }
        (Some(Via::Direct), Locale::ZhHans) => {
            format!(
                "根据规则 {rule}（{authority}），{q}在{j}{}{target}。",
                relation(resolution.outcome)
            )
        }
        (Some(Via::Direct), Locale::ZhHant) => {
            format!(
                "根據規則 {rule}（{authority}），{q}在{j}{}{target}。",
                relation(resolution.outcome)
            )
        }
        (Some(Via::FrameworkLevel), Locale::En) => format!(
            "No direct rule applies; by framework level ({rule}), {q} is {} {target} in {j}. An employer or assessment body decides.",
            relation(resolution.outcome)
        ),
        (Some(Via::FrameworkLevel), Locale::ZhHans) => format!(
            "没有直接适用的规则；按资历级别（{rule}），{q}在{j}{}{target}，由雇主或评审机构决定。",
            relation(resolution.outcome)
        ),
        (Some(Via::FrameworkLevel), Locale::ZhHant) => format!(
            "沒有直接適用的規則；按資歷級別（{rule}），{q}在{j}{}{target}，由僱主或評審機構決定。",
            relation(resolution.outcome)
        ),
        (None, Locale::En) => format!("No rule in the registry says what {q} counts as in {j}."),
        (None, Locale::ZhHans) => format!("登记册中没有规则说明{q}在{j}相当于什么。"),
        (None, Locale::ZhHant) => format!("登記冊中沒有規則說明{q}在{j}相當於甚麼。"),
    };
    if let Some(conditions) = &resolution.conditions {
        let label = match locale {
            Locale::En => " Conditions: ",
            Locale::ZhHans => "条件：",
            Locale::ZhHant => "條件：",
        };
        text.push_str(label);
        text.push_str(conditions.get(locale));
    }
    if resolution.verify_before_use && resolution.via == Some(Via::Direct) {
        text.push_str(match locale {
            Locale::En => " Verify with the authority before relying on it.",
            Locale::ZhHans => "使用前请向主管机构核实。",
            Locale::ZhHant => "使用前請向主管機構核實。",
        });
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::test_rows;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn level(id: &str, jurisdiction: &str) -> (String, LevelRow) {
        test_rows::level(id, jurisdiction, "F", 5)
    }

    fn qualification(id: &str, jurisdiction: &str, level: Option<&str>) -> QualificationRow {
        test_rows::qualification(id, jurisdiction, "F", level)
    }

    fn rule(
        id: &str,
        from: &str,
        to_qualification: Option<&str>,
        relation: &str,
        from_day: &str,
        to_day: Option<&str>,
    ) -> EquivalenceRow {
        EquivalenceRow {
            conditions_en: Some("pass an exam".into()),
            conditions_zh_hans: Some("通过考试".into()),
            authority: "Authority".into(),
            effective_from: day(from_day),
            effective_to: to_day.map(day),
            ..test_rows::equivalence(id, from, to_qualification, "CN", relation)
        }
    }

    fn comparability() -> ComparabilityRow {
        ComparabilityRow {
            id: "lc-5".into(),
            from_level_id: "hkqf-5".into(),
            to_level_id: "cn-bachelor".into(),
            relation: "comparable".into(),
            authority: "Agency".into(),
            source: None,
            note: None,
        }
    }

    fn levels() -> HashMap<String, LevelRow> {
        [
            level("hkqf-5", "HK"),
            level("cn-bachelor", "CN"),
            level("hkqf-2", "HK"),
        ]
        .into_iter()
        .collect()
    }

    fn resolve_with(equivalences: &[EquivalenceRow], q: &QualificationRow, on: &str) -> Resolution {
        let comparabilities = [comparability()];
        let levels = levels();
        let rules = Rules {
            equivalences,
            comparabilities: &comparabilities,
            levels: &levels,
        };
        resolve(&rules, q, "CN", day(on))
    }

    #[test]
    fn a_direct_rule_in_force_wins() {
        let q = qualification("hk-beng", "HK", Some("hkqf-5"));
        let r = resolve_with(
            &[rule(
                "e1",
                "hk-beng",
                Some("cn-beng"),
                "equivalent",
                "2004-07-11",
                None,
            )],
            &q,
            "2026-01-01",
        );
        assert_eq!(r.outcome, Outcome::Equivalent);
        assert_eq!(r.via, Some(Via::Direct));
        assert_eq!(r.equivalence_id.as_deref(), Some("e1"));
        assert_eq!(r.to_qualification_id.as_deref(), Some("cn-beng"));
        assert_eq!(r.conditions.unwrap().en, "pass an exam");
    }

    /// An HK solicitor under a rule that recognises it partly, with conditions in English and
    /// Simplified Chinese.
    fn solicitor_partly_recognised() -> Resolution {
        let q = qualification("hk-solicitor", "HK", None);
        resolve_with(
            &[rule(
                "e2",
                "hk-solicitor",
                Some("cn-lawyer"),
                "partial",
                "2020-10-05",
                None,
            )],
            &q,
            "2026-01-01",
        )
    }

    #[test]
    fn partial_rules_say_partial() {
        let r = solicitor_partly_recognised();
        assert_eq!((r.outcome, r.via), (Outcome::Partial, Some(Via::Direct)));
    }

    #[test]
    fn retired_rules_fall_back_to_the_framework_level() {
        let q = qualification("hk-beng", "HK", Some("hkqf-5"));
        let retired = rule(
            "e1",
            "hk-beng",
            Some("cn-beng"),
            "equivalent",
            "2004-07-11",
            Some("2025-01-01"),
        );
        let r = resolve_with(std::slice::from_ref(&retired), &q, "2026-01-01");
        assert_eq!(r.outcome, Outcome::Comparable);
        assert_eq!(r.via, Some(Via::FrameworkLevel));
        assert_eq!(r.comparability_id.as_deref(), Some("lc-5"));
        assert_eq!(r.to_level_id.as_deref(), Some("cn-bachelor"));
        // The day before retirement it still applied; the end date itself is excluded.
        assert_eq!(
            resolve_with(std::slice::from_ref(&retired), &q, "2024-12-31").via,
            Some(Via::Direct)
        );
        assert_eq!(
            resolve_with(&[retired], &q, "2025-01-01").via,
            Some(Via::FrameworkLevel)
        );
    }

    #[test]
    fn rules_not_yet_in_force_do_not_apply() {
        let q = qualification("hk-beng", "HK", Some("hkqf-5"));
        let future = rule("e9", "hk-beng", Some("cn-beng"), "equivalent", "2027-01-01", None);
        assert_eq!(
            resolve_with(std::slice::from_ref(&future), &q, "2026-06-01").via,
            Some(Via::FrameworkLevel)
        );
        assert_eq!(resolve_with(&[future], &q, "2027-01-01").via, Some(Via::Direct));
    }

    #[test]
    fn nothing_applies_without_a_rule_or_a_comparable_level() {
        let no_level = qualification("hk-cert", "HK", Some("hkqf-2"));
        let r = resolve_with(&[], &no_level, "2026-01-01");
        assert_eq!(r, Resolution::none());
        let professional = qualification("hk-pe", "HK", None);
        assert_eq!(
            resolve_with(&[], &professional, "2026-01-01").outcome,
            Outcome::None
        );
    }

    #[test]
    fn the_strongest_rule_wins_when_several_apply() {
        let q = qualification("hk-beng", "HK", Some("hkqf-5"));
        let rules = [
            rule("partial", "hk-beng", Some("a"), "partial", "2010-01-01", None),
            rule(
                "comparable-level",
                "hk-beng",
                None,
                "comparable",
                "2015-01-01",
                None,
            ),
            rule(
                "comparable-qual",
                "hk-beng",
                Some("b"),
                "comparable",
                "2012-01-01",
                None,
            ),
        ];
        assert_eq!(
            resolve_with(&rules, &q, "2026-01-01").equivalence_id.as_deref(),
            Some("comparable-qual")
        );
    }

    #[test]
    fn a_qualification_counts_as_itself_at_home() {
        let q = qualification("cn-beng", "CN", Some("cn-bachelor"));
        let r = resolve_with(&[], &q, "2026-01-01");
        assert_eq!(
            (r.outcome, r.via),
            (Outcome::Equivalent, Some(Via::SameJurisdiction))
        );
    }

    #[test]
    fn explanations_name_the_rule_in_each_language() {
        let r = solicitor_partly_recognised();
        let names = Names {
            qualification: "HK solicitor",
            jurisdiction: "Mainland China",
            target: Some("PRC lawyer"),
        };
        let en = explain(&r, &names, Locale::En);
        assert!(
            en.contains("e2") && en.contains("partly recognised") && en.contains("pass an exam"),
            "{en}"
        );
        let hans = explain(&r, &names, Locale::ZhHans);
        assert!(hans.contains("规则 e2") && hans.contains("通过考试"), "{hans}");
        // No Traditional translation of the conditions: English stands in.
        assert!(explain(&r, &names, Locale::ZhHant).contains("pass an exam"));
        let none = explain(&Resolution::none(), &names, Locale::En);
        assert!(none.starts_with("No rule"), "{none}");
    }
}
