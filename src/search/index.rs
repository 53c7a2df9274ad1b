//! One tantivy index on disk: its single writer (used by the indexer task only), a reader that
//! the indexer reloads after each commit, and the id of the last event the index holds, kept in
//! the commit payload so a restart resumes exactly there.

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

use tantivy::directory::MmapDirectory;
use tantivy::schema::Schema;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

use super::analysis::{ANALYZER, analyzer};

/// Memory for the writer's in-RAM segments before it flushes.
const WRITER_MEMORY_BYTES: usize = 50_000_000;

pub struct SearchIndex {
    pub index: Index,
    pub reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    /// The committed position, read from disk once at open and kept in step by `apply`, so
    /// readiness probes and the indexer's polls do no file I/O on the async executor.
    applied: AtomicI64,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it with `schema` when absent. An index written with
    /// another schema is recreated empty (its events are replayed from the start).
    pub fn open(dir: &Path, schema: Schema) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let mut index = Index::open_or_create(MmapDirectory::open(dir)?, schema.clone());
        if let Err(tantivy::TantivyError::SchemaError(error)) = &index {
            tracing::warn!(%error, dir = %dir.display(), "index schema changed; rebuilding the index");
            std::fs::remove_dir_all(dir)?;
            std::fs::create_dir_all(dir)?;
            index = Index::create_in_dir(dir, schema);
        }
        let index = index?;
        index.tokenizers().register(ANALYZER, analyzer());
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY_BYTES)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let applied = index
            .load_metas()?
            .payload
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            applied: AtomicI64::new(applied),
        })
    }

    /// The last event id the committed index holds (0 for a new index).
    pub fn applied_through(&self) -> i64 {
        self.applied.load(Ordering::Acquire)
    }

    /// Runs `change` on the writer, then commits with `through` as the last applied event and
    /// makes the result visible to searchers. The changes and the position land together or
    /// not at all.
    pub fn apply(
        &self,
        through: i64,
        change: impl FnOnce(&mut IndexWriter<TantivyDocument>) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let mut writer = self
            .writer
            .lock()
            .map_err(|_| anyhow::anyhow!("index writer poisoned"))?;
        if let Err(error) = change(&mut writer) {
            writer.rollback()?;
            return Err(error);
        }
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&through.to_string());
        commit.commit()?;
        self.applied.store(through, Ordering::Release);
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }
}
