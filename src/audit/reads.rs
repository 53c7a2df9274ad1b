//! Reads worth a record: agency staff see every candidate, so each of their looks at a person is
//! logged (who read whom, when) before the answer leaves. Only ids and page positions are written:
//! a search's text is free text and stays out.

use serde::Serialize;

use super::{Actor, Change, record};
use crate::db::Db;
use crate::error::AppError;

/// `candidate.read`: one candidate read by id.
pub const CANDIDATE_READ: &str = "candidate.read";
/// `talent_search.page`: one page of talent search, with the candidates it showed.
pub const TALENT_SEARCH_PAGE: &str = "talent_search.page";
/// `job_matches.page`: the candidates matched to a job, as shown.
pub const JOB_MATCHES_PAGE: &str = "job_matches.page";

/// The candidates one page showed, where in the results it was.
#[derive(Debug, Serialize)]
pub struct PageRead {
    pub candidate_ids: Vec<String>,
    pub offset: i64,
    pub limit: i64,
}

/// Records that agency staff read one candidate.
pub async fn record_candidate_read(db: &Db, actor: Actor, candidate_id: String) -> Result<(), AppError> {
    db.write(move |conn| {
        let change = Change {
            action: CANDIDATE_READ,
            target_type: "candidate",
            target_id: &candidate_id,
            before: None::<&()>,
            after: None::<&()>,
        };
        Ok(record(conn, &actor, change)?)
    })
    .await
}

/// Records one page of candidates shown to agency staff (`action`: [`TALENT_SEARCH_PAGE`]). No
/// one record is its target, so the entry names the reader as target (the listing by actor or by
/// target finds it); the candidates are in its `after`.
pub async fn record_page_read(
    db: &Db,
    actor: Actor,
    action: &'static str,
    page: PageRead,
) -> Result<(), AppError> {
    let reader_id = actor.user_id.clone().unwrap_or_default();
    db.write(move |conn| {
        let change = Change {
            action,
            target_type: "user",
            target_id: &reader_id,
            before: None::<&()>,
            after: Some(&page),
        };
        Ok(record(conn, &actor, change)?)
    })
    .await
}
