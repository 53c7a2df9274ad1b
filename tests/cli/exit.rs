//! One-off commands end by exiting, never by a signal: `admin create` on PostgreSQL died of
//! SIGSEGV after printing success in a few runs in a hundred (an r2d2 thread opening or closing a
//! libpq connection while OpenSSL's atexit cleanup ran; the process now ends with `_exit`).

use std::process::ExitStatus;

use super::site::{Database, PASSWORD, Site};

const RUNS: usize = 100;

/// The exit code, failing the test with the signal when a signal ended the process.
fn exit_code(status: ExitStatus, run: usize) -> Option<i32> {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), None, "run {run} ended by a signal: {status}");
    }
    status.code()
}

#[test]
fn admin_create_on_postgres_always_exits_by_itself() {
    let site = Site::new(Database::postgres());
    site.run(&["migrate"]);
    let create = |email: &str| {
        site.command()
            .args(["admin", "create", "--email", email, "--password", PASSWORD])
            .output()
            .unwrap()
    };
    for run in 0..RUNS {
        let output = create(&format!("admin{run}@example.com"));
        assert_eq!(
            exit_code(output.status, run),
            Some(0),
            "run {run}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("created with id"));
    }
    // The failing path ends the same way: an exit code, here 1 for an address in use.
    for run in 0..10 {
        let output = create(&format!("admin{run}@example.com"));
        assert_eq!(exit_code(output.status, run), Some(1));
        assert!(String::from_utf8_lossy(&output.stderr).contains("already exists"));
    }
}
