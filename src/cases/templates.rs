//! Checklist templates per direction: the defaults shipped in `assets/cases/templates.json`
//! (compiled in) and the agency admins' edits. Seeding fills a direction only when it has no
//! template at all, so an edited template is never overwritten by an upgrade.

use std::collections::HashSet;

use diesel::prelude::*;
use serde::Deserialize;

use super::model::TemplateItemRow;
use super::status::Direction;
use super::store;
use crate::audit::{self, Actor, Change};
use crate::auth::{AuthUser, Role};
use crate::context::AreaContext;
use crate::db::{Db, DbConnection};
use crate::error::{AppError, FieldError};
use crate::i18n::LocalizedText;
use crate::registry::Registry;
use crate::registry::route::{Anchor, ChecklistItem, DueRule, Party};

const SHIPPED: &str = include_str!("../../assets/cases/templates.json");

pub const MAX_ITEMS: usize = 50;
pub const MAX_DUE_IN_DAYS: i32 = 730;

#[derive(Deserialize)]
struct ShippedTemplate {
    direction: String,
    items: Vec<ChecklistItem>,
}

fn rows(direction: &str, items: &[ChecklistItem]) -> Vec<TemplateItemRow> {
    items
        .iter()
        .enumerate()
        .map(|(position, item)| {
            let mut item = item.clone();
            item.title = LocalizedText::new(
                item.title.en.trim(),
                item.title.zh_hans.trim(),
                item.title.zh_hant.trim(),
            );
            TemplateItemRow {
                direction: direction.to_owned(),
                code: item.code.clone(),
                title_en: item.title.en.clone(),
                title_zh_hans: item.title.zh_hans.clone(),
                title_zh_hant: item.title.zh_hant.clone(),
                category: item.category.clone(),
                due_in_days: item.due_rule.days,
                position: position as i32,
                due_anchor: item.due_rule.anchor.as_str().to_owned(),
                details: serde_json::to_string(&item).unwrap_or_else(|_| "{}".into()),
            }
        })
        .collect()
}

/// The item a stored row holds. Rows stored before items carried details become items with
/// what their columns say and nothing more.
pub fn item_of(row: &TemplateItemRow) -> ChecklistItem {
    serde_json::from_str(&row.details).unwrap_or_else(|_| ChecklistItem {
        code: row.code.clone(),
        category: row.category.clone(),
        title: row.title(),
        actor: Party::Agency,
        authority: LocalizedText::default(),
        channel: None,
        documents: Vec::new(),
        fee: None,
        processing_days: None,
        due_rule: DueRule {
            anchor: Anchor::parse(&row.due_anchor).unwrap_or(Anchor::Opened),
            days: row.due_in_days,
        },
        condition: None,
        include_when: None,
        source_url: String::new(),
        checked_on: chrono::NaiveDate::default(),
        verify_before_use: true,
        effective_from: None,
        effective_to: None,
    })
}

/// Inserts the shipped template of every direction that has none. Returns the directions seeded.
pub fn seed(conn: &mut DbConnection) -> anyhow::Result<Vec<String>> {
    let shipped: Vec<ShippedTemplate> =
        serde_json::from_str(SHIPPED).map_err(|e| anyhow::anyhow!("assets/cases/templates.json: {e}"))?;
    let mut seeded = Vec::new();
    conn.transaction(|conn| -> anyhow::Result<()> {
        for template in shipped {
            let errors = validate(&template.items, None);
            anyhow::ensure!(
                errors.is_empty(),
                "assets/cases/templates.json, {}: {errors:?}",
                template.direction
            );
            if !store::template_exists(conn, &template.direction)? {
                store::replace_template(
                    conn,
                    &template.direction,
                    &rows(&template.direction, &template.items),
                )?;
                seeded.push(template.direction);
            }
        }
        Ok(())
    })?;
    Ok(seeded)
}

/// Seeds at start-up (see `seed`).
pub async fn open(db: &Db) -> anyhow::Result<()> {
    let seeded = db.write(|conn| seed(conn).map_err(AppError::Unexpected)).await?;
    if !seeded.is_empty() {
        tracing::info!(directions = ?seeded, "default case templates loaded");
    }
    Ok(())
}

/// The rules of a checklist, every broken one named by its field; with a registry, the names its
/// conditions use must exist in it.
pub fn validate(items: &[ChecklistItem], registry: Option<&Registry>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if items.is_empty() {
        // An empty template would also be refilled with the defaults at the next start.
        errors.push(FieldError::new("items", "a template needs at least one item"));
    }
    if items.len() > MAX_ITEMS {
        errors.push(FieldError::new("items", format!("at most {MAX_ITEMS} items")));
    }
    let mut codes = HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let code_ok = !item.code.is_empty()
            && item.code.len() <= 64
            && item
                .code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !code_ok {
            errors.push(FieldError::new(
                format!("[{i}].code"),
                "1–64 characters of a-z, 0-9 and _",
            ));
        } else if !codes.insert(item.code.as_str()) {
            errors.push(FieldError::new(
                format!("[{i}].code"),
                "appears twice in the template",
            ));
        }
        for (field, text, required) in [
            ("en", &item.title.en, true),
            ("zh-Hans", &item.title.zh_hans, false),
            ("zh-Hant", &item.title.zh_hant, false),
        ] {
            let length = text.trim().chars().count();
            if (required && length == 0) || length > 300 {
                errors.push(FieldError::new(
                    format!("[{i}].title.{field}"),
                    if required {
                        "1–300 characters"
                    } else {
                        "at most 300 characters"
                    },
                ));
            }
        }
        if !(0..=MAX_DUE_IN_DAYS).contains(&item.due_rule.days) {
            errors.push(FieldError::new(
                format!("[{i}].due_rule.days"),
                format!("0–{MAX_DUE_IN_DAYS} days after the anchor"),
            ));
        }
        errors.extend(
            item.problems(registry)
                .into_iter()
                .map(|(field, message)| FieldError::new(format!("[{i}].{field}"), message)),
        );
    }
    errors
}

/// A direction named in a path, if it is one of the registry's.
pub fn known_direction(registry: &Registry, value: &str) -> Option<Direction> {
    Direction::parse(value).filter(|d| d.is_known(registry))
}

/// The checklist of a direction, for the agency. 404 when the direction has none.
pub async fn get(
    ctx: &AreaContext,
    user: &AuthUser,
    direction: String,
) -> Result<Vec<ChecklistItem>, AppError> {
    user.require_agency()?;
    let direction = known_direction(&ctx.registry.get(), &direction).ok_or(AppError::NotFound)?;
    let items = ctx
        .db
        .read(move |conn| Ok(store::template_of(conn, &direction.code())?))
        .await?;
    if items.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(items.iter().map(item_of).collect())
}

/// Replaces a direction's checklist. Agency admins only: a template shapes every case opened
/// after it, so officers propose and admins decide. Cases already open keep their tasks.
pub async fn put(
    ctx: &AreaContext,
    user: &AuthUser,
    direction: String,
    items: Vec<ChecklistItem>,
) -> Result<Vec<ChecklistItem>, AppError> {
    user.require(&[Role::Admin])?;
    let registry = ctx.registry.get();
    let direction = known_direction(&registry, &direction).ok_or_else(|| {
        AppError::invalid(
            "direction",
            "must be <FROM>_TO_<TO> over two different jurisdictions of the registry",
        )
    })?;
    let errors = validate(&items, Some(&registry));
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let actor = Actor::from(user);
    let code = direction.code();
    let new_rows = rows(&code, &items);
    let saved = ctx
        .db
        .write(move |conn| {
            let before: Vec<ChecklistItem> = store::template_of(conn, &code)?.iter().map(item_of).collect();
            store::replace_template(conn, &code, &new_rows)?;
            let after: Vec<ChecklistItem> = store::template_of(conn, &code)?.iter().map(item_of).collect();
            audit::record(
                conn,
                &actor,
                Change {
                    action: "case_template.replaced",
                    target_type: "case_template",
                    target_id: &code,
                    before: Some(&before).filter(|b| !b.is_empty()),
                    after: Some(&after),
                },
            )?;
            Ok(after)
        })
        .await?;
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_templates_are_valid_and_cover_both_directions() {
        let shipped: Vec<ShippedTemplate> = serde_json::from_str(SHIPPED).unwrap();
        let directions: Vec<&str> = shipped.iter().map(|t| t.direction.as_str()).collect();
        assert_eq!(directions, ["CN_TO_HK", "HK_TO_CN"]);
        for template in &shipped {
            assert!(Direction::parse(&template.direction).is_some());
            assert_eq!(validate(&template.items, None), vec![], "{}", template.direction);
            for category in [
                "permit",
                "credential",
                "social_security",
                "medical",
                "schooling",
                "tax",
                "housing",
            ] {
                assert!(
                    template.items.iter().any(|i| i.category == category),
                    "{} lacks {category}",
                    template.direction
                );
            }
        }
    }

    #[test]
    fn broken_items_are_named() {
        let item = |code: &str, category: &str, due: i32| ChecklistItem {
            code: code.into(),
            category: category.into(),
            title: LocalizedText::new("Title", "", ""),
            actor: Party::Candidate,
            authority: LocalizedText::new("An office", "", ""),
            channel: None,
            documents: Vec::new(),
            fee: None,
            processing_days: None,
            due_rule: DueRule {
                anchor: Anchor::Arrival,
                days: due,
            },
            condition: None,
            include_when: None,
            source_url: "https://example.org/rule".into(),
            checked_on: chrono::NaiveDate::default(),
            verify_before_use: false,
            effective_from: None,
            effective_to: None,
        };
        let fields: Vec<String> = validate(
            &[
                item("a", "permit", 1),
                item("a", "visa", 9_999),
                item("B!", "tax", 0),
            ],
            None,
        )
        .into_iter()
        .map(|e| e.field)
        .collect();
        assert_eq!(
            fields,
            ["[1].code", "[1].due_rule.days", "[1].category", "[2].code"]
        );
        assert_eq!(validate(&[], None)[0].field, "items");
        let mut insecure = item("b", "tax", 0);
        insecure.source_url = "http://example.org".into();
        assert_eq!(validate(&[insecure], None)[0].field, "[0].source_url");
    }
}
