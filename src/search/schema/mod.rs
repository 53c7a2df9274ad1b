//! What the indexes hold and how their text is read: the analysis chain shared by indexing and
//! querying, the schema and document of each index (built in one function per index), and the facts
//! stored with each document for matching to score.

pub mod analysis;
pub mod candidates;
pub mod facts;
pub mod jobs;
pub mod vocabulary;
