//! What the indexes hold and how their text is read: the analysis chain shared by indexing and
//! querying, the schema and document of each index (built in one function per index), and the facts
//! stored with each document for matching to score.

pub mod analysis;
pub mod candidates;
pub mod facts;
pub mod jobs;
pub mod pairs;
pub mod vocabulary;

use std::sync::LazyLock;

use tantivy::schema::{IndexRecordOption, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::TokenizerManager;

use analysis::{analyzer_name, query_analyzer};

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

/// Registers what an index's fields are analysed with when documents are written.
pub fn register_analyzers(tokenizers: &TokenizerManager) {
    tokenizers.register(analyzer_name(), pairs::words_analyzer());
    tokenizers.register(pair_analyzer_name(), pairs::index_analyzer());
}

/// Registers what a query's words are analysed with, under the names of the fields' analyzers.
pub fn register_query_analyzers(tokenizers: &TokenizerManager) {
    tokenizers.register(analyzer_name(), query_analyzer());
    tokenizers.register(pair_analyzer_name(), pairs::query_pair_analyzer());
}
