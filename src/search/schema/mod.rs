//! What the indexes hold and how their text is read: the analysis chain shared by indexing and
//! querying, the schema and document of each index (built in one function per index), and the facts
//! stored with each document for matching to score.

pub mod analysis;
pub mod candidates;
pub mod facts;
pub mod jobs;
pub mod memory;
pub mod pairs;
pub mod places;
pub mod stems;
pub mod vocabulary;

use std::sync::LazyLock;

use tantivy::schema::{FieldType, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::TokenizerManager;
use tantivy::{Index, IndexBuilder, IndexSettings};

use analysis::{analyzer, analyzer_name, query_analyzer};

/// Options of a text field read through the analysis chain, with positions for phrases; stored
/// too where a hit shows or highlights it.
pub fn analyzed_text(stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analyzer_name())
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored { options.set_stored() } else { options }
}

/// Options of the field of word pairs beside a text field (see `pairs`): frequencies for
/// scoring, no positions (a pair is searched alone), nothing stored.
pub fn word_pairs() -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(pair_analyzer_name())
        .set_index_option(IndexRecordOption::WithFreqs);
    TextOptions::default().set_indexing_options(indexing)
}

/// The name the analyzer of the fields of word pairs is registered under. It follows the text
/// fields' analyzer, whose name changes with the vocabulary.
fn pair_analyzer_name() -> &'static str {
    static NAME: LazyLock<String> = LazyLock::new(|| format!("{}_pairs", analyzer_name()));
    &NAME
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
    if keeps_pairs(&index.schema()) {
        tokenizers.register(analyzer_name(), pairs::words_analyzer());
        tokenizers.register(pair_analyzer_name(), pairs::index_analyzer());
    } else {
        tokenizers.register(analyzer_name(), analyzer());
    }
}

fn keeps_pairs(schema: &Schema) -> bool {
    schema.fields().any(|(_, entry)| match entry.field_type() {
        FieldType::Str(options) => options
            .get_indexing_options()
            .is_some_and(|indexing| indexing.tokenizer() == pair_analyzer_name()),
        _ => false,
    })
}

/// Registers what a query's words are analysed with, under the names of the fields' analyzers.
pub fn register_query_analyzers(tokenizers: &TokenizerManager) {
    tokenizers.register(analyzer_name(), query_analyzer());
    tokenizers.register(pair_analyzer_name(), pairs::query_pair_analyzer());
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
        let mut words = index.tokenizers().get(analyzer_name()).unwrap();
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
