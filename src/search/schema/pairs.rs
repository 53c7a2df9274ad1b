//! Two Chinese words side by side as one term. jieba splits many two-word Chinese phrases a
//! searcher types as one (软件|工程师, 货运|代理, 机器|视觉), and a phrase query reads the
//! positions of both words in every document holding both. A text field may keep, beside itself,
//! a field of the pairs its text holds: a query that is one such pair then reads one posting
//! list there. A pair is indexed where its second word starts exactly where its first ends (in
//! characters, jieba's positions), which is when the phrase query matches, so the documents
//! found are the same.

use std::cell::RefCell;
use std::collections::VecDeque;

use tantivy::tokenizer::{TextAnalyzer, Token, Tokenizer};

use crate::search::schema::analysis::{
    Given, RememberingAnalyzer, collect_into, index_chain, query_analyzer, tokens_of,
};
use crate::search::schema::tokens::Tokens;

/// The text fields' analyzer for indexing text given as `given`: the chain's words, remembered
/// for short texts (see `RememberingAnalyzer`), with each text's pairs handed to the analyzer of
/// its field of pairs.
pub fn words_analyzer(given: Given) -> TextAnalyzer {
    TextAnalyzer::from(RememberingAnalyzer::with_chain(TextAnalyzer::from(
        WordsHandingOverPairs {
            words: index_chain(given),
            tokens: Vec::new(),
        },
    )))
}

/// The pairs' analyzer for indexing text given as `given`: each pair of adjacent Chinese words
/// of the text.
pub fn index_analyzer(given: Given) -> TextAnalyzer {
    TextAnalyzer::from(RememberingAnalyzer::with_chain(TextAnalyzer::from(
        PairsOfWords {
            words: index_chain(given),
            pairs: Vec::new(),
        },
    )))
}

/// The pairs' analyzer for queries: the one pair a query's words are, or nothing.
pub fn query_pair_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(QueryPair {
        words: query_analyzer(),
        pair: Vec::new(),
    })
}

/// The term a query's words are searched by in a field of pairs, when they are exactly two
/// adjacent Chinese words.
pub fn query_pair(text: &str) -> Option<String> {
    pair_of_query(&tokens_of(&mut query_analyzer(), text)).map(|pair| pair.text)
}

/// The pairs of the texts this thread analysed last, kept for the fields of pairs. tantivy
/// writes a document's fields in the schema's order on one thread, so a text's field of pairs
/// comes a few texts after the text's own field; analysing each text again there took an
/// eighth of a rebuild's time (bench/changes.md).
const HANDED_OVER: usize = 8;

thread_local! {
    static HANDED: RefCell<VecDeque<(Box<str>, Vec<Token>)>> = const { RefCell::new(VecDeque::new()) };
}

fn hand_over(text: &str, pairs: Vec<Token>) {
    HANDED.with_borrow_mut(|handed| {
        if handed.len() == HANDED_OVER {
            handed.pop_front();
        }
        handed.push_back((text.into(), pairs));
    });
}

pub(super) fn take_handed(text: &str) -> Option<Vec<Token>> {
    HANDED.with_borrow_mut(|handed| {
        let at = handed
            .iter()
            .position(|(handed_text, _)| &**handed_text == text)?;
        handed.remove(at).map(|(_, pairs)| pairs)
    })
}

/// The chain's words, given as the chain gives them, with the text's pairs handed over.
#[derive(Clone)]
struct WordsHandingOverPairs {
    words: TextAnalyzer,
    tokens: Vec<Token>,
}

impl Tokenizer for WordsHandingOverPairs {
    type TokenStream<'a> = Tokens<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens<'a> {
        collect_into(&mut self.words, text, &mut self.tokens);
        let mut pairs = Vec::new();
        adjacent_pairs(&self.tokens, &mut pairs);
        hand_over(text, pairs);
        Tokens::replaying(&mut self.tokens)
    }
}

#[derive(Clone)]
struct PairsOfWords {
    words: TextAnalyzer,
    pairs: Vec<Token>,
}

impl Tokenizer for PairsOfWords {
    type TokenStream<'a> = Tokens<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens<'a> {
        match take_handed(text) {
            Some(pairs) => self.pairs = pairs,
            None => {
                let words = tokens_of(&mut self.words, text);
                self.pairs.clear();
                adjacent_pairs(&words, &mut self.pairs);
            }
        }
        Tokens::replaying(&mut self.pairs)
    }
}

#[derive(Clone)]
struct QueryPair {
    words: TextAnalyzer,
    pair: Vec<Token>,
}

impl Tokenizer for QueryPair {
    type TokenStream<'a> = Tokens<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens<'a> {
        self.pair.clear();
        self.pair.extend(pair_of_query(&tokens_of(&mut self.words, text)));
        Tokens::replaying(&mut self.pair)
    }
}

/// Every pair of Chinese words in `words` where the second starts where the first ends. jieba's
/// search mode gives a long word and its parts, so one place may join several pairs (软件 with
/// both 工程 and 工程师).
fn adjacent_pairs(words: &[Token], pairs: &mut Vec<Token>) {
    let mut starts: Vec<&Token> = words.iter().filter(|word| is_chinese(&word.text)).collect();
    starts.sort_by_key(|word| word.position);
    for first in &starts {
        let end = first.position + first.position_length;
        let from = starts.partition_point(|word| word.position < end);
        for second in starts[from..].iter().take_while(|word| word.position == end) {
            pairs.push(joined(first, second));
        }
    }
}

/// The pair a query's words make: exactly two words, both Chinese, side by side.
fn pair_of_query(words: &[Token]) -> Option<Token> {
    match words {
        [first, second]
            if is_chinese(&first.text)
                && is_chinese(&second.text)
                && second.position == first.position + first.position_length =>
        {
            Some(joined(first, second))
        }
        _ => None,
    }
}

/// A space never appears inside a word of the chain, so a pair's term is never a word's.
fn joined(first: &Token, second: &Token) -> Token {
    Token {
        offset_from: first.offset_from,
        offset_to: second.offset_to,
        position: first.position,
        text: format!("{} {}", first.text, second.text),
        position_length: first.position_length + second.position_length,
    }
}

/// A word written only in Chinese characters (the Han script).
fn is_chinese(word: &str) -> bool {
    !word.is_empty() && word.chars().all(is_han)
}

fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'      // Extension A
        | '\u{4E00}'..='\u{9FFF}'    // the unified ideographs
        | '\u{F900}'..='\u{FAFF}'    // compatibility ideographs
        | '\u{20000}'..='\u{3134F}') // Extensions B to G
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::schema::analysis::{analyzer, chain, positioned_terms, terms};

    fn pairs(text: &str) -> Vec<String> {
        tokens_of(&mut index_analyzer(Given::AsWritten), text)
            .into_iter()
            .map(|token| token.text)
            .collect()
    }

    #[test]
    fn only_chinese_words_side_by_side_make_pairs() {
        let engineer = pairs("軟件工程師");
        assert!(engineer.contains(&"软件 工程师".to_owned()), "{engineer:?}");
        assert!(engineer.contains(&"软件 工程".to_owned()), "{engineer:?}");
        // 工程 and 工程师 start at one place: neither follows the other.
        assert!(
            !engineer.iter().any(|pair| pair.starts_with("工程 ")),
            "{engineer:?}"
        );
        // Not across a space, punctuation or a Latin word, nor between Latin words.
        assert!(pairs("软件 工程师").is_empty(), "{:?}", pairs("软件 工程师"));
        assert!(pairs("软件，工程师").is_empty());
        assert!(pairs("软件Rust工程师").is_empty());
        assert!(pairs("software engineer").is_empty());
    }

    #[test]
    fn each_pair_is_two_indexed_words_one_after_the_other() {
        for text in [
            "深圳软件工程师招聘，货运代理经理",
            "機器視覺工程師（香港）",
            "数据分析师",
        ] {
            let words = positioned_terms(text);
            for pair in pairs(text) {
                let (first, second) = pair.split_once(' ').expect("two words");
                let found = words.iter().any(|(at, word)| {
                    word == first
                        && words
                            .iter()
                            .any(|(next, other)| other == second && *next == at + first.chars().count())
                });
                assert!(found, "{pair} in {text}: {words:?}");
            }
        }
    }

    #[test]
    fn pairs_handed_over_are_the_pairs_of_the_text() {
        let long = "加入我們位於灣仔的金融團隊。你將在深港跨境項目中運用數據分析、機器視覺。我們重視軟件工程師的責任心。";
        for text in ["軟件工程師", long] {
            let mut words = words_analyzer(Given::AsWritten);
            assert_eq!(tokens_of(&mut words, text), tokens_of(&mut analyzer(), text));
            assert!(take_handed(text).is_some(), "{text} was handed over");
            let _ = tokens_of(&mut words_analyzer(Given::AsWritten), text);
            assert_eq!(pairs(text), pairs_without_hand_over(text), "{text}");
            assert!(take_handed(text).is_none(), "taken by the field of pairs");
        }
        for n in 0..HANDED_OVER + 3 {
            let _ = tokens_of(
                &mut words_analyzer(Given::AsWritten),
                &format!("第{n}位软件工程师"),
            );
        }
        assert_eq!(HANDED.with_borrow(VecDeque::len), HANDED_OVER, "bounded");
    }

    fn pairs_without_hand_over(text: &str) -> Vec<String> {
        let mut pairs = Vec::new();
        adjacent_pairs(&tokens_of(&mut chain(), text), &mut pairs);
        pairs.into_iter().map(|token| token.text).collect()
    }

    #[test]
    fn a_query_is_a_pair_only_when_it_is_two_adjacent_chinese_words() {
        assert_eq!(query_pair("軟件工程師").as_deref(), Some("软件 工程师"));
        assert_eq!(query_pair("软件工程师"), query_pair("軟體工程師"));
        assert_eq!(query_pair("機器視覺").as_deref(), Some("机器 视觉"));
        for not_a_pair in [
            "工程師",
            "软件 工程师",
            "data analyst",
            "中华人民共和国",
            "Rust工程师",
            "",
        ] {
            assert_eq!(query_pair(not_a_pair), None, "{not_a_pair}");
        }
        // Whatever it is, the index holds it for the same text.
        let pair = query_pair("貨運代理").expect("a pair");
        assert!(
            pairs("诚聘货运代理").contains(&pair),
            "{:?}",
            pairs("诚聘货运代理")
        );
        assert!(terms("货运代理").len() >= 2);
    }

    #[test]
    fn the_script_of_a_character_decides_whether_it_is_chinese() {
        assert!(is_chinese("工程师") && is_chinese("𠀋"));
        assert!(!is_chinese("工程师5") && !is_chinese("ソフト") && !is_chinese("") && !is_chinese("한국"));
    }
}
