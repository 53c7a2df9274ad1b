//! Bulk inserts (demo data, a page's audit entries). `MultiConnection` has no batch insert, so
//! this reaches the backend's own connection and inserts a chunk of rows per statement.

/// Rows per statement: under PostgreSQL's 65,535 bind parameters and SQLite's 32,766 for the
/// widest row inserted this way (a demo row of about 20 columns).
pub const CHUNK: usize = 1000;

/// Inserts `rows` (a slice of `Insertable` rows) into `table`, `CHUNK` rows per statement.
macro_rules! bulk_insert {
    ($conn:expr, $table:path, $rows:expr) => {{
        use diesel::RunQueryDsl;
        for chunk in $rows.chunks($crate::db::bulk::CHUNK) {
            match &mut *$conn {
                $crate::db::DbConnection::Postgresql(pg) => {
                    diesel::insert_into($table).values(chunk).execute(pg)?;
                }
                $crate::db::DbConnection::Sqlite(lite) => {
                    diesel::insert_into($table).values(chunk).execute(lite)?;
                }
            }
        }
    }};
}

pub(crate) use bulk_insert;
