//! Checklist templates per direction: the defaults shipped in `assets/cases/templates.json`
//! (compiled in) and the agency admins' edits. Seeding fills a direction only when it has no
//! template at all, so an edited template is never overwritten by an upgrade.

use std::collections::HashSet;

use diesel::prelude::*;
use serde::Deserialize;

use super::model::TemplateItemRow;
use super::status::{CATEGORIES, Direction};
use super::store;
use super::views::TemplateItem;
use crate::audit::{self, Actor, Change};
use crate::auth::{AuthUser, Role};
use crate::db::{Db, DbConnection};
use crate::error::{AppError, FieldError};
use crate::registry::Registry;
use crate::state::AppState;

const SHIPPED: &str = include_str!("../../assets/cases/templates.json");

pub const MAX_ITEMS: usize = 50;
pub const MAX_DUE_IN_DAYS: i32 = 730;

#[derive(Deserialize)]
struct ShippedTemplate {
    direction: String,
    items: Vec<TemplateItem>,
}

fn rows(direction: &str, items: &[TemplateItem]) -> Vec<TemplateItemRow> {
    items
        .iter()
        .enumerate()
        .map(|(position, item)| TemplateItemRow {
            direction: direction.to_owned(),
            code: item.code.clone(),
            title_en: item.title.en.trim().to_owned(),
            title_zh_hans: item.title.zh_hans.trim().to_owned(),
            title_zh_hant: item.title.zh_hant.trim().to_owned(),
            category: item.category.clone(),
            due_in_days: item.due_in_days,
            position: position as i32,
        })
        .collect()
}

/// Inserts the shipped template of every direction that has none. Returns the directions seeded.
pub fn seed(conn: &mut DbConnection) -> anyhow::Result<Vec<String>> {
    let shipped: Vec<ShippedTemplate> =
        serde_json::from_str(SHIPPED).map_err(|e| anyhow::anyhow!("assets/cases/templates.json: {e}"))?;
    let mut seeded = Vec::new();
    conn.transaction(|conn| -> anyhow::Result<()> {
        for template in shipped {
            let errors = validate(&template.items);
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

/// The rules of a checklist, every broken one named by its field.
pub fn validate(items: &[TemplateItem]) -> Vec<FieldError> {
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
        if !CATEGORIES.contains(&item.category.as_str()) {
            errors.push(FieldError::new(
                format!("[{i}].category"),
                format!("one of {}", CATEGORIES.join(", ")),
            ));
        }
        if !(0..=MAX_DUE_IN_DAYS).contains(&item.due_in_days) {
            errors.push(FieldError::new(
                format!("[{i}].due_in_days"),
                format!("0–{MAX_DUE_IN_DAYS}"),
            ));
        }
    }
    errors
}

/// A direction named in a path, if it is one of the registry's.
pub fn known_direction(registry: &Registry, value: &str) -> Option<Direction> {
    Direction::parse(value).filter(|d| d.is_known(registry))
}

/// The checklist of a direction, for the agency. 404 when the direction has none.
pub async fn get(
    state: &AppState,
    user: &AuthUser,
    direction: String,
) -> Result<Vec<TemplateItem>, AppError> {
    user.require_agency()?;
    let direction = known_direction(&state.registry.get(), &direction).ok_or(AppError::NotFound)?;
    let items = state
        .db
        .read(move |conn| Ok(store::template_of(conn, &direction.code())?))
        .await?;
    if items.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(items.iter().map(TemplateItem::from).collect())
}

/// Replaces a direction's checklist. Agency admins only: a template shapes every case opened
/// after it, so officers propose and admins decide. Cases already open keep their tasks.
pub async fn put(
    state: &AppState,
    user: &AuthUser,
    direction: String,
    items: Vec<TemplateItem>,
) -> Result<Vec<TemplateItem>, AppError> {
    user.require(&[Role::Admin])?;
    let direction = known_direction(&state.registry.get(), &direction).ok_or_else(|| {
        AppError::invalid(
            "direction",
            "must be <FROM>_TO_<TO> over two different jurisdictions of the registry",
        )
    })?;
    let errors = validate(&items);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let actor = Actor::from(user);
    let code = direction.code();
    let new_rows = rows(&code, &items);
    let saved = state
        .db
        .write(move |conn| {
            let before: Vec<TemplateItem> = store::template_of(conn, &code)?
                .iter()
                .map(TemplateItem::from)
                .collect();
            store::replace_template(conn, &code, &new_rows)?;
            let after: Vec<TemplateItem> = store::template_of(conn, &code)?
                .iter()
                .map(TemplateItem::from)
                .collect();
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
            assert_eq!(validate(&template.items), vec![], "{}", template.direction);
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
        let item = |code: &str, category: &str, due: i32| TemplateItem {
            code: code.into(),
            title: super::super::views::TitleInput {
                en: "Title".into(),
                zh_hans: String::new(),
                zh_hant: String::new(),
            },
            category: category.into(),
            due_in_days: due,
        };
        let fields: Vec<String> = validate(&[
            item("a", "permit", 1),
            item("a", "visa", -1),
            item("B!", "tax", 0),
        ])
        .into_iter()
        .map(|e| e.field)
        .collect();
        assert_eq!(
            fields,
            ["[1].code", "[1].category", "[1].due_in_days", "[2].code"]
        );
        assert_eq!(validate(&[])[0].field, "items");
    }
}
