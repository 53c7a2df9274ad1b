//! What the indexes hold and how their text is read: the analysis chain shared by indexing and
//! querying, the schema and document of each index (built in one function per index), and the facts
//! stored with each document for matching to score.

pub mod analysis;
pub mod candidates;
pub mod facts;
pub mod jobs;
pub mod joined_values;
pub mod memory;
pub mod pairs;
pub mod places;
pub mod skill_words;
pub mod stems;
pub mod tokens;
pub mod vocabulary;

use std::sync::LazyLock;

use tantivy::schema::{FieldType, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};
use tantivy::{Index, IndexBuilder, IndexSettings};

use analysis::{Given, RememberingAnalyzer, analyzer_name, index_chain, query_analyzer};

/// Options of a text field read through the analysis chain, with positions for phrases, given
/// its text as written: nothing stored.
pub fn analyzed_text() -> TextOptions {
    words_of(Given::AsWritten)
}

/// Options of the indexed words of a highlighted text, which the document's builder folds and
/// rewrites (`analysis::add_highlighted_text`); the text as written is stored in a field of its
/// own.
pub fn segmented_text() -> TextOptions {
    words_of(Given::ReadyToSegment)
}

fn words_of(given: Given) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(words_analyzer_name(given))
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    TextOptions::default().set_indexing_options(indexing)
}

/// Options of the field of word pairs beside a text field (see `pairs`) given its text as
/// `given`: frequencies for scoring, no positions (a pair is searched alone), nothing stored.
pub fn word_pairs(given: Given) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(pair_analyzer_name(given))
        .set_index_option(IndexRecordOption::WithFreqs);
    TextOptions::default().set_indexing_options(indexing)
}

/// The name the words' analyzer for text given as `given` is registered under.
fn words_analyzer_name(given: Given) -> &'static str {
    static READY: LazyLock<String> = LazyLock::new(|| format!("{}_segmented", analyzer_name()));
    match given {
        Given::AsWritten => analyzer_name(),
        Given::ReadyToSegment => &READY,
    }
}

/// The name the analyzer of the fields of word pairs is registered under. It follows the text
/// fields' analyzer, whose name changes with the vocabulary.
fn pair_analyzer_name(given: Given) -> &'static str {
    static AS_WRITTEN: LazyLock<String> =
        LazyLock::new(|| format!("{}_pairs", words_analyzer_name(Given::AsWritten)));
    static READY: LazyLock<String> =
        LazyLock::new(|| format!("{}_pairs", words_analyzer_name(Given::ReadyToSegment)));
    match given {
        Given::AsWritten => &AS_WRITTEN,
        Given::ReadyToSegment => &READY,
    }
}

/// Stored documents are compressed in blocks of this many bytes. A hit's page reads one block
/// per hit, so a block holds few documents: at tantivy's 16 KiB, decompressing the blocks of a
/// page's 20 hits was 13 % of a search, and 4 KiB made searches 12 % faster for a store a third
/// larger (bench/changes.md).
pub const STORE_BLOCK_BYTES: usize = 4096;

/// How a new index of `schema` is created; an existing index keeps the settings it was created
/// with until it is rebuilt.
pub fn index_builder(schema: Schema) -> IndexBuilder {
    let settings = IndexSettings {
        docstore_blocksize: STORE_BLOCK_BYTES,
        ..IndexSettings::default()
    };
    Index::builder().schema(schema).settings(settings)
}

/// Registers what `index`'s fields are analysed with when documents are written. Only an index
/// with fields of pairs has its text fields hand their pairs over: in another, no field would
/// take them.
pub fn register_analyzers(index: &Index) {
    let tokenizers = index.tokenizers();
    let pairs = keeps_pairs(&index.schema());
    for given in Given::ALL {
        if pairs {
            tokenizers.register(words_analyzer_name(given), pairs::words_analyzer(given));
            tokenizers.register(pair_analyzer_name(given), pairs::index_analyzer(given));
        } else {
            let words = RememberingAnalyzer::with_chain(index_chain(given));
            tokenizers.register(words_analyzer_name(given), TextAnalyzer::from(words));
        }
    }
}

fn keeps_pairs(schema: &Schema) -> bool {
    let names = Given::ALL.map(pair_analyzer_name);
    schema.fields().any(|(_, entry)| match entry.field_type() {
        FieldType::Str(options) => options
            .get_indexing_options()
            .is_some_and(|indexing| names.contains(&indexing.tokenizer())),
        _ => false,
    })
}

/// Registers what a query's words are analysed with, under the names of the fields' analyzers:
/// a query is folded and rewritten whatever form the index was given its text in.
pub fn register_query_analyzers(tokenizers: &TokenizerManager) {
    for given in Given::ALL {
        tokenizers.register(words_analyzer_name(given), query_analyzer());
        tokenizers.register(pair_analyzer_name(given), pairs::query_pair_analyzer());
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::TokenStream;

    use super::*;

    /// Analyses `text` as `schema`'s index does when it writes a document, then takes back what
    /// the analysis handed over for it.
    fn handed_over_when_indexed(schema: Schema, text: &str) -> Option<Vec<tantivy::tokenizer::Token>> {
        let index = Index::create_in_ram(schema);
        register_analyzers(&index);
        let mut words = index
            .tokenizers()
            .get(words_analyzer_name(Given::ReadyToSegment))
            .unwrap();
        let mut stream = words.token_stream(text);
        while stream.advance() {}
        pairs::take_handed(text)
    }

    #[test]
    fn only_the_index_with_fields_of_pairs_hands_pairs_over() {
        assert!(keeps_pairs(&jobs::schema().0));
        assert!(!keeps_pairs(&candidates::schema().0));
        let text = "深港跨境项目中的软件工程师";
        assert!(
            handed_over_when_indexed(candidates::schema().0, text).is_none(),
            "nothing handed over"
        );
        assert!(
            handed_over_when_indexed(jobs::schema().0, text).is_some(),
            "handed to the field of pairs"
        );
    }
}
