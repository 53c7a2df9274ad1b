//! Text folding for matching across scripts: lower case, and Traditional Chinese (Hong Kong and
//! standard forms) turned into Simplified, so 軟件, 软件 and SOFTWARE meet their counterparts.

use std::sync::LazyLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

/// Loading the dictionaries is not free: once per process.
static TO_SIMPLIFIED: LazyLock<Option<OpenCC>> =
    LazyLock::new(|| match OpenCC::from_config(BuiltinConfig::Hk2s) {
        Ok(converter) => Some(converter),
        Err(error) => {
            tracing::error!(%error, "cannot load the OpenCC dictionaries; Chinese is matched as written");
            None
        }
    });

static TO_TRADITIONAL: LazyLock<Option<OpenCC>> =
    LazyLock::new(|| OpenCC::from_config(BuiltinConfig::S2hk).ok());

/// The key a text is matched by: trimmed, lower-cased, single-spaced, in Simplified script.
pub fn fold(text: &str) -> String {
    let lower = text.trim().to_lowercase();
    let single_spaced = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    if single_spaced.is_ascii() {
        return single_spaced;
    }
    match TO_SIMPLIFIED.as_ref() {
        Some(converter) => converter.convert(&single_spaced),
        None => single_spaced,
    }
}

/// Simplified → Traditional (Hong Kong forms), to complete a title given in one script only.
pub fn to_traditional(text: &str) -> String {
    TO_TRADITIONAL
        .as_ref()
        .map(|c| c.convert(text))
        .unwrap_or_else(|| text.to_owned())
}

/// Traditional → Simplified, likewise.
pub fn to_simplified(text: &str) -> String {
    TO_SIMPLIFIED
        .as_ref()
        .map(|c| c.convert(text))
        .unwrap_or_else(|| text.to_owned())
}

/// Loads the dictionaries ahead of the first request.
pub fn warm_up() {
    LazyLock::force(&TO_SIMPLIFIED);
    LazyLock::force(&TO_TRADITIONAL);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_and_simplified_fold_together() {
        assert_eq!(fold("軟件工程"), fold("软件工程"));
        assert_eq!(fold("數據分析"), "数据分析");
        assert_eq!(fold("網絡安全"), fold("网络安全"));
    }

    #[test]
    fn latin_text_is_lower_cased_and_single_spaced() {
        assert_eq!(fold("  Software   Engineering "), "software engineering");
        assert_eq!(fold("IC設計"), "ic设计");
    }

    #[test]
    fn conversion_both_ways() {
        assert_eq!(to_traditional("软件工程师"), "軟件工程師");
        assert_eq!(to_simplified("軟件工程師"), "软件工程师");
    }
}
