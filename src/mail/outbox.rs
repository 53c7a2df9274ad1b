//! The mail outbox: an email is a row written in the transaction of the change that causes it,
//! so a rolled-back change sends nothing and a committed one is never lost. Dispatchers on any
//! number of nodes claim rows with a lease; a row is marked sent only after the transport took it.

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::templates::Template;
use crate::db::DbConnection;
use crate::db::schema::mail_outbox::{self, dsl};
use crate::i18n::Locale;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mail_outbox)]
pub struct OutboxMail {
    pub id: String,
    pub recipient: String,
    pub template: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub created_at: NaiveDateTime,
    pub attempts: i32,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = mail_outbox)]
struct NewOutboxMail<'a> {
    id: &'a str,
    recipient: &'a str,
    template: &'a str,
    subject: &'a str,
    body_text: &'a str,
    body_html: &'a str,
    created_at: NaiveDateTime,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
}

/// Queues an email; call inside the transaction of the change it reports.
pub fn enqueue(
    conn: &mut DbConnection,
    recipient: &str,
    locale: Locale,
    template: &Template,
) -> QueryResult<()> {
    let rendered = template.render(locale);
    let now = Utc::now().naive_utc();
    diesel::insert_into(mail_outbox::table)
        .values(NewOutboxMail {
            id: &uuid::Uuid::new_v4().to_string(),
            recipient,
            template: template.name(),
            subject: &rendered.subject,
            body_text: &rendered.text,
            body_html: &rendered.html,
            created_at: now,
            attempts: 0,
            next_attempt_at: now,
        })
        .execute(conn)
        .map(drop)
}

/// Claims up to `limit` due emails for `lease`. The update is guarded by the same "unclaimed"
/// condition, so exactly one dispatcher wins each row, on any backend and across nodes; an expired lease (a dispatcher that
/// died mid-send) makes the row claimable again.
pub fn claim_due(conn: &mut DbConnection, limit: i64, lease: Duration) -> QueryResult<Vec<OutboxMail>> {
    let now = Utc::now().naive_utc();
    let claim = uuid::Uuid::new_v4().to_string();
    let unclaimed = dsl::claimed_until.is_null().or(dsl::claimed_until.lt(now));
    let due: Vec<String> = dsl::mail_outbox
        .select(dsl::id)
        .filter(dsl::sent_at.is_null())
        .filter(dsl::failed_at.is_null())
        .filter(dsl::next_attempt_at.le(now))
        .filter(unclaimed)
        .order((dsl::next_attempt_at, dsl::created_at))
        .limit(limit)
        .load(conn)?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(dsl::mail_outbox.filter(dsl::id.eq_any(due)).filter(unclaimed))
        .set((dsl::claimed_until.eq(now + lease), dsl::claimed_by.eq(&claim)))
        .execute(conn)?;
    dsl::mail_outbox
        .filter(dsl::claimed_by.eq(&claim))
        .order(dsl::created_at)
        .select(OutboxMail::as_select())
        .load(conn)
}

/// Marks an email sent and drops its body (see `drop_body`).
pub fn mark_sent(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(dsl::mail_outbox.find(id))
        .set((
            dsl::sent_at.eq(Utc::now().naive_utc()),
            dsl::claimed_until.eq(None::<NaiveDateTime>),
            dsl::attempts.eq(dsl::attempts + 1),
            dsl::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    drop_body(conn, id)
}

/// Empties the body of an email that will not be sent again. Bodies hold live reset,
/// verification and invitation links: kept, anyone reading the database or a backup could use
/// them. The row keeps what an operator needs (recipient, template, subject, times, attempts,
/// the last error; the Message-ID is `<id@talentbridge>`). Until then the body stays: a retry
/// sends it again.
fn drop_body(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(dsl::mail_outbox.find(id))
        .set((dsl::body_text.eq(""), dsl::body_html.eq("")))
        .execute(conn)
        .map(drop)
}

/// Records a failed attempt: retried later with exponential backoff, or given up on after
/// `max_attempts` (kept, with its last error but without its body, for an operator to see).
pub fn mark_failed(
    conn: &mut DbConnection,
    mail: &OutboxMail,
    error: &str,
    policy: &RetryPolicy,
) -> QueryResult<()> {
    let attempts = mail.attempts + 1;
    let now = Utc::now().naive_utc();
    let given_up = (attempts >= policy.max_attempts).then_some(now);
    diesel::update(dsl::mail_outbox.find(&mail.id))
        .set((
            dsl::attempts.eq(attempts),
            dsl::next_attempt_at.eq(now + policy.backoff(attempts)),
            dsl::claimed_until.eq(None::<NaiveDateTime>),
            dsl::failed_at.eq(given_up),
            dsl::last_error.eq(Some(truncate(error, 1000))),
        ))
        .execute(conn)?;
    match given_up {
        Some(_) => drop_body(conn, &mail.id),
        None => Ok(()),
    }
}

/// Emails neither sent nor given up on.
/// Erasure: every email to this address goes, sent or not. The rows hold the person's address
/// and words written to them; an unsent one would also reach a person who asked to be forgotten.
pub fn forget_recipient(conn: &mut DbConnection, recipient: &str) -> QueryResult<usize> {
    diesel::delete(dsl::mail_outbox.filter(dsl::recipient.eq(recipient))).execute(conn)
}

pub fn pending_count(conn: &mut DbConnection) -> QueryResult<i64> {
    dsl::mail_outbox
        .filter(dsl::sent_at.is_null())
        .filter(dsl::failed_at.is_null())
        .count()
        .get_result(conn)
}

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_attempts: i32,
    pub base: Duration,
    pub cap: Duration,
}

impl RetryPolicy {
    /// base · 2^(attempts−1), capped.
    pub fn backoff(&self, attempts: i32) -> Duration {
        let exponent = attempts.saturating_sub(1).clamp(0, 20) as u32;
        let delay = self.base.num_milliseconds().saturating_mul(1_i64 << exponent);
        Duration::milliseconds(delay.min(self.cap.num_milliseconds()))
    }
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let policy = RetryPolicy {
            max_attempts: 10,
            base: Duration::seconds(5),
            cap: Duration::minutes(1),
        };
        assert_eq!(policy.backoff(1), Duration::seconds(5));
        assert_eq!(policy.backoff(2), Duration::seconds(10));
        assert_eq!(policy.backoff(4), Duration::seconds(40));
        assert_eq!(policy.backoff(5), Duration::minutes(1));
        assert_eq!(policy.backoff(60), Duration::minutes(1));
    }
}
