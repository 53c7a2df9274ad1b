//! Keeping the indexes a view of the database: the indexer applies the index events log
//! (`crate::index_events`) in order, a rebuild (`reindex`) writes fresh indexes beside the live
//! ones and swaps them in (`layout` says where they live on disk), and pruning trims the log.

pub mod indexer;
pub mod layout;
pub mod prune;
pub mod rebuild;
pub mod records;
