//! Text folding for matching across scripts: lower case, and Traditional Chinese (Hong Kong and
//! standard forms) turned into Simplified, so 軟件, 软件 and SOFTWARE meet their counterparts.

use std::borrow::Cow;
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
    to_simplified(&single_spaced).into_owned()
}

/// Simplified → Traditional (Hong Kong forms), to complete a title given in one script only.
pub fn to_traditional(text: &str) -> String {
    TO_TRADITIONAL
        .as_ref()
        .map(|c| c.convert(text))
        .unwrap_or_else(|| text.to_owned())
}

/// Traditional → Simplified, likewise. Text with no character the conversion changes (English,
/// Simplified Chinese) is returned as it is without walking the dictionaries: the walk costs a
/// few lookups per character, 10–13 % of the CPU of indexing.
pub fn to_simplified(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| CHANGING.contains(c)) {
        return Cow::Borrowed(text);
    }
    match TO_SIMPLIFIED.as_ref() {
        Some(converter) => Cow::Owned(converter.convert(text)),
        None => Cow::Borrowed(text),
    }
}

/// Characters of which every key the Hong Kong → Simplified conversion changes holds at least
/// one (`tools/opencc_changing_chars.py` writes them from ferrous-opencc's dictionaries): a text
/// without any of them converts to itself, and Simplified text seldom holds one.
static CHANGING: LazyLock<CharSet> =
    LazyLock::new(|| CharSet::of(include_str!("../../assets/opencc-changing-chars.txt").trim_end()));

/// A set of characters: a bitmap over the Basic Multilingual Plane, a sorted list beyond it.
struct CharSet {
    basic: Box<[u64; 1024]>,
    beyond: Vec<char>,
}

impl CharSet {
    fn of(chars: &str) -> CharSet {
        let mut basic = Box::new([0u64; 1024]);
        let mut beyond = Vec::new();
        for c in chars.chars() {
            match u16::try_from(c as u32) {
                Ok(code) => basic[usize::from(code >> 6)] |= 1 << (code & 63),
                Err(_) => beyond.push(c),
            }
        }
        beyond.sort_unstable();
        CharSet { basic, beyond }
    }

    fn contains(&self, c: char) -> bool {
        match u16::try_from(c as u32) {
            Ok(code) => self.basic[usize::from(code >> 6)] & (1 << (code & 63)) != 0,
            Err(_) => self.beyond.binary_search(&c).is_ok(),
        }
    }
}

/// Loads the dictionaries ahead of the first request.
pub fn warm_up() {
    LazyLock::force(&TO_SIMPLIFIED);
    LazyLock::force(&TO_TRADITIONAL);
    LazyLock::force(&CHANGING);
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
    fn the_changing_set_covers_every_character_the_converter_changes() {
        let converter = TO_SIMPLIFIED.as_ref().expect("the dictionaries load");
        let ranges = [0x80..=0xD7FF, 0xE000..=0xFFFF, 0x20000..=0x2FFFF];
        let mut changed = 0;
        for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
            let text = c.to_string();
            if converter.convert(&text) != text {
                changed += 1;
                assert!(
                    CHANGING.contains(c),
                    "{c} (U+{:04X}) converts but is not in the set",
                    c as u32
                );
            }
        }
        assert!(
            changed > 3_000,
            "only {changed} characters convert: the dictionaries did not load"
        );
    }

    #[test]
    fn phrases_of_characters_that_stay_alone_still_convert() {
        // 覆 and 瞭 are unchanged alone but not in these phrases.
        assert_eq!(to_simplified("反覆"), "反复");
        assert_eq!(to_simplified("一目瞭然"), "一目了然");
        assert_eq!(to_simplified("覆"), "覆");
    }

    #[test]
    fn text_without_changing_characters_is_borrowed() {
        for text in ["软件工程师", "Data analyst", "数据分析、沟通", ""] {
            assert!(matches!(to_simplified(text), Cow::Borrowed(_)), "{text}");
            assert_eq!(to_simplified(text), TO_SIMPLIFIED.as_ref().unwrap().convert(text));
        }
        assert!(matches!(to_simplified("軟件"), Cow::Owned(_)));
        assert!(CHANGING.contains('軟') && !CHANGING.contains('软') && !CHANGING.contains('a'));
        let beyond = CHANGING
            .beyond
            .first()
            .copied()
            .expect("characters beyond the BMP convert too");
        assert!(CHANGING.contains(beyond));
    }

    #[test]
    fn conversion_both_ways() {
        assert_eq!(to_traditional("软件工程师"), "軟件工程師");
        assert_eq!(to_simplified("軟件工程師"), "软件工程师");
    }
}
