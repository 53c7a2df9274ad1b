//! The one analysis chain for indexing and querying: Traditional Chinese folded to Simplified,
//! Hong Kong and Taiwan words written as the Mainland's (`vocabulary`), Chinese segmented into
//! words (jieba), words without a letter or digit dropped, Latin text lower-cased and stemmed
//! (English). Index and query share it, so 軟件, 軟體, 软件 and "Software" meet. Two wrappers make it cheaper where it runs most: the index's remembers the tokens of
//! short recurring texts, the query's drops the parts of words it also has whole.

use std::borrow::Cow;

use tantivy::TantivyDocument;
use tantivy::schema::Field;
use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy_jieba::{JiebaTokenStream, JiebaTokenizer};

use crate::registry::fold::to_simplified;
use crate::search::schema::joined_values::{each_value, is_joined};
use crate::search::schema::memory::ShortTextMemory;
use crate::search::schema::stems::EnglishStems;
use crate::search::schema::tokens::Tokens;
use crate::search::schema::vocabulary::{ANALYZER_NAME, Edits, Vocabulary};

/// The name the analyzer is registered under in every index (it changes with the vocabulary).
pub fn analyzer_name() -> &'static str {
    &ANALYZER_NAME
}

/// Words longer than this are noise (hashes, pasted URLs), not vocabulary.
const MAX_TOKEN_BYTES: usize = 60;

/// The words of text fields given as written (skills, employer names), as indexing gives them
/// (indexing's own, `pairs::words_analyzer`, also hands each text's pairs over to its field of
/// pairs).
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::from(RememberingAnalyzer::new())
}

/// Fold, segment, drop long tokens, lower-case, stem; offsets in the text as written (what the
/// tests hold the other analyzers to).
#[cfg(test)]
pub(crate) fn chain() -> TextAnalyzer {
    chain_of(Given::AsWritten)
}

/// The chain indexing reads text given as `given` with: text as written may join a field's
/// values (`joined_values`); the builder's folded text is one value.
pub(crate) fn index_chain(given: Given) -> TextAnalyzer {
    match given {
        Given::AsWritten => each_value(chain_of(given)),
        Given::ReadyToSegment => chain_of(given),
    }
}

/// The chain for text given as `given`.
pub(crate) fn chain_of(given: Given) -> TextAnalyzer {
    let words = match given {
        Given::AsWritten => FoldingTokenizer::default(),
        Given::ReadyToSegment => FoldingTokenizer::ready_to_segment(),
    };
    chain_from(words)
}

fn chain_from(words: FoldingTokenizer) -> TextAnalyzer {
    TextAnalyzer::builder(words)
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(EnglishStems)
        .build()
}

/// How a field's text reaches its analyzer when a document is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Given {
    /// As written: the analyzer folds and rewrites it.
    AsWritten,
    /// Already folded and rewritten by the document's builder (`add_highlighted_text`), which
    /// needed the vocabulary's edits anyway: the analyzer only segments it, so each highlighted
    /// text is folded once per document written, not twice.
    ReadyToSegment,
}

impl Given {
    pub const ALL: [Given; 2] = [Given::AsWritten, Given::ReadyToSegment];
}

/// Loads the dictionaries (jieba's, the script conversion's) now rather than in the first
/// search or indexing batch, which would otherwise wait a second or more for them.
pub fn warm_up() {
    terms("軟件工程 warm-up");
}

/// Folds the text to Simplified script, writes the other side's words as the Mainland's
/// (`vocabulary`), then segments it. Folding first keeps one dictionary (jieba's is Simplified)
/// and makes both scripts produce the same terms. Offsets point into the text as written:
/// Traditional and Simplified characters have the same UTF-8 length, and the vocabulary's
/// replacements are mapped back, so highlights fall on the words the text holds.
#[derive(Clone)]
pub struct FoldingTokenizer {
    folded: String,
    rewritten: String,
    edits: Edits,
    jieba: JiebaTokenizer,
    /// False for queries: a replaced word's parts would all get the word's offsets, and the
    /// query's choice of the longest words could no longer tell them apart.
    offsets_as_written: bool,
    /// False for text the document's builder folded and rewrote already (`Given`).
    folds: bool,
}

impl Default for FoldingTokenizer {
    fn default() -> Self {
        FoldingTokenizer {
            folded: String::new(),
            rewritten: String::new(),
            edits: Edits::default(),
            jieba: JiebaTokenizer::default(),
            offsets_as_written: true,
            folds: true,
        }
    }
}

impl FoldingTokenizer {
    fn in_rewritten_text() -> Self {
        FoldingTokenizer {
            offsets_as_written: false,
            ..Self::default()
        }
    }

    /// Segments the text as given; offsets are in it.
    fn ready_to_segment() -> Self {
        FoldingTokenizer {
            folds: false,
            ..Self::default()
        }
    }
}

impl Tokenizer for FoldingTokenizer {
    type TokenStream<'a> = OriginalOffsets<'a, WordsOnly<JiebaTokenStream<'a>>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let words = if self.folds {
            text_to_segment(text, &mut self.folded, &mut self.rewritten, &mut self.edits)
        } else {
            text
        };
        if !self.offsets_as_written || !self.folds {
            self.edits.clear();
        }
        OriginalOffsets {
            tokens: WordsOnly(self.jieba.token_stream(words)),
            edits: &self.edits,
        }
    }
}

/// The text jieba segments: `text` folded to Simplified, the other side's words rewritten as the
/// Mainland's (`edits` says where), held in `text` itself or in one of the two buffers.
pub(super) fn text_to_segment<'a>(
    text: &'a str,
    folded: &'a mut String,
    rewritten: &'a mut String,
    edits: &mut Edits,
) -> &'a str {
    // Only text with a character the conversion changes pays for it (see `to_simplified`).
    let folded: &'a str = match to_simplified(text) {
        Cow::Borrowed(same) => same,
        Cow::Owned(converted) => {
            *folded = converted;
            let folded: &'a String = folded;
            folded
        }
    };
    if Vocabulary::shipped().rewrite(folded, rewritten, edits) {
        let rewritten: &'a String = rewritten;
        rewritten
    } else {
        folded
    }
}

/// What the vocabulary changed in `text`, in the form the index stores beside it
/// (`Edits::stored`); `None` when it changed nothing.
pub fn stored_edits(text: &str) -> Option<String> {
    let (mut folded, mut rewritten, mut edits) = (String::new(), String::new(), Edits::default());
    let segmented = text_to_segment(text, &mut folded, &mut rewritten, &mut edits);
    (!edits.is_empty()).then(|| edits.stored(segmented))
}

/// Adds a highlighted text to `doc`: as written to `as_written` (stored: what a page shows
/// and highlights mark), folded and rewritten to each of `words` (analysed as
/// `Given::ReadyToSegment`: the words and their pairs), and what the vocabulary changed in it,
/// if anything, to `edits` (stored: highlights make these edits instead of folding the text,
/// see `places`). The text is folded once here, where its edits are needed anyway.
pub fn add_highlighted_text(
    doc: &mut TantivyDocument,
    text: &str,
    as_written: Field,
    words: &[Field],
    edits: Field,
) {
    let (mut folded, mut rewritten, mut changes) = (String::new(), String::new(), Edits::default());
    let segmented = text_to_segment(text, &mut folded, &mut rewritten, &mut changes);
    for &field in words {
        doc.add_text(field, segmented);
    }
    if !changes.is_empty() {
        doc.add_text(edits, changes.stored(segmented));
    }
    doc.add_text(as_written, text);
}

/// Moves each token's offsets from the rewritten text back to the text as written.
pub struct OriginalOffsets<'a, S> {
    tokens: S,
    edits: &'a Edits,
}

impl<S: TokenStream> TokenStream for OriginalOffsets<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tokens.advance() {
            return false;
        }
        let token = self.tokens.token_mut();
        token.offset_from = self.edits.start(token.offset_from);
        token.offset_to = self.edits.end(token.offset_to);
        true
    }

    fn token(&self) -> &Token {
        self.tokens.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tokens.token_mut()
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

/// A short text's tokens, remembered by the analyzer: the labels and aliases of a skill in three
/// scripts (every job and candidate carries them), employers' names and common titles recur in
/// thousands of documents, and analysing them again each time was a large part of indexing.
/// Descriptions and summaries are longer than this and are always analysed.
const MAX_REMEMBERED_BYTES: usize = 96;
/// A skill's words joined (`joined_values`) recur as often as one label, and are longer.
const MAX_REMEMBERED_JOINED_BYTES: usize = 1024;
/// Distinct short texts one analyzer remembers before starting afresh. tantivy clones the
/// analyzer for each field of each segment being written, so this bounds memory per clone.
const MAX_REMEMBERED: usize = 20_000;

/// The chain with a memory of the tokens of short texts. A replayed text yields exactly the
/// tokens (terms, positions, offsets) the chain gave it, so the index is the same either way.
pub struct RememberingAnalyzer {
    chain: TextAnalyzer,
    remembered: ShortTextMemory<Box<[Token]>>,
}

impl RememberingAnalyzer {
    pub fn new() -> Self {
        Self::with_chain(index_chain(Given::AsWritten))
    }

    /// Remembers what `chain` gives instead.
    pub fn with_chain(chain: TextAnalyzer) -> Self {
        RememberingAnalyzer {
            chain,
            remembered: ShortTextMemory::new(MAX_REMEMBERED_JOINED_BYTES, MAX_REMEMBERED),
        }
    }
}

impl Default for RememberingAnalyzer {
    fn default() -> Self {
        Self::new()
    }
}

/// A clone starts with an empty memory: tantivy clones the registered analyzer for each field
/// of each segment writer and each query, and copying a full memory would cost more than it saves.
impl Clone for RememberingAnalyzer {
    fn clone(&self) -> Self {
        Self::with_chain(self.chain.clone())
    }
}

impl Tokenizer for RememberingAnalyzer {
    type TokenStream<'a> = Tokens<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens<'a> {
        if text.len() > MAX_REMEMBERED_BYTES && !is_joined(text) {
            return Tokens::Analysed(self.chain.token_stream(text));
        }
        let chain = &mut self.chain;
        match self
            .remembered
            .get_or_compute(text, || tokens_of(chain, text).into_boxed_slice())
        {
            Some(tokens) => Tokens::Remembered {
                tokens,
                next: 0,
                changed: None,
            },
            None => Tokens::Analysed(self.chain.token_stream(text)),
        }
    }
}

/// The analyzer a query's words go through: the chain, keeping of the overlapping words jieba's
/// search mode gives only the longest (工程师 rather than 工程 and 工程师, both at one position).
/// Every document holding the long word holds its parts at the same places, so the query finds
/// the same documents — with one term where it had a phrase, whose positions each candidate
/// document had to be read for (half the CPU of `機器視覺 工程師` at 200,000 jobs).
pub fn query_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(QueryWords::default())
}

#[derive(Clone)]
pub struct QueryWords {
    chain: TextAnalyzer,
    kept: Vec<Token>,
}

impl Default for QueryWords {
    fn default() -> Self {
        QueryWords {
            // A query's terms are never highlighted: offsets stay in the rewritten text, where
            // jieba's parts of a word still lie inside the word (see `token_stream` below).
            chain: chain_from(FoldingTokenizer::in_rewritten_text()),
            kept: Vec::new(),
        }
    }
}

impl Tokenizer for QueryWords {
    type TokenStream<'a> = Tokens<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens<'a> {
        let all = tokens_of(&mut self.chain, text);
        let covered = |token: &Token| {
            all.iter().any(|other| {
                other.offset_from <= token.offset_from
                    && token.offset_to <= other.offset_to
                    && other.offset_to - other.offset_from > token.offset_to - token.offset_from
            })
        };
        self.kept = all.iter().filter(|token| !covered(token)).cloned().collect();
        Tokens::replaying(&mut self.kept)
    }
}

pub(crate) fn tokens_of(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    collect_into(analyzer, text, &mut tokens);
    tokens
}

/// `text`'s tokens into `tokens`, reusing the strings it already holds.
pub(super) fn collect_into(analyzer: &mut TextAnalyzer, text: &str, tokens: &mut Vec<Token>) {
    let mut stream = analyzer.token_stream(text);
    let mut count = 0;
    while stream.advance() {
        match tokens.get_mut(count) {
            Some(kept) => kept.clone_from(stream.token()),
            None => tokens.push(stream.token().clone()),
        }
        count += 1;
    }
    tokens.truncate(count);
}

/// The terms a text is indexed by (for tests, for explaining a match, for other engines).
pub fn terms(text: &str) -> Vec<String> {
    texts_of(tokens_of(&mut analyzer(), text))
}

/// The terms a query's words are searched by.
pub fn query_terms(text: &str) -> Vec<String> {
    texts_of(tokens_of(&mut query_analyzer(), text))
}

/// `terms` with each term's position, which phrases are matched by.
pub fn positioned_terms(text: &str) -> Vec<(usize, String)> {
    positioned(tokens_of(&mut analyzer(), text))
}

/// `query_terms` with each term's position.
pub fn positioned_query_terms(text: &str) -> Vec<(usize, String)> {
    positioned(tokens_of(&mut query_analyzer(), text))
}

fn texts_of(tokens: Vec<Token>) -> Vec<String> {
    tokens.into_iter().map(|token| token.text).collect()
}

fn positioned(tokens: Vec<Token>) -> Vec<(usize, String)> {
    tokens
        .into_iter()
        .map(|token| (token.position, token.text))
        .collect()
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

    /// A highlighted text is folded and rewritten by the document's builder and only segmented by
    /// its field's analyzer: the index holds the terms, at the positions, that analysing the text
    /// as written gives.
    #[test]
    fn text_ready_to_segment_gives_the_chains_terms_and_positions() {
        let (schema, fields) = crate::search::schema::jobs::schema();
        for text in [
            "高級軟體工程師（程式設計、資訊科技）",
            "Senior Data Analysts, 記憶體 and 伺服器 tuning",
            "软件工程师",
            "",
            "質素管理 C++ 3.5% İstanbul",
        ] {
            let mut doc = TantivyDocument::default();
            add_highlighted_text(
                &mut doc,
                text,
                fields.title,
                &[fields.title_words],
                fields.title_edits,
            );
            let stored = |field| {
                use tantivy::schema::Value;
                doc.get_first(field)
                    .and_then(|value| value.as_str())
                    .map(str::to_owned)
            };
            assert_eq!(stored(fields.title).as_deref(), Some(text), "stored as written");
            let ready = stored(fields.title_words).expect("the words' text");
            let words = tokens_of(&mut chain_of(Given::ReadyToSegment), &ready);
            assert_eq!(positioned(words), positioned_terms(text), "{text}");
            assert_eq!(
                stored(fields.title_edits),
                stored_edits(text),
                "{text}: edits stored when the vocabulary rewrote it"
            );
        }
        assert!(stored_edits("高級軟體工程師").is_some());
        assert!(schema.get_field_entry(fields.title_words).is_indexed());
        assert!(!schema.get_field_entry(fields.title).is_indexed());
    }

    #[test]
    fn remembered_texts_replay_the_chains_tokens() {
        let long = "加入我們位於灣仔的金融團隊。你將在深港跨境項目中運用數據分析、機器學習。我們重視責任心。";
        assert!(long.len() > MAX_REMEMBERED_BYTES);
        let mut remembering = analyzer();
        let mut plain = chain();
        for text in [
            "軟件工程師",
            "Data Analysts",
            "",
            "軟件工程師",
            long,
            "Data Analysts",
            "軟件工程師",
        ] {
            let given = tokens_of(&mut remembering, text);
            let expected = tokens_of(&mut plain, text);
            let key = |t: &Token| {
                (
                    t.text.clone(),
                    t.position,
                    t.offset_from,
                    t.offset_to,
                    t.position_length,
                )
            };
            assert_eq!(
                given.iter().map(key).collect::<Vec<_>>(),
                expected.iter().map(key).collect::<Vec<_>>(),
                "{text}"
            );
        }
        let mut direct = RememberingAnalyzer::new();
        for text in ["軟件工程師", "軟件工程師", "Data Analysts", long] {
            let mut stream = direct.token_stream(text);
            while stream.advance() {}
        }
        assert_eq!(
            direct.remembered.len(),
            2,
            "each short text once, the long one never"
        );
        assert!(direct.clone().remembered.is_empty());
    }

    #[test]
    fn a_query_keeps_the_longest_of_overlapping_words() {
        fn query_terms(text: &str) -> Vec<(String, usize)> {
            let tokens = tokens_of(&mut query_analyzer(), text);
            tokens
                .into_iter()
                .map(|token| (token.text, token.position))
                .collect()
        }
        // The index holds the parts and the whole; the query asks for the whole.
        assert!(
            terms("工程師").contains(&"工程".to_owned()),
            "{:?}",
            terms("工程師")
        );
        assert!(terms("工程師").contains(&"工程师".to_owned()));
        assert_eq!(query_terms("工程師"), vec![("工程师".to_owned(), 0)]);
        // Words side by side stay, with their positions (a phrase).
        let engineer = query_terms("软件工程师");
        assert!(engineer.len() >= 2, "{engineer:?}");
        assert!(engineer.windows(2).all(|w| w[0].1 < w[1].1), "{engineer:?}");
        for (term, _) in &engineer {
            assert!(terms("软件工程师").contains(term), "{term} is an index term too");
        }
        let words = |text| {
            query_terms(text)
                .into_iter()
                .map(|(term, _)| term)
                .collect::<Vec<_>>()
        };
        assert_eq!(words("中华人民共和国"), vec!["中华人民共和国"]);
        // A word the vocabulary rewrote is asked for as its Mainland word is, parts and all
        // (jieba splits 软件工程师 into 软件 and 工程师: a query for 軟體工程師 asks for both).
        for (other, mainland) in [
            ("程式設計", "程序设计"),
            ("軟體工程師", "软件工程师"),
            ("執業會計師", "注册会计师"),
        ] {
            assert_eq!(words(other), words(mainland), "{other}");
        }
        assert!(words("軟體工程師").len() >= 2, "{:?}", words("軟體工程師"));
        assert_eq!(words("Data Analysts"), vec!["data", "analyst"]);
    }

    /// The indexer only reads a remembered token; a caller that changes one changes its copy.
    #[test]
    fn changing_a_remembered_token_leaves_the_memory_as_analysed() {
        let mut analyzer = RememberingAnalyzer::new();
        let text = "Data Analysts";
        let analysed = tokens_of(&mut chain(), text);
        {
            let mut stream = analyzer.token_stream(text);
            while stream.advance() {
                stream.token_mut().text.push('!');
                assert!(stream.token().text.ends_with('!'), "{:?}", stream.token());
            }
        }
        let mut stream = analyzer.token_stream(text);
        let mut replayed = Vec::new();
        while stream.advance() {
            replayed.push(stream.token().clone());
        }
        assert_eq!(replayed, analysed);
    }

    #[test]
    fn the_memory_is_bounded() {
        let mut analyzer = RememberingAnalyzer::new();
        for n in 0..MAX_REMEMBERED + 10 {
            let text = format!("word{n}");
            let mut stream = analyzer.token_stream(&text);
            assert!(stream.advance());
            assert_eq!(stream.token().text, format!("word{n}"));
        }
        assert!(analyzer.remembered.len() <= MAX_REMEMBERED);
    }

    #[test]
    fn overlong_tokens_are_dropped() {
        let long = "x".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(terms(&format!("rust {long}")), vec!["rust"]);
    }
}
