//! The floor of job search: the benchmark's queries run in-process on the jobs index, through
//! the same function the HTTP handler calls (`search::job_search::on_index::search`), with no
//! HTTP, JSON or database around it. `bench/run.py` drives it, with the service stopped or beside
//! it: the indexes are opened read-only (no writer lock), at what was last committed.
//!
//! ```sh
//! cargo run --release --example search_floor -- --data-dir DIR --queries bench/queries.json \
//!     --concurrency 1,16,64 --seconds 10 --out floor.json [--check pg_top.json]
//! ```
//!
//! It writes, as JSON: per query the total and the top 20 ids; per concurrency the request
//! count, throughput and latency percentiles; with `--check`, for each query the ids of the given
//! list (another engine's top hits) that this engine's text query matches.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use clap::Parser;
use serde::{Deserialize, Serialize};
use talentbridge::money::Rates;
use talentbridge::paging::Page;
use talentbridge::search::Search;
use talentbridge::search::job_search::on_index::{self as job_search, JobQuery};
use talentbridge::search::query::parse_text;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermSetQuery};
use tantivy::schema::Value;
use tantivy::{TantivyDocument, Term};

// The service's allocator (src/main.rs), so the floor differs from it only by HTTP.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
struct Args {
    /// The service's data directory (the indexes are under `index/`).
    #[arg(long)]
    data_dir: PathBuf,
    /// The benchmark's query mix (`bench/queries.json`).
    #[arg(long)]
    queries: PathBuf,
    /// Comma-separated numbers of threads searching at once.
    #[arg(long, default_value = "1,16,64")]
    concurrency: String,
    /// How long each concurrency level runs.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Unmeasured searches per query before the first level (page cache, lazy structures).
    #[arg(long, default_value_t = 3)]
    warmup: usize,
    /// `{query name: [job ids]}`: report which of them this engine's text query matches.
    #[arg(long)]
    check: Option<PathBuf>,
    /// A JSON array of indexes into the queries, the order searches are made in (a query log's
    /// requests) instead of the queries in turn; latencies are then not told per query.
    #[arg(long)]
    sequence: Option<PathBuf>,
    #[arg(long)]
    out: PathBuf,
}

/// One query of the mix: the parameters of `GET /api/v1/jobs/search`.
#[derive(Debug, Deserialize)]
struct BenchQuery {
    name: String,
    params: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Serialize)]
struct QueryResult {
    name: String,
    total: usize,
    top: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Run {
    concurrency: usize,
    requests: usize,
    seconds: f64,
    throughput: f64,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    /// Latency percentiles of each query of the mix at this level.
    per_query: BTreeMap<String, QueryLatency>,
}

#[derive(Debug, Serialize)]
struct QueryLatency {
    requests: usize,
    p50_ms: f64,
    p99_ms: f64,
}

#[derive(Debug, Serialize)]
struct Output {
    documents: u64,
    queries: Vec<QueryResult>,
    runs: Vec<Run>,
    check: BTreeMap<String, Vec<String>>,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let settings = talentbridge::settings::Settings::load()?;
    let search = Arc::new(Search::open_read_only(
        &args.data_dir,
        Rates::new(&settings.rates),
    )?);
    let rates = Rates::new(&settings.rates);
    let mix: Vec<BenchQuery> = serde_json::from_slice(&std::fs::read(&args.queries)?)?;
    let queries: Vec<JobQuery> = mix
        .iter()
        .map(|q| job_query(&q.params, &rates))
        .collect::<anyhow::Result<_>>()?;
    let now = chrono::Utc::now().naive_utc();
    let page = Page::new(Some(20), None);

    let mut results = Vec::new();
    for (bench, query) in mix.iter().zip(&queries) {
        let found = job_search::search(&search, query, page, now).map_err(|e| anyhow::anyhow!("{e}"))?;
        results.push(QueryResult {
            name: bench.name.clone(),
            total: found.total,
            top: found.hits.into_iter().map(|h| h.id).collect(),
        });
        for _ in 0..args.warmup {
            job_search::search(&search, query, page, now).map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }

    let order: Vec<usize> = match &args.sequence {
        Some(path) => serde_json::from_slice(&std::fs::read(path)?)?,
        None => (0..queries.len()).collect(),
    };
    anyhow::ensure!(
        !order.is_empty() && order.iter().all(|&i| i < queries.len()),
        "the sequence names a query the mix does not have"
    );
    let names: Vec<&str> = match args.sequence {
        Some(_) => Vec::new(),
        None => mix.iter().map(|q| q.name.as_str()).collect(),
    };
    let (queries, order) = (Arc::new(queries), Arc::new(order));
    let mut runs = Vec::new();
    for level in args.concurrency.split(',') {
        let concurrency: usize = level.trim().parse()?;
        runs.push(measure(
            &search,
            &queries,
            &order,
            &names,
            concurrency,
            args.seconds,
            now,
        ));
        eprintln!(
            "floor: {concurrency} threads: {:.0}/s p99 {:.2} ms",
            runs.last().map_or(0.0, |r| r.throughput),
            runs.last().map_or(0.0, |r| r.p99_ms)
        );
    }

    let mut check = BTreeMap::new();
    if let Some(path) = &args.check {
        let lists: BTreeMap<String, Vec<String>> = serde_json::from_slice(&std::fs::read(path)?)?;
        for bench in &mix {
            if let Some(ids) = lists.get(&bench.name) {
                check.insert(bench.name.clone(), text_matches(&search, bench, ids)?);
            }
        }
    }

    let documents = search.jobs().reader.searcher().num_docs();
    let output = Output {
        documents,
        queries: results,
        runs,
        check,
    };
    std::fs::write(&args.out, serde_json::to_vec_pretty(&output)?)?;
    Ok(())
}

/// The parameters as the route reads them (`search::job_search::request::check_filters`, which also
/// validates: the mix holds only valid values).
fn job_query(params: &BTreeMap<String, serde_json::Value>, rates: &Rates) -> anyhow::Result<JobQuery> {
    let text = |key: &str| params.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    let salary_at_least = match (params.get("salary_min"), text("salary_currency")) {
        (Some(amount), Some(currency)) => {
            let amount = amount
                .as_f64()
                .or_else(|| amount.as_str().and_then(|s| s.parse().ok()))
                .ok_or_else(|| anyhow::anyhow!("salary_min is not a number"))?;
            Some(
                rates
                    .to_reference(amount, &currency)
                    .ok_or_else(|| anyhow::anyhow!("no rate for {currency}"))?,
            )
        }
        _ => None,
    };
    Ok(JobQuery {
        text: text("q"),
        jurisdiction: text("jurisdiction"),
        location_id: text("location_id"),
        skill_id: text("skill_id"),
        employment_type: text("employment_type"),
        sponsorship: text("sponsorship").map(|s| s == "true"),
        posted_since: None,
        salary_at_least,
    })
}

/// `concurrency` threads run the queries in `order`, round and round, for `seconds`; every search
/// is timed, and told per query by `names` (none: not per query).
fn measure(
    search: &Arc<Search>,
    queries: &Arc<Vec<JobQuery>>,
    order: &Arc<Vec<usize>>,
    names: &[&str],
    concurrency: usize,
    seconds: f64,
    now: NaiveDateTime,
) -> Run {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let threads: Vec<_> = (0..concurrency)
        .map(|_| {
            let (search, queries, order, next) =
                (search.clone(), queries.clone(), order.clone(), next.clone());
            std::thread::spawn(move || {
                let page = Page::new(Some(20), None);
                let mut latencies = Vec::new();
                while Instant::now() < deadline {
                    let i = order[next.fetch_add(1, Ordering::Relaxed) % order.len()];
                    let start = Instant::now();
                    let _ = job_search::search(&search, &queries[i], page, now);
                    latencies.push((i, start.elapsed().as_secs_f64() * 1000.0));
                }
                latencies
            })
        })
        .collect();
    let timed: Vec<(usize, f64)> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap_or_default())
        .collect();
    let elapsed = started.elapsed().as_secs_f64();
    let mut per_query = BTreeMap::new();
    for (i, name) in names.iter().enumerate() {
        let mut own: Vec<f64> = timed.iter().filter(|(q, _)| *q == i).map(|(_, ms)| *ms).collect();
        own.sort_by(f64::total_cmp);
        per_query.insert(
            name.to_string(),
            QueryLatency {
                requests: own.len(),
                p50_ms: percentile(&own, 50.0),
                p99_ms: percentile(&own, 99.0),
            },
        );
    }
    let mut latencies: Vec<f64> = timed.into_iter().map(|(_, ms)| ms).collect();
    latencies.sort_by(f64::total_cmp);
    Run {
        concurrency,
        requests: latencies.len(),
        seconds: elapsed,
        throughput: latencies.len() as f64 / elapsed,
        p50_ms: percentile(&latencies, 50.0),
        p95_ms: percentile(&latencies, 95.0),
        p99_ms: percentile(&latencies, 99.0),
        max_ms: latencies.last().copied().unwrap_or(0.0),
        per_query,
    }
}

/// Nearest rank on sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Which of `ids` the query's text part matches (filters aside: the other engine applied its
/// own). A query without text matches them all.
fn text_matches(search: &Search, bench: &BenchQuery, ids: &[String]) -> anyhow::Result<Vec<String>> {
    let fields = &search.job_fields;
    let index = search.jobs();
    let text = bench.params.get("q").and_then(|v| v.as_str());
    // The search's own fields; their weights do not change which jobs match.
    let text_query = parse_text(&index.index, text, &job_search::text_fields(fields))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let id_set = TermSetQuery::new(ids.iter().map(|id| Term::from_field_text(fields.id, id)));
    let clauses: Vec<(Occur, Box<dyn Query>)> = vec![
        (Occur::Must, text_query.matching),
        (Occur::Must, Box::new(id_set)),
    ];
    let searcher = index.reader.searcher();
    let top = searcher.search(
        &BooleanQuery::new(clauses),
        &TopDocs::with_limit(ids.len().max(1)).order_by_score(),
    )?;
    let mut matched = Vec::with_capacity(top.len());
    for (_, address) in top {
        let doc: TantivyDocument = searcher.doc(address)?;
        if let Some(id) = doc.get_first(fields.id).and_then(|v| v.as_str()) {
            matched.push(id.to_owned());
        }
    }
    Ok(matched)
}
