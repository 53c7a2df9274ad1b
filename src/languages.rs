//! Spoken and written languages a person has or a job asks for: an ISO 639 code (`en`, `cmn`
//! Mandarin, `yue` Cantonese, any other ISO 639-3 code) with a proficiency level 1–5.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::FieldError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LanguageLevel {
    /// `en`, `cmn`, `yue`, or another ISO 639-3 code.
    pub code: String,
    /// 1 (basic) to 5 (native or equivalent).
    pub level: i32,
}

/// Checks a list of languages; errors name the entry, e.g. `languages[1].level`.
pub fn check_languages(field: &str, languages: &[LanguageLevel], errors: &mut Vec<FieldError>) {
    let mut seen = Vec::new();
    for (index, language) in languages.iter().enumerate() {
        let code = &language.code;
        let well_formed = (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
        if !well_formed {
            errors.push(FieldError::new(
                format!("{field}[{index}].code"),
                "must be an ISO 639 code such as en, cmn or yue",
            ));
        } else if seen.contains(code) {
            errors.push(FieldError::new(
                format!("{field}[{index}].code"),
                "is listed twice",
            ));
        }
        seen.push(code.clone());
        if !(1..=5).contains(&language.level) {
            errors.push(FieldError::new(
                format!("{field}[{index}].level"),
                "must be between 1 and 5",
            ));
        }
    }
    if languages.len() > 20 {
        errors.push(FieldError::new(field, "must list at most 20 languages"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(code: &str, level: i32) -> LanguageLevel {
        LanguageLevel {
            code: code.into(),
            level,
        }
    }

    #[test]
    fn codes_and_levels_are_checked_per_entry() {
        let mut errors = Vec::new();
        check_languages(
            "languages",
            &[lang("yue", 5), lang("EN", 3), lang("cmn", 6), lang("yue", 2)],
            &mut errors,
        );
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["languages[1].code", "languages[2].level", "languages[3].code"]
        );
    }

    #[test]
    fn good_lists_pass() {
        let mut errors = Vec::new();
        check_languages(
            "languages",
            &[lang("en", 4), lang("cmn", 5), lang("yue", 3)],
            &mut errors,
        );
        assert!(errors.is_empty());
    }
}
