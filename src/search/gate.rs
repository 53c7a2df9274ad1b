//! How many index searches run at once. A search is CPU work: many more of them at once than the
//! machine has cores only share the cores, so each takes longer and the slowest ones (a broad
//! query preempted again and again) set the tail. The gate lets `running` searches compute and
//! queues the rest in arrival order, so a search waits its turn instead of being sliced; past
//! `waiting` queued searches it refuses at once (503 with Retry-After) rather than let the
//! queue — and every answer's latency — grow without end under overload. A client that goes
//! away while queued costs no search: its turn comes and is skipped.

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use crossbeam_channel::{Receiver, Sender};
use prometheus::IntCounter;
use tokio::sync::oneshot;

use crate::error::AppError;

/// A search to compute. What it returns hands the answer to its caller: the thread first says
/// whether it is idle, then answers, so the caller's next search finds it idle (below, `compute`).
type Job = Box<dyn FnOnce() -> Answer + Send>;
type Answer = Box<dyn FnOnce() + Send>;

/// `running` threads, each with a hand of its own for the next search, and one queue of at most
/// `waiting` searches in arrival order for when every thread computes. A thread that finishes
/// takes the next queued search itself, so no core waits for a hand-over. A search that finds
/// threads idle goes to the one that became idle last: its caches (the index's pages it read, its
/// allocator's memory) are the warmest. Handing searches round the threads in turn, as one shared
/// channel did, made one connection's searches 3–4 % slower than on a single thread
/// (bench/changes.md).
pub struct SearchGate {
    dispatch: Arc<Mutex<Dispatch>>,
    /// The threads' hands, by thread. The threads start with the first search: a command that
    /// opens the indexes to write them (`reindex`, `seed-demo`) never searches and starts none.
    hands: OnceLock<Vec<Sender<Job>>>,
    running: usize,
    max_waiting: usize,
    /// Searches that arrived while every thread was computing, and queued.
    pub queued: IntCounter,
    /// Searches refused because the queue was full.
    pub refused: IntCounter,
}

#[derive(Default)]
struct Dispatch {
    /// Searches waiting for a thread, in arrival order.
    queue: VecDeque<Job>,
    /// The threads waiting for a search, the one idle longest first.
    idle: Vec<usize>,
}

/// A little more than one search per core, so a core whose search waits on a page of the index
/// being read from disk has another to run: 1.5 × cores + 1, the size of Elasticsearch's search
/// pool. In-process on 2 cores, 2, 4 and 16 searches at once give the same throughput; over HTTP
/// at 16 connections, 4 threads answered 9 % more searches than a thread per search, with a p99
/// 30–40 % lower (bench/changes.md).
pub fn default_running() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    cores * 3 / 2 + 1
}

pub const BUSY: &str = "search is busy; try again in a moment";

impl SearchGate {
    /// `running` 0 means `default_running()`. The threads end when the gate is dropped.
    pub fn new(running: usize, max_waiting: usize) -> Self {
        let running = match running {
            0 => default_running(),
            n => n,
        };
        SearchGate {
            dispatch: Arc::default(),
            hands: OnceLock::new(),
            running,
            max_waiting,
            queued: IntCounter::new(
                "search_gate_queued_total",
                "Index searches that arrived while every search thread was computing",
            )
            .expect("valid metric definition"),
            refused: IntCounter::new(
                "search_gate_refused_total",
                "Index searches refused because too many were waiting (answered 503)",
            )
            .expect("valid metric definition"),
        }
    }

    /// Hands `search` to a search thread, or queues it, and waits for its answer; refused at
    /// once when the queue is full. A caller that stops waiting leaves its search to be skipped
    /// when its turn comes.
    pub async fn run<T, F>(&self, search: F) -> Result<T, AppError>
    where
        F: FnOnce() -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let hands = self.hands.get_or_init(|| self.start_threads());
        let (answer_to, answer) = oneshot::channel();
        let job: Job = Box::new(move || {
            if answer_to.is_closed() {
                return Box::new(|| {});
            }
            let found = search();
            Box::new(move || {
                // The caller may have gone meanwhile: nobody to tell.
                let _ = answer_to.send(found);
            })
        });
        self.hand_over(hands, job)?;
        // A search that panicked dropped its answer's sender (the thread goes on).
        answer
            .await
            .map_err(|_| AppError::Unexpected(anyhow::anyhow!("the search failed")))?
    }

    /// To the thread idle last, else to the queue while it has room.
    fn hand_over(&self, hands: &[Sender<Job>], job: Job) -> Result<(), AppError> {
        let mut dispatch = lock(&self.dispatch);
        if let Some(thread) = dispatch.idle.pop() {
            drop(dispatch);
            // An idle thread's hand is empty: nothing else hands to a thread off the idle list.
            return hands[thread]
                .try_send(job)
                .map_err(|_| AppError::Unexpected(anyhow::anyhow!("the search threads are gone")));
        }
        if dispatch.queue.len() >= self.max_waiting {
            drop(dispatch);
            self.refused.inc();
            return Err(AppError::Unavailable(BUSY.into()));
        }
        dispatch.queue.push_back(job);
        drop(dispatch);
        self.queued.inc();
        Ok(())
    }

    /// Searches queued now (and not yet taken by a thread).
    pub fn waiting(&self) -> usize {
        lock(&self.dispatch).queue.len()
    }

    /// Whether a search has started the threads.
    #[cfg(test)]
    fn started(&self) -> bool {
        self.hands.get().is_some()
    }

    fn start_threads(&self) -> Vec<Sender<Job>> {
        lock(&self.dispatch).idle = (0..self.running).collect();
        (0..self.running)
            .map(|n| {
                let (hand, inbox) = crossbeam_channel::bounded(1);
                let dispatch = Arc::clone(&self.dispatch);
                std::thread::Builder::new()
                    .name(format!("search-{n}"))
                    .spawn(move || compute(n, &inbox, &dispatch))
                    .expect("the system lets the service start a thread");
                hand
            })
            .collect()
    }
}

/// The lock is never held while a search computes, so no panic can poison it; were it poisoned,
/// the queue and the idle list are still whole (each change to them is one call).
fn lock(dispatch: &Mutex<Dispatch>) -> MutexGuard<'_, Dispatch> {
    dispatch.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Search thread `n`: computes what it is handed, then what is queued, then says it is idle and
/// waits to be handed the next search, until the gate is dropped. It takes its next search or
/// says it is idle before it answers: a client with one connection sends its next search as soon
/// as it reads the answer, and that search then finds this thread, whose caches are warm, on the
/// idle list. Said after the answer, the next search often came first and went to a colder
/// thread (2–13 % of one connection's searches at 200,000 jobs; bench/changes.md).
fn compute(n: usize, inbox: &Receiver<Job>, dispatch: &Mutex<Dispatch>) {
    for handed in inbox {
        let mut job = handed;
        loop {
            // A panic is the one search's failure (its caller gets a 500), not the thread's.
            let answer = std::panic::catch_unwind(AssertUnwindSafe(job)).ok();
            let next = {
                let mut dispatch = lock(dispatch);
                let next = dispatch.queue.pop_front();
                if next.is_none() {
                    dispatch.idle.push(n);
                }
                next
            };
            if let Some(answer) = answer {
                answer();
            }
            match next {
                Some(next) => job = next,
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    /// Asks `gate`, from a task of its own, for a search that says when it starts (as `n`) and
    /// computes until the test sends to `release`.
    fn ask_held(
        gate: &Arc<SearchGate>,
        started: &mpsc::Sender<u32>,
        release: mpsc::Receiver<()>,
        n: u32,
    ) -> tokio::task::JoinHandle<Result<u32, AppError>> {
        let (gate, started) = (Arc::clone(gate), started.clone());
        let search = move || {
            started.send(n).unwrap();
            release.recv().unwrap();
            Ok(n)
        };
        actix_web::rt::spawn(async move { gate.run(search).await })
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
            answers.push(ask_held(&gate, &started_tx, release, n));
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
    async fn a_caller_that_stops_waiting_costs_no_search() {
        let gate = Arc::new(SearchGate::new(1, 1));
        let (started_tx, started) = mpsc::channel();
        let (release_tx, release) = mpsc::channel();
        let running = ask_held(&gate, &started_tx, release, 0);
        assert_eq!(next_start(&started).await, 0);

        // Were it ever run, this search would say so and end at once (no sender to wait for).
        let (_, never) = mpsc::channel();
        let abandoned = ask_held(&gate, &started_tx, never, 1);
        until(|| gate.waiting() == 1).await;
        abandoned.abort();
        until(|| abandoned.is_finished()).await;

        release_tx.send(()).unwrap();
        assert_eq!(running.await.unwrap().unwrap(), 0);
        // The abandoned search's turn came and went: the queue is empty, the thread free.
        until(|| gate.waiting() == 0).await;
        assert_eq!(gate.run(|| Ok(2)).await.unwrap(), 2);
        assert!(started.try_recv().is_err(), "the abandoned search never started");
        assert_eq!(gate.refused.get(), 0);
    }

    #[actix_web::test]
    async fn the_threads_start_with_the_first_search() {
        let gate = SearchGate::new(2, 4);
        assert!(!gate.started());
        assert_eq!(gate.run(|| Ok(1)).await.unwrap(), 1);
        assert!(gate.started());
        assert_eq!(gate.run(|| Ok(2)).await.unwrap(), 2);
    }

    #[actix_web::test]
    async fn a_search_goes_to_the_thread_idle_last() {
        let gate = SearchGate::new(3, 4);
        let thread = || Ok(std::thread::current().name().map(str::to_owned));
        let first = gate.run(thread).await.unwrap();
        for _ in 0..200 {
            // No wait between searches: the thread said it was idle before it answered.
            assert_eq!(gate.run(thread).await.unwrap(), first, "the warm thread again");
        }
    }

    #[actix_web::test]
    async fn a_search_that_panics_fails_alone() {
        let gate = SearchGate::new(1, 4);
        let failed = gate
            .run(|| -> Result<u32, AppError> { panic!("a bug in one search") })
            .await;
        assert!(matches!(failed, Err(AppError::Unexpected(_))), "{failed:?}");
        assert_eq!(gate.run(|| Ok(3)).await.unwrap(), 3, "the thread goes on");
    }

    #[actix_web::test]
    async fn a_thread_computes_its_search_to_the_end_even_when_nobody_waits_for_it() {
        let gate = Arc::new(SearchGate::new(1, 1));
        let (started_tx, started) = mpsc::channel();
        let (release_first, release) = mpsc::channel();
        let dropped = ask_held(&gate, &started_tx, release, 0);
        assert_eq!(next_start(&started).await, 0);
        dropped.abort();
        until(|| dropped.is_finished()).await;

        let (release_second, release) = mpsc::channel();
        let second = ask_held(&gate, &started_tx, release, 1);
        until(|| gate.waiting() == 1).await;
        // The first search still holds the one thread, so the second waits and a third is refused.
        assert!(gate.run(|| Ok(9)).await.is_err());
        assert!(started.try_recv().is_err());
        release_first.send(()).unwrap();
        assert_eq!(next_start(&started).await, 1);
        release_second.send(()).unwrap();
        assert_eq!(second.await.unwrap().unwrap(), 1);
    }
}
