//! `serve`, `migrate` and `admin create` on a fresh data directory; production checks.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{free_port, get, post_json, talentbridge, wait_for_line};

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

#[test]
fn outside_the_repository_development_makes_its_own_signing_key_and_mails_to_files() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let port = free_port();
    // No config/ here: the binary as someone runs it after `cargo install`.
    let mut child = talentbridge(&data_dir)
        .current_dir(dir.path())
        .env_remove("TALENTBRIDGE__AUTH__JWT_SECRET")
        .env_remove("TALENTBRIDGE_CONFIG_DIR")
        .env_remove("TALENTBRIDGE__MAIL__TRANSPORT")
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_line(&mut child, "API docs");
    let _running = super::Running(child);
    assert_eq!(get(port, "/readyz"), Some(200));
    let key = data_dir.join("jwt-secret");
    assert!(std::fs::read_to_string(&key).unwrap().trim().len() >= 32);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // Development's own layer is compiled in: a sign-up's email lands as a file to open.
    let registration = r#"{"email":"newcomer@example.com","password":"a-long-password-2026","role":"candidate","display_name":"Newcomer"}"#;
    assert_eq!(post_json(port, "/api/v1/auth/register", registration), Some(202));
    let mail_dir = data_dir.join("mail");
    let deadline = Instant::now() + Duration::from_secs(15);
    let emailed = loop {
        let emails: Vec<_> = std::fs::read_dir(&mail_dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|entry| entry.path().extension().is_some_and(|x| x == "eml"))
                    .collect()
            })
            .unwrap_or_default();
        // The file transport creates the file, then writes it: a file read at once may be empty.
        let written = emails
            .first()
            .map(|email| std::fs::read_to_string(email.path()).unwrap_or_default())
            .filter(|text| {
                mail_parser::MessageParser::default()
                    .parse(text.as_bytes())
                    .is_some_and(|message| message.body_text(0).is_some())
            });
        if let Some(written) = written {
            break written;
        }
        assert!(
            Instant::now() < deadline,
            "no written .eml file in {}",
            mail_dir.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(emailed.contains("newcomer@example.com"), "{emailed}");
}
