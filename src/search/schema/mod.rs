//! What the indexes hold and how their text is read: the analysis chain shared by indexing and
//! querying, the schema and document of each index (built in one function per index), and the facts
//! stored with each document for matching to score.

pub mod analysis;
pub mod candidates;
pub mod facts;
pub mod jobs;
pub mod vocabulary;

use tantivy::schema::{IndexRecordOption, TextFieldIndexing, TextOptions};

/// Options of a text field read through the analysis chain, with positions for phrases; stored
/// too where a hit shows or highlights it.
pub fn analyzed_text(stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analysis::analyzer_name())
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored { options.set_stored() } else { options }
}
