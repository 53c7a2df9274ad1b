//! PostgreSQL stopped (immediate shutdown: a crash) and started again while clients create,
//! publish and search: during the outage every write fails fast with 503 problem+json, job
//! search keeps answering from the index (it reads no row), and `/readyz` says 503; afterwards the same service process recovers by itself and no
//! acknowledged write is lost. The server is a private one, never the shared cluster.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::{Ledger, Load, Outcome, Record, Step, reconcile, search_matches};
use crate::free_port;
use crate::site::{Database, Service, Site, create_admin, marketplace};

/// A PostgreSQL server of the test's own: a cluster made with `initdb` in a temporary
/// directory, run as the `postgres` user on a free port, stopped and removed with the test.
pub struct PrivatePostgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
}

impl PrivatePostgres {
    pub fn start() -> PrivatePostgres {
        let output = Command::new("pg_config").arg("--bindir").output();
        let output = output.expect("pg_config (PostgreSQL's server package) is installed");
        let bin = PathBuf::from(String::from_utf8(output.stdout).unwrap().trim());
        let dir = tempfile::tempdir().unwrap();
        run(Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(dir.path()));
        let server = PrivatePostgres {
            dir,
            bin,
            port: free_port(),
        };
        run(server
            .as_postgres("initdb")
            .args([
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
                "--no-sync",
                "-D",
            ])
            .arg(server.data()));
        server.start_again();
        server
    }

    pub fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// `pg_ctl stop -m immediate`: every backend is killed without a checkpoint, as in a crash;
    /// the next start recovers from the write-ahead log.
    pub fn crash(&self) {
        run(self.pg_ctl().args(["stop", "-m", "immediate", "-w"]));
    }

    pub fn start_again(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.path().display()
        );
        run(self
            .pg_ctl()
            .args(["start", "-w", "-t", "60", "-o", &options, "-l"])
            .arg(self.dir.path().join("server.log")));
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn pg_ctl(&self) -> Command {
        let mut command = self.as_postgres("pg_ctl");
        command.arg("-D").arg(self.data());
        command
    }

    /// A server program run as the `postgres` user (PostgreSQL refuses to run as root).
    fn as_postgres(&self, program: &str) -> Command {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(self.bin.join(program));
        command.current_dir(self.dir.path());
        command
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let _ = self.pg_ctl().args(["stop", "-m", "immediate", "-w"]).output();
    }
}

fn run(command: &mut Command) {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{command:?} failed ({}): {}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// How long the database stays down.
const OUTAGE: Duration = Duration::from_secs(5);
/// A request answered later than this counts as hanging: longer than the pool's whole wait for a
/// connection (`database.connect_timeout_secs`, 5 s), which a request meets only while the
/// database seems up. (Answers during the outage take a fraction of it; the test prints the
/// slowest.)
const BOUND: Duration = Duration::from_secs(6);

/// What `/readyz` said: when asked, when answered, status, body.
type Readiness = (Instant, Instant, u16, serde_json::Value);

/// `/readyz` every 100 ms until told to stop.
async fn probe_readiness(service: Arc<Service>, stop: Arc<AtomicBool>) -> Vec<Readiness> {
    let mut seen = Vec::new();
    while !stop.load(Ordering::Acquire) {
        let asked = Instant::now();
        let answer = service
            .send(reqwest::Method::GET, "/readyz", None, None)
            .await
            .unwrap();
        seen.push((asked, Instant::now(), answer.status, answer.body));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    seen
}

#[tokio::test]
async fn the_service_rides_out_a_postgres_restart_under_load() {
    let postgres = PrivatePostgres::start();
    let site = Site::new(Database::postgres_on(&postgres.admin_url()));
    create_admin(&site);
    let log = site.data_dir().with_extension("log");
    let service = Arc::new(site.serve_with(|command| {
        command.stderr(std::fs::File::create(&log).unwrap());
    }));
    let (owner, employer) = marketplace(&site, &service).await;

    let load = Load::new(service.clone(), &owner, &employer, 100_000, true);
    let clients = load.start(8);
    let stop_probe = Arc::new(AtomicBool::new(false));
    let probe = tokio::spawn(probe_readiness(service.clone(), stop_probe.clone()));
    load.wait_created(100, Duration::from_secs(60)).await;

    // pg_ctl blocks: off the runtime, so the clients keep going meanwhile.
    let postgres = Arc::new(postgres);
    let down = Instant::now();
    let server = postgres.clone();
    tokio::task::spawn_blocking(move || server.crash()).await.unwrap();
    let stopped = Instant::now();
    tokio::time::sleep(OUTAGE).await;
    // The server may take connections before `pg_ctl start -w` returns, so the outage is
    // judged to end when the start is asked for, not when it is reported done.
    let starting = Instant::now();
    let server = postgres.clone();
    tokio::task::spawn_blocking(move || server.start_again())
        .await
        .unwrap();
    let up = Instant::now();
    let recovered = wait_for_a_write_after(&load, up).await;
    // Some more load after the recovery, then the books.
    let created_then = load.created();
    load.wait_created(created_then + 100, Duration::from_secs(60))
        .await;
    let records = load.finish(clients).await;
    stop_probe.store(true, Ordering::Release);
    let readiness = probe.await.unwrap();

    assert!(service.exited().is_none(), "the service kept running");
    let outage = Outage { stopped, starting };
    let during = outage.check_requests(&records);
    let not_ready = outage.check_readiness(&readiness);
    let ledger = Ledger::of(&records);
    let stored = reconcile(&service, &owner, &employer, &ledger).await;
    search_matches(&service, &stored.open).await;
    let printed = std::fs::read_to_string(&log).unwrap();
    assert!(!super::shows_a_panic(&printed), "no panic:\n{printed}");

    let failed: usize = records
        .iter()
        .filter(|r| r.status().is_some_and(|s| s >= 400))
        .count();
    println!(
        "PostgreSQL restart under load: 8 clients creating, publishing and searching; database \
         down {:.1} s (stop took {} ms, start {} ms); {} requests sent, {} failed (all 503 \
         problem+json with Retry-After), {} during the outage, slowest of them {} ms; /readyz 503 \
         {} times while down; first write acknowledged {} ms after the database was back; {} \
         creates acknowledged, {} stored ({} landed though answered 503), lost writes {}, \
         duplicates {}",
        (up - down).as_secs_f64(),
        (stopped - down).as_millis(),
        (up - stopped).saturating_sub(OUTAGE).as_millis(),
        records.len(),
        failed,
        during.count,
        during.slowest.as_millis(),
        not_ready,
        recovered.as_millis(),
        ledger.created.len(),
        stored.stored,
        stored.landed_unacknowledged,
        stored.lost,
        stored.duplicates,
    );
    service.stop();
}

/// Waits (at most 30 s) for a create answered 201 that was sent after `up`; returns how long
/// after `up` it was answered.
async fn wait_for_a_write_after(load: &Load, up: Instant) -> Duration {
    let deadline = up + Duration::from_secs(30);
    loop {
        let first = load
            .records()
            .iter()
            .filter(|r| r.started >= up && r.status() == Some(201))
            .map(|r| r.ended)
            .min();
        if let Some(ended) = first {
            return ended - up;
        }
        assert!(
            Instant::now() < deadline,
            "no write succeeded within 30 s of the database's return"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

struct Outage {
    /// The database was down from here…
    stopped: Instant,
    /// …at least until here, when it was told to start.
    starting: Instant,
}

struct During {
    count: usize,
    slowest: Duration,
}

impl Outage {
    /// Every request got an answer within the bound; every failure is a 503 problem with
    /// Retry-After (never a 500); every write made and answered while the database was down
    /// failed that way, and every job search then was answered (200) from the index. Reports
    /// every kind of violation at once, with a count and an example.
    fn check_requests(&self, records: &[Record]) -> During {
        let mut during = During {
            count: 0,
            slowest: Duration::ZERO,
        };
        let mut problems: BTreeMap<String, (usize, String)> = BTreeMap::new();
        let stopped = self.stopped;
        let mut problem = |what: String, record: &Record| {
            let when = record.started.duration_since(stopped.min(record.started));
            let example = format!("{record:?}, sent {when:?} after the database stopped");
            problems.entry(what).or_insert((0, example)).0 += 1;
        };
        for record in records {
            let Outcome::Answered {
                status,
                content_type,
                retry_after,
                detail,
                ..
            } = &record.outcome
            else {
                problem("no answer".into(), record);
                continue;
            };
            if record.took() > BOUND {
                problem(format!("slower than {BOUND:?}"), record);
            }
            if *status >= 400 {
                if *status != 503 {
                    problem(format!("{status} instead of 503"), record);
                }
                if content_type != "application/problem+json" {
                    problem("not problem+json".into(), record);
                }
                if detail.contains("127.0.0.1") {
                    problem("the database's address in a problem".into(), record);
                }
                if retry_after.is_none() {
                    problem("503 without Retry-After".into(), record);
                }
            }
            if record.started >= self.stopped && record.ended <= self.starting {
                let expected = if record.step == Step::Search { 200 } else { 503 };
                if *status != expected {
                    problem(
                        format!("{status} for {:?} while the database was down", record.step),
                        record,
                    );
                }
                during.count += 1;
                during.slowest = during.slowest.max(record.took());
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
        assert!(during.count > 0, "requests were made during the outage");
        during
    }

    /// `/readyz` answered 503 whenever asked while the database was down; returns how often.
    fn check_readiness(&self, readiness: &[Readiness]) -> usize {
        let mut not_ready = 0;
        for (asked, answered, status, _) in readiness {
            if *asked >= self.stopped && *answered <= self.starting {
                assert_eq!(*status, 503, "/readyz while the database is down");
                not_ready += 1;
            }
        }
        assert!(not_ready > 0, "/readyz was asked during the outage");
        let last = readiness.last().unwrap();
        assert_eq!(last.2, 200, "ready again after the outage: {}", last.3);
        not_ready
    }
}
