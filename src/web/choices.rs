//! The lists forms offer, drawn from the registry and named in the page's language: the
//! jurisdictions, their places, their qualifications and their bases of work authorisation.
//! Every form takes them from here, so a place or a qualification is named alike on every page.

use super::text::{Common, pick};
use crate::cases::status::Direction;
use crate::i18n::Locale;
use crate::registry::Registry;
use crate::registry::model::LevelRow;

/// The languages every form offers by name (ISO 639-3 codes; others are kept as typed).
pub const LANGUAGES: [&str; 3] = ["en", "cmn", "yue"];
/// Skill and language levels: 1 (basic) to 5 (native or expert).
pub const LEVELS: [&str; 5] = ["1", "2", "3", "4", "5"];

pub struct Choice {
    pub value: String,
    pub label: String,
}

/// Choices under a heading: an `<optgroup>`, one per jurisdiction.
pub struct ChoiceGroup {
    pub label: String,
    pub choices: Vec<Choice>,
}

pub fn jurisdictions(registry: &Registry, locale: Locale) -> Vec<Choice> {
    registry
        .jurisdictions
        .iter()
        .map(|j| Choice {
            value: j.code.clone(),
            label: pick(locale, &j.name_en, &j.name_zh_hans, &j.name_zh_hant).to_owned(),
        })
        .collect()
}

/// The jurisdiction's name, or its code when the registry has no such jurisdiction.
pub fn jurisdiction_name(registry: &Registry, locale: Locale, code: &str) -> String {
    registry
        .jurisdiction(code)
        .map(|j| pick(locale, &j.name_en, &j.name_zh_hans, &j.name_zh_hant).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// A case's direction as words: `from → to`.
pub fn direction_name(registry: &Registry, locale: Locale, code: &str) -> String {
    match Direction::parse(code) {
        Some(d) => format!(
            "{} → {}",
            jurisdiction_name(registry, locale, &d.from),
            jurisdiction_name(registry, locale, &d.to)
        ),
        None => code.to_string(),
    }
}

/// `rows` grouped under their jurisdiction's name, in the registry's order of jurisdictions.
fn by_jurisdiction<T>(
    registry: &Registry,
    locale: Locale,
    rows: &[T],
    jurisdiction_of: impl Fn(&T) -> &str,
    choice: impl Fn(&T) -> Choice,
) -> Vec<ChoiceGroup> {
    registry
        .jurisdictions
        .iter()
        .map(|j| ChoiceGroup {
            label: pick(locale, &j.name_en, &j.name_zh_hans, &j.name_zh_hant).to_owned(),
            choices: rows
                .iter()
                .filter(|row| jurisdiction_of(row) == j.code)
                .map(&choice)
                .collect(),
        })
        .filter(|group| !group.choices.is_empty())
        .collect()
}

pub fn locations(registry: &Registry, locale: Locale) -> Vec<ChoiceGroup> {
    by_jurisdiction(
        registry,
        locale,
        &registry.locations,
        |l| &l.jurisdiction,
        |l| Choice {
            value: l.id.clone(),
            label: pick(locale, &l.name_en, &l.name_zh_hans, &l.name_zh_hant).to_owned(),
        },
    )
}

/// The registry's qualifications by jurisdiction, highest level first, then by title.
pub fn qualifications(registry: &Registry, locale: Locale) -> Vec<ChoiceGroup> {
    let rank = |level: &Option<String>| {
        level
            .as_ref()
            .and_then(|id| registry.levels.get(id))
            .map_or(0, |l| l.rank)
    };
    let mut rows: Vec<_> = registry.qualifications.values().collect();
    rows.sort_by(|a, b| {
        rank(&b.level_id)
            .cmp(&rank(&a.level_id))
            .then_with(|| a.title_en.cmp(&b.title_en))
    });
    by_jurisdiction(
        registry,
        locale,
        &rows,
        |q| &q.jurisdiction,
        |q| Choice {
            value: q.id.clone(),
            label: pick(locale, &q.title_en, &q.title_zh_hans, &q.title_zh_hant).to_owned(),
        },
    )
}

/// The framework levels by jurisdiction, by framework and rank; `value` is what a choice sends.
pub fn levels(registry: &Registry, locale: Locale, value: impl Fn(&LevelRow) -> String) -> Vec<ChoiceGroup> {
    let mut rows: Vec<_> = registry.levels.values().collect();
    rows.sort_by(|a, b| (&a.framework, a.rank, &a.id).cmp(&(&b.framework, b.rank, &b.id)));
    by_jurisdiction(
        registry,
        locale,
        &rows,
        |l| &l.jurisdiction,
        |l| Choice {
            value: value(l),
            label: pick(locale, &l.name_en, &l.name_zh_hans, &l.name_zh_hant).to_owned(),
        },
    )
}

/// The bases on which a person may work, by jurisdiction. The value is `JURISDICTION|code`, so
/// one select gives both halves a work authorisation needs.
pub fn work_authorization_bases(registry: &Registry, locale: Locale) -> Vec<ChoiceGroup> {
    by_jurisdiction(
        registry,
        locale,
        &registry.bases,
        |b| &b.jurisdiction,
        |b| Choice {
            value: format!("{}|{}", b.jurisdiction, b.code),
            label: pick(locale, &b.name_en, &b.name_zh_hans, &b.name_zh_hant).to_owned(),
        },
    )
}

/// The named languages, then any other code `extra` holds (a profile may carry one).
pub fn languages<'a>(t: &Common, extra: impl IntoIterator<Item = &'a str>) -> Vec<Choice> {
    let mut codes: Vec<String> = LANGUAGES.iter().map(|c| (*c).to_owned()).collect();
    for code in extra {
        if !code.is_empty() && !codes.iter().any(|c| c == code) {
            codes.push(code.to_owned());
        }
    }
    codes
        .into_iter()
        .map(|code| Choice {
            label: t.language_or_code(&code).to_owned(),
            value: code,
        })
        .collect()
}
