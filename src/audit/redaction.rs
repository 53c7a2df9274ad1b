//! What the audit log may keep of a record. Two rules:
//!
//! - Written from now on: free text people write (notes, summaries, cover letters, verification
//!   notes) is never copied in. The entry keeps the field's name and the text's length, enough to
//!   show that a note was added or changed without holding what it says.
//! - At a person's erasure: their entries keep ids, times, codes and field names; every other text
//!   value is replaced, so what was recorded before the first rule (or under a field it does not
//!   name) goes too.

use serde_json::Value;

/// Fields that hold free text written by people, wherever they appear in a recorded value.
const FREE_TEXT_FIELDS: &[&str] = &["summary", "note", "body", "cover_letter", "verification_note"];

/// What an erased person's entries keep instead of a text value.
pub const ERASED: &str = "[erased]";

/// Replaces the text of every free-text field in `value` by its length.
pub fn hide_free_text(value: &mut Value) {
    visit_strings(value, &mut |key, text| {
        if FREE_TEXT_FIELDS.contains(&key) {
            *text = format!("[redacted: {} characters]", text.chars().count());
        }
    });
}

/// Replaces every text value in `value` but ids, times and codes. True when anything changed.
pub fn erase_text(value: &mut Value) -> bool {
    let mut changed = false;
    visit_strings(value, &mut |key, text| {
        if !keeps_its_value(key) && text != ERASED {
            *text = ERASED.to_owned();
            changed = true;
        }
    });
    changed
}

/// Fields whose values are ids, times or codes chosen from a closed set, never a person's words.
fn keeps_its_value(key: &str) -> bool {
    const CODES: &[&str] = &[
        "status",
        "visibility",
        "direction",
        "basis",
        "category",
        "code",
        "purpose",
        "frequency",
        "relation",
        "role",
        "locale",
        "valid_until",
        "from_status",
        "to_status",
    ];
    key == "id"
        || key.ends_with("_id")
        || key.ends_with("_ids")
        || key.ends_with("_at")
        || key.ends_with("_on")
        || key.ends_with("jurisdiction")
        || CODES.contains(&key)
}

/// Calls `f` with each string in `value` and the name of the field holding it (the nearest
/// enclosing field for strings inside arrays; "" at the top level).
fn visit_strings(value: &mut Value, f: &mut impl FnMut(&str, &mut String)) {
    fn walk(key: &str, value: &mut Value, f: &mut impl FnMut(&str, &mut String)) {
        match value {
            Value::String(text) => f(key, text),
            Value::Array(items) => items.iter_mut().for_each(|item| walk(key, item, f)),
            Value::Object(fields) => fields.iter_mut().for_each(|(name, item)| walk(name, item, f)),
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
    walk("", value, f);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn free_text_fields_keep_only_their_length_at_any_depth() {
        let mut value = json!({
            "id": "c1",
            "summary": "Moving with my two children",
            "tasks": [{"note": "Appointment booked", "status": "doing"}, {"note": null}],
            "notes": [{"body": "Fine", "visible_to_candidate": true}],
            "status": "open",
        });
        hide_free_text(&mut value);
        assert_eq!(value["summary"], "[redacted: 27 characters]");
        assert_eq!(value["tasks"][0]["note"], "[redacted: 18 characters]");
        assert_eq!(value["tasks"][0]["status"], "doing");
        assert_eq!(value["tasks"][1]["note"], Value::Null);
        assert_eq!(value["notes"][0]["body"], "[redacted: 4 characters]");
        assert_eq!(
            (value["id"].as_str(), value["status"].as_str()),
            (Some("c1"), Some("open"))
        );
    }

    #[test]
    fn erasure_keeps_ids_times_and_codes_only() {
        let mut value = json!({
            "candidate_id": "c1",
            "created_at": "2026-12-01T00:00:00Z",
            "status": "verified",
            "residence_jurisdiction": "CN",
            "title": {"en": "Residence permit"},
            "display_name": "Chan Tai Man",
            "desired": ["somewhere"],
            "skills": 3,
        });
        assert!(erase_text(&mut value));
        assert_eq!(value["candidate_id"], "c1");
        assert_eq!(value["created_at"], "2026-12-01T00:00:00Z");
        assert_eq!(value["status"], "verified");
        assert_eq!(value["residence_jurisdiction"], "CN");
        assert_eq!(value["title"]["en"], ERASED);
        assert_eq!(value["display_name"], ERASED);
        assert_eq!(value["desired"][0], ERASED);
        assert_eq!(value["skills"], 3);
        assert!(!erase_text(&mut value), "a second erasure changes nothing");
    }
}
