//! Where a term the index holds at a position stands in the text as written.
//!
//! The chain's position of a token is the character jieba's token starts at in the text jieba
//! segmented (tantivy-jieba), that is the text folded to Simplified and rewritten by the
//! vocabulary (`analysis::text_to_segment`). So a term read with its positions from the postings
//! can be found in a stored text by folding and rewriting it — cheap, and skipped for text without
//! a character either changes — and stepping to the character, without segmenting, lower-casing
//! and stemming it again. That analysis was 40 % of a search with words (bench/changes.md).
//! Folding keeps each character's place (a Traditional character and its Simplified one are one
//! character each), so in a text the vocabulary did not rewrite the position is a character of
//! the text as written, and nothing need be folded. The index stores beside each highlighted text
//! the vocabulary rewrote its edits (`Edits::stored`); they are made on the text as written, and
//! the result has the rewritten text's characters where it counts (as many, the replaced words
//! as the vocabulary wrote them), so no text is folded at all.
//!
//! A term runs for the characters it was lower-cased from, and an English stem on to the end of
//! its word (`analyst` for `Analysts`); the test below holds the result to the chain's own
//! offsets over the demo market's texts and awkward ones.

use std::ops::Range;

use crate::search::schema::analysis::text_to_segment;
use crate::search::schema::vocabulary::Edits;

/// What the index says of how a text's positions count.
#[derive(Debug, Clone, Copy)]
pub enum Rewriting<'a> {
    /// The vocabulary rewrote nothing in the text (the index stores no edits beside it):
    /// folding keeps every character's place, so positions count the text as written.
    None,
    /// The vocabulary's edits of the text, as the index stores them (`Edits::stored`).
    Stored(&'a str),
    /// Not known: the text is folded and rewritten again.
    Unknown,
}

/// Buffers reused from one text to the next.
#[derive(Default)]
pub struct TermPlaces {
    folded: String,
    rewritten: String,
    edits: Edits,
}

impl TermPlaces {
    /// The byte range in `text` of each `(position, term)` of `found`, in the order given;
    /// `None` for a place that does not fall inside `text` (an index out of step with the stored
    /// text). `found` must be ordered by position. `rewriting` is what the index says of the
    /// vocabulary's edits of `text`; a stored form that does not fit it is found again.
    pub fn spans(
        &mut self,
        text: &str,
        found: &[(u32, &str)],
        rewriting: Rewriting,
    ) -> Vec<Option<Range<usize>>> {
        debug_assert!(found.is_sorted_by_key(|(position, _)| *position));
        let segmented = match rewriting {
            Rewriting::None => {
                self.edits.clear();
                text
            }
            Rewriting::Stored(stored) if self.edits.replay(text, stored, &mut self.rewritten) => {
                &self.rewritten
            }
            Rewriting::Stored(_) | Rewriting::Unknown => {
                text_to_segment(text, &mut self.folded, &mut self.rewritten, &mut self.edits)
            }
        };
        let mut chars = segmented.char_indices().map(|(byte, _)| byte);
        // The character `chars` gave last: its number and its first byte.
        let mut at = chars.next().map(|byte| (0, byte));
        found
            .iter()
            .map(|&(position, term)| {
                let position = position as usize;
                while let Some((index, _)) = at.filter(|&(index, _)| index < position) {
                    at = chars.next().map(|byte| (index + 1, byte));
                }
                let (_, start) = at.filter(|&(index, _)| index == position)?;
                let end = term_end(segmented, start, term);
                let span = self.edits.start(start)..self.edits.end(end);
                (span.start < span.end && text.get(span.clone()).is_some()).then_some(span)
            })
            .collect()
    }
}

/// Where `term`, found at byte `start` of `segmented`, ends: after the characters it was
/// lower-cased from, then, for a term ending in a letter or digit of English, on to the end of
/// the word (a stem is often shorter than its word). Never past a space.
fn term_end(segmented: &str, start: usize, term: &str) -> usize {
    // The term is the text lower-cased, and a few characters lower-case to two (İ to i̇).
    let mut left = term.chars().count();
    let mut end = start;
    for (at, c) in segmented[start..].char_indices() {
        if left == 0 || c.is_whitespace() {
            break;
        }
        left = left.saturating_sub(c.to_lowercase().count());
        end = start + at + c.len_utf8();
    }
    if term
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        end += segmented[end..]
            .bytes()
            .take_while(u8::is_ascii_alphanumeric)
            .count();
    }
    end
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use tantivy::tokenizer::Token;

    use super::*;
    use crate::i18n::Locale;
    use crate::registry::fold::to_simplified;
    use crate::search::schema::analysis::{chain, stored_edits, tokens_of};

    /// The texts a market holds: the demo's titles, descriptions, headlines and summaries in the
    /// three scripts, and texts made to be awkward.
    fn texts() -> Vec<String> {
        use crate::demo::text;
        let mut rng = StdRng::seed_from_u64(7);
        let skills = [
            "Rust",
            "數據分析",
            "软件工程",
            "Node.js",
            "C++",
            "機器學習",
            "会计",
            "程式設計",
        ];
        let mut texts: Vec<String> = [
            "Senior Data Analysts (Python/SQL) — 3.5% bonus, e-commerce",
            "軟體工程師 需要程式設計與資訊科技經驗；質素管理",
            "高級軟件工程師, 深圳 / Hong Kong!",
            "İstanbul office: ÅNGSTRÖM labs, naïve café",
            "通信工程和计算机视觉 C语言 B超 T恤 3D打印",
            "Engineers' ENGINEERING happy happily studies",
            "  leading spaces and\ttabs\nnew lines  ",
            "数据分析师（全职）📊 年薪¥300,000-500,000",
            "ＡＢＣ全角 abc123 v1.2.3 node.js C# .NET",
        ]
        .map(str::to_owned)
        .into();
        for (i, skill) in skills.iter().enumerate() {
            for script in [Locale::En, Locale::ZhHans, Locale::ZhHant] {
                texts.push(text::job_title(&mut rng, script, skill));
                texts.push(text::job_description(script, &skills[i..], "深圳 福田", "金融"));
                texts.push(text::headline(&mut rng, script, skill, 5));
                texts.push(text::summary(script, &skills[..=i]));
            }
        }
        texts
    }

    /// Every token the chain gives a text is found where the chain says it stands, from its
    /// position and its term alone: by folding and rewriting the text; for a text the
    /// vocabulary leaves alone, in the text as written (Traditional ones among them); for one it
    /// rewrites, by replaying the edits stored for it.
    #[test]
    fn a_term_at_its_position_stands_where_the_chain_put_it() {
        let mut places = TermPlaces::default();
        let (mut checked, mut wrong, mut folded_as_written, mut replayed) = (0, Vec::new(), 0, 0);
        let texts = texts();
        let stored: Vec<Option<String>> = texts.iter().map(|text| stored_edits(text)).collect();
        for (text, rewriting) in texts.iter().zip(&stored).flat_map(|(text, stored)| {
            if stored.is_none() && matches!(to_simplified(text), Cow::Owned(_)) {
                folded_as_written += 1;
            }
            let known = match stored {
                Some(stored) => {
                    replayed += 1;
                    Rewriting::Stored(stored)
                }
                None => Rewriting::None,
            };
            [(text, Rewriting::Unknown), (text, known)]
        }) {
            let mut tokens: Vec<Token> = tokens_of(&mut chain(), text);
            tokens.sort_by_key(|token| token.position);
            let found: Vec<(u32, &str)> = tokens
                .iter()
                .map(|token| (token.position as u32, token.text.as_str()))
                .collect();
            let expected: Vec<Range<usize>> = tokens
                .iter()
                .map(|token| token.offset_from..token.offset_to)
                .collect();
            let spans = places.spans(text, &found, rewriting);
            assert_eq!(spans.len(), expected.len(), "{text:?}");
            for ((span, expected), token) in spans.iter().zip(&expected).zip(&tokens) {
                if span.as_ref() != Some(expected) {
                    wrong.push(format!(
                        "{:?} in {text:?} ({rewriting:?}): {:?} against {:?}",
                        token.text,
                        span.clone().map(|span| &text[span]),
                        &text[expected.clone()]
                    ));
                }
            }
            checked += spans.len();
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        assert!(checked > 2_000, "{checked} tokens checked");
        assert!(
            folded_as_written > 10,
            "{folded_as_written} Traditional texts read as written"
        );
        assert!(replayed > 10, "{replayed} texts' stored edits replayed");
    }

    #[test]
    fn places_beyond_the_text_give_nothing() {
        let mut places = TermPlaces::default();
        assert_eq!(
            places.spans("data", &[(0, "data"), (9, "data")], Rewriting::Unknown),
            vec![Some(0..4), None]
        );
        assert_eq!(places.spans("", &[(0, "data")], Rewriting::None), vec![None]);
    }

    /// Stored edits that do not fit the text (an index out of step with it) are not trusted:
    /// the text is folded and rewritten again.
    #[test]
    fn stored_edits_that_do_not_fit_are_found_again() {
        let mut places = TermPlaces::default();
        // 記憶體 is rewritten 内存 (two characters for three): 和 then stands at position 3.
        let text = "大記憶體和";
        let found = [(1, "内存"), (3, "和")];
        let expected = vec![Some(3..12), Some(12..15)];
        assert_eq!(places.spans(text, &found, Rewriting::Unknown), expected);
        let stored = stored_edits(text).expect("rewritten");
        assert_eq!(places.spans(text, &found, Rewriting::Stored(&stored)), expected);
        for unfit in ["4 12 内存", "3 99 内存", "garbage"] {
            assert_eq!(
                places.spans(text, &found, Rewriting::Stored(unfit)),
                expected,
                "{unfit}"
            );
        }
    }
}
