//! Search indexes as an operator meets them: `reindex`, and a kill -9 in the middle of writes.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::site::{Database, Site, create_admin, marketplace};
/// Publishes from two clients at once until the service stops answering; kills it with SIGKILL
/// once `before_kill` jobs are published, restarts it on the same data directory, and checks
/// that search finds exactly the open jobs of the database, each once.
async fn survives_kill_9(database: Database) {
    let site = Site::new(database);
    create_admin(&site);
    let service = site.serve();
    let (owner, employer) = marketplace(&site, &service).await;

    let service = Arc::new(service);
    let publishers: Vec<_> = (0..2)
        .map(|_| {
            let (service, owner, employer) = (service.clone(), owner.clone(), employer.clone());
            tokio::spawn(async move {
                let mut published = Vec::new();
                // Bounded: the service is killed long before.
                while published.len() < 10_000 {
                    match service.publish(&owner, &employer).await {
                        Some(id) => published.push(id),
                        None => break,
                    }
                }
                published
            })
        })
        .collect();
    // Kill once writes are flowing, part of them is searchable and more are waiting: the
    // indexer has committed batches and has work in hand.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ready = service.get("/readyz", None).await;
        let listed = service
            .get(&format!("/api/v1/employers/{employer}/jobs?limit=1"), None)
            .await;
        let searchable = service.get("/api/v1/jobs/search?limit=1", None).await;
        if listed["total"].as_i64().unwrap() >= 40
            && searchable["total"].as_i64().unwrap() > 0
            && ready["index_lag"].as_i64().unwrap() > 0
        {
            break;
        }
        assert!(Instant::now() < deadline, "publishing too slow: {listed}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    service.kill_9();
    let mut acknowledged = HashSet::new();
    for publisher in publishers {
        acknowledged.extend(publisher.await.unwrap());
    }

    let service = site.serve();
    let lag_at_start = service.get("/readyz", None).await["index_lag"].clone();
    service.wait_until_indexed().await;
    let open = service.open_job_ids(&employer).await;
    eprintln!(
        "killed with {} publishes acknowledged; {} open jobs in the database; index lag {lag_at_start} at restart",
        acknowledged.len(),
        open.len()
    );
    assert!(
        acknowledged.is_subset(&open),
        "every publish answered 200 is open in the database"
    );
    let (total, found) = service.searched_job_ids().await;
    let distinct: HashSet<String> = found.iter().cloned().collect();
    assert_eq!(found.len() as u64, total, "the total counts the hits");
    assert_eq!(distinct.len(), found.len(), "no job is in the index twice");
    assert_eq!(
        distinct, open,
        "search finds exactly the open jobs of the database"
    );
    assert!(open.len() >= 40);
    service.stop();
}

#[tokio::test]
async fn the_index_survives_kill_9_during_writes_on_sqlite() {
    survives_kill_9(Database::Sqlite).await;
}

#[tokio::test]
async fn the_index_survives_kill_9_during_writes_on_postgres() {
    survives_kill_9(Database::postgres()).await;
}

#[tokio::test]
async fn reindex_on_a_fresh_data_dir_then_while_serving() {
    let site = Site::new(Database::Sqlite);
    let printed = site.run(&["reindex"]);
    assert!(printed.contains("jobs: 0 documents"), "{printed}");
    assert!(printed.contains("candidates: 0 documents"), "{printed}");
    let first = site.live_index("jobs");
    assert!(first.is_dir(), "the pointer names the rebuilt directory");

    // The service starts on the rebuilt index and indexes into it.
    create_admin(&site);
    let service = site.serve();
    let (owner, employer) = marketplace(&site, &service).await;
    let mut jobs = HashSet::new();
    for _ in 0..3 {
        jobs.insert(service.publish(&owner, &employer).await.unwrap());
    }
    service.wait_until_indexed().await;
    assert_eq!(site.live_index("jobs"), first);
    let (_, found) = service.searched_job_ids().await;
    assert_eq!(found.into_iter().collect::<HashSet<_>>(), jobs);

    // A reindex from another process while the service runs: the service swaps the new index
    // in and drops the old one, and finds the same jobs.
    let printed = site.run(&["reindex"]);
    assert!(printed.contains("jobs: 3 documents"), "{printed}");
    let second = site.live_index("jobs");
    assert_ne!(second, first);
    let deadline = Instant::now() + Duration::from_secs(10);
    while first.exists() {
        assert!(
            Instant::now() < deadline,
            "the service did not swap in the rebuilt index"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (_, found) = service.searched_job_ids().await;
    assert_eq!(found.into_iter().collect::<HashSet<_>>(), jobs);
    jobs.insert(service.publish(&owner, &employer).await.unwrap());
    service.wait_until_indexed().await;
    let (_, found) = service.searched_job_ids().await;
    assert_eq!(
        found.into_iter().collect::<HashSet<_>>(),
        jobs,
        "new jobs go into the new index"
    );
    service.stop();

    // A rebuild that died half-way leaves a directory the next start removes.
    let crashed = site.index_root().join("jobs-1");
    std::fs::create_dir_all(&crashed).unwrap();
    let service = site.serve();
    assert!(!crashed.exists(), "leftovers are removed on start");
    let (_, found) = service.searched_job_ids().await;
    assert_eq!(found.into_iter().collect::<HashSet<_>>(), jobs);
    service.stop();
}
