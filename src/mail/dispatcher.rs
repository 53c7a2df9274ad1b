//! The background sender: drains the outbox, retrying with backoff, until shutdown.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use lettre::message::Mailbox;
use tokio::sync::{Notify, watch};

use super::outbox::{self, OutboxMail, RetryPolicy};
use super::transport::Transport;
use crate::db::Db;
use crate::error::AppError;
use crate::settings::MailSettings;

/// How long a claim lasts: longer than any single send can take (SMTP timeout is 15 s).
const LEASE_SECS: i64 = 60;

pub struct Dispatcher {
    db: Db,
    transport: Transport,
    from: Mailbox,
    batch_size: i64,
    poll_interval: Duration,
    retry: RetryPolicy,
    wakeup: Arc<Notify>,
}

impl Dispatcher {
    pub fn new(
        db: Db,
        settings: &MailSettings,
        data_dir: &Path,
        wakeup: Arc<Notify>,
    ) -> anyhow::Result<Self> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("mail.from {:?} is not a valid mailbox: {e}", settings.from))?;
        Ok(Self {
            db,
            transport: Transport::from_settings(settings, data_dir)?,
            from,
            batch_size: settings.batch_size.max(1),
            poll_interval: Duration::from_millis(settings.poll_interval_ms.max(10)),
            retry: RetryPolicy {
                max_attempts: settings.max_attempts.max(1),
                base: chrono::Duration::seconds(settings.retry_base_secs.max(1)),
                cap: chrono::Duration::seconds(settings.retry_cap_secs.max(1)),
            },
            wakeup,
        })
    }

    /// Runs until `shutdown` turns true; wakes early when a new email is queued.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        tracing::info!(transport = %self.transport.describe(), "mail dispatcher started");
        loop {
            let sent_full_batch = match self.dispatch_batch().await {
                Ok(count) => count as i64 == self.batch_size,
                Err(error) => {
                    tracing::warn!(%error, "mail dispatch round failed; will retry");
                    false
                }
            };
            if sent_full_batch {
                continue;
            }
            tokio::select! {
                _ = self.wakeup.notified() => {}
                _ = tokio::time::sleep(self.poll_interval) => {}
                _ = shutdown.changed() => {}
            }
            if *shutdown.borrow() {
                break;
            }
        }
        tracing::info!("mail dispatcher stopped");
    }

    /// Claims and sends one batch; returns how many were claimed.
    pub async fn dispatch_batch(&self) -> Result<usize, AppError> {
        let limit = self.batch_size;
        let batch = self
            .db
            .write(move |conn| {
                Ok(outbox::claim_due(
                    conn,
                    limit,
                    chrono::Duration::seconds(LEASE_SECS),
                )?)
            })
            .await?;
        let claimed = batch.len();
        for mail in batch {
            self.deliver(mail).await?;
        }
        Ok(claimed)
    }

    async fn deliver(&self, mail: OutboxMail) -> Result<(), AppError> {
        match self.transport.send(&self.from, &mail).await {
            Ok(()) => {
                let id = mail.id.clone();
                self.db.write(move |conn| Ok(outbox::mark_sent(conn, &id)?)).await
            }
            Err(error) => {
                let message = error.to_string();
                tracing::warn!(mail_id = %mail.id, attempts = mail.attempts + 1, error = %message, "email not sent");
                let retry = self.retry;
                self.db
                    .write(move |conn| Ok(outbox::mark_failed(conn, &mail, &message, &retry)?))
                    .await
            }
        }
    }
}
