//! The reference data shipped with the service (`assets/registry/*.json`, compiled in), loaded at
//! start. Idempotent: rows are inserted when missing and never overwritten, so the agency's edits
//! survive upgrades; a fingerprint of the files skips the work when nothing changed.

use std::collections::HashSet;

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::model::*;
use super::store;
use crate::db::DbConnection;
use crate::db::schema::{
    equivalences, jurisdictions, level_comparabilities, locations, qualification_levels, qualifications,
    seed_state, skill_categories, skills, work_authorization_bases,
};
use crate::i18n::LocalizedText;

const FILES: [(&str, &str); 9] = [
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
        seed_jurisdictions(conn)?;
        seed_locations(conn)?;
        seed_levels(conn)?;
        seed_qualifications(conn)?;
        seed_equivalences(conn)?;
        seed_bases(conn)?;
        seed_skills(conn)?;
        let now = Utc::now().naive_utc();
        diesel::delete(seed_state::table.find("registry")).execute(conn)?;
        diesel::insert_into(seed_state::table)
            .values((
                seed_state::name.eq("registry"),
                seed_state::fingerprint.eq(&current),
                seed_state::applied_at.eq(now),
            ))
            .execute(conn)?;
        store::bump_version(conn)?;
        Ok(())
    })?;
    Ok(true)
}

/// Inserts the rows whose key is not in the table yet.
fn insert_missing<R>(
    conn: &mut DbConnection,
    existing: HashSet<String>,
    rows: Vec<R>,
    key: impl Fn(&R) -> &str,
    insert: impl Fn(&mut DbConnection, &R) -> QueryResult<usize>,
) -> QueryResult<()> {
    for row in rows.iter().filter(|r| !existing.contains(key(r))) {
        insert(conn, row)?;
    }
    Ok(())
}

fn seed_jurisdictions(conn: &mut DbConnection) -> anyhow::Result<()> {
    let existing = jurisdictions::table
        .select(jurisdictions::code)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let rows: Vec<JurisdictionRow> = parse::<Jurisdiction>("jurisdictions")?
        .into_iter()
        .map(|j| JurisdictionRow {
            code: j.code,
            name_en: j.name.en,
            name_zh_hans: j.name.zh_hans,
            name_zh_hant: j.name.zh_hant,
            currency: j.currency,
            languages: serde_json::to_string(&j.languages).unwrap_or_else(|_| "[]".into()),
            qualifications_framework: j.qualifications_framework,
        })
        .collect();
    insert_missing(
        conn,
        existing,
        rows,
        |r| &r.code,
        |c, r| diesel::insert_into(jurisdictions::table).values(r).execute(c),
    )?;
    Ok(())
}

fn seed_locations(conn: &mut DbConnection) -> anyhow::Result<()> {
    let mut existing: HashSet<String> = locations::table
        .select(locations::id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let mut pending: Vec<LocationRow> = parse::<Location>("locations")?
        .into_iter()
        .filter(|l| !existing.contains(&l.id))
        .map(|l| LocationRow {
            id: l.id,
            jurisdiction: l.jurisdiction,
            kind: l.kind,
            parent_id: l.parent_id,
            name_en: l.name.en,
            name_zh_hans: l.name.zh_hans,
            name_zh_hant: l.name.zh_hant,
        })
        .collect();
    // Parents before children, whatever the order of the file.
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

fn seed_levels(conn: &mut DbConnection) -> anyhow::Result<()> {
    let existing = qualification_levels::table
        .select(qualification_levels::id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let rows: Vec<LevelRow> = parse::<Level>("qualification_levels")?
        .into_iter()
        .map(|l| LevelRow {
            id: l.id,
            jurisdiction: l.jurisdiction,
            framework: l.framework,
            rank: l.rank,
            name_en: l.name.en,
            name_zh_hans: l.name.zh_hans,
            name_zh_hant: l.name.zh_hant,
        })
        .collect();
    insert_missing(
        conn,
        existing,
        rows,
        |r| &r.id,
        |c, r| {
            diesel::insert_into(qualification_levels::table)
                .values(r)
                .execute(c)
        },
    )?;
    let existing = level_comparabilities::table
        .select(level_comparabilities::id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let rows: Vec<ComparabilityRow> = parse::<Comparability>("level_comparabilities")?
        .into_iter()
        .map(|c| ComparabilityRow {
            id: c.id,
            from_level_id: c.from_level_id,
            to_level_id: c.to_level_id,
            relation: c.relation,
            authority: c.authority,
            source: c.source,
            note: c.note,
        })
        .collect();
    insert_missing(
        conn,
        existing,
        rows,
        |r| &r.id,
        |c, r| {
            diesel::insert_into(level_comparabilities::table)
                .values(r)
                .execute(c)
        },
    )?;
    Ok(())
}

fn seed_qualifications(conn: &mut DbConnection) -> anyhow::Result<()> {
    let existing = qualifications::table
        .select(qualifications::id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let now = Utc::now().naive_utc();
    let rows: Vec<QualificationRow> = parse::<Qualification>("qualifications")?
        .into_iter()
        .map(|q| QualificationRow {
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
        })
        .collect();
    insert_missing(
        conn,
        existing,
        rows,
        |r| &r.id,
        |c, r| diesel::insert_into(qualifications::table).values(r).execute(c),
    )?;
    Ok(())
}

fn seed_equivalences(conn: &mut DbConnection) -> anyhow::Result<()> {
    let existing = equivalences::table
        .select(equivalences::id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let now = Utc::now().naive_utc();
    let rows: Vec<EquivalenceRow> = parse::<Equivalence>("equivalences")?
        .into_iter()
        .map(|e| {
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
        })
        .collect();
    insert_missing(
        conn,
        existing,
        rows,
        |r| &r.id,
        |c, r| diesel::insert_into(equivalences::table).values(r).execute(c),
    )?;
    Ok(())
}

fn seed_bases(conn: &mut DbConnection) -> anyhow::Result<()> {
    let existing = work_authorization_bases::table
        .select(work_authorization_bases::code)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let rows: Vec<WorkAuthorizationBasisRow> = parse::<Basis>("work_authorization_bases")?
        .into_iter()
        .map(|b| WorkAuthorizationBasisRow {
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
        })
        .collect();
    insert_missing(
        conn,
        existing,
        rows,
        |r| &r.code,
        |c, r| {
            diesel::insert_into(work_authorization_bases::table)
                .values(r)
                .execute(c)
        },
    )?;
    Ok(())
}

fn seed_skills(conn: &mut DbConnection) -> anyhow::Result<()> {
    let existing = skill_categories::table
        .select(skill_categories::id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let rows: Vec<SkillCategoryRow> = parse::<Category>("skill_categories")?
        .into_iter()
        .map(|c| SkillCategoryRow {
            id: c.id,
            label_en: c.labels.en,
            label_zh_hans: c.labels.zh_hans,
            label_zh_hant: c.labels.zh_hant,
        })
        .collect();
    insert_missing(
        conn,
        existing,
        rows,
        |r| &r.id,
        |c, r| diesel::insert_into(skill_categories::table).values(r).execute(c),
    )?;
    let existing = skills::table
        .select(skills::id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let rows: Vec<SkillRow> = parse::<Skill>("skills")?
        .into_iter()
        .map(|s| SkillRow {
            id: s.id,
            category_id: s.category,
            label_en: s.labels.en,
            label_zh_hans: s.labels.zh_hans,
            label_zh_hant: s.labels.zh_hant,
            aliases: serde_json::to_string(&s.aliases).unwrap_or_else(|_| "[]".into()),
        })
        .collect();
    insert_missing(
        conn,
        existing,
        rows,
        |r| &r.id,
        |c, r| diesel::insert_into(skills::table).values(r).execute(c),
    )?;
    Ok(())
}
