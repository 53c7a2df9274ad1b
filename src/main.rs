use std::time::Duration;

use clap::Parser;
use talentbridge::cli::{Cli, run};

// Searches allocate many short-lived buffers on several threads at once; glibc's allocator
// was 14% of the service's CPU under search load (bench/changes.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How long the exit waits for a database connection attempt under way; libpq has no timeout
/// of its own, and a container's stop grace period is 10 s.
const CONNECT_WAIT_AT_EXIT: Duration = Duration::from_secs(8);

#[actix_web::main]
async fn main() {
    let outcome = run(Cli::parse()).await;
    // Whatever the command and its outcome: a pool thread still opening a connection when
    // OpenSSL's atexit cleanup runs kills the process with SIGSEGV (talentbridge::db).
    if !talentbridge::db::stop_connecting(CONNECT_WAIT_AT_EXIT) {
        eprintln!("talentbridge: a database connection attempt was still under way at exit");
    }
    if let Err(error) = outcome {
        eprintln!("talentbridge: {error:#}");
        std::process::exit(1);
    }
}
