//! Where the indexes live on disk, and how a rebuilt index replaces the live one.
//!
//! `<data_dir>/index/` holds, per index, directories named `jobs-<unix nanos>` (or the legacy
//! `jobs/`) and a pointer file `jobs.current` naming the live one. A rebuild writes a new
//! directory, commits it, and only then replaces the pointer (temporary file, fsync, rename,
//! fsync of the parent): a reader of the pointer sees the old name or the new one, never a
//! half-written index. A directory is in use while someone holds its tantivy writer lock (the
//! serving process, or a rebuild still writing it); every other directory of ours is a leftover
//! (a replaced index, a crashed rebuild) and is removed when an index is opened or swapped.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use tantivy::directory::{Directory, INDEX_WRITER_LOCK, MmapDirectory};

use crate::index_events::Kind;

/// `<data_dir>/index`.
pub fn root(data_dir: &Path) -> PathBuf {
    data_dir.join("index")
}

/// The base name of an index's directories: `jobs`, `candidates`.
pub fn base(kind: Kind) -> &'static str {
    match kind {
        Kind::Job => "jobs",
        Kind::Candidate => "candidates",
    }
}

pub fn pointer_path(root: &Path, kind: Kind) -> PathBuf {
    root.join(format!("{}.current", base(kind)))
}

/// A new directory name for `kind`: `jobs-<unix nanos>`.
pub fn fresh_name(kind: Kind) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{}-{nanos}", base(kind))
}

/// Whether `name` is one of `kind`'s directory names: the legacy `jobs` or `jobs-<digits>`.
pub fn is_ours(kind: Kind, name: &str) -> bool {
    let base = base(kind);
    name == base
        || name
            .strip_prefix(base)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// The directory name the pointer holds, if there is a pointer and it names one of ours.
pub fn read_pointer(root: &Path, kind: Kind) -> io::Result<Option<String>> {
    match fs::read_to_string(pointer_path(root, kind)) {
        Ok(text) => {
            let name = text.trim();
            if is_ours(kind, name) {
                Ok(Some(name.to_owned()))
            } else {
                tracing::warn!(pointer = %text, "ignoring an index pointer that names no index directory");
                Ok(None)
            }
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// Makes `name` the live directory of `kind`, atomically and durably.
pub fn write_pointer(root: &Path, kind: Kind, name: &str) -> io::Result<()> {
    let pointer = pointer_path(root, kind);
    let temporary = root.join(format!("{}.current.tmp-{}", base(kind), std::process::id()));
    {
        let mut file = File::create(&temporary)?;
        file.write_all(name.as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()?;
    }
    fs::rename(&temporary, &pointer)?;
    // The rename itself is durable only once the directory holding it is.
    File::open(root)?.sync_all()
}

/// Whether `root` takes writes: a small file is written, synced and removed. A full or read-only
/// file system fails here with its own error, which is what a process running as root meets
/// whatever the permissions say, and what an operator needs to read. Blocking.
pub fn check_writable(root: &Path) -> io::Result<()> {
    let probe = root.join(format!(".write-probe-{}", std::process::id()));
    let written = File::create(&probe).and_then(|mut file| {
        file.write_all(&[0; 64 * 1024])?;
        file.sync_all()
    });
    let removed = fs::remove_file(&probe);
    written?;
    match removed {
        Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

/// The directory `Search::open` uses for `kind`: the one the pointer names when it exists, else
/// the legacy `jobs/` when it exists, else a new directory that the pointer is set to.
pub fn resolve(root: &Path, kind: Kind) -> io::Result<String> {
    if let Some(name) = live(root, kind)? {
        return Ok(name);
    }
    let name = fresh_name(kind);
    fs::create_dir_all(root.join(&name))?;
    write_pointer(root, kind, &name)?;
    Ok(name)
}

/// The directory of the live index of `kind`, when there is one.
pub fn live(root: &Path, kind: Kind) -> io::Result<Option<String>> {
    if let Some(name) = read_pointer(root, kind)?
        && root.join(&name).is_dir()
    {
        return Ok(Some(name));
    }
    Ok(root.join(base(kind)).is_dir().then(|| base(kind).to_owned()))
}

/// Whether some process (this one included) holds the writer lock of the index in `dir`.
pub fn in_use(dir: &Path) -> bool {
    // tantivy's lock is flock(2) on a file: per open file, released when its process dies, so
    // it tells a live writer from the remains of a crashed one.
    let Ok(directory) = MmapDirectory::open(dir) else {
        return false;
    };
    directory.acquire_lock(&INDEX_WRITER_LOCK).is_err()
}

/// Removes `kind`'s directories other than those in `keep` that nobody writes (replaced
/// indexes, crashed rebuilds) and stray temporary pointers; returns what was removed. Blocking.
pub fn remove_leftovers(root: &Path, kind: Kind, keep: &[&str]) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(root) else {
        return Vec::new();
    };
    let temporary_prefix = format!("{}.current.tmp-", base(kind));
    let mut removed = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let result = if name.starts_with(&temporary_prefix) {
            fs::remove_file(&path)
        } else if !keep.contains(&name.as_str()) && is_ours(kind, &name) && path.is_dir() && !in_use(&path) {
            fs::remove_dir_all(&path)
        } else {
            continue;
        };
        match result {
            Ok(()) => removed.push(path),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => tracing::warn!(%error, path = %path.display(), "cannot remove a leftover index"),
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_ours_only() {
        assert!(is_ours(Kind::Job, "jobs"));
        assert!(is_ours(Kind::Job, "jobs-1712345678901234567"));
        assert!(!is_ours(Kind::Job, "jobs-"));
        assert!(!is_ours(Kind::Job, "jobs-12x"));
        assert!(!is_ours(Kind::Job, "jobs.current"));
        assert!(!is_ours(Kind::Job, "candidates-1"));
        assert!(!is_ours(Kind::Job, "../jobs-1"));
        assert!(is_ours(Kind::Candidate, "candidates-1"));
    }

    #[test]
    fn the_pointer_decides_and_leftovers_go() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // A fresh root: a new directory, and the pointer names it.
        let first = resolve(root, Kind::Job).unwrap();
        assert!(first.starts_with("jobs-"));
        assert_eq!(
            read_pointer(root, Kind::Job).unwrap().as_deref(),
            Some(first.as_str())
        );
        assert_eq!(resolve(root, Kind::Job).unwrap(), first);

        // A replacement, a crashed rebuild and a stray temporary pointer.
        let second = format!("jobs-{}", u64::MAX);
        fs::create_dir_all(root.join(&second)).unwrap();
        fs::create_dir_all(root.join("jobs-1")).unwrap();
        fs::write(root.join("jobs.current.tmp-99"), "jobs-1").unwrap();
        fs::create_dir_all(root.join("candidates-1")).unwrap();
        write_pointer(root, Kind::Job, &second).unwrap();
        assert_eq!(resolve(root, Kind::Job).unwrap(), second);

        let mut removed = remove_leftovers(root, Kind::Job, &[&second]);
        removed.sort();
        let mut expected = vec![
            root.join(&first),
            root.join("jobs-1"),
            root.join("jobs.current.tmp-99"),
        ];
        expected.sort();
        assert_eq!(removed, expected);
        assert!(root.join(&second).is_dir());
        assert!(
            root.join("candidates-1").is_dir(),
            "another index's directories are not ours"
        );
    }

    #[test]
    fn a_directory_being_written_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let busy = root.join("jobs-5");
        fs::create_dir_all(&busy).unwrap();
        let directory = MmapDirectory::open(&busy).unwrap();
        let lock = directory.acquire_lock(&INDEX_WRITER_LOCK).unwrap();
        assert!(in_use(&busy));
        assert!(remove_leftovers(root, Kind::Job, &["jobs-6"]).is_empty());
        drop(lock);
        assert!(!in_use(&busy));
        assert_eq!(remove_leftovers(root, Kind::Job, &["jobs-6"]), vec![busy]);
    }

    #[test]
    fn the_legacy_directory_is_used_without_a_pointer() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("jobs")).unwrap();
        assert_eq!(resolve(dir.path(), Kind::Job).unwrap(), "jobs");
        // A pointer naming a directory that is gone falls back too.
        write_pointer(dir.path(), Kind::Job, "jobs-7").unwrap();
        assert_eq!(resolve(dir.path(), Kind::Job).unwrap(), "jobs");
    }
}
