//! Who reads a case and what they see: the agency every case and note, a candidate their own
//! case and the notes marked visible to them; and who may be assigned one.

use diesel::QueryResult;

use super::model::CaseRow;
use super::store;
use super::today;
use super::views::CaseView;
use crate::auth::{AuthUser, Role};
use crate::db::DbConnection;
use crate::error::AppError;

/// Who reads: the agency sees everything, a candidate only their own.
pub(super) enum Reader {
    Agency,
    Candidate(Option<String>),
}

pub(super) fn reader(conn: &mut DbConnection, user: &AuthUser) -> Result<Reader, AppError> {
    match user.role {
        Role::AgencyOfficer | Role::Admin => Ok(Reader::Agency),
        Role::Candidate => Ok(Reader::Candidate(
            crate::candidates::store::find_by_user(conn, &user.id)?.map(|c| c.id),
        )),
        Role::Employer => Err(AppError::Forbidden("employers have no access to cases".into())),
    }
}

/// The case if the reader may see it; 404 otherwise (a candidate never learns of another's case).
pub(super) fn visible_case(conn: &mut DbConnection, reader: &Reader, id: &str) -> Result<CaseRow, AppError> {
    let case = store::find_case(conn, id)?.ok_or(AppError::NotFound)?;
    match reader {
        Reader::Agency => Ok(case),
        Reader::Candidate(Some(own)) if *own == case.candidate_id => Ok(case),
        Reader::Candidate(_) => Err(AppError::NotFound),
    }
}

/// Cases as their reader sees them: tasks, and the notes the reader may read.
pub(super) fn views(
    conn: &mut DbConnection,
    reader: &Reader,
    rows: &[CaseRow],
) -> QueryResult<Vec<CaseView>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let tasks = store::tasks_of(conn, &ids)?;
    let notes = store::notes_of(conn, &ids, matches!(reader, Reader::Candidate(_)))?;
    let today = today();
    Ok(rows
        .iter()
        .map(|row| CaseView::of(row, &tasks, &notes, today))
        .collect())
}

pub(super) fn view(conn: &mut DbConnection, reader: &Reader, row: &CaseRow) -> QueryResult<CaseView> {
    Ok(views(conn, reader, std::slice::from_ref(row))?.remove(0))
}

/// An assignee must be agency staff who can sign in.
pub(super) fn check_assignee(conn: &mut DbConnection, user_id: &str) -> Result<(), AppError> {
    let role = store::active_role(conn, user_id)?;
    if role.as_deref().and_then(Role::parse).is_some_and(Role::is_agency) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "assignee_id",
            "must be an agency officer or admin",
        ))
    }
}
