//! Fault tests: the real binary under a kill -9 during concurrent writes (`kill`), a PostgreSQL
//! restart under load (`postgres`), an SMTP outage (`smtp`), and a full or read-only index disk
//! (`disk`). Each prints its figures; docs/survives.md's "What it survives" quotes them.

mod disk;
mod kill;
mod postgres;
mod smtp;
#[path = "../../support/smtp_sink.rs"]
mod smtp_sink;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::site::{Service, job_body};

/// Whether a captured log or stderr shows a Rust panic (`thread '…' (id) panicked at file:line`).
/// Not the bare word: tantivy's own error for a writer stopped by an I/O error ends "…or panicked."
pub fn shows_a_panic(printed: &str) -> bool {
    printed.contains(" panicked at ")
}

#[test]
fn a_panic_is_told_from_tantivys_wording() {
    assert!(shows_a_panic(
        "thread 'actix-rt|system:0|arbiter:1' (812) panicked at src/x.rs:3:5:\nboom"
    ));
    assert!(!shows_a_panic(
        "A worker thread encountered an error (io::Error most likely) or panicked."
    ));
}

/// A request that takes longer than this is recorded as hung, not waited for.
const HANG: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Create,
    Publish,
    Search,
}

/// What one request got.
#[derive(Debug, Clone)]
pub enum Outcome {
    Answered {
        status: u16,
        content_type: String,
        retry_after: Option<String>,
        /// A problem's `detail`.
        detail: String,
        /// The job's id, from a create's answer.
        id: Option<String>,
    },
    /// No answer: the connection failed (the service was killed with the request in flight).
    Lost,
    /// No answer within `HANG`.
    Hung,
}

#[derive(Debug, Clone)]
pub struct Record {
    pub step: Step,
    /// The title of the job the request was about; unique per create.
    pub title: String,
    pub started: Instant,
    pub ended: Instant,
    pub outcome: Outcome,
}

impl Record {
    pub fn status(&self) -> Option<u16> {
        match &self.outcome {
            Outcome::Answered { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn took(&self) -> Duration {
        self.ended - self.started
    }
}

/// Employer members creating and publishing jobs (and searching, if asked) from concurrent
/// clients, every request recorded. Job titles carry a number unique to their create request, so
/// each job in the database can be traced to the request that made it.
pub struct Load {
    service: Arc<Service>,
    owner: String,
    employer: String,
    planned: usize,
    search: bool,
    next: AtomicUsize,
    created: AtomicUsize,
    stop: AtomicBool,
    records: Mutex<Vec<Record>>,
}

impl Load {
    pub fn new(
        service: Arc<Service>,
        owner: &str,
        employer: &str,
        planned: usize,
        search: bool,
    ) -> Arc<Load> {
        Arc::new(Load {
            service,
            owner: owner.to_owned(),
            employer: employer.to_owned(),
            planned,
            search,
            next: AtomicUsize::new(0),
            created: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            records: Mutex::new(Vec::new()),
        })
    }

    /// Starts `clients` clients; each stops when the plan is used up, when told to, or when a
    /// request gets no answer (the service is gone).
    pub fn start(self: &Arc<Self>, clients: usize) -> Vec<tokio::task::JoinHandle<()>> {
        (0..clients)
            .map(|_| {
                let load = self.clone();
                tokio::spawn(async move { load.client().await })
            })
            .collect()
    }

    async fn client(&self) {
        while !self.stop.load(Ordering::Acquire) {
            let n = self.next.fetch_add(1, Ordering::AcqRel);
            if n >= self.planned {
                return;
            }
            let title = format!("Fault test engineer {n:06}");
            let created = self
                .request(
                    Step::Create,
                    &title,
                    reqwest::Method::POST,
                    "/api/v1/jobs",
                    Some(job_body(&self.employer, &title)),
                )
                .await;
            let id = match created {
                Outcome::Answered { id: Some(id), .. } => id,
                Outcome::Answered { .. } => continue,
                Outcome::Lost | Outcome::Hung => return,
            };
            self.created.fetch_add(1, Ordering::AcqRel);
            let path = format!("/api/v1/jobs/{id}/publish");
            if let Outcome::Lost | Outcome::Hung = self
                .request(
                    Step::Publish,
                    &title,
                    reqwest::Method::POST,
                    &path,
                    Some(json!({})),
                )
                .await
            {
                return;
            }
            if self.search {
                let path = "/api/v1/jobs/search?q=engineer&limit=5";
                if let Outcome::Lost | Outcome::Hung = self
                    .request(Step::Search, &title, reqwest::Method::GET, path, None)
                    .await
                {
                    return;
                }
            }
        }
    }

    async fn request(
        &self,
        step: Step,
        title: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Outcome {
        let started = Instant::now();
        let sent = self.service.send(method, path, Some(&self.owner), body);
        let outcome = match tokio::time::timeout(HANG, sent).await {
            Err(_) => Outcome::Hung,
            Ok(Err(_)) => Outcome::Lost,
            Ok(Ok(answer)) => Outcome::Answered {
                id: (step == Step::Create && answer.status == 201)
                    .then(|| answer.body["id"].as_str().map(str::to_owned))
                    .flatten(),
                status: answer.status,
                content_type: answer.content_type,
                retry_after: answer.retry_after,
                detail: answer.body["detail"].as_str().unwrap_or_default().to_owned(),
            },
        };
        self.records.lock().unwrap().push(Record {
            step,
            title: title.to_owned(),
            started,
            ended: Instant::now(),
            outcome: outcome.clone(),
        });
        outcome
    }

    /// Jobs created so far (201s).
    pub fn created(&self) -> usize {
        self.created.load(Ordering::Acquire)
    }

    /// Waits until at least `count` jobs were created; fails after `within`.
    pub async fn wait_created(&self, count: usize, within: Duration) {
        let deadline = Instant::now() + within;
        while self.created() < count {
            assert!(
                Instant::now() < deadline,
                "only {} jobs created in {within:?}",
                self.created()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub fn records(&self) -> Vec<Record> {
        self.records.lock().unwrap().clone()
    }

    /// Tells the clients to stop and waits for them.
    pub async fn finish(&self, clients: Vec<tokio::task::JoinHandle<()>>) -> Vec<Record> {
        self.stop.store(true, Ordering::Release);
        for client in clients {
            client.await.unwrap();
        }
        self.records()
    }
}

/// What the records say about the jobs: acknowledged creates and publishes, and creates whose
/// answer never came.
pub struct Ledger {
    /// title → id, for every create answered 201.
    pub created: HashMap<String, String>,
    /// Ids whose publish was answered 200.
    pub published: HashSet<String>,
    /// Titles of creates that got no answer (in flight when the service died)…
    pub unanswered: HashSet<String>,
    /// …or an error answer (a 503 whose commit may still have reached the database): the only
    /// jobs that may exist without the client knowing.
    pub refused: HashSet<String>,
    pub sent: usize,
    pub statuses: BTreeMap<(Step, Option<u16>), usize>,
}

impl Ledger {
    pub fn of(records: &[Record]) -> Ledger {
        let ids: HashMap<&str, &str> = records
            .iter()
            .filter_map(|r| match &r.outcome {
                Outcome::Answered { id: Some(id), .. } => Some((r.title.as_str(), id.as_str())),
                _ => None,
            })
            .collect();
        let mut ledger = Ledger {
            created: ids.iter().map(|(t, i)| (t.to_string(), i.to_string())).collect(),
            published: HashSet::new(),
            unanswered: HashSet::new(),
            refused: HashSet::new(),
            sent: records.len(),
            statuses: BTreeMap::new(),
        };
        for record in records {
            *ledger.statuses.entry((record.step, record.status())).or_default() += 1;
            match (record.step, record.status()) {
                (Step::Publish, Some(200)) => {
                    ledger.published.insert(ids[record.title.as_str()].to_owned());
                }
                (Step::Create, None) => {
                    ledger.unanswered.insert(record.title.clone());
                }
                (Step::Create, Some(status)) if status != 201 => {
                    ledger.refused.insert(record.title.clone());
                }
                _ => {}
            }
        }
        ledger
    }

    pub fn creates_sent(&self) -> usize {
        self.statuses
            .iter()
            .filter(|((step, _), _)| *step == Step::Create)
            .map(|(_, count)| count)
            .sum()
    }
}

/// The jobs of the employer in the database checked against what the clients were told: every
/// acknowledged create is there (read back by id), nothing is there twice, and a job nobody
/// was told about came from a create whose answer was lost or was an error.
pub async fn reconcile(service: &Arc<Service>, owner: &str, employer: &str, ledger: &Ledger) -> Reconciled {
    let stored = service.all_jobs(owner, employer).await;
    let mut by_title: HashMap<String, Vec<String>> = HashMap::new();
    for job in &stored {
        let title = job["title"].as_str().unwrap().to_owned();
        by_title
            .entry(title)
            .or_default()
            .push(job["id"].as_str().unwrap().to_owned());
    }
    let duplicates: Vec<_> = by_title.iter().filter(|(_, ids)| ids.len() > 1).collect();
    let ids: HashSet<&str> = stored.iter().map(|j| j["id"].as_str().unwrap()).collect();

    let lost = read_back(service, owner, &ledger.created).await;
    let unacknowledged: Vec<&String> = by_title
        .keys()
        .filter(|title| !ledger.created.contains_key(*title))
        .collect();
    let unexplained: Vec<_> = unacknowledged
        .iter()
        .filter(|title| !ledger.unanswered.contains(**title) && !ledger.refused.contains(**title))
        .collect();
    let open: HashSet<String> = stored
        .iter()
        .filter(|j| j["status"] == "open")
        .map(|j| j["id"].as_str().unwrap().to_owned())
        .collect();
    let unpublished: Vec<_> = ledger.published.iter().filter(|id| !open.contains(*id)).collect();

    assert!(lost.is_empty(), "acknowledged jobs missing: {lost:?}");
    assert!(duplicates.is_empty(), "jobs stored twice: {duplicates:?}");
    assert_eq!(ids.len(), stored.len(), "a job is listed twice");
    assert!(
        unexplained.is_empty(),
        "jobs no request can explain: {unexplained:?}"
    );
    assert!(
        unpublished.is_empty(),
        "acknowledged publishes not open: {unpublished:?}"
    );
    Reconciled {
        stored: stored.len(),
        landed_unacknowledged: unacknowledged.len(),
        open,
        lost: lost.len(),
        duplicates: duplicates.len(),
    }
}

pub struct Reconciled {
    pub stored: usize,
    /// Jobs whose create the client never saw succeed.
    pub landed_unacknowledged: usize,
    pub open: HashSet<String>,
    pub lost: usize,
    pub duplicates: usize,
}

/// Reads every acknowledged job back by id, 16 at a time; returns the titles of those missing
/// or changed.
async fn read_back(service: &Arc<Service>, owner: &str, created: &HashMap<String, String>) -> Vec<String> {
    let mut missing = Vec::new();
    let pairs: Vec<(String, String)> = created.iter().map(|(t, i)| (t.clone(), i.clone())).collect();
    for chunk in pairs.chunks(16) {
        let mut reads = tokio::task::JoinSet::new();
        for (title, id) in chunk.iter().cloned() {
            let (service, owner) = (service.clone(), owner.to_owned());
            reads.spawn(async move {
                let path = format!("/api/v1/jobs/{id}");
                let (status, job) = service
                    .call(reqwest::Method::GET, &path, Some(&owner), None)
                    .await
                    .unwrap();
                (status != 200 || job["title"] != *title).then_some(title)
            });
        }
        missing.extend(reads.join_all().await.into_iter().flatten());
    }
    missing
}

/// Search finds exactly the open jobs of the database, each once, once the index caught up.
/// Returns how long catching up took.
pub async fn search_matches(service: &Service, open: &HashSet<String>) -> Duration {
    let started = Instant::now();
    service.wait_until_indexed().await;
    let caught_up = started.elapsed();
    let (total, found) = service.searched_job_ids().await;
    let distinct: HashSet<String> = found.iter().cloned().collect();
    assert_eq!(found.len() as u64, total, "the total counts the hits");
    assert_eq!(distinct.len(), found.len(), "no job is in the index twice");
    assert_eq!(
        &distinct, open,
        "search finds exactly the open jobs of the database"
    );
    caught_up
}
