//! What the indexes hold and how their text is read: the analysis chain shared by indexing and
//! querying, and the schema and document of each index (built in one function per index).

pub mod analysis;
pub mod candidates;
pub mod jobs;
