//! kill -9 while concurrent clients create and publish 5,000 jobs: after a restart every job a
//! client was told about is stored and searchable, nothing is stored twice, and the only jobs no
//! client heard of are those whose request was in flight at the kill.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Ledger, Load, reconcile, search_matches};
use crate::site::{Database, Site, create_admin, marketplace};

/// Jobs the clients set out to create; the kill comes when half of them were acknowledged.
const PLANNED: usize = 5_000;
const CLIENTS: usize = 16;

async fn survives_kill_9_under_concurrent_creates(database: Database, backend: &str) {
    let site = Site::new(database);
    create_admin(&site);
    let service = Arc::new(site.serve());
    let (owner, employer) = marketplace(&site, &service).await;

    let load = Load::new(service.clone(), &owner, &employer, PLANNED, false);
    let started = Instant::now();
    let clients = load.start(CLIENTS);
    load.wait_created(PLANNED / 2, Duration::from_secs(180)).await;
    service.kill_9();
    let killed_after = started.elapsed();
    let records = load.finish(clients).await;
    let ledger = Ledger::of(&records);

    let answered_otherwise: Vec<_> = records
        .iter()
        .filter(|r| r.status().is_some_and(|s| s != 200 && s != 201))
        .map(|r| (r.step, r.status(), r.title.clone()))
        .collect();
    assert!(
        answered_otherwise.is_empty(),
        "every answer before the kill was a success: {answered_otherwise:?}"
    );
    let in_flight = records.iter().filter(|r| r.status().is_none()).count();
    assert!(
        in_flight <= CLIENTS,
        "at most one request per client was in flight at the kill, got {in_flight}"
    );

    let restarted = Instant::now();
    let service = Arc::new(site.serve());
    let lag_at_start = service.get("/readyz", None).await["index_lag"].clone();
    service.wait_until_indexed().await;
    let caught_up = restarted.elapsed();
    let stored = reconcile(&service, &owner, &employer, &ledger).await;
    search_matches(&service, &stored.open).await;
    println!(
        "kill -9 under load ({backend}): {} clients, {PLANNED} creates planned, killed after {:.1} s; \
         {} requests sent ({} creates), {} creates answered 201, {} publishes answered 200, {} \
         requests without an answer (in flight at the kill: {} creates, of which {} landed); \
         {} jobs stored, {} open and searchable; lost writes {}, duplicates {}; index lag {} at \
         restart, search caught up {} ms after the restart",
        CLIENTS,
        killed_after.as_secs_f64(),
        ledger.sent,
        ledger.creates_sent(),
        ledger.created.len(),
        ledger.published.len(),
        in_flight,
        ledger.unanswered.len(),
        stored.landed_unacknowledged,
        stored.stored,
        stored.open.len(),
        stored.lost,
        stored.duplicates,
        lag_at_start,
        caught_up.as_millis(),
    );
    assert!(ledger.created.len() >= PLANNED / 2);
    service.stop();
}

crate::on_both_databases!(
    kill_9_under_5000_concurrent_creates,
    survives_kill_9_under_concurrent_creates
);
