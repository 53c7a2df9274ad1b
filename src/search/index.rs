//! One tantivy index on disk: its single writer (used by the indexer task only), a reader that
//! the indexer reloads after each commit, and the id of the last event the index holds, kept in
//! the commit payload so a restart resumes exactly there.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use tantivy::directory::MmapDirectory;
use tantivy::schema::Schema;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

use crate::search::facets::FacetTables;
use crate::search::schema::{index_builder, register_analyzers};

/// Memory for the writer's in-RAM segments before it flushes.
const WRITER_MEMORY_BYTES: usize = 50_000_000;

pub struct SearchIndex {
    pub index: Index,
    pub reader: IndexReader,
    /// Each segment's facet names and documents' ordinals (see `facets`).
    pub facet_tables: Arc<FacetTables>,
    /// `None` while the index is being dropped, and in an index opened read-only.
    writer: Mutex<Option<IndexWriter<TantivyDocument>>>,
    /// The committed position, read from disk once at open and kept in step by `apply`, so
    /// readiness probes and the indexer's polls do no file I/O on the async executor.
    applied: AtomicI64,
    /// Whether the index holds a commit of the indexer or of a rebuild; a new index, or one
    /// recreated for another schema, does not until the indexer has built it.
    committed: AtomicBool,
    dir: PathBuf,
    /// A number of this index's directory name: a rebuilt index, whose searcher generations
    /// start again from zero, has another.
    instance: u64,
    /// Replaced by a rebuilt index: the directory goes when the last holder lets go.
    retired: AtomicBool,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it with `schema` when absent. An index written with
    /// another schema is recreated empty; the indexer then builds it from the database.
    pub fn open(dir: &Path, schema: Schema) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let mut index = index_builder(schema.clone()).open_or_create(MmapDirectory::open(dir)?);
        if let Err(tantivy::TantivyError::SchemaError(error)) = &index {
            tracing::warn!(%error, dir = %dir.display(), "index schema changed; rebuilding the index");
            std::fs::remove_dir_all(dir)?;
            std::fs::create_dir_all(dir)?;
            index = index_builder(schema).create_in_dir(dir);
        }
        let index = index?;
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY_BYTES)?;
        Self::assemble(index, dir, Some(writer))
    }

    /// Opens the existing index in `dir` to search it only: no writer, so no writer lock, and
    /// another process (a running service) may keep writing it. Its reader shows what was
    /// committed when it was opened; `apply` fails on it. An index written with another schema
    /// is refused: its fields would be read as this schema's.
    pub fn open_read_only(dir: &Path, schema: &Schema) -> anyhow::Result<Self> {
        let index = Index::open_in_dir(dir)?;
        anyhow::ensure!(
            index.schema() == *schema,
            "the index in {} was written with another schema: rebuild it with `talentbridge reindex`",
            dir.display()
        );
        Self::assemble(index, dir, None)
    }

    fn assemble(
        index: Index,
        dir: &Path,
        writer: Option<IndexWriter<TantivyDocument>>,
    ) -> anyhow::Result<Self> {
        register_analyzers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let payload = index.load_metas()?.payload;
        let committed = payload.is_some();
        let applied = payload.and_then(|p| p.parse().ok()).unwrap_or(0);
        let opened = SearchIndex {
            index,
            reader,
            facet_tables: Arc::default(),
            writer: Mutex::new(writer),
            applied: AtomicI64::new(applied),
            committed: AtomicBool::new(committed),
            dir: dir.to_owned(),
            instance: instance_of(dir),
            retired: AtomicBool::new(false),
        };
        opened.read_facet_tables();
        Ok(opened)
    }

    /// Reads the facet tables of the segments the reader has now, as it opens and after each
    /// reload, so that the first search to meet a segment does not read a whole segment's
    /// facets (a million documents' after a rebuild or a merge).
    fn read_facet_tables(&self) {
        if let Err(error) = self.facet_tables.follow(&self.reader.searcher()) {
            // Nothing is lost: a search reads a table it lacks itself; this only spares it the wait.
            tracing::warn!(%error, dir = %self.dir.display(), "facet tables not read");
        }
    }

    /// The last event id the committed index holds (0 for a new index).
    pub fn applied_through(&self) -> i64 {
        self.applied.load(Ordering::Acquire)
    }

    /// Whether the index was ever committed. One that was not cannot be brought up to date by
    /// replaying the events log: the log need not hold an event for every record (pruned ones,
    /// rows written by `seed-demo` or restored from a backup).
    pub fn was_committed(&self) -> bool {
        self.committed.load(Ordering::Acquire)
    }

    /// What the searches answer from: the index instance and its searcher's generation, which
    /// changes with each reload after a commit.
    pub fn version(&self) -> (u64, u64) {
        (self.instance, self.reader.searcher().generation().generation_id())
    }

    /// The directory the index lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The name of its directory (`jobs-<nanos>`, or the legacy `jobs`).
    pub fn dir_name(&self) -> String {
        self.dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// Marks the index as replaced: when the last holder drops it (a search still running on
    /// it finishes first), its writer lock is released and its directory removed.
    pub fn retire(&self) {
        self.retired.store(true, Ordering::Release);
    }

    /// Runs `change` on the writer, then commits with `through` as the last applied event and
    /// makes the result visible to searchers. The changes and the position land together or
    /// not at all.
    pub fn apply(
        &self,
        through: i64,
        change: impl FnOnce(&mut IndexWriter<TantivyDocument>) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let mut guard = self
            .writer
            .lock()
            .map_err(|_| anyhow::anyhow!("index writer poisoned"))?;
        let writer = guard
            .as_mut()
            .ok_or_else(|| anyhow::anyhow!("index writer closed"))?;
        let applied = change(writer).and_then(|()| commit(writer, through));
        if let Err(error) = applied {
            // A failed commit (a full disk) leaves the writer's threads dead: a fresh writer from
            // the last commit lets the next attempt start clean.
            writer.rollback()?;
            return Err(error);
        }
        self.applied.store(through, Ordering::Release);
        self.committed.store(true, Ordering::Release);
        drop(guard);
        self.reader.reload()?;
        self.read_facet_tables();
        Ok(())
    }
}

/// Commits what the writer holds, with `through` as the last applied event.
fn commit(writer: &mut IndexWriter<TantivyDocument>, through: i64) -> anyhow::Result<()> {
    let mut commit = writer.prepare_commit()?;
    commit.set_payload(&through.to_string());
    commit.commit()?;
    Ok(())
}

/// Whether opening an index failed because another writer holds its lock (a `reindex` still
/// finishing it, or another process serving it).
pub fn lock_busy(error: &anyhow::Error) -> bool {
    matches!(
        error.downcast_ref::<tantivy::TantivyError>(),
        Some(tantivy::TantivyError::LockFailure(
            tantivy::directory::error::LockError::LockBusy,
            _
        ))
    )
}

impl Drop for SearchIndex {
    fn drop(&mut self) {
        if !self.retired.load(Ordering::Acquire) {
            return;
        }
        // The writer first: it holds the lock that marks the directory as in use.
        let writer = self
            .writer
            .get_mut()
            .map(Option::take)
            .unwrap_or_else(|poisoned| poisoned.into_inner().take());
        drop(writer);
        // Files still mapped by this index's reader stay readable after removal (POSIX); the
        // removal runs on a thread of its own so that whoever drops the last handle, even an
        // async task, never waits on the file system.
        let dir = self.dir.clone();
        let removal = std::thread::Builder::new()
            .name("index-removal".into())
            .spawn(move || match std::fs::remove_dir_all(&dir) {
                Ok(()) => tracing::info!(dir = %dir.display(), "replaced index removed"),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => {
                    tracing::warn!(%error, dir = %dir.display(), "cannot remove a replaced index")
                }
            });
        if let Err(error) = removal {
            tracing::warn!(%error, "cannot start the removal of a replaced index; the next start removes it");
        }
    }
}

fn instance_of(dir: &Path) -> u64 {
    let mut hasher = DefaultHasher::new();
    dir.hash(&mut hasher);
    hasher.finish()
}

/// A search that failed inside tantivy: the server's fault, never the caller's.
pub fn unexpected(error: tantivy::TantivyError) -> crate::error::AppError {
    crate::error::AppError::Unexpected(anyhow::anyhow!("search failed: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::IndexSettings;

    use crate::search::schema::STORE_BLOCK_BYTES;
    use tantivy::schema::{STORED, STRING};

    #[test]
    fn a_read_only_open_refuses_an_index_of_another_schema() {
        let dir = tempfile::tempdir().unwrap();
        let mut written = Schema::builder();
        written.add_text_field("id", STRING | STORED);
        Index::create_in_dir(dir.path(), written.build()).unwrap();
        let mut expected = Schema::builder();
        expected.add_text_field("key", STRING | STORED);
        let refused = SearchIndex::open_read_only(dir.path(), &expected.build())
            .err()
            .unwrap();
        assert!(refused.to_string().contains("another schema"), "{refused}");
        let mut same = Schema::builder();
        same.add_text_field("id", STRING | STORED);
        assert!(SearchIndex::open_read_only(dir.path(), &same.build()).is_ok());
    }

    /// A new index, and one recreated for another schema, store documents in small blocks; an
    /// existing index keeps its own settings (they are in its meta file).
    #[test]
    fn new_indexes_store_documents_in_small_blocks() {
        let block = |index: &SearchIndex| index.index.settings().docstore_blocksize;
        let dir = tempfile::tempdir().unwrap();
        let mut first = Schema::builder();
        first.add_text_field("id", STRING | STORED);
        let created = SearchIndex::open(dir.path(), first.build()).unwrap();
        assert_eq!(block(&created), STORE_BLOCK_BYTES);
        drop(created);

        let mut second = Schema::builder();
        second.add_text_field("key", STRING | STORED);
        let recreated = SearchIndex::open(dir.path(), second.build()).unwrap();
        assert_eq!(block(&recreated), STORE_BLOCK_BYTES);
        drop(recreated);

        let older = tempfile::tempdir().unwrap();
        let mut schema = Schema::builder();
        schema.add_text_field("id", STRING | STORED);
        let schema = schema.build();
        Index::create_in_dir(older.path(), schema.clone()).unwrap();
        let kept = SearchIndex::open(older.path(), schema).unwrap();
        assert_eq!(block(&kept), IndexSettings::default().docstore_blocksize);
    }
}
