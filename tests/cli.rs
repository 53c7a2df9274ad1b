//! The binary as an operator runs it: `serve` on a fresh data directory with the SQLite default,
//! `migrate`, `admin create`, graceful shutdown on SIGTERM, and refusal of insecure production
//! settings.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_talentbridge");

fn talentbridge(data_dir: &Path) -> Command {
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

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Reads the child's output until `needle`, then keeps draining it so the child never writes
/// into a closed pipe.
fn wait_for_line(child: &mut Child, needle: &str) -> String {
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

fn get(port: u16, path: &str) -> Option<u16> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    answer.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn serve_starts_on_a_fresh_data_dir_and_stops_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let port = free_port();
    let mut command = talentbridge(&data_dir);
    let mut child = command
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let printed = wait_for_line(&mut child, "API docs");
    assert!(
        printed.contains(&format!("http://127.0.0.1:{port}/docs/")),
        "{printed}"
    );
    assert_eq!(get(port, "/healthz"), Some(200));
    assert_eq!(get(port, "/readyz"), Some(200));
    assert!(
        data_dir.join("talentbridge.db").exists(),
        "the SQLite default lives in the data dir"
    );

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "the service did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
}

#[test]
fn migrate_and_admin_create() {
    let dir = tempfile::tempdir().unwrap();
    let migrated = talentbridge(dir.path()).arg("migrate").output().unwrap();
    assert!(
        migrated.status.success(),
        "{}",
        String::from_utf8_lossy(&migrated.stderr)
    );
    assert!(String::from_utf8_lossy(&migrated.stdout).contains("migrations applied"));

    let args = [
        "admin",
        "create",
        "--email",
        "Root@Example.com",
        "--password",
        "harbour-lantern-31-crossing",
    ];
    let created = talentbridge(dir.path()).args(args).output().unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    assert!(String::from_utf8_lossy(&created.stdout).contains("admin root@example.com created"));

    let again = talentbridge(dir.path()).args(args).output().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    let weak = [
        "admin",
        "create",
        "--email",
        "x@example.com",
        "--password",
        "short",
    ];
    let refused = talentbridge(dir.path()).args(weak).output().unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--password must be at least 12"));
}

#[test]
fn production_refuses_to_start_without_its_own_secret_and_smtp() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = talentbridge(dir.path());
    let output = command
        .env("TALENTBRIDGE_ENV", "production")
        .env_remove("TALENTBRIDGE__AUTH__JWT_SECRET")
        .args(["serve", "--bind", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("TALENTBRIDGE__AUTH__JWT_SECRET"), "{stderr}");

    let mut command = talentbridge(dir.path());
    let output = command
        .env("TALENTBRIDGE_ENV", "production")
        .env(
            "TALENTBRIDGE__AUTH__JWT_SECRET",
            "a-long-enough-production-secret-0123456789",
        )
        .args(["serve", "--bind", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("TALENTBRIDGE__MAIL__TRANSPORT"));
}
