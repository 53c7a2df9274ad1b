//! The one analysis chain for indexing and querying: Traditional Chinese folded to Simplified,
//! Chinese segmented into words (jieba), words without a letter or digit dropped, Latin text
//! lower-cased and stemmed (English). Index and query share it, so 軟件, 软件 and "Software"
//! meet.

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};
use tantivy_jieba::{JiebaTokenStream, JiebaTokenizer};

use crate::registry::fold::to_simplified;

/// The name the analyzer is registered under in every index.
pub const ANALYZER: &str = "talent";

/// Words longer than this are noise (hashes, pasted URLs), not vocabulary.
const MAX_TOKEN_BYTES: usize = 60;

/// The analyzer to register: `index.tokenizers().register(ANALYZER, analyzer())`.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(FoldingTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Loads the dictionaries (jieba's, the script conversion's) now rather than in the first
/// search or indexing batch, which would otherwise wait a second or more for them.
pub fn warm_up() {
    terms("軟件工程 warm-up");
}

/// Folds the text to Simplified script, then segments it. Folding first keeps one dictionary
/// (jieba's is Simplified) and makes both scripts produce the same terms. Offsets point into the
/// folded text; Traditional and Simplified characters have the same UTF-8 length, so they fit the
/// original for highlighting.
#[derive(Clone, Default)]
pub struct FoldingTokenizer {
    folded: String,
    jieba: JiebaTokenizer,
}

impl Tokenizer for FoldingTokenizer {
    type TokenStream<'a> = WordsOnly<JiebaTokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.folded.clear();
        if text.is_ascii() {
            self.folded.push_str(text);
        } else {
            // Conversion is the slowest step of analysis: only text with non-ASCII pays for it.
            self.folded.push_str(&to_simplified(text));
        }
        WordsOnly(self.jieba.token_stream(&self.folded))
    }
}

/// Drops the spaces and punctuation jieba returns as tokens of their own.
pub struct WordsOnly<S>(S);

impl<S: TokenStream> TokenStream for WordsOnly<S> {
    fn advance(&mut self) -> bool {
        while self.0.advance() {
            if self.0.token().text.chars().any(char::is_alphanumeric) {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

/// The terms a text is indexed and searched by (for tests and for explaining a query).
pub fn terms(text: &str) -> Vec<String> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while stream.advance() {
        terms.push(stream.token().text.clone());
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_chinese_scripts_give_the_same_terms() {
        assert_eq!(terms("軟件工程師"), terms("软件工程师"));
        assert_eq!(terms("數據分析"), terms("数据分析"));
        assert!(
            terms("數據分析").contains(&"数据".to_owned()),
            "{:?}",
            terms("數據分析")
        );
    }

    #[test]
    fn latin_words_are_lower_cased_and_stemmed() {
        assert_eq!(terms("Engineers ENGINEERING"), vec!["engin", "engin"]);
        assert_eq!(terms("data analyst"), terms("Data Analysts"));
    }

    #[test]
    fn punctuation_and_spaces_are_not_terms() {
        let mixed = terms("Rust 工程师, 深圳 / Hong Kong!");
        assert!(
            mixed.iter().all(|t| t.chars().any(char::is_alphanumeric)),
            "{mixed:?}"
        );
        assert!(mixed.contains(&"rust".to_owned()));
        assert!(mixed.contains(&"深圳".to_owned()));
        assert!(mixed.contains(&"hong".to_owned()));
        assert!(terms("  ,,, !!").is_empty());
    }

    #[test]
    fn overlong_tokens_are_dropped() {
        let long = "x".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(terms(&format!("rust {long}")), vec!["rust"]);
    }
}
