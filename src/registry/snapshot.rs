//! The registry held in memory: small, read-mostly, and needed on every search and match, so it is
//! an immutable snapshot swapped atomically when the database version changes. Readers never
//! lock and never query the database.

use std::collections::HashMap;
use std::sync::Arc;

use arc_swap::ArcSwap;
use diesel::prelude::*;

use super::fold::fold;
use super::model::*;
use super::route::{GroupRule, Route};
use crate::db::DbConnection;
use crate::db::schema::{
    equivalences, jurisdictions, level_comparabilities, locations, qualification_levels, qualifications,
    situation_groups, skill_categories, skills, work_authorization_bases,
};
use crate::error::AppError;
use crate::i18n::LocalizedText;

/// A skill with its aliases parsed.
#[derive(Debug, Clone)]
pub struct Skill {
    pub id: String,
    pub category_id: String,
    pub labels: LocalizedText,
    pub aliases: Vec<String>,
}

/// A situation group with its rule parsed.
#[derive(Debug, Clone)]
pub struct SituationGroup {
    pub code: String,
    pub name: LocalizedText,
    pub description: LocalizedText,
    pub rule: GroupRule,
}

/// One way to find a skill: a folded label or alias.
#[derive(Debug, Clone)]
struct SkillKey {
    key: String,
    skill: usize,
}

#[derive(Debug, Default)]
pub struct Registry {
    pub version: i64,
    pub jurisdictions: Vec<JurisdictionRow>,
    pub locations: Vec<LocationRow>,
    pub levels: HashMap<String, LevelRow>,
    pub comparabilities: Vec<ComparabilityRow>,
    pub qualifications: HashMap<String, QualificationRow>,
    pub equivalences: Vec<EquivalenceRow>,
    pub bases: Vec<WorkAuthorizationBasisRow>,
    /// Each basis's route, by basis code (bases whose route the data has not filled are absent).
    pub routes: HashMap<String, Route>,
    pub groups: Vec<SituationGroup>,
    pub categories: HashMap<String, SkillCategoryRow>,
    pub skills: Vec<Skill>,
    skill_index: HashMap<String, usize>,
    skill_keys: Vec<SkillKey>,
}

impl Registry {
    pub fn load(conn: &mut DbConnection, version: i64) -> QueryResult<Registry> {
        let skill_rows: Vec<SkillRow> = skills::table
            .order(skills::label_en)
            .select(SkillRow::as_select())
            .load(conn)?;
        let skills: Vec<Skill> = skill_rows
            .into_iter()
            .map(|row| Skill {
                labels: LocalizedText::new(row.label_en, row.label_zh_hans, row.label_zh_hant),
                aliases: serde_json::from_str(&row.aliases).unwrap_or_default(),
                id: row.id,
                category_id: row.category_id,
            })
            .collect();
        let bases: Vec<WorkAuthorizationBasisRow> = work_authorization_bases::table
            .order(work_authorization_bases::code)
            .select(WorkAuthorizationBasisRow::as_select())
            .load(conn)?;
        let groups = situation_groups::table
            .order(situation_groups::code)
            .select(SituationGroupRow::as_select())
            .load(conn)?
            .into_iter()
            .filter_map(parse_group)
            .collect();
        Ok(Registry {
            version,
            routes: bases.iter().filter_map(parse_route).collect(),
            groups,
            jurisdictions: jurisdictions::table
                .order(jurisdictions::code)
                .select(JurisdictionRow::as_select())
                .load(conn)?,
            locations: locations::table
                .order((locations::jurisdiction, locations::id))
                .select(LocationRow::as_select())
                .load(conn)?,
            levels: by_key(
                qualification_levels::table
                    .select(LevelRow::as_select())
                    .load(conn)?,
                |l| &l.id,
            ),
            comparabilities: level_comparabilities::table
                .select(ComparabilityRow::as_select())
                .load(conn)?,
            qualifications: by_key(
                qualifications::table
                    .select(QualificationRow::as_select())
                    .load(conn)?,
                |q| &q.id,
            ),
            equivalences: equivalences::table
                .order((equivalences::effective_from, equivalences::id))
                .select(EquivalenceRow::as_select())
                .load(conn)?,
            bases,
            categories: by_key(
                skill_categories::table
                    .select(SkillCategoryRow::as_select())
                    .load(conn)?,
                |c| &c.id,
            ),
            skill_index: skills
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.clone(), i))
                .collect(),
            skill_keys: index_skills(&skills),
            skills,
        })
    }

    /// The currencies of the jurisdictions, the ones money may be given in.
    pub fn currencies(&self) -> impl Iterator<Item = &str> {
        self.jurisdictions.iter().map(|j| j.currency.as_str())
    }

    pub fn basis(&self, code: &str) -> Option<&WorkAuthorizationBasisRow> {
        self.bases.iter().find(|b| b.code == code)
    }

    pub fn group(&self, code: &str) -> Option<&SituationGroup> {
        self.groups.iter().find(|g| g.code == code)
    }

    pub fn jurisdiction(&self, code: &str) -> Option<&JurisdictionRow> {
        self.jurisdictions.iter().find(|j| j.code == code)
    }

    /// A filter's jurisdiction, which must be one of the registry's: a code that names none is
    /// a mistake to report (422 naming `field`), not a filter that lets nothing through.
    pub fn filter_jurisdiction<'a>(
        &self,
        field: &str,
        code: Option<&'a str>,
    ) -> Result<Option<&'a str>, AppError> {
        match code {
            Some(code) if self.jurisdiction(code).is_none() => {
                Err(AppError::invalid(field, "names no jurisdiction"))
            }
            wanted => Ok(wanted),
        }
    }

    pub fn skill(&self, id: &str) -> Option<&Skill> {
        self.skill_index.get(id).map(|&i| &self.skills[i])
    }

    pub fn equivalence(&self, id: &str) -> Option<&EquivalenceRow> {
        self.equivalences.iter().find(|e| e.id == id)
    }

    /// Autocomplete over every label and alias in every script: the query is folded like the
    /// keys, so Traditional finds Simplified and the reverse. Best matches first: the whole key,
    /// then a key that starts with the query, then a word inside it, then (for Chinese, which has
    /// no spaces) anywhere inside it; shorter labels first among equals.
    pub fn search_skills(&self, query: &str, limit: usize) -> Vec<&Skill> {
        let query = fold(query);
        if query.is_empty() {
            return self.skills.iter().take(limit).collect();
        }
        let anywhere = !query.is_ascii();
        let mut best: HashMap<usize, u8> = HashMap::new();
        for SkillKey { key, skill } in &self.skill_keys {
            let rank = if *key == query {
                0
            } else if key.starts_with(&query) {
                1
            } else if key
                .split([' ', '-', '/', '('])
                .skip(1)
                .any(|word| word.starts_with(&query))
            {
                2
            } else if anywhere && key.contains(&query) {
                3
            } else {
                continue;
            };
            best.entry(*skill)
                .and_modify(|r| *r = (*r).min(rank))
                .or_insert(rank);
        }
        let mut found: Vec<(u8, &Skill)> = best
            .into_iter()
            .map(|(i, rank)| (rank, &self.skills[i]))
            .collect();
        found.sort_by(|(ra, a), (rb, b)| {
            ra.cmp(rb)
                .then(a.labels.en.len().cmp(&b.labels.en.len()))
                .then(a.labels.en.cmp(&b.labels.en))
        });
        found.into_iter().take(limit).map(|(_, skill)| skill).collect()
    }
}

/// A stored route is written only after validation; one that no longer parses (an older
/// shape) leaves its basis without a route rather than the registry unloaded.
fn parse_route(basis: &WorkAuthorizationBasisRow) -> Option<(String, Route)> {
    if basis.route.is_empty() {
        return None;
    }
    match serde_json::from_str(&basis.route) {
        Ok(route) => Some((basis.code.clone(), route)),
        Err(error) => {
            tracing::warn!(basis = %basis.code, %error, "a stored route does not parse");
            None
        }
    }
}

fn parse_group(row: SituationGroupRow) -> Option<SituationGroup> {
    match serde_json::from_str(&row.rule) {
        Ok(rule) => Some(SituationGroup {
            name: LocalizedText::new(row.name_en, row.name_zh_hans, row.name_zh_hant),
            description: LocalizedText::new(
                row.description_en,
                row.description_zh_hans,
                row.description_zh_hant,
            ),
            code: row.code,
            rule,
        }),
        Err(error) => {
            tracing::warn!(group = %row.code, %error, "a stored situation group does not parse");
            None
        }
    }
}

fn by_key<T>(rows: Vec<T>, key: impl Fn(&T) -> &String) -> HashMap<String, T> {
    rows.into_iter().map(|row| (key(&row).clone(), row)).collect()
}

fn index_skills(skills: &[Skill]) -> Vec<SkillKey> {
    let mut keys = Vec::new();
    for (index, skill) in skills.iter().enumerate() {
        let texts = [&skill.labels.en, &skill.labels.zh_hans, &skill.labels.zh_hant]
            .into_iter()
            .chain(&skill.aliases);
        let mut seen: Vec<String> = Vec::new();
        for text in texts {
            let key = fold(text);
            if !key.is_empty() && !seen.contains(&key) {
                seen.push(key.clone());
                keys.push(SkillKey { key, skill: index });
            }
        }
    }
    keys
}

/// The current snapshot, shared by every request.
pub struct RegistryHandle {
    current: ArcSwap<Registry>,
}

impl RegistryHandle {
    pub fn new(registry: Registry) -> Self {
        Self {
            current: ArcSwap::from_pointee(registry),
        }
    }

    pub fn get(&self) -> Arc<Registry> {
        self.current.load_full()
    }

    /// Installs `registry` unless the current snapshot is as new or newer: a slow reload that
    /// read an older version must not undo a newer one (the version is read before the data, so
    /// the data is never older than its version).
    pub fn replace(&self, registry: Registry) {
        let candidate = Arc::new(registry);
        self.current.rcu(|current| {
            if candidate.version > current.version {
                candidate.clone()
            } else {
                current.clone()
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skill(id: &str, en: &str, hans: &str, hant: &str, aliases: &[&str]) -> Skill {
        Skill {
            id: id.into(),
            category_id: "software-ai".into(),
            labels: LocalizedText::new(en, hans, hant),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        }
    }

    fn registry() -> Registry {
        let skills = vec![
            skill(
                "software-engineering",
                "Software engineering",
                "软件工程",
                "軟件工程",
                &["軟體工程師", "software engineer"],
            ),
            skill(
                "data-analysis",
                "Data analysis",
                "数据分析",
                "數據分析",
                &["資料分析", "data analyst"],
            ),
            skill(
                "big-data",
                "Big data engineering",
                "大数据工程",
                "大數據工程",
                &[],
            ),
        ];
        Registry {
            skill_index: skills
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.clone(), i))
                .collect(),
            skill_keys: index_skills(&skills),
            skills,
            ..Registry::default()
        }
    }

    /// Each search text with the skill ids it must find, in order.
    fn assert_finds(cases: &[(&str, &[&str])]) {
        let registry = registry();
        for (text, expected) in cases {
            let found: Vec<&str> = registry
                .search_skills(text, 10)
                .into_iter()
                .map(|s| s.id.as_str())
                .collect();
            assert_eq!(found, *expected, "searching {text:?}");
        }
    }

    #[test]
    fn english_prefix_and_word_prefix_match_case_insensitively() {
        assert_finds(&[
            ("SOFT", &["software-engineering"]),
            ("analy", &["data-analysis"]),
            ("data", &["data-analysis", "big-data"]),
        ]);
    }

    #[test]
    fn either_chinese_script_finds_the_other() {
        assert_finds(&[
            ("软件", &["software-engineering"]),
            ("軟件", &["software-engineering"]),
            ("軟體", &["software-engineering"]),
            ("资料分析", &["data-analysis"]),
            // Inside a Chinese word: 数据 is in 数据分析 and in 大数据工程; the prefix match ranks first.
            ("數據", &["data-analysis", "big-data"]),
        ]);
    }

    #[test]
    fn an_older_snapshot_never_replaces_a_newer_one() {
        let handle = RegistryHandle::new(Registry {
            version: 5,
            ..Registry::default()
        });
        handle.replace(Registry {
            version: 4,
            ..Registry::default()
        });
        assert_eq!(handle.get().version, 5);
        handle.replace(Registry {
            version: 6,
            ..Registry::default()
        });
        assert_eq!(handle.get().version, 6);
    }

    #[test]
    fn no_match_and_limits() {
        let registry = registry();
        assert!(registry.search_skills("welding", 10).is_empty());
        assert_eq!(registry.search_skills("", 2).len(), 2);
        assert_eq!(registry.search_skills("data", 1).len(), 1);
    }
}
