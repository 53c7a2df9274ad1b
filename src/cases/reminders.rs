//! Deadline reminders: each assignee is emailed their overdue tasks, each candidate the tasks of
//! their cases waiting on them — through the outbox, at most once per task, recipient and day
//! (`case_reminders`, written in the same transaction as the email). A background task runs
//! this every `cases.reminder_interval_secs`; running it more often than daily is harmless.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::NaiveDate;
use tokio::sync::watch;

use super::model::TaskRow;
use super::store;
use crate::db::{Db, DbConnection};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::mail::{Template, outbox};

/// How many emails one run queued.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub officers: usize,
    pub candidates: usize,
}

/// Queues today's reminders. `base_url` is the front end's address, for the links.
pub async fn send_due_reminders(db: &Db, base_url: &str, today: NaiveDate) -> Result<Sent, AppError> {
    let base = base_url.trim_end_matches('/').to_owned();
    db.write(move |conn| {
        let mut sent = Sent::default();
        let officer_link = format!("{base}/agency/cases?overdue=true");
        for (assignee, tasks) in grouped(store::overdue_for_assignees(conn, today)?) {
            if remind(conn, &assignee, tasks, today, true, &officer_link)? {
                sent.officers += 1;
            }
        }
        let candidate_link = format!("{base}/cases");
        for (candidate_id, tasks) in grouped(store::waiting_on_candidates(conn)?) {
            let Some(candidate) =
                crate::candidates::store::find(conn, &candidate_id)?.filter(|c| c.erased_at.is_none())
            else {
                continue;
            };
            if remind(conn, &candidate.user_id, tasks, today, false, &candidate_link)? {
                sent.candidates += 1;
            }
        }
        Ok(sent)
    })
    .await
}

fn grouped(pairs: Vec<(String, TaskRow)>) -> BTreeMap<String, Vec<TaskRow>> {
    let mut groups: BTreeMap<String, Vec<TaskRow>> = BTreeMap::new();
    for (key, task) in pairs {
        groups.entry(key).or_default().push(task);
    }
    groups
}

/// Emails `recipient` the tasks not yet reminded to them today; returns whether a mail went.
fn remind(
    conn: &mut DbConnection,
    recipient: &str,
    tasks: Vec<TaskRow>,
    today: NaiveDate,
    officer: bool,
    link: &str,
) -> Result<bool, AppError> {
    let mut due = Vec::new();
    for task in tasks {
        if !store::reminded(conn, &task.id, recipient, today)? {
            due.push(task);
        }
    }
    let Some((email, locale)) = store::contact(conn, recipient)? else {
        return Ok(false);
    };
    if due.is_empty() {
        return Ok(false);
    }
    let locale: Locale = locale.parse().unwrap_or_default();
    let lines: Vec<String> = due
        .iter()
        .map(|t| match t.due_on {
            Some(date) => format!("{} ({date})", t.title().get(locale)),
            None => t.title().get(locale).to_owned(),
        })
        .collect();
    let template = if officer {
        Template::CaseTasksOverdue {
            tasks: lines,
            link: link.to_owned(),
        }
    } else {
        Template::CaseTasksWaiting {
            tasks: lines,
            link: link.to_owned(),
        }
    };
    outbox::enqueue(conn, &email, locale, &template)?;
    for task in &due {
        store::mark_reminded(conn, &task.id, recipient, today)?;
    }
    Ok(true)
}

/// The background task: reminds every `every`, first after one interval, until shutdown.
pub async fn run(db: Db, base_url: String, every: Duration, shutdown: watch::Receiver<bool>) {
    crate::background::every(every, shutdown, || {
        let (db, base_url) = (db.clone(), base_url.clone());
        async move {
            match send_due_reminders(&db, &base_url, super::today()).await {
                Ok(sent) if sent != Sent::default() => tracing::info!(?sent, "case reminders queued"),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "cannot send case reminders"),
            }
        }
    })
    .await
}
