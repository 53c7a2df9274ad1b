//! The reference data shipped with the service (`assets/registry/*.json`, compiled in), loaded at
//! start. Idempotent: rows are inserted when missing and never overwritten, so the agency's edits
//! survive upgrades; a fingerprint of the files skips the work when nothing changed.

use std::collections::HashSet;

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::model::*;
use super::route::{GroupRule, Route};
use super::store;
use crate::db::DbConnection;
use crate::db::schema::{
    equivalences, jurisdictions, level_comparabilities, locations, qualification_levels, qualifications,
    seed_state, situation_groups, skill_categories, skills, work_authorization_bases,
};
use crate::i18n::LocalizedText;

const FILES: [(&str, &str); 10] = [
    (
        "jurisdictions",
        include_str!("../../assets/registry/jurisdictions.json"),
    ),
    ("locations", include_str!("../../assets/registry/locations.json")),
    (
        "qualification_levels",
        include_str!("../../assets/registry/qualification_levels.json"),
    ),
    (
        "level_comparabilities",
        include_str!("../../assets/registry/level_comparabilities.json"),
    ),
    (
        "qualifications",
        include_str!("../../assets/registry/qualifications.json"),
    ),
    (
        "equivalences",
        include_str!("../../assets/registry/equivalences.json"),
    ),
    (
        "work_authorization_bases",
        include_str!("../../assets/registry/work_authorization_bases.json"),
    ),
    (
        "skill_categories",
        include_str!("../../assets/registry/skill_categories.json"),
    ),
    ("skills", include_str!("../../assets/registry/skills.json")),
    (
        "situation_groups",
        include_str!("../../assets/registry/situation_groups.json"),
    ),
];

fn file(name: &str) -> &'static str {
    FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .expect("a shipped registry file")
}

fn parse<T: for<'de> Deserialize<'de>>(name: &str) -> anyhow::Result<Vec<T>> {
    serde_json::from_str(file(name)).map_err(|e| anyhow::anyhow!("assets/registry/{name}.json: {e}"))
}

pub fn fingerprint() -> String {
    let mut hasher = Sha256::new();
    for (name, text) in FILES {
        hasher.update(name.as_bytes());
        hasher.update(text.as_bytes());
    }
    hex::encode(hasher.finalize())
}

#[derive(Deserialize)]
struct Jurisdiction {
    code: String,
    name: LocalizedText,
    currency: String,
    languages: Vec<String>,
    qualifications_framework: String,
    #[serde(default)]
    registration_number: Option<RegistrationFormat>,
}

#[derive(Deserialize)]
struct Location {
    id: String,
    jurisdiction: String,
    kind: String,
    parent_id: Option<String>,
    name: LocalizedText,
}

#[derive(Deserialize)]
struct Level {
    id: String,
    jurisdiction: String,
    framework: String,
    rank: i32,
    name: LocalizedText,
}

#[derive(Deserialize)]
struct Comparability {
    id: String,
    from_level_id: String,
    to_level_id: String,
    relation: String,
    authority: String,
    source: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
struct Qualification {
    id: String,
    jurisdiction: String,
    framework: String,
    level_id: Option<String>,
    kind: String,
    title: LocalizedText,
    awarding_body: LocalizedText,
}

#[derive(Deserialize)]
struct Equivalence {
    id: String,
    from_qualification_id: String,
    to_qualification_id: Option<String>,
    to_jurisdiction: String,
    to_level_id: Option<String>,
    relation: String,
    conditions: Option<LocalizedText>,
    authority: String,
    source: Option<String>,
    effective_from: NaiveDate,
    effective_to: Option<NaiveDate>,
    #[serde(default)]
    verify_before_use: bool,
}

#[derive(Deserialize)]
struct Basis {
    code: String,
    jurisdiction: String,
    name: LocalizedText,
    description: LocalizedText,
    authorizes_work: bool,
    requires_job_offer: bool,
    employer_sponsored: bool,
    time_limited: bool,
    source: String,
    #[serde(default)]
    route: Option<Route>,
}

#[derive(Deserialize)]
struct Group {
    code: String,
    name: LocalizedText,
    description: LocalizedText,
    rule: GroupRule,
}

impl From<Group> for SituationGroupRow {
    fn from(g: Group) -> Self {
        SituationGroupRow {
            code: g.code,
            name_en: g.name.en,
            name_zh_hans: g.name.zh_hans,
            name_zh_hant: g.name.zh_hant,
            description_en: g.description.en,
            description_zh_hans: g.description.zh_hans,
            description_zh_hant: g.description.zh_hant,
            rule: to_json(&g.rule),
        }
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("registry data serialises")
}

#[derive(Deserialize)]
struct Category {
    id: String,
    labels: LocalizedText,
}

#[derive(Deserialize)]
struct Skill {
    id: String,
    category: String,
    labels: LocalizedText,
    aliases: Vec<String>,
}

impl From<Jurisdiction> for JurisdictionRow {
    fn from(j: Jurisdiction) -> Self {
        JurisdictionRow {
            code: j.code,
            name_en: j.name.en,
            name_zh_hans: j.name.zh_hans,
            name_zh_hant: j.name.zh_hant,
            currency: j.currency,
            languages: serde_json::to_string(&j.languages).unwrap_or_else(|_| "[]".into()),
            qualifications_framework: j.qualifications_framework,
            registration_number: j.registration_number.as_ref().map(to_json).unwrap_or_default(),
        }
    }
}

impl From<Location> for LocationRow {
    fn from(l: Location) -> Self {
        LocationRow {
            id: l.id,
            jurisdiction: l.jurisdiction,
            kind: l.kind,
            parent_id: l.parent_id,
            name_en: l.name.en,
            name_zh_hans: l.name.zh_hans,
            name_zh_hant: l.name.zh_hant,
        }
    }
}

impl From<Level> for LevelRow {
    fn from(l: Level) -> Self {
        LevelRow {
            id: l.id,
            jurisdiction: l.jurisdiction,
            framework: l.framework,
            rank: l.rank,
            name_en: l.name.en,
            name_zh_hans: l.name.zh_hans,
            name_zh_hant: l.name.zh_hant,
        }
    }
}

impl From<Comparability> for ComparabilityRow {
    fn from(c: Comparability) -> Self {
        ComparabilityRow {
            id: c.id,
            from_level_id: c.from_level_id,
            to_level_id: c.to_level_id,
            relation: c.relation,
            authority: c.authority,
            source: c.source,
            note: c.note,
        }
    }
}

impl From<Qualification> for QualificationRow {
    fn from(q: Qualification) -> Self {
        let now = Utc::now().naive_utc();
        QualificationRow {
            id: q.id,
            jurisdiction: q.jurisdiction,
            framework: q.framework,
            level_id: q.level_id,
            kind: q.kind,
            title_en: q.title.en,
            title_zh_hans: q.title.zh_hans,
            title_zh_hant: q.title.zh_hant,
            awarding_body_en: q.awarding_body.en,
            awarding_body_zh_hans: q.awarding_body.zh_hans,
            awarding_body_zh_hant: q.awarding_body.zh_hant,
            created_at: now,
            updated_at: now,
        }
    }
}

impl From<Equivalence> for EquivalenceRow {
    fn from(e: Equivalence) -> Self {
        let now = Utc::now().naive_utc();
        let mut row = EquivalenceRow {
            id: e.id,
            from_qualification_id: e.from_qualification_id,
            to_qualification_id: e.to_qualification_id,
            to_jurisdiction: e.to_jurisdiction,
            to_level_id: e.to_level_id,
            relation: e.relation,
            conditions_en: None,
            conditions_zh_hans: None,
            conditions_zh_hant: None,
            authority: e.authority,
            source: e.source,
            effective_from: e.effective_from,
            effective_to: e.effective_to,
            verify_before_use: e.verify_before_use,
            created_at: now,
            updated_at: now,
        };
        row.set_conditions(e.conditions);
        row
    }
}

impl From<Basis> for WorkAuthorizationBasisRow {
    fn from(b: Basis) -> Self {
        WorkAuthorizationBasisRow {
            code: b.code,
            jurisdiction: b.jurisdiction,
            name_en: b.name.en,
            name_zh_hans: b.name.zh_hans,
            name_zh_hant: b.name.zh_hant,
            description_en: b.description.en,
            description_zh_hans: b.description.zh_hans,
            description_zh_hant: b.description.zh_hant,
            authorizes_work: b.authorizes_work,
            requires_job_offer: b.requires_job_offer,
            employer_sponsored: b.employer_sponsored,
            time_limited: b.time_limited,
            source: b.source,
            route: b.route.as_ref().map(to_json).unwrap_or_default(),
        }
    }
}

impl From<Category> for SkillCategoryRow {
    fn from(c: Category) -> Self {
        SkillCategoryRow {
            id: c.id,
            label_en: c.labels.en,
            label_zh_hans: c.labels.zh_hans,
            label_zh_hant: c.labels.zh_hant,
        }
    }
}

impl From<Skill> for SkillRow {
    fn from(s: Skill) -> Self {
        SkillRow {
            id: s.id,
            category_id: s.category,
            label_en: s.labels.en,
            label_zh_hans: s.labels.zh_hans,
            label_zh_hant: s.labels.zh_hant,
            aliases: serde_json::to_string(&s.aliases).unwrap_or_else(|_| "[]".into()),
        }
    }
}

/// Inserts the rows of `file` whose key is not in `table` yet, in file order.
macro_rules! insert_missing {
    ($conn:expr, $table:ident . $key:ident, $file:literal, $seed:ty => $row:ty) => {{
        let existing: HashSet<String> = $table::table
            .select($table::$key)
            .load::<String>($conn)?
            .into_iter()
            .collect();
        let rows = parse::<$seed>($file)?.into_iter().map(<$row>::from);
        for row in rows.filter(|row| !existing.contains(&row.$key)) {
            diesel::insert_into($table::table).values(&row).execute($conn)?;
        }
    }};
}

/// Loads what is missing of the shipped data, in one transaction. Returns whether anything ran.
pub fn apply(conn: &mut DbConnection) -> anyhow::Result<bool> {
    let current = fingerprint();
    let stored: Option<String> = seed_state::table
        .find("registry")
        .select(seed_state::fingerprint)
        .first(conn)
        .optional()?;
    if stored.as_deref() == Some(current.as_str()) {
        return Ok(false);
    }
    conn.transaction(|conn| -> anyhow::Result<()> {
        insert_missing!(conn, jurisdictions.code, "jurisdictions", Jurisdiction => JurisdictionRow);
        seed_locations(conn)?;
        insert_missing!(conn, qualification_levels.id, "qualification_levels", Level => LevelRow);
        insert_missing!(conn, level_comparabilities.id, "level_comparabilities", Comparability => ComparabilityRow);
        insert_missing!(conn, qualifications.id, "qualifications", Qualification => QualificationRow);
        insert_missing!(conn, equivalences.id, "equivalences", Equivalence => EquivalenceRow);
        insert_missing!(conn, work_authorization_bases.code, "work_authorization_bases", Basis => WorkAuthorizationBasisRow);
        insert_missing!(conn, situation_groups.code, "situation_groups", Group => SituationGroupRow);
        fill_unset_data(conn)?;
        insert_missing!(conn, skill_categories.id, "skill_categories", Category => SkillCategoryRow);
        insert_missing!(conn, skills.id, "skills", Skill => SkillRow);
        let now = Utc::now().naive_utc();
        diesel::delete(seed_state::table.find("registry")).execute(conn)?;
        diesel::insert_into(seed_state::table)
            .values((seed_state::name.eq("registry"), seed_state::fingerprint.eq(&current), seed_state::applied_at.eq(now)))
            .execute(conn)?;
        store::bump_version(conn)?;
        Ok(())
    })?;
    Ok(true)
}

/// Rows that existed before routes and registration formats were data get them from the shipped
/// files once; a value an admin set is never overwritten.
fn fill_unset_data(conn: &mut DbConnection) -> anyhow::Result<()> {
    for basis in parse::<Basis>("work_authorization_bases")? {
        if let Some(route) = &basis.route {
            diesel::update(
                work_authorization_bases::table
                    .find(&basis.code)
                    .filter(work_authorization_bases::route.eq("")),
            )
            .set(work_authorization_bases::route.eq(to_json(route)))
            .execute(conn)?;
        }
    }
    for jurisdiction in parse::<Jurisdiction>("jurisdictions")? {
        if let Some(format) = &jurisdiction.registration_number {
            diesel::update(
                jurisdictions::table
                    .find(&jurisdiction.code)
                    .filter(jurisdictions::registration_number.eq("")),
            )
            .set(jurisdictions::registration_number.eq(to_json(format)))
            .execute(conn)?;
        }
    }
    Ok(())
}

/// Locations name their parent: parents go in first, whatever the order of the file.
fn seed_locations(conn: &mut DbConnection) -> anyhow::Result<()> {
    let mut existing: HashSet<String> = locations::table
        .select(locations::id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let mut pending: Vec<LocationRow> = parse::<Location>("locations")?
        .into_iter()
        .map(LocationRow::from)
        .filter(|l| !existing.contains(&l.id))
        .collect();
    while !pending.is_empty() {
        let (ready, waiting): (Vec<_>, Vec<_>) = pending
            .into_iter()
            .partition(|l| l.parent_id.as_ref().is_none_or(|p| existing.contains(p)));
        anyhow::ensure!(!ready.is_empty(), "locations.json: a parent_id names no location");
        for location in ready {
            diesel::insert_into(locations::table)
                .values(&location)
                .execute(conn)?;
            existing.insert(location.id);
        }
        pending = waiting;
    }
    Ok(())
}
