//! Judging a condition on a situation: met, to verify (the platform cannot tell, or only a claim
//! backs it), or unmet — with a sentence in three scripts that says what was asked and what was
//! found, for the route finder's lists and the reasons of checklist items.

use chrono::Months;

use super::situation::Situation;
use crate::i18n::LocalizedText;
use crate::money::Rates;
use crate::registry::Registry;
use crate::registry::fit::{Book, QualificationStatus, Requirement, fit};
use crate::registry::resolve::Rules;
use crate::registry::route::{AwardWindow, Condition, GroupRule};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    // Ordered worst to best: the best of an `any_of` is the maximum.
    Unmet,
    ToVerify,
    Met,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub verdict: Verdict,
    pub text: LocalizedText,
}

#[derive(Debug, Clone, Copy)]
enum Combine {
    Any,
    All,
}

/// What a condition is judged against.
pub struct Context<'a> {
    pub registry: &'a Registry,
    pub rates: &'a Rates,
    pub situation: &'a Situation,
    /// The destination jurisdiction.
    pub to: &'a str,
}

fn text(en: String, zh_hans: String, zh_hant: String) -> LocalizedText {
    LocalizedText::new(en, zh_hans, zh_hant)
}

fn finding(verdict: Verdict, text: LocalizedText) -> Finding {
    Finding { verdict, text }
}

/// Joins localized names with "or".
fn either(names: &[LocalizedText]) -> LocalizedText {
    let join = |f: fn(&LocalizedText) -> &String, sep: &str| {
        names.iter().map(|n| f(n).as_str()).collect::<Vec<_>>().join(sep)
    };
    text(
        join(|n| &n.en, " or "),
        join(|n| &n.zh_hans, "或"),
        join(|n| &n.zh_hant, "或"),
    )
}

impl Context<'_> {
    pub fn judge(&self, condition: &Condition) -> Finding {
        match condition {
            Condition::GroupAny(groups) => self.group_any(groups),
            Condition::JobOffer(_) => self.job_offer(),
            Condition::EmployerSponsors(_) => self.employer_sponsors(),
            Condition::MinLevel(level) => self.min_level(level),
            Condition::AwardedIn(window) => self.awarded_in(window),
            Condition::MinAnnualIncome(money) => self.min_income(money.amount, &money.currency),
            Condition::DependentChildrenAtLeast(n) => self.children(*n),
            Condition::HoldsAnyQualification(ids) => self.holds_any(ids),
            Condition::JobRequiresAnyQualification(ids) => self.job_requires_any(ids),
            Condition::Check(what) => finding(Verdict::ToVerify, what.clone()),
            Condition::AnyOf(children) => self.combined(children, Combine::Any),
            Condition::AllOf(children) => self.combined(children, Combine::All),
            Condition::Not(inner) => self.not(inner),
        }
    }

    fn jurisdiction_name(&self, code: &str) -> LocalizedText {
        match self.registry.jurisdiction(code) {
            Some(j) => LocalizedText::new(&j.name_en, &j.name_zh_hans, &j.name_zh_hant),
            None => LocalizedText::new(code, code, code),
        }
    }

    fn group_any(&self, codes: &[String]) -> Finding {
        let groups: Vec<_> = codes.iter().filter_map(|c| self.registry.group(c)).collect();
        let names: Vec<LocalizedText> = groups.iter().map(|g| g.name.clone()).collect();
        let verdict = groups
            .iter()
            .map(|g| self.in_group(&g.rule))
            .max()
            .unwrap_or(Verdict::Unmet);
        let who = either(&names);
        let mut said = text(
            format!("Open to: {}", who.en),
            format!("适用于：{}", who.zh_hans),
            format!("適用於：{}", who.zh_hant),
        );
        if verdict == Verdict::ToVerify && self.situation.nationality.is_none() {
            said.en.push_str(" (nationality not given)");
            said.zh_hans.push_str("（未填国籍）");
            said.zh_hant.push_str("（未填國籍）");
        }
        finding(verdict, said)
    }

    /// Every key of the rule must hold; an unknown nationality leaves a nationality key open.
    fn in_group(&self, rule: &GroupRule) -> Verdict {
        let situation = self.situation;
        let nationality = |codes: &[String], inside: bool| match &situation.nationality {
            _ if codes.is_empty() => Verdict::Met,
            None => Verdict::ToVerify,
            Some(n) if codes.contains(n) == inside => Verdict::Met,
            Some(_) => Verdict::Unmet,
        };
        let residence = |codes: &[String], inside: bool| {
            if codes.is_empty() || codes.contains(&situation.residence) == inside {
                Verdict::Met
            } else {
                Verdict::Unmet
            }
        };
        let holds = if rule.holds_any_basis.is_empty()
            || situation
                .held_bases
                .iter()
                .any(|b| rule.holds_any_basis.contains(&b.code))
        {
            Verdict::Met
        } else {
            Verdict::Unmet
        };
        [
            nationality(&rule.nationality_in, true),
            nationality(&rule.nationality_not_in, false),
            residence(&rule.residence_in, true),
            residence(&rule.residence_not_in, false),
            holds,
        ]
        .into_iter()
        .min()
        .unwrap_or(Verdict::Met)
    }

    fn job_offer(&self) -> Finding {
        let place = self.jurisdiction_name(self.to);
        let (verdict, en, hans, hant) = match &self.situation.job {
            Some(job) if job.jurisdiction == self.to => (
                Verdict::Met,
                format!("A job offer in {}: {}", place.en, job.title),
                format!("{}的工作邀约：{}", place.zh_hans, job.title),
                format!("{}的工作邀約：{}", place.zh_hant, job.title),
            ),
            Some(job) => (
                Verdict::Unmet,
                format!("A job offer in {} ({} is not there)", place.en, job.title),
                format!("{}的工作邀约（{}不在当地）", place.zh_hans, job.title),
                format!("{}的工作邀約（{}不在當地）", place.zh_hant, job.title),
            ),
            None => (
                Verdict::ToVerify,
                format!("A job offer in {}", place.en),
                format!("{}的工作邀约", place.zh_hans),
                format!("{}的工作邀約", place.zh_hant),
            ),
        };
        finding(verdict, text(en, hans, hant))
    }

    fn employer_sponsors(&self) -> Finding {
        let verdict = match &self.situation.job {
            Some(job) if job.sponsors => Verdict::Met,
            Some(_) => Verdict::Unmet,
            None => Verdict::ToVerify,
        };
        let said = if verdict == Verdict::Unmet {
            text(
                "The employer sponsors the application (this job does not offer sponsorship)".into(),
                "雇主担保申请（此职位不提供担保）".into(),
                "僱主擔保申請（此職位不提供擔保）".into(),
            )
        } else {
            text(
                "The employer sponsors the application".into(),
                "雇主担保申请".into(),
                "僱主擔保申請".into(),
            )
        };
        finding(verdict, said)
    }

    fn book(&self) -> Book<'_> {
        Book {
            rules: Rules {
                equivalences: &self.registry.equivalences,
                comparabilities: &self.registry.comparabilities,
                levels: &self.registry.levels,
            },
            qualifications: &self.registry.qualifications,
        }
    }

    /// Met through a verified credential; to verify when only a claimed one (or a partial
    /// standing) reaches it.
    fn level_verdict(&self, level: &str, credentials: &[&super::situation::Credential]) -> Verdict {
        let book = self.book();
        let reaches =
            |ids: Vec<String>| fit(&book, &ids, Requirement::MinLevel(level), self.situation.today).status;
        let verified: Vec<String> = credentials
            .iter()
            .filter(|c| c.verified)
            .map(|c| c.qualification_id.clone())
            .collect();
        let all: Vec<String> = credentials.iter().map(|c| c.qualification_id.clone()).collect();
        let counts = |s: QualificationStatus| {
            matches!(
                s,
                QualificationStatus::Met | QualificationStatus::MetViaEquivalence
            )
        };
        if counts(reaches(verified)) {
            Verdict::Met
        } else if reaches(all) >= QualificationStatus::Partial {
            Verdict::ToVerify
        } else {
            Verdict::Unmet
        }
    }

    fn level_name(&self, level: &str) -> LocalizedText {
        self.registry
            .levels
            .get(level)
            .map(|l| LocalizedText::new(&l.name_en, &l.name_zh_hans, &l.name_zh_hant))
            .unwrap_or_else(|| LocalizedText::new(level, level, level))
    }

    fn min_level(&self, level: &str) -> Finding {
        let credentials: Vec<_> = self.situation.credentials.iter().collect();
        let name = self.level_name(level);
        finding(
            self.level_verdict(level, &credentials),
            text(
                format!("A qualification at or above {} (or a stated equivalent)", name.en),
                format!("{}或以上的资历（或经认可的同等资历）", name.zh_hans),
                format!("{}或以上的資歷（或經認可的同等資歷）", name.zh_hant),
            ),
        )
    }

    fn awarded_in(&self, window: &AwardWindow) -> Finding {
        let today = self.situation.today;
        let earliest = today
            .checked_sub_months(Months::new(window.within_months))
            .unwrap_or(today);
        let from_there: Vec<_> = self
            .situation
            .credentials
            .iter()
            .filter(|c| {
                self.registry
                    .qualifications
                    .get(&c.qualification_id)
                    .is_some_and(|q| q.jurisdiction == window.jurisdiction)
            })
            .filter(|c| c.awarded_on.is_none_or(|on| on >= earliest && on <= today))
            .collect();
        let level_ok = |c: &&super::situation::Credential| match &window.min_level {
            Some(level) => self.level_verdict(level, &[*c]) != Verdict::Unmet,
            None => true,
        };
        let candidates: Vec<_> = from_there.into_iter().filter(level_ok).collect();
        let verdict = if candidates.iter().any(|c| {
            c.awarded_on.is_some()
                && c.verified
                && window
                    .min_level
                    .as_deref()
                    .is_none_or(|l| self.level_verdict(l, &[*c]) == Verdict::Met)
        }) {
            Verdict::Met
        } else if candidates.is_empty() {
            Verdict::Unmet
        } else {
            Verdict::ToVerify
        };
        let place = self.jurisdiction_name(&window.jurisdiction);
        let level = window.min_level.as_deref().map(|l| self.level_name(l));
        let (at_en, at_hans, at_hant) = match &level {
            Some(l) => (
                format!(" at or above {}", l.en),
                format!("{}或以上", l.zh_hans),
                format!("{}或以上", l.zh_hant),
            ),
            None => Default::default(),
        };
        let months = window.within_months;
        finding(
            verdict,
            text(
                format!(
                    "A qualification{at_en} awarded in {} within the last {months} months",
                    place.en
                ),
                format!("过去{months}个月内在{}取得的{at_hans}资历", place.zh_hans),
                format!("過去{months}個月內在{}取得的{at_hant}資歷", place.zh_hant),
            ),
        )
    }

    fn min_income(&self, amount: i64, currency: &str) -> Finding {
        let verdict = match &self.situation.job {
            None => Verdict::ToVerify,
            Some(job) => match job.annual_pay_in(currency, self.rates) {
                Some(pay) if pay >= amount as f64 => Verdict::Met,
                Some(_) => Verdict::Unmet,
                None => Verdict::ToVerify,
            },
        };
        finding(
            verdict,
            text(
                format!("Annual pay of at least {currency} {amount}"),
                format!("年薪不少于 {currency} {amount}"),
                format!("年薪不少於 {currency} {amount}"),
            ),
        )
    }

    fn children(&self, at_least: u32) -> Finding {
        let (verdict, en, hans, hant) = match self.situation.dependent_children {
            None => (
                Verdict::ToVerify,
                "Dependent children (not given)".to_owned(),
                "受养子女（未填）".to_owned(),
                "受養子女（未填）".to_owned(),
            ),
            Some(n) => (
                if n >= at_least {
                    Verdict::Met
                } else {
                    Verdict::Unmet
                },
                // The verdict says whether the profile's count reaches it; the count itself stays
                // out of the sentence, which a case keeps as a task's reason.
                format!("At least {at_least} dependent child(ren)"),
                format!("至少{at_least}名受养子女"),
                format!("至少{at_least}名受養子女"),
            ),
        };
        finding(verdict, text(en, hans, hant))
    }

    fn titles(&self, ids: &[String]) -> LocalizedText {
        let names: Vec<LocalizedText> = ids
            .iter()
            .filter_map(|id| self.registry.qualifications.get(id))
            .map(|q| q.title())
            .collect();
        either(&names)
    }

    fn holds_any(&self, ids: &[String]) -> Finding {
        let held: Vec<_> = self
            .situation
            .credentials
            .iter()
            .filter(|c| ids.contains(&c.qualification_id))
            .collect();
        let verdict = if held.iter().any(|c| c.verified) {
            Verdict::Met
        } else if held.is_empty() {
            Verdict::Unmet
        } else {
            Verdict::ToVerify
        };
        let titles = self.titles(ids);
        finding(
            verdict,
            text(
                format!("Holds {}", titles.en),
                format!("持有{}", titles.zh_hans),
                format!("持有{}", titles.zh_hant),
            ),
        )
    }

    fn job_requires_any(&self, ids: &[String]) -> Finding {
        let asks = self
            .situation
            .job
            .as_ref()
            .and_then(|job| job.qualification_id.as_ref())
            .is_some_and(|q| ids.contains(q));
        let titles = self.titles(ids);
        finding(
            if asks { Verdict::Met } else { Verdict::Unmet },
            text(
                format!("The job asks for {}", titles.en),
                format!("职位要求{}", titles.zh_hans),
                format!("職位要求{}", titles.zh_hant),
            ),
        )
    }

    /// `any_of` takes its best child, `all_of` its worst; the sentence names the children that
    /// decided it (the one met, the ones unmet, the ones to verify).
    fn combined(&self, children: &[Condition], combine: Combine) -> Finding {
        let findings: Vec<Finding> = children.iter().map(|c| self.judge(c)).collect();
        let verdicts = findings.iter().map(|f| f.verdict);
        let verdict = match combine {
            Combine::Any => verdicts.max(),
            Combine::All => verdicts.min(),
        }
        .unwrap_or(Verdict::Unmet);
        let deciding: Vec<&LocalizedText> = findings
            .iter()
            .filter(|f| f.verdict == verdict)
            .map(|f| &f.text)
            .collect();
        let (en, zh) = match combine {
            Combine::Any if verdict == Verdict::Met => ("; ", "；"),
            Combine::Any => ("; or ", "；或"),
            Combine::All => ("; and ", "；及"),
        };
        let join = |f: fn(&LocalizedText) -> &str, sep: &str| {
            deciding.iter().map(|t| f(t)).collect::<Vec<_>>().join(sep)
        };
        finding(
            verdict,
            text(
                join(|t| t.en.as_str(), en),
                join(|t| t.zh_hans.as_str(), zh),
                join(|t| t.zh_hant.as_str(), zh),
            ),
        )
    }

    fn not(&self, inner: &Condition) -> Finding {
        let found = self.judge(inner);
        let verdict = match found.verdict {
            Verdict::Met => Verdict::Unmet,
            Verdict::Unmet => Verdict::Met,
            Verdict::ToVerify => Verdict::ToVerify,
        };
        // A group's sentence reads "Open to: …"; its negation says who is excluded.
        let said = match inner {
            Condition::GroupAny(codes) => {
                let names: Vec<LocalizedText> = codes
                    .iter()
                    .filter_map(|c| self.registry.group(c))
                    .map(|g| g.name.clone())
                    .collect();
                let who = either(&names);
                text(
                    format!("Not for: {}", who.en),
                    format!("不适用于：{}", who.zh_hans),
                    format!("不適用於：{}", who.zh_hant),
                )
            }
            _ => text(
                format!("Not: {}", found.text.en),
                format!("并非：{}", found.text.zh_hans),
                format!("並非：{}", found.text.zh_hant),
            ),
        };
        finding(verdict, said)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::eligibility::situation::{Credential, HeldBasis, JobFacts};
    use crate::registry::model::{ComparabilityRow, JurisdictionRow, QualificationRow};
    use crate::registry::snapshot::SituationGroup;
    use crate::registry::test_rows::{self, level};

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn place(code: &str) -> JurisdictionRow {
        JurisdictionRow {
            code: code.into(),
            name_en: format!("Place {code}"),
            name_zh_hans: code.into(),
            name_zh_hant: code.into(),
            currency: format!("{code}D"),
            languages: "[]".into(),
            qualifications_framework: String::new(),
            registration_number: String::new(),
        }
    }

    fn qualification(
        id: &str,
        jurisdiction: &str,
        framework: &str,
        level: &str,
    ) -> (String, QualificationRow) {
        (
            id.into(),
            test_rows::qualification(id, jurisdiction, framework, Some(level)),
        )
    }

    fn group(code: &str, rule: GroupRule) -> SituationGroup {
        SituationGroup {
            code: code.into(),
            name: LocalizedText::new(code, code, code),
            description: LocalizedText::default(),
            rule,
        }
    }

    /// Two places A and B; A's degree (rank 3 of A_ACADEMIC) is comparable to B's level 5; a
    /// vocational ladder in A whose rank 4 is no degree.
    pub(crate) fn registry() -> Registry {
        let list = |codes: &[&str]| codes.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let mut registry = Registry::default();
        registry.jurisdictions = vec![place("A"), place("B")];
        registry.levels = [
            level("a-bachelor", "A", "A_ACADEMIC", 3),
            level("a-senior-worker", "A", "A_VOCATIONAL", 4),
            level("b-5", "B", "B_QF", 5),
            level("b-6", "B", "B_QF", 6),
        ]
        .into_iter()
        .collect();
        registry.comparabilities = vec![ComparabilityRow {
            id: "a-bachelor-to-b-5".into(),
            from_level_id: "a-bachelor".into(),
            to_level_id: "b-5".into(),
            relation: "comparable".into(),
            authority: "test".into(),
            source: None,
            note: None,
        }];
        registry.qualifications = [
            qualification("a-degree", "A", "A_ACADEMIC", "a-bachelor"),
            qualification("a-trade", "A", "A_VOCATIONAL", "a-senior-worker"),
            qualification("b-master", "B", "B_QF", "b-6"),
        ]
        .into_iter()
        .collect();
        registry.groups = vec![
            group(
                "a_resident",
                GroupRule {
                    nationality_in: list(&["AN"]),
                    residence_in: list(&["A"]),
                    ..Default::default()
                },
            ),
            group(
                "foreigner",
                GroupRule {
                    nationality_not_in: list(&["AN"]),
                    ..Default::default()
                },
            ),
            group(
                "b_permanent",
                GroupRule {
                    holds_any_basis: list(&["B_PR"]),
                    ..Default::default()
                },
            ),
        ];
        registry
    }

    pub(crate) fn person(nationality: Option<&str>, residence: &str) -> Situation {
        Situation {
            nationality: nationality.map(str::to_owned),
            residence: residence.into(),
            dependent_children: None,
            held_bases: Vec::new(),
            credentials: Vec::new(),
            job: None,
            today: day("2026-12-03"),
        }
    }

    fn credential(id: &str, verified: bool, awarded_on: Option<&str>) -> Credential {
        Credential {
            qualification_id: id.into(),
            awarded_on: awarded_on.map(day),
            verified,
        }
    }

    pub(crate) fn job_in(jurisdiction: &str, sponsors: bool, monthly: f64) -> JobFacts {
        JobFacts {
            title: "Engineer".into(),
            jurisdiction: jurisdiction.into(),
            sponsors,
            annual_pay: monthly * 12.0,
            currency: "BD".into(),
            qualification_id: None,
            min_level_id: None,
        }
    }

    /// `judge` with a context for moving to B at default rates.
    pub(crate) fn in_b<T>(
        registry: &Registry,
        situation: &Situation,
        judge: impl FnOnce(&Context) -> T,
    ) -> T {
        let rates = Rates::default();
        judge(&Context {
            registry,
            rates: &rates,
            situation,
            to: "B",
        })
    }

    fn verdict(registry: &Registry, situation: &Situation, condition: Condition) -> Verdict {
        in_b(registry, situation, |context| context.judge(&condition).verdict)
    }

    fn groups(codes: &[&str]) -> Condition {
        Condition::GroupAny(codes.iter().map(|c| c.to_string()).collect())
    }

    #[test]
    fn groups_follow_nationality_residence_and_held_bases() {
        let registry = registry();
        let local = person(Some("AN"), "A");
        assert_eq!(verdict(&registry, &local, groups(&["a_resident"])), Verdict::Met);
        assert_eq!(verdict(&registry, &local, groups(&["foreigner"])), Verdict::Unmet);
        let abroad = person(Some("AN"), "B");
        assert_eq!(
            verdict(&registry, &abroad, groups(&["a_resident"])),
            Verdict::Unmet
        );
        let unknown = person(None, "A");
        assert_eq!(
            verdict(&registry, &unknown, groups(&["a_resident"])),
            Verdict::ToVerify
        );
        assert_eq!(
            verdict(&registry, &unknown, groups(&["a_resident", "foreigner"])),
            Verdict::ToVerify
        );
        let mut settled = person(Some("XX"), "B");
        assert_eq!(
            verdict(&registry, &settled, groups(&["b_permanent"])),
            Verdict::Unmet
        );
        settled.held_bases.push(HeldBasis {
            code: "B_PR".into(),
            jurisdiction: "B".into(),
            valid_until: None,
            verified: false,
        });
        assert_eq!(
            verdict(&registry, &settled, groups(&["b_permanent", "a_resident"])),
            Verdict::Met
        );
        assert_eq!(
            verdict(
                &registry,
                &settled,
                Condition::Not(Box::new(groups(&["foreigner"])))
            ),
            Verdict::Unmet
        );
    }

    #[test]
    fn a_level_is_met_within_its_framework_or_through_a_stated_comparability_and_only_when_verified() {
        let registry = registry();
        let minimum = || Condition::MinLevel("b-5".into());
        let mut graduate = person(Some("AN"), "A");
        assert_eq!(verdict(&registry, &graduate, minimum()), Verdict::Unmet);
        graduate.credentials.push(credential("a-degree", false, None));
        assert_eq!(
            verdict(&registry, &graduate, minimum()),
            Verdict::ToVerify,
            "claimed only"
        );
        graduate.credentials[0].verified = true;
        assert_eq!(verdict(&registry, &graduate, minimum()), Verdict::Met);
        // A higher rank of another framework, with no stated link, never meets it.
        let mut tradesman = person(Some("AN"), "A");
        tradesman.credentials.push(credential("a-trade", true, None));
        assert_eq!(verdict(&registry, &tradesman, minimum()), Verdict::Unmet);
    }

    #[test]
    fn an_award_window_counts_back_from_today() {
        let registry = registry();
        let window = |months| {
            Condition::AwardedIn(crate::registry::route::AwardWindow {
                jurisdiction: "B".into(),
                within_months: months,
                min_level: Some("b-5".into()),
            })
        };
        let mut recent = person(Some("AN"), "A");
        recent
            .credentials
            .push(credential("b-master", true, Some("2026-07-01")));
        assert_eq!(verdict(&registry, &recent, window(6)), Verdict::Met);
        assert_eq!(verdict(&registry, &recent, window(3)), Verdict::Unmet);
        recent.credentials[0].awarded_on = None;
        assert_eq!(
            verdict(&registry, &recent, window(6)),
            Verdict::ToVerify,
            "no award date"
        );
        // A degree of the other place is not one awarded in B.
        let mut other = person(Some("AN"), "A");
        other
            .credentials
            .push(credential("a-degree", true, Some("2026-11-01")));
        assert_eq!(verdict(&registry, &other, window(6)), Verdict::Unmet);
    }

    #[test]
    fn job_conditions_are_to_verify_without_a_job() {
        let registry = registry();
        let mut seeker = person(Some("AN"), "A");
        let pay = || {
            Condition::MinAnnualIncome(crate::money::Money {
                amount: 600_000,
                currency: "BD".into(),
            })
        };
        for condition in [
            Condition::JobOffer(true),
            Condition::EmployerSponsors(true),
            pay(),
        ] {
            assert_eq!(verdict(&registry, &seeker, condition), Verdict::ToVerify);
        }
        seeker.job = Some(job_in("B", false, 40_000.0));
        assert_eq!(
            verdict(&registry, &seeker, Condition::JobOffer(true)),
            Verdict::Met
        );
        assert_eq!(
            verdict(&registry, &seeker, Condition::EmployerSponsors(true)),
            Verdict::Unmet
        );
        assert_eq!(
            verdict(&registry, &seeker, pay()),
            Verdict::Unmet,
            "480,000 a year"
        );
        seeker.job = Some(job_in("B", true, 60_000.0));
        assert_eq!(verdict(&registry, &seeker, pay()), Verdict::Met);
        seeker.job = Some(job_in("A", true, 60_000.0));
        assert_eq!(
            verdict(&registry, &seeker, Condition::JobOffer(true)),
            Verdict::Unmet,
            "not in B"
        );
    }

    #[test]
    fn combinations_take_the_best_or_the_worst_and_say_what_decided() {
        let registry = registry();
        let mut parent = person(Some("AN"), "A");
        let check = || Condition::Check(LocalizedText::new("aged 65 or over", "", ""));
        let children = || Condition::DependentChildrenAtLeast(1);
        assert_eq!(
            verdict(&registry, &parent, children()),
            Verdict::ToVerify,
            "not given"
        );
        parent.dependent_children = Some(0);
        assert_eq!(verdict(&registry, &parent, children()), Verdict::Unmet);
        assert_eq!(
            verdict(&registry, &parent, Condition::AnyOf(vec![children(), check()])),
            Verdict::ToVerify
        );
        assert_eq!(
            verdict(&registry, &parent, Condition::AllOf(vec![children(), check()])),
            Verdict::Unmet
        );
        parent.dependent_children = Some(2);
        assert_eq!(
            verdict(&registry, &parent, Condition::AllOf(vec![children(), check()])),
            Verdict::ToVerify
        );
        let found = in_b(&registry, &parent, |context| {
            context.judge(&Condition::AnyOf(vec![children(), check()]))
        });
        assert_eq!(found.verdict, Verdict::Met);
        assert!(
            !found.text.en.contains("aged 65"),
            "the met child alone: {}",
            found.text.en
        );
    }
}
