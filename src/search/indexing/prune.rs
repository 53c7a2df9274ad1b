//! Pruning of the index events log. Every node follows the one log from its own position, and no
//! node knows where the others stand, so events go by age: applied events older than
//! `search.event_retention_days` are deleted, and only below this node's own positions (an
//! event its indexes have not applied yet stays, whatever its age). A node that was down for
//! longer finds its position before the oldest event kept and rebuilds its indexes from the
//! database (see `indexer`).
//!
//! Age is by the database's clock — events are stamped by it, and "now" is asked of it — so a
//! node's skewed clock moves nothing; and only the start of the log goes, up to the first event
//! still young, so even events whose times disagree with their order (stamped by nodes' clocks
//! before events took the database's) never leave a hole a lagging node would skip.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::db::Db;
use crate::index_events as events;
use crate::search::Search;
use crate::settings::SearchSettings;

/// Events deleted per transaction: keeps each one short (SQLite has a single writer).
const CHUNK: i64 = 5000;

/// Prunes every `prune_interval_secs` until shutdown; does nothing when retention is 0.
pub async fn run(db: Db, search: Arc<Search>, settings: SearchSettings, shutdown: watch::Receiver<bool>) {
    if settings.event_retention_days == 0 {
        return;
    }
    let retention = chrono::Duration::days(settings.event_retention_days.min(36_500) as i64);
    let every = Duration::from_secs(settings.prune_interval_secs.max(1));
    crate::background::every(every, shutdown, || {
        let (db, search) = (db.clone(), search.clone());
        async move {
            match prune(&db, &search, retention).await {
                Ok(0) => {}
                Ok(deleted) => tracing::info!(deleted, "old index events pruned"),
                Err(error) => tracing::warn!(%error, "pruning index events failed; trying again later"),
            }
        }
    })
    .await
}

/// Deletes the events older than `retention` that both indexes of this node have applied;
/// returns how many.
pub async fn prune(db: &Db, search: &Search, retention: chrono::Duration) -> anyhow::Result<usize> {
    let below = search
        .jobs()
        .applied_through()
        .min(search.candidates().applied_through());
    let end = db
        .read(move |conn| Ok(events::prune_end(conn, below, retention)?))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut deleted = 0;
    loop {
        let chunk = db
            .write(move |conn| Ok(events::prune(conn, end, CHUNK)?))
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        deleted += chunk;
        if chunk < CHUNK as usize {
            return Ok(deleted);
        }
    }
}
