//! How many index searches run at once. A search is CPU work: many more of them at once than the
//! machine has cores only share the cores, so each takes longer and the slowest ones (a broad
//! query preempted again and again) set the tail. The gate lets `running` searches compute and
//! queues the rest in arrival order, so a search waits its turn instead of being sliced; past
//! `waiting` queued searches it refuses at once (503 with Retry-After) rather than let the
//! queue — and every answer's latency — grow without end under overload. A client that goes
//! away while queued leaves the queue; its search never runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use prometheus::IntCounter;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::AppError;

pub struct SearchGate {
    /// Fair: permits are handed out in the order they were asked for.
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
    /// Searches that found every permit taken and queued.
    pub queued: IntCounter,
    /// Searches refused because the queue was full.
    pub refused: IntCounter,
}

/// A little more than one search per core, so a core whose search waits on a page of the index
/// being read from disk has another to run: 1.5 × cores + 1, the size of Elasticsearch's search
/// pool. In-process on 2 cores, 2, 4 and 16 searches at once give the same throughput; over HTTP
/// with the load generator on the same cores, 2 lost about a fifth of it to the threads around
/// the searches, 4 lost 3–9 % and cut the p99 at 16 connections by about 30 % (bench/changes.md).
pub fn default_running() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    cores * 3 / 2 + 1
}

pub const BUSY: &str = "search is busy; try again in a moment";

impl SearchGate {
    /// `running` 0 means `default_running()`.
    pub fn new(running: usize, max_waiting: usize) -> Self {
        let running = match running {
            0 => default_running(),
            n => n,
        };
        SearchGate {
            permits: Arc::new(Semaphore::new(running)),
            waiting: AtomicUsize::new(0),
            max_waiting,
            queued: IntCounter::new(
                "search_gate_queued_total",
                "Index searches that waited for a running one to finish",
            )
            .expect("valid metric definition"),
            refused: IntCounter::new(
                "search_gate_refused_total",
                "Index searches refused because too many were waiting (answered 503)",
            )
            .expect("valid metric definition"),
        }
    }

    /// Runs `search` on the blocking pool once a permit is free; the permit is held until it
    /// returns, even if the caller stops waiting for the answer.
    pub async fn run<T, F>(&self, search: F) -> Result<T, AppError>
    where
        F: FnOnce() -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let permit = self.permit().await?;
        actix_web::rt::task::spawn_blocking(move || {
            let answer = search();
            drop(permit);
            answer
        })
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("search task failed: {e}")))?
    }

    async fn permit(&self) -> Result<OwnedSemaphorePermit, AppError> {
        if let Ok(permit) = Arc::clone(&self.permits).try_acquire_owned() {
            return Ok(permit);
        }
        let _place = self.queue_place()?;
        self.queued.inc();
        Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| AppError::Unavailable(BUSY.into()))
    }

    /// A place in the queue, given back when dropped (answered or abandoned); none when full.
    fn queue_place(&self) -> Result<QueuePlace<'_>, AppError> {
        let taken = self
            .waiting
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |waiting| {
                (waiting < self.max_waiting).then_some(waiting + 1)
            });
        if taken.is_err() {
            self.refused.inc();
            return Err(AppError::Unavailable(BUSY.into()));
        }
        Ok(QueuePlace(&self.waiting))
    }

    /// Searches queued now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Acquire)
    }
}

struct QueuePlace<'a>(&'a AtomicUsize);

impl Drop for QueuePlace<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    /// A search that runs until the test lets it finish, and says when it started.
    fn held(
        started: mpsc::Sender<u32>,
        release: mpsc::Receiver<()>,
        n: u32,
    ) -> impl FnOnce() -> Result<u32, AppError> {
        move || {
            started.send(n).unwrap();
            release.recv().unwrap();
            Ok(n)
        }
    }

    /// The next search to start (the test's runtime is one thread: it must not block on it).
    async fn next_start(started: &mpsc::Receiver<u32>) -> u32 {
        for _ in 0..2500 {
            if let Ok(n) = started.try_recv() {
                return n;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        panic!("no search started");
    }

    async fn until(mut condition: impl FnMut() -> bool) {
        for _ in 0..500 {
            if condition() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        panic!("the condition never held");
    }

    #[actix_web::test]
    async fn queued_searches_run_in_arrival_order_and_a_full_queue_refuses() {
        let gate = Arc::new(SearchGate::new(1, 2));
        let (started_tx, started) = mpsc::channel();
        let mut releases = Vec::new();
        let mut answers = Vec::new();
        for n in 0..3 {
            let (release_tx, release) = mpsc::channel();
            releases.push(release_tx);
            let (queued, started_tx) = (Arc::clone(&gate), started_tx.clone());
            answers.push(actix_web::rt::spawn(async move {
                queued.run(held(started_tx, release, n)).await
            }));
            // Each asks before the next, so the queue's order is known.
            if n == 0 {
                assert_eq!(next_start(&started).await, 0);
            } else {
                let expected = n as usize;
                until(|| gate.waiting() == expected).await;
            }
        }
        assert_eq!(gate.queued.get(), 2);

        let refused = gate.run(|| Ok(99)).await;
        assert!(
            matches!(refused, Err(AppError::Unavailable(ref m)) if m == BUSY),
            "{refused:?}"
        );
        assert_eq!(gate.refused.get(), 1);

        for (n, release) in releases.into_iter().enumerate() {
            if n > 0 {
                assert_eq!(next_start(&started).await, n as u32);
            }
            assert!(started.try_recv().is_err(), "only one search runs at a time");
            release.send(()).unwrap();
        }
        for (n, answer) in answers.into_iter().enumerate() {
            assert_eq!(answer.await.unwrap().unwrap(), n as u32);
        }
        assert_eq!(gate.waiting(), 0);
    }

    #[actix_web::test]
    async fn a_caller_that_stops_waiting_leaves_the_queue_and_its_search_never_runs() {
        let gate = Arc::new(SearchGate::new(1, 1));
        let (started_tx, started) = mpsc::channel();
        let (release_tx, release) = mpsc::channel();
        let running = {
            let (gate, started_tx) = (Arc::clone(&gate), started_tx.clone());
            actix_web::rt::spawn(async move { gate.run(held(started_tx, release, 0)).await })
        };
        assert_eq!(next_start(&started).await, 0);

        let (_never_tx, never) = mpsc::channel();
        let abandoned = {
            let (gate, started_tx) = (Arc::clone(&gate), started_tx.clone());
            actix_web::rt::spawn(async move { gate.run(held(started_tx, never, 1)).await })
        };
        until(|| gate.waiting() == 1).await;
        abandoned.abort();
        until(|| gate.waiting() == 0).await;

        // The place is free again: one more may queue behind the running search.
        let next = {
            let gate = Arc::clone(&gate);
            actix_web::rt::spawn(async move { gate.run(|| Ok(2)).await })
        };
        until(|| gate.waiting() == 1).await;
        release_tx.send(()).unwrap();
        assert_eq!(running.await.unwrap().unwrap(), 0);
        assert_eq!(next.await.unwrap().unwrap(), 2);
        assert!(started.try_recv().is_err(), "the abandoned search never started");
        assert_eq!(gate.refused.get(), 0);
    }

    #[actix_web::test]
    async fn the_permit_is_held_until_the_search_returns_even_when_nobody_waits_for_it() {
        let gate = Arc::new(SearchGate::new(1, 0));
        let (started_tx, started) = mpsc::channel();
        let (release_tx, release) = mpsc::channel();
        let dropped = {
            let gate = Arc::clone(&gate);
            actix_web::rt::spawn(async move { gate.run(held(started_tx, release, 0)).await })
        };
        assert_eq!(next_start(&started).await, 0);
        dropped.abort();
        until(|| dropped.is_finished()).await;
        // Still computing: with no room to queue, the next search is refused.
        assert!(gate.run(|| Ok(1)).await.is_err());
        release_tx.send(()).unwrap();
        let mut answer = gate.run(|| Ok(1)).await;
        for _ in 0..500 {
            if answer.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
            answer = gate.run(|| Ok(1)).await;
        }
        assert_eq!(answer.unwrap(), 1);
    }
}
