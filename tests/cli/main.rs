//! The binary as an operator runs it: `serve` on a fresh data directory with the SQLite default,
//! `migrate`, `admin create`, graceful shutdown on SIGTERM, refusal of insecure production
//! settings (`serve`), `reindex` and a kill -9 in the middle of writes (`index`), and `serve
//! --demo` (`demo`), logs free of secrets and personal data (`logs`), two nodes on one database
//! (`nodes`), one-off commands that end by exiting, never by a signal (`exit`), and faults:
//! kill -9 under concurrent writes, a PostgreSQL crash, an SMTP outage, a full or read-only disk
//! (`faults`: a separate suite, built only with the `fault-tests` feature, since it needs root).

mod analyze;
mod demo;
mod exit;
#[cfg(feature = "fault-tests")]
mod faults;
mod index;
mod logs;
mod nodes;
mod serve;
mod site;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_talentbridge");

/// `cargo test` says in one line what it left out and how to run it.
#[cfg(not(feature = "fault-tests"))]
#[test]
#[ignore = "fault tests left out (they need root): sudo -E cargo test --features fault-tests --test cli faults (bash .ci/run sets them up)"]
fn fault_tests_are_a_separate_suite() {}

pub fn talentbridge(data_dir: &Path) -> Command {
    let mut command = Command::new(BINARY);
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("TALENTBRIDGE_ENV", "development")
        .env_remove("TALENTBRIDGE__DATABASE__URL")
        .env("TALENTBRIDGE__MAIL__TRANSPORT", "log")
        .env("RUST_LOG", "warn")
        .arg("--data-dir")
        .arg(data_dir);
    command
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Reads the child's output until `needle`, then keeps draining it so the child never writes
/// into a closed pipe.
pub fn wait_for_line(child: &mut Child, needle: &str) -> String {
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = String::new();
    while let Some(Ok(line)) = lines.next() {
        seen.push_str(&line);
        seen.push('\n');
        if line.contains(needle) {
            std::thread::spawn(move || lines.for_each(drop));
            return seen;
        }
    }
    panic!("the service ended before printing {needle:?}; it printed:\n{seen}");
}

pub fn get(port: u16, path: &str) -> Option<u16> {
    status_of(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
    )
}

/// The status of a POST of `body` as JSON.
pub fn post_json(port: u16, path: &str, body: &str) -> Option<u16> {
    status_of(
        port,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
}

/// Sends `request` as it is on a connection of its own and reads the answer's status.
fn status_of(port: u16, request: &str) -> Option<u16> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.write_all(request.as_bytes()).ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    answer.split_whitespace().nth(1)?.parse().ok()
}

/// A service that is killed if a test fails before it stops it, so no process outlives its test.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Stops a service with SIGTERM and waits for it.
pub fn stop(mut running: Running) {
    let status = Command::new("kill")
        .args(["-TERM", &running.0.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    while running.0.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the service did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}
