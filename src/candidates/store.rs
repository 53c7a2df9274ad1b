//! Queries on candidates and what they hold. Every function takes the connection, so callers
//! compose them inside one transaction. `find` and `find_by_user` are what other areas use.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::*;
use crate::db::DbConnection;
use crate::db::schema::{
    candidate_languages, candidate_skills, candidates, consents, credentials, work_authorizations,
};

/// A candidate by id, erased ones included (callers decide what an erased stub means to them).
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<CandidateRow>> {
    candidates::table
        .find(id)
        .select(CandidateRow::as_select())
        .first(conn)
        .optional()
}

/// The candidate profile of a user account, erased ones included.
pub fn find_by_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<Option<CandidateRow>> {
    candidates::table
        .filter(candidates::user_id.eq(user_id))
        .select(CandidateRow::as_select())
        .first(conn)
        .optional()
}

/// Candidates by id, erased ones included; missing ids are skipped.
pub fn find_many(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<CandidateRow>> {
    candidates::table
        .filter(candidates::id.eq_any(ids))
        .select(CandidateRow::as_select())
        .load(conn)
}

/// Up to `limit` candidates not erased with an id after `after`, by id (a keyset page).
pub fn live_after(conn: &mut DbConnection, after: &str, limit: i64) -> QueryResult<Vec<CandidateRow>> {
    candidates::table
        .filter(candidates::id.gt(after))
        .filter(candidates::erased_at.is_null())
        .order(candidates::id)
        .limit(limit)
        .select(CandidateRow::as_select())
        .load(conn)
}

/// How many candidates are not erased.
pub fn count_live(conn: &mut DbConnection) -> QueryResult<i64> {
    candidates::table
        .filter(candidates::erased_at.is_null())
        .count()
        .get_result(conn)
}

/// The credentials of several candidates in one query, by candidate.
pub fn credentials_of_many(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<CredentialRow>> {
    credentials::table
        .filter(credentials::candidate_id.eq_any(ids))
        .order((
            credentials::candidate_id,
            credentials::created_at,
            credentials::id,
        ))
        .select(CredentialRow::as_select())
        .load(conn)
}

/// The work authorisations of several candidates in one query, by candidate.
pub fn authorizations_of_many(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<Vec<WorkAuthorizationRow>> {
    work_authorizations::table
        .filter(work_authorizations::candidate_id.eq_any(ids))
        .order((
            work_authorizations::candidate_id,
            work_authorizations::created_at,
            work_authorizations::id,
        ))
        .select(WorkAuthorizationRow::as_select())
        .load(conn)
}

/// The languages of several candidates in one query, by candidate then code.
pub fn languages_of_many(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<LanguageRow>> {
    candidate_languages::table
        .filter(candidate_languages::candidate_id.eq_any(ids))
        .order((candidate_languages::candidate_id, candidate_languages::code))
        .select(LanguageRow::as_select())
        .load(conn)
}

/// The skills of several candidates in one query, by candidate then skill.
pub fn skills_of_many(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<SkillRow>> {
    candidate_skills::table
        .filter(candidate_skills::candidate_id.eq_any(ids))
        .order((candidate_skills::candidate_id, candidate_skills::skill_id))
        .select(SkillRow::as_select())
        .load(conn)
}

/// (candidate id, jurisdiction) for every active consent of several candidates, one pair per
/// jurisdiction.
pub fn consented_jurisdictions_of_many(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<Vec<(String, String)>> {
    consents::table
        .filter(consents::candidate_id.eq_any(ids))
        .filter(consents::withdrawn_at.is_null())
        .select((consents::candidate_id, consents::to_jurisdiction))
        .distinct()
        .order((consents::candidate_id, consents::to_jurisdiction))
        .load(conn)
}

pub fn insert(conn: &mut DbConnection, row: &CandidateRow) -> QueryResult<()> {
    diesel::insert_into(candidates::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn update(conn: &mut DbConnection, row: &CandidateRow) -> QueryResult<()> {
    diesel::update(candidates::table.find(&row.id))
        .set(row)
        .execute(conn)
        .map(drop)
}

pub fn languages(conn: &mut DbConnection, candidate_id: &str) -> QueryResult<Vec<LanguageRow>> {
    candidate_languages::table
        .filter(candidate_languages::candidate_id.eq(candidate_id))
        .order(candidate_languages::code)
        .select(LanguageRow::as_select())
        .load(conn)
}

pub fn skills(conn: &mut DbConnection, candidate_id: &str) -> QueryResult<Vec<SkillRow>> {
    candidate_skills::table
        .filter(candidate_skills::candidate_id.eq(candidate_id))
        .order(candidate_skills::skill_id)
        .select(SkillRow::as_select())
        .load(conn)
}

/// Replaces the languages and skills of a candidate with these.
pub fn replace_children(
    conn: &mut DbConnection,
    candidate_id: &str,
    languages: &[LanguageRow],
    skills: &[SkillRow],
) -> QueryResult<()> {
    delete_profile_children(conn, candidate_id)?;
    // One row at a time: diesel's MultiConnection has no batch insert (SQLite's differs).
    for language in languages {
        diesel::insert_into(candidate_languages::table)
            .values(language)
            .execute(conn)?;
    }
    for skill in skills {
        diesel::insert_into(candidate_skills::table)
            .values(skill)
            .execute(conn)?;
    }
    Ok(())
}

pub fn delete_profile_children(conn: &mut DbConnection, candidate_id: &str) -> QueryResult<()> {
    diesel::delete(candidate_languages::table.filter(candidate_languages::candidate_id.eq(candidate_id)))
        .execute(conn)?;
    diesel::delete(candidate_skills::table.filter(candidate_skills::candidate_id.eq(candidate_id)))
        .execute(conn)?;
    Ok(())
}

// Credentials.

pub fn credentials_of(conn: &mut DbConnection, candidate_id: &str) -> QueryResult<Vec<CredentialRow>> {
    credentials::table
        .filter(credentials::candidate_id.eq(candidate_id))
        .order((credentials::created_at, credentials::id))
        .select(CredentialRow::as_select())
        .load(conn)
}

/// A credential of this candidate: another candidate's is as good as absent.
pub fn credential(
    conn: &mut DbConnection,
    candidate_id: &str,
    id: &str,
) -> QueryResult<Option<CredentialRow>> {
    credentials::table
        .find(id)
        .filter(credentials::candidate_id.eq(candidate_id))
        .select(CredentialRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_credential(conn: &mut DbConnection, row: &CredentialRow) -> QueryResult<()> {
    diesel::insert_into(credentials::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn update_credential(conn: &mut DbConnection, row: &CredentialRow) -> QueryResult<()> {
    diesel::update(credentials::table.find(&row.id))
        .set(row)
        .execute(conn)
        .map(drop)
}

pub fn delete_credential(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(credentials::table.find(id))
        .execute(conn)
        .map(drop)
}

// Work authorisations.

pub fn authorizations_of(
    conn: &mut DbConnection,
    candidate_id: &str,
) -> QueryResult<Vec<WorkAuthorizationRow>> {
    work_authorizations::table
        .filter(work_authorizations::candidate_id.eq(candidate_id))
        .order((work_authorizations::created_at, work_authorizations::id))
        .select(WorkAuthorizationRow::as_select())
        .load(conn)
}

pub fn authorization(
    conn: &mut DbConnection,
    candidate_id: &str,
    id: &str,
) -> QueryResult<Option<WorkAuthorizationRow>> {
    work_authorizations::table
        .find(id)
        .filter(work_authorizations::candidate_id.eq(candidate_id))
        .select(WorkAuthorizationRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_authorization(conn: &mut DbConnection, row: &WorkAuthorizationRow) -> QueryResult<()> {
    diesel::insert_into(work_authorizations::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn update_authorization(conn: &mut DbConnection, row: &WorkAuthorizationRow) -> QueryResult<()> {
    diesel::update(work_authorizations::table.find(&row.id))
        .set(row)
        .execute(conn)
        .map(drop)
}

pub fn delete_authorization(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(work_authorizations::table.find(id))
        .execute(conn)
        .map(drop)
}

/// Removes every credential and work authorisation of a candidate (erasure).
pub fn delete_holdings(conn: &mut DbConnection, candidate_id: &str) -> QueryResult<()> {
    diesel::delete(credentials::table.filter(credentials::candidate_id.eq(candidate_id))).execute(conn)?;
    diesel::delete(work_authorizations::table.filter(work_authorizations::candidate_id.eq(candidate_id)))
        .execute(conn)?;
    Ok(())
}

// Consents: never deleted, only withdrawn.

pub fn consents_of(conn: &mut DbConnection, candidate_id: &str) -> QueryResult<Vec<ConsentRow>> {
    consents::table
        .filter(consents::candidate_id.eq(candidate_id))
        .order((consents::granted_at, consents::id))
        .select(ConsentRow::as_select())
        .load(conn)
}

pub fn consent(conn: &mut DbConnection, candidate_id: &str, id: &str) -> QueryResult<Option<ConsentRow>> {
    consents::table
        .find(id)
        .filter(consents::candidate_id.eq(candidate_id))
        .select(ConsentRow::as_select())
        .first(conn)
        .optional()
}

/// The jurisdictions a candidate currently consents to share with.
pub fn consented_jurisdictions(conn: &mut DbConnection, candidate_id: &str) -> QueryResult<Vec<String>> {
    consents::table
        .filter(consents::candidate_id.eq(candidate_id))
        .filter(consents::withdrawn_at.is_null())
        .select(consents::to_jurisdiction)
        .distinct()
        .load(conn)
}

pub fn active_consent_exists(
    conn: &mut DbConnection,
    candidate_id: &str,
    jurisdiction: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        consents::table
            .filter(consents::candidate_id.eq(candidate_id))
            .filter(consents::to_jurisdiction.eq(jurisdiction))
            .filter(consents::withdrawn_at.is_null()),
    ))
    .get_result(conn)
}

pub fn insert_consent(conn: &mut DbConnection, row: &ConsentRow) -> QueryResult<()> {
    diesel::insert_into(consents::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Withdraws one consent; false if it was withdrawn already (also by a concurrent request).
pub fn withdraw_consent(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(consents::table.find(id).filter(consents::withdrawn_at.is_null()))
        .set(consents::withdrawn_at.eq(now))
        .execute(conn)
        .map(|rows| rows == 1)
}

/// Withdraws every active consent of a candidate (erasure).
pub fn withdraw_all_consents(
    conn: &mut DbConnection,
    candidate_id: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        consents::table
            .filter(consents::candidate_id.eq(candidate_id))
            .filter(consents::withdrawn_at.is_null()),
    )
    .set(consents::withdrawn_at.eq(now))
    .execute(conn)
    .map(drop)
}
