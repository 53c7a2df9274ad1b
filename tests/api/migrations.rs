//! Each backend's migrations go up, down and up again, and the schema the code uses matches the
//! tables they create.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use talentbridge::auth::model::{LoginThrottle, RefreshToken, User, UserToken};
use talentbridge::db::schema::*;
use talentbridge::db::{ConnectionManager, DbConnection, revert_all_migrations, run_migrations};
use talentbridge::mail::outbox::OutboxMail;

fn round_trip(url: &str) {
    let manager = ConnectionManager::new(url, 5000).unwrap();
    let first = run_migrations(&manager).expect("up");
    assert!(!first.is_empty());
    let mut conn = manager.establish().unwrap();
    schema_matches(&mut conn);
    revert_all_migrations(&mut conn).expect("down");
    assert!(
        users::table.count().get_result::<i64>(&mut conn).is_err(),
        "tables remain after down"
    );
    let second = run_migrations(&manager).expect("up again");
    assert_eq!(first, second);
    schema_matches(&mut conn);
    // The shipped reference data loads, and loading it again changes nothing.
    assert!(talentbridge::registry::seed::apply(&mut conn).expect("seed"));
    assert!(!talentbridge::registry::seed::apply(&mut conn).expect("seed again"));
    assert!(skills::table.count().get_result::<i64>(&mut conn).unwrap() >= 300);
    // The default case templates load once; a direction that has one is left alone.
    let seeded = talentbridge::cases::templates::seed(&mut conn).expect("case templates");
    assert_eq!(seeded, ["CN_TO_HK", "HK_TO_CN"]);
    assert!(
        talentbridge::cases::templates::seed(&mut conn)
            .expect("again")
            .is_empty()
    );
}

/// Selecting every column the code knows fails if a migration lacks one.
fn schema_matches(conn: &mut DbConnection) {
    users::table
        .select(User::as_select())
        .load(conn)
        .expect("users matches schema.rs");
    user_tokens::table
        .select(UserToken::as_select())
        .load(conn)
        .expect("user_tokens matches");
    refresh_tokens::table
        .select(RefreshToken::as_select())
        .load(conn)
        .expect("refresh_tokens matches");
    login_throttles::table
        .select(LoginThrottle::as_select())
        .load(conn)
        .expect("login_throttles matches");
    mail_outbox::table
        .select(OutboxMail::as_select())
        .load(conn)
        .expect("mail_outbox matches");
    mail_outbox::table
        .select(mail_outbox::all_columns)
        .load::<MailOutboxAll>(conn)
        .expect("every outbox column");
    cases_match(conn);
}

fn cases_match(conn: &mut DbConnection) {
    use talentbridge::cases::model::{CaseRow, NoteRow, TaskRow, TemplateItemRow};
    case_templates::table
        .select(TemplateItemRow::as_select())
        .load(conn)
        .expect("case_templates matches");
    cases::table
        .select(CaseRow::as_select())
        .load(conn)
        .expect("cases matches");
    case_tasks::table
        .select(TaskRow::as_select())
        .load(conn)
        .expect("case_tasks matches");
    case_notes::table
        .select(NoteRow::as_select())
        .load(conn)
        .expect("case_notes matches");
    case_reminders::table
        .select(case_reminders::all_columns)
        .load::<(String, String, chrono::NaiveDate)>(conn)
        .expect("case_reminders matches");
    saved_searches::table
        .select(talentbridge::alerts::model::SavedSearchRow::as_select())
        .load(conn)
        .expect("saved_searches matches");
    saved_search_hits::table
        .select(saved_search_hits::all_columns)
        .load::<(String, String, chrono::NaiveDateTime)>(conn)
        .expect("saved_search_hits matches");
}

type MailOutboxAll = (
    String,
    String,
    String,
    String,
    String,
    String,
    chrono::NaiveDateTime,
    i32,
    chrono::NaiveDateTime,
    Option<chrono::NaiveDateTime>,
    Option<String>,
    Option<chrono::NaiveDateTime>,
    Option<chrono::NaiveDateTime>,
    Option<String>,
);

#[test]
fn sqlite_migrations_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    round_trip(&format!("sqlite://{}", dir.path().join("m.db").display()));
}

#[test]
fn postgres_migrations_round_trip() {
    let admin = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("tb_migrate_{}", uuid::Uuid::new_v4().simple());
    let mut admin_conn = PgConnection::establish(&admin).unwrap();
    admin_conn
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let mut url = url::Url::parse(&admin).unwrap();
    url.set_path(&format!("/{name}"));
    let result = std::panic::catch_unwind(|| round_trip(url.as_str()));
    admin_conn
        .batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .unwrap();
    result.unwrap();
}
