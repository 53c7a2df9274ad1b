//! Registry writes: agency staff add qualifications and keep the equivalence rules. Each write
//! validates against the registry as it is inside the transaction, is audited with the record
//! before and after, and refreshes this node's snapshot (other nodes follow the version).

use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::RegistryHandle;
use super::fold::{to_simplified, to_traditional};
use super::model::{EquivalenceRow, QualificationRow};
use super::resolve::Relation;
use super::route::Route;
use super::snapshot::Registry;
use super::store;
use super::views::EquivalenceView;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, DbConnection};
use crate::error::{AppError, FieldError};
use crate::i18n::LocalizedText;
use crate::patch::nullable;

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// A text given in English and at least optionally in Chinese; a missing Chinese script is
/// converted from the other one, or falls back to English.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextInput {
    pub en: String,
    #[serde(rename = "zh-Hans")]
    pub zh_hans: Option<String>,
    #[serde(rename = "zh-Hant")]
    pub zh_hant: Option<String>,
}

impl TextInput {
    fn complete(self) -> LocalizedText {
        let given = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        let (hans, hant) = match (given(self.zh_hans), given(self.zh_hant)) {
            (Some(hans), Some(hant)) => (hans, hant),
            (Some(hans), None) => (hans.clone(), to_traditional(&hans)),
            (None, Some(hant)) => (to_simplified(&hant).into_owned(), hant),
            (None, None) => (self.en.trim().to_owned(), self.en.trim().to_owned()),
        };
        LocalizedText::new(self.en.trim(), hans, hant)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QualificationKind {
    Academic,
    Vocational,
    Professional,
}

impl QualificationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QualificationKind::Academic => "academic",
            QualificationKind::Vocational => "vocational",
            QualificationKind::Professional => "professional",
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QualificationInput {
    #[schema(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: String,
    /// Defaults to the level's framework, else the jurisdiction's.
    pub framework: Option<String>,
    /// A framework level id of the same jurisdiction, e.g. `hkqf-5`.
    pub level: Option<String>,
    pub kind: QualificationKind,
    pub title: TextInput,
    pub awarding_body: TextInput,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EquivalenceInput {
    pub from_qualification_id: String,
    pub to_qualification_id: Option<String>,
    /// Defaults to the jurisdiction of the target qualification or level.
    #[schema(pattern = "^[A-Z]{2}$")]
    pub to_jurisdiction: Option<String>,
    /// A framework level id in the target jurisdiction.
    pub to_level: Option<String>,
    pub relation: Relation,
    pub conditions: Option<TextInput>,
    pub authority: String,
    pub source: Option<String>,
    /// Defaults to today.
    pub effective_from: Option<NaiveDate>,
    pub effective_to: Option<NaiveDate>,
    #[serde(default)]
    pub verify_before_use: bool,
}

/// Fields to change; `null` clears an optional field. The source qualification cannot change:
/// that would be another rule.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EquivalencePatch {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub to_qualification_id: Option<Option<String>>,
    pub to_jurisdiction: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub to_level: Option<Option<String>>,
    pub relation: Option<Relation>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<TextInput>)]
    pub conditions: Option<Option<TextInput>>,
    pub authority: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub source: Option<Option<String>>,
    pub effective_from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub effective_to: Option<Option<NaiveDate>>,
    pub verify_before_use: Option<bool>,
}

fn check_text(errors: &mut Vec<FieldError>, field: &str, text: &str, max: usize) {
    if text.trim().is_empty() {
        errors.push(FieldError::new(field, "is required"));
    } else if text.chars().count() > max {
        errors.push(FieldError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
}

pub async fn create_qualification(
    db: &Db,
    handle: &RegistryHandle,
    actor: Actor,
    input: QualificationInput,
) -> Result<QualificationRow, AppError> {
    let created = db.write(move |conn| {
            store::bump_version(conn)?;
            let registry = Registry::load(conn, 0)?;
            let row = qualification_row(&registry, input)?;
            store::insert_qualification(conn, &row)?;
            let after = serde_json::json!({"id": row.id, "jurisdiction": row.jurisdiction, "framework": row.framework,
                "level": row.level_id, "kind": row.kind, "title": row.title(), "awarding_body": row.awarding_body()});
            audit::record(conn, &actor, Change { action: "create", target_type: "qualification", target_id: &row.id, before: None::<&()>, after: Some(&after) })?;
            Ok(row)
        })
        .await?;
    super::refresh(db, handle).await?;
    Ok(created)
}

fn qualification_row(registry: &Registry, input: QualificationInput) -> Result<QualificationRow, AppError> {
    let mut errors = Vec::new();
    let jurisdiction = registry.jurisdiction(&input.jurisdiction);
    if jurisdiction.is_none() {
        errors.push(FieldError::new("jurisdiction", "names no jurisdiction"));
    }
    let level = input.level.as_ref().and_then(|id| registry.levels.get(id));
    match (&input.level, level) {
        (Some(_), None) => errors.push(FieldError::new("level", "names no framework level")),
        (Some(_), Some(level)) if level.jurisdiction != input.jurisdiction => {
            errors.push(FieldError::new("level", "belongs to another jurisdiction"))
        }
        _ => {}
    }
    let framework = input
        .framework
        .clone()
        .or_else(|| level.map(|l| l.framework.clone()))
        .or_else(|| jurisdiction.map(|j| j.qualifications_framework.clone()))
        .unwrap_or_default();
    if jurisdiction.is_some() {
        check_text(&mut errors, "framework", &framework, 50);
    }
    check_text(&mut errors, "title.en", &input.title.en, 300);
    check_text(&mut errors, "awarding_body.en", &input.awarding_body.en, 300);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let title = input.title.complete();
    let body = input.awarding_body.complete();
    let now = Utc::now().naive_utc();
    Ok(QualificationRow {
        id: uuid::Uuid::new_v4().to_string(),
        jurisdiction: input.jurisdiction,
        framework,
        level_id: input.level,
        kind: input.kind.as_str().to_owned(),
        title_en: title.en,
        title_zh_hans: title.zh_hans,
        title_zh_hant: title.zh_hant,
        awarding_body_en: body.en,
        awarding_body_zh_hans: body.zh_hans,
        awarding_body_zh_hant: body.zh_hant,
        created_at: now,
        updated_at: now,
    })
}

pub async fn create_equivalence(
    db: &Db,
    handle: &RegistryHandle,
    actor: Actor,
    input: EquivalenceInput,
) -> Result<EquivalenceRow, AppError> {
    let now = Utc::now().naive_utc();
    let mut row = EquivalenceRow {
        id: uuid::Uuid::new_v4().to_string(),
        from_qualification_id: input.from_qualification_id,
        to_qualification_id: input.to_qualification_id,
        to_jurisdiction: input.to_jurisdiction.unwrap_or_default(),
        to_level_id: input.to_level,
        relation: input.relation.as_str().to_owned(),
        conditions_en: None,
        conditions_zh_hans: None,
        conditions_zh_hant: None,
        authority: input.authority.trim().to_owned(),
        source: input
            .source
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty()),
        effective_from: input.effective_from.unwrap_or_else(today),
        effective_to: input.effective_to,
        verify_before_use: input.verify_before_use,
        created_at: now,
        updated_at: now,
    };
    row.set_conditions(input.conditions.map(TextInput::complete));
    let created = db
        .write(move |conn| {
            store::bump_version(conn)?;
            let registry = Registry::load(conn, 0)?;
            validate_rule(&registry, &mut row)?;
            ensure_no_overlap(&store::rules_for_pair(conn, &row)?, &row)?;
            store::insert_equivalence(conn, &row)?;
            let after = EquivalenceView::new(&row, today());
            audit::record(
                conn,
                &actor,
                Change {
                    action: "create",
                    target_type: "equivalence",
                    target_id: &row.id,
                    before: None::<&()>,
                    after: Some(&after),
                },
            )?;
            Ok(row)
        })
        .await?;
    super::refresh(db, handle).await?;
    Ok(created)
}

pub async fn update_equivalence(
    db: &Db,
    handle: &RegistryHandle,
    actor: Actor,
    id: String,
    patch: EquivalencePatch,
) -> Result<EquivalenceRow, AppError> {
    change_equivalence(db, handle, actor, id, "update", move |conn, row| {
        apply_patch(row, patch);
        let registry = Registry::load(conn, 0)?;
        validate_rule(&registry, row)?;
        ensure_no_overlap(&store::rules_for_pair(conn, row)?, row)?;
        Ok(true)
    })
    .await
}

/// Retires a rule from today: it stays in the registry (and its history in the audit log) but no
/// longer applies. A rule not yet in force is withdrawn (its period becomes empty). Retiring a
/// retired rule changes nothing.
pub async fn retire_equivalence(
    db: &Db,
    handle: &RegistryHandle,
    actor: Actor,
    id: String,
) -> Result<(), AppError> {
    change_equivalence(db, handle, actor, id, "retire", |_, row| {
        let end = today().max(row.effective_from);
        if row.effective_to.is_some_and(|to| to <= end) {
            return Ok(false);
        }
        row.effective_to = Some(end);
        Ok(true)
    })
    .await
    .map(drop)
}

/// Changes one rule in one transaction: `edit` changes the row (or says there is nothing to do);
/// the row is then stored and the change audited with the rule before and after.
async fn change_equivalence(
    db: &Db,
    handle: &RegistryHandle,
    actor: Actor,
    id: String,
    action: &'static str,
    edit: impl FnOnce(&mut DbConnection, &mut EquivalenceRow) -> Result<bool, AppError> + Send + 'static,
) -> Result<EquivalenceRow, AppError> {
    let changed = db
        .write(move |conn| {
            store::bump_version(conn)?;
            let before = store::find_equivalence(conn, &id)?.ok_or(AppError::NotFound)?;
            let mut row = before.clone();
            if !edit(conn, &mut row)? {
                return Ok(row);
            }
            row.updated_at = Utc::now().naive_utc();
            store::update_equivalence(conn, &row)?;
            let (old, new) = (
                EquivalenceView::new(&before, today()),
                EquivalenceView::new(&row, today()),
            );
            let change = Change {
                action,
                target_type: "equivalence",
                target_id: &row.id,
                before: Some(&old),
                after: Some(&new),
            };
            audit::record(conn, &actor, change)?;
            Ok(row)
        })
        .await?;
    super::refresh(db, handle).await?;
    Ok(changed)
}

fn apply_patch(row: &mut EquivalenceRow, patch: EquivalencePatch) {
    if let Some(value) = patch.to_qualification_id {
        row.to_qualification_id = value;
    }
    if let Some(value) = patch.to_jurisdiction {
        row.to_jurisdiction = value;
    }
    if let Some(value) = patch.to_level {
        row.to_level_id = value;
    }
    if let Some(value) = patch.relation {
        row.relation = value.as_str().to_owned();
    }
    if let Some(value) = patch.conditions {
        row.set_conditions(value.map(TextInput::complete));
    }
    if let Some(value) = patch.authority {
        row.authority = value.trim().to_owned();
    }
    if let Some(value) = patch.source {
        row.source = value.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    }
    if let Some(value) = patch.effective_from {
        row.effective_from = value;
    }
    if let Some(value) = patch.effective_to {
        row.effective_to = value;
    }
    if let Some(value) = patch.verify_before_use {
        row.verify_before_use = value;
    }
}

/// The rules every equivalence obeys: both ends exist, they lie in different jurisdictions, the
/// target is consistent, the dates are ordered. Fills in `to_jurisdiction` when the target
/// implies it. Every broken rule is reported at once.
pub fn validate_rule(registry: &Registry, row: &mut EquivalenceRow) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let from = registry.qualifications.get(&row.from_qualification_id);
    if from.is_none() {
        errors.push(FieldError::new("from_qualification_id", "names no qualification"));
    }
    let to_qualification = row
        .to_qualification_id
        .as_ref()
        .map(|id| registry.qualifications.get(id));
    if let Some(None) = to_qualification {
        errors.push(FieldError::new("to_qualification_id", "names no qualification"));
    }
    let to_level = row.to_level_id.as_ref().map(|id| registry.levels.get(id));
    if let Some(None) = to_level {
        errors.push(FieldError::new("to_level", "names no framework level"));
    }
    let implied = to_qualification
        .flatten()
        .map(|q| q.jurisdiction.clone())
        .or_else(|| to_level.flatten().map(|l| l.jurisdiction.clone()));
    if row.to_jurisdiction.is_empty() {
        match implied.clone() {
            Some(code) => row.to_jurisdiction = code,
            None => errors.push(FieldError::new(
                "to_jurisdiction",
                "is required when no target qualification or level is given",
            )),
        }
    }
    if !row.to_jurisdiction.is_empty() && registry.jurisdiction(&row.to_jurisdiction).is_none() {
        errors.push(FieldError::new("to_jurisdiction", "names no jurisdiction"));
    }
    if let Some(q) = to_qualification.flatten()
        && q.jurisdiction != row.to_jurisdiction
    {
        errors.push(FieldError::new(
            "to_qualification_id",
            "is not a qualification of to_jurisdiction",
        ));
    }
    if let Some(l) = to_level.flatten()
        && l.jurisdiction != row.to_jurisdiction
    {
        errors.push(FieldError::new("to_level", "is not a level of to_jurisdiction"));
    }
    if let Some(from) = from
        && from.jurisdiction == row.to_jurisdiction
    {
        errors.push(FieldError::new(
            "to_jurisdiction",
            "must differ from the jurisdiction of the source qualification",
        ));
    }
    check_text(&mut errors, "authority", &row.authority, 200);
    if row.source.as_ref().is_some_and(|s| s.chars().count() > 500) {
        errors.push(FieldError::new("source", "must be at most 500 characters"));
    }
    if row.conditions_en.as_ref().is_some_and(|c| c.trim().is_empty()) {
        errors.push(FieldError::new(
            "conditions.en",
            "is required when conditions are given",
        ));
    }
    if let Some(to) = row.effective_to
        && to <= row.effective_from
    {
        errors.push(FieldError::new("effective_to", "must be after effective_from"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// No two rules for the same pair may be in force on the same day.
fn ensure_no_overlap(same_pair: &[EquivalenceRow], row: &EquivalenceRow) -> Result<(), AppError> {
    match same_pair.iter().find(|other| {
        store::periods_overlap(
            (row.effective_from, row.effective_to),
            (other.effective_from, other.effective_to),
        )
    }) {
        Some(other) => Err(AppError::Conflict(format!(
            "rule {} already covers this pair for part of the same period; retire it or change the dates",
            other.id
        ))),
        None => Ok(()),
    }
}

/// Replaces a basis's route (agency admins: a route decides what every candidate is told).
/// Checked against the registry (every name a condition uses must exist), stored, audited with
/// the route before and after, and the snapshot reloaded.
pub async fn replace_route(
    db: &Db,
    handle: &RegistryHandle,
    actor: Actor,
    code: String,
    route: Route,
) -> Result<Route, AppError> {
    let registry = handle.get();
    if registry.basis(&code).is_none() {
        return Err(AppError::NotFound);
    }
    let problems: Vec<FieldError> = route
        .problems(&registry)
        .into_iter()
        .map(|(field, message)| FieldError::new(field, message))
        .collect();
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let before = registry.routes.get(&code).cloned();
    let stored = serde_json::to_string(&route).map_err(|e| AppError::Unexpected(e.into()))?;
    let after = route.clone();
    db.write(move |conn| {
        store::bump_version(conn)?;
        store::set_route(conn, &code, &stored)?;
        let change = Change {
            action: "work_authorization_basis.route_replaced",
            target_type: "work_authorization_basis",
            target_id: &code,
            before: before.as_ref(),
            after: Some(&after),
        };
        Ok(audit::record(conn, &actor, change)?)
    })
    .await?;
    super::refresh(db, handle).await?;
    Ok(route)
}
