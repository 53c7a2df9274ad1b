use clap::Parser;
use talentbridge::cli::{Cli, run};

// Searches allocate many short-lived buffers on several threads at once; glibc's allocator
// was 14% of the service's CPU under search load (bench/changes.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[actix_web::main]
async fn main() {
    if let Err(error) = run(Cli::parse()).await {
        eprintln!("talentbridge: {error:#}");
        std::process::exit(1);
    }
}
