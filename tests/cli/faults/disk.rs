//! The index directory on a disk that fills up or turns read-only. The directory is a small
//! tmpfs mounted for the test, so the failures are the kernel's own — ENOSPC when it is full,
//! EROFS when remounted read-only — which root cannot bypass the way it bypasses file
//! permissions. The database lives elsewhere (SQLite in the data directory, or PostgreSQL).
//!
//! While running, index writes failing make `/readyz` 503 with the reason, the API keeps
//! answering what the database serves, search keeps answering from the last commit, and all of
//! it recovers by itself when space returns. At start, the service refuses with a message naming
//! the directory and the cause, and exits (no panic, no half-started service).

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::free_port;
use crate::site::{Database, Service, Site, create_admin, marketplace};

/// A tmpfs mounted at a directory for the test's length.
struct Tmpfs {
    path: PathBuf,
}

impl Tmpfs {
    fn mount(path: &Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(path).unwrap();
        mount(&["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"], path);
        Tmpfs {
            path: path.to_owned(),
        }
    }

    fn filler(&self) -> PathBuf {
        self.path.join("disk-filler")
    }

    /// Writes a file until the file system says it is full; returns how much it took.
    fn fill(&self) -> u64 {
        let mut file = std::fs::File::create(self.filler()).unwrap();
        let chunk = vec![0u8; 64 * 1024];
        let mut written = 0;
        loop {
            match file.write(&chunk) {
                Ok(0) => break,
                Ok(n) => written += n as u64,
                Err(error) if error.raw_os_error() == Some(28) => break, // ENOSPC
                Err(error) => panic!("filling the disk: {error}"),
            }
        }
        // Partial pages too: one byte at a time until nothing more fits.
        while file.write(&[0]).is_ok_and(|n| n == 1) {
            written += 1;
        }
        written
    }

    fn free(&self) {
        std::fs::remove_file(self.filler()).unwrap();
    }

    /// Lays a read-only bind mount of the tmpfs over it, or lifts it. (A plain `remount,ro`
    /// is refused while the service holds files open for writing; the kernel's own
    /// errors=remount-ro is not, and this is what the service then meets: EROFS on every new
    /// write through the directory.)
    fn read_only(&self, yes: bool) {
        if yes {
            mount(&["--bind", &self.path.to_string_lossy()], &self.path);
            mount(&["-o", "remount,bind,ro"], &self.path);
        } else {
            // Lazily: files the service opened through the bind stay open on the tmpfs below.
            let output = Command::new("umount").arg("-l").arg(&self.path).output().unwrap();
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // The read-only bind, if a test failed with it in place, then the tmpfs.
        while Command::new("umount")
            .arg("-l")
            .arg(&self.path)
            .output()
            .is_ok_and(|o| o.status.success())
        {}
    }
}

fn mount(args: &[&str], path: &Path) {
    let output = Command::new("mount").args(args).arg(path).output().unwrap();
    assert!(
        output.status.success(),
        "mount {args:?} {} failed (the disk tests need root's right to mount a tmpfs): {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Waits (at most 30 s) until `/readyz` answers `status`; returns its body and how long it took.
async fn readiness(service: &Service, status: u16) -> (serde_json::Value, Duration) {
    let started = Instant::now();
    loop {
        let answer = service
            .send(reqwest::Method::GET, "/readyz", None, None)
            .await
            .unwrap();
        if answer.status == status {
            return (answer.body, started.elapsed());
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "/readyz stayed {} ({}), expected {status}",
            answer.status,
            answer.body
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// One fault while running: publishing keeps working, `/readyz` turns 503 naming `reason`, the
/// database-backed API and (stale) search keep answering; after `repair`, the index catches
/// up by itself. Returns (the jobs now open, time to 503, time to recover).
async fn ride_out(
    service: &Service,
    owner: &str,
    employer: &str,
    open: &mut HashSet<String>,
    reason: &str,
    repair: impl FnOnce(),
) -> (Duration, Duration) {
    let searchable_before = open.clone();
    for _ in 0..3 {
        let job = service
            .publish(owner, employer)
            .await
            .expect("publishing needs only the database");
        open.insert(job);
    }
    let (problem, noticed) = readiness(service, 503).await;
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(detail.contains(reason), "/readyz names the cause: {problem}");

    // The database still serves, and search still answers from its last commit.
    for job in open.iter() {
        let job = service.get(&format!("/api/v1/jobs/{job}"), None).await;
        assert_eq!(job["status"], "open");
    }
    assert_eq!(&service.open_job_ids(employer).await, open);
    let (_, found) = service.searched_job_ids().await;
    assert_eq!(found.into_iter().collect::<HashSet<_>>(), searchable_before);
    assert!(service.exited().is_none(), "the service keeps running");

    repair();
    let repaired = Instant::now();
    readiness(service, 200).await;
    service.wait_until_indexed().await;
    let recovered = repaired.elapsed();
    let (_, found) = service.searched_job_ids().await;
    assert_eq!(
        &found.into_iter().collect::<HashSet<_>>(),
        open,
        "the index caught up"
    );
    (noticed, recovered)
}

/// Starts `serve` expecting it to refuse; returns what it printed on stderr.
fn refused_start(site: &Site) -> String {
    let mut child = site
        .command()
        .args(["serve", "--bind", &format!("127.0.0.1:{}", free_port())])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the service started on an unwritable index directory");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut printed = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut printed).unwrap();
    assert_eq!(status.code(), Some(1), "a refusal, not a crash: {printed}");
    assert!(!super::shows_a_panic(&printed), "{printed}");
    printed
}

async fn index_disk_faults(database: Database, backend: &str) {
    let site = Site::new(database);
    let disk = Tmpfs::mount(&site.index_root(), "16m");
    create_admin(&site);
    let log = site.data_dir().with_extension("log");
    let service = Arc::new(site.serve_with(|command| {
        command.stderr(std::fs::File::create(&log).unwrap());
    }));
    let (owner, employer) = marketplace(&site, &service).await;
    let mut open = HashSet::new();
    open.insert(service.publish(&owner, &employer).await.unwrap());
    service.wait_until_indexed().await;

    let filled = disk.fill();
    let (full_noticed, full_recovered) = ride_out(
        &service,
        &owner,
        &employer,
        &mut open,
        "No space left on device",
        || disk.free(),
    )
    .await;
    disk.read_only(true);
    let (ro_noticed, ro_recovered) = ride_out(
        &service,
        &owner,
        &employer,
        &mut open,
        "Read-only file system",
        || disk.read_only(false),
    )
    .await;
    service.stop();
    let printed = std::fs::read_to_string(&log).unwrap();
    assert!(!super::shows_a_panic(&printed), "{printed}");
    assert!(
        printed.matches("search indexing failed").count() <= 2,
        "each failure is logged once, not at every poll:\n{printed}"
    );

    // At start: a clear refusal, then a normal start once the disk is writable again.
    disk.fill();
    let full = refused_start(&site);
    assert!(full.contains("No space left on device"), "{full}");
    assert!(
        full.contains(&site.index_root().display().to_string()),
        "names the directory: {full}"
    );
    disk.free();
    disk.read_only(true);
    let read_only = refused_start(&site);
    assert!(read_only.contains("Read-only file system"), "{read_only}");
    disk.read_only(false);
    let service = site.serve();
    let (_, found) = service.searched_job_ids().await;
    assert_eq!(found.into_iter().collect::<HashSet<_>>(), open);
    service.stop();

    println!(
        "index disk faults ({backend}): full disk ({} KiB filler on a 16 MiB tmpfs): /readyz 503 after \
         {} ms, recovered {} ms after space returned; read-only remount: 503 after {} ms, \
         recovered {} ms after rw; writes and reads answered throughout, {} jobs searchable at \
         the end; at start both refused with exit status 1: {:?} / {:?}",
        filled / 1024,
        full_noticed.as_millis(),
        full_recovered.as_millis(),
        ro_noticed.as_millis(),
        ro_recovered.as_millis(),
        open.len(),
        full.lines().last().unwrap_or_default(),
        read_only.lines().last().unwrap_or_default(),
    );
}

crate::on_both_databases!(a_full_or_read_only_index_disk, index_disk_faults);

/// SQLite's own file on a full disk: a write is refused with 503 (not 500), reads still answer,
/// and writes work again once space returns, without a restart.
#[tokio::test]
async fn a_full_sqlite_disk_refuses_writes_with_503_and_recovers() {
    let site = Site::new(Database::Sqlite);
    let disk = Tmpfs::mount(&site.data_dir(), "32m");
    create_admin(&site);
    let service = Arc::new(site.serve());
    let (owner, employer) = marketplace(&site, &service).await;
    let first = service.publish(&owner, &employer).await.unwrap();

    disk.fill();
    let body = crate::site::job_body(&employer, "Written to a full disk");
    let refused = service
        .send(
            reqwest::Method::POST,
            "/api/v1/jobs",
            Some(&owner),
            Some(body.clone()),
        )
        .await
        .unwrap();
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert_eq!(refused.content_type, "application/problem+json");
    assert!(refused.retry_after.is_some());
    assert_eq!(
        service.get(&format!("/api/v1/jobs/{first}"), None).await["status"],
        "open"
    );

    disk.free();
    let (status, job) = service.post("/api/v1/jobs", Some(&owner), body).await;
    assert_eq!(status, 201, "{job}");
    assert!(service.exited().is_none());
    service.stop();
    println!(
        "SQLite on a full disk: a write answered 503 ({}), reads 200; writes 201 again once space returned",
        refused.body["detail"]
    );
}
