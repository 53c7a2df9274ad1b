//! English stemming for the analysis chain, skipping the tokens it cannot change.
//!
//! Many of a posting's tokens are Chinese words, digits and codes. Every rule of the Snowball
//! English stemmer needs an ASCII letter or an apostrophe to change a word (its suffixes, its
//! exceptional forms and its apostrophe rules are all written in them), so a token with neither
//! comes out as it went in; tantivy's filter still ran the stemmer over it, and copied the text
//! of every token, changed or not. In `perf` on the benchmark's mix the stemmer was 6.5 % of a
//! search (highlighting analyses texts again; indexing runs it too; bench/changes.md). The test
//! below holds the claim against tantivy's own filter.

use std::borrow::Cow;
use std::cell::RefCell;

use frostem::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use crate::search::schema::memory::ShortTextMemory;

/// What tantivy's `Stemmer::new(Language::English)` gives, token for token.
#[derive(Clone, Copy)]
pub struct EnglishStems;

impl TokenFilter for EnglishStems {
    type Tokenizer<T: Tokenizer> = EnglishStemsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> EnglishStemsFilter<T> {
        EnglishStemsFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct EnglishStemsFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for EnglishStemsFilter<T> {
    type TokenStream<'a> = EnglishStemsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        EnglishStemsStream {
            tail: self.inner.token_stream(text),
            stemmer: Stemmer::new(Algorithm::English),
        }
    }
}

pub struct EnglishStemsStream<T> {
    tail: T,
    stemmer: Stemmer,
}

impl<T: TokenStream> TokenStream for EnglishStemsStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if stemmable(&token.text) {
            stem_in_place(&self.stemmer, &mut token.text);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Words longer than this are stemmed each time: the memory is for the vocabulary that recurs.
const MAX_REMEMBERED_BYTES: usize = 32;
/// Words one thread remembers the stems of before starting afresh (a few MiB at most).
const MAX_REMEMBERED: usize = 50_000;

thread_local! {
    /// Each word's stem, `None` where the stemmer leaves it as it is, per thread. The words of
    /// postings recur (a job board's English is a few thousand words), and the stemmer's
    /// suffix rules cost several times a lookup: in `perf` on the floor over the Zipf log the
    /// stemmer was 6 % of a search (highlights analyse each hit's text again) and about 3 % of
    /// `reindex` (bench/changes.md).
    static STEMS: RefCell<ShortTextMemory<Option<Box<str>>>> =
        RefCell::new(ShortTextMemory::new(MAX_REMEMBERED_BYTES, MAX_REMEMBERED));
}

/// Replaces `word` with its stem, from the thread's memory where it has it.
fn stem_in_place(stemmer: &Stemmer, word: &mut String) {
    STEMS.with_borrow_mut(|stems| {
        match stems.get_or_compute(word, || stem_of(stemmer, word)) {
            // The token's own buffer is reused: no allocation for a remembered stem.
            Some(Some(stem)) => {
                word.clear();
                word.push_str(stem);
            }
            Some(None) => {}
            None => {
                if let Some(stem) = stem_of(stemmer, word) {
                    *word = stem.into();
                }
            }
        }
    });
}

/// `word`'s stem, or `None` where the stemmer leaves it as it is.
fn stem_of(stemmer: &Stemmer, word: &str) -> Option<Box<str>> {
    match stemmer.stem(word) {
        Cow::Borrowed(same) if same == word => None,
        other => Some(other.into_owned().into_boxed_str()),
    }
}

/// Whether the English stemmer could change `word`: only through an ASCII letter or an apostrophe.
fn stemmable(word: &str) -> bool {
    word.bytes().any(|b| b.is_ascii_alphabetic() || b == b'\'')
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{
        Language, SimpleTokenizer, Stemmer as TantivyStemmer, TextAnalyzer, WhitespaceTokenizer,
    };

    use super::*;
    use crate::search::schema::vocabulary;

    fn stems(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    /// Words of every kind the chain meets — Chinese in both scripts, digits, codes, English with
    /// and without suffixes and apostrophes, full-width and accented letters — stem exactly as
    /// tantivy's English stemmer stems them, and the ones skipped are ones it leaves alone.
    #[test]
    fn skipping_changes_no_stem() {
        let mut words: Vec<String> = [
            "engineers",
            "engineering",
            "running",
            "skis",
            "dying",
            "generously",
            "analysts'",
            "manager's",
            "'quoted",
            "o'clock",
            "ies",
            "ss",
            "s",
            "y",
            "yy",
            "sky",
            "news",
            "café",
            "naïve",
            "résumés",
            "ｅｎｇｉｎｅｅｒｓ",
            "Ａｐｐｌｅｓ",
            "k8s",
            "c++",
            "2026",
            "3.5",
            "１２３",
            "'２０",
            "’s",
            "iso9001",
            "ⅻ",
            "ßes",
            "πs",
            "软件",
            "軟件工程師",
            "工程师们",
            "數據分析",
            "会计",
            "hr",
            "hk",
            "deliveries",
            "argued",
            "agreed",
        ]
        .map(str::to_owned)
        .to_vec();
        for base in [
            "engineer", "analyst", "manage", "develop", "account", "design", "consult", "operate", "market",
            "teach",
        ] {
            for suffix in [
                "s", "ing", "ed", "er", "ers", "ment", "ation", "ly", "ness", "ive", "'s",
            ] {
                words.push(format!("{base}{suffix}"));
            }
        }
        for (other, mainland) in vocabulary::pairs() {
            words.push(other);
            words.push(mainland);
        }
        for c in (0x20..0x2500u32)
            .chain(0x3000..0x3100)
            .chain(0x4e00..0x4f00)
            .filter_map(char::from_u32)
        {
            words.push(format!("{c}{c}{c}s"));
            words.push(format!("{c}ing"));
            words.push(format!("ab{c}"));
            words.push(c.to_string().repeat(4));
        }
        let mut theirs = TextAnalyzer::builder(WhitespaceTokenizer::default())
            .filter(TantivyStemmer::new(Language::English))
            .build();
        let mut ours = TextAnalyzer::builder(WhitespaceTokenizer::default())
            .filter(EnglishStems)
            .build();
        let (mut skipped, mut changed) = (0, 0);
        for word in words.iter().filter(|w| !w.chars().any(char::is_whitespace)) {
            let expected = stems(&mut theirs, word);
            // The second time from the thread's memory of stems (for words short enough).
            assert_eq!(stems(&mut ours, word), expected, "{word:?}");
            assert_eq!(stems(&mut ours, word), expected, "{word:?}, remembered");
            if !stemmable(word) {
                skipped += 1;
                assert_eq!(
                    expected,
                    std::slice::from_ref(word),
                    "{word:?} is skipped but the stemmer changes it"
                );
            } else if expected != std::slice::from_ref(word) {
                changed += 1;
            }
        }
        assert!(skipped > 1000, "{skipped} words skipped");
        assert!(changed > 100, "{changed} words stemmed");

        let mut simple = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(EnglishStems)
            .build();
        assert_eq!(
            stems(&mut simple, "engineers running 软件 2026"),
            ["engin", "run", "软件", "2026"]
        );
    }

    #[test]
    fn the_memory_of_stems_is_bounded_and_skips_long_words() {
        let stemmer = Stemmer::new(Algorithm::English);
        for n in 0..MAX_REMEMBERED + 10 {
            let mut word = format!("engineering{n}s");
            stem_in_place(&stemmer, &mut word);
        }
        STEMS.with_borrow(|stems| assert!(stems.len() <= MAX_REMEMBERED, "{}", stems.len()));
        let long = format!("{}ing", "x".repeat(MAX_REMEMBERED_BYTES));
        let mut word = long.clone();
        stem_in_place(&stemmer, &mut word);
        assert_eq!(word, stemmer.stem(&long));
        STEMS.with_borrow(|stems| assert!(!stems.contains(long.as_str())));
        let mut word = "engineers".to_owned();
        stem_in_place(&stemmer, &mut word);
        stem_in_place(&stemmer, &mut word);
        assert_eq!(word, "engin", "a stem stemmed again stays");
    }
}
