use std::io::Write;

use clap::Parser;
use talentbridge::cli::{Cli, run};

// Searches allocate many short-lived buffers on several threads at once; glibc's allocator
// was 14% of the service's CPU under search load (bench/changes.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Dropping the runtime at the end of this statement waits for its blocking tasks, so every
    // write a command started has finished before the process ends.
    let outcome = actix_web::rt::System::new().block_on(run(Cli::parse()));
    let code = match outcome {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("talentbridge: {error:#}");
            1
        }
    };
    end_process(code)
}

/// Ends the process without running the C library's exit handlers. r2d2 opens and closes
/// PostgreSQL connections on its own threads, and the pool's last reference may be dropped
/// there (r2d2 `add_connection` holds it until its attempt ends), so libpq can be inside
/// OpenSSL on another thread at any moment. OpenSSL's atexit cleanup freeing its state under
/// that thread killed `admin create` with SIGSEGV after it printed success (diesel #3441,
/// r2d2 #137; tests/cli/exit.rs). Nothing of ours needs those handlers: the runtime and its
/// tasks are gone, files are written by then, and the database finishes with a dropped
/// connection as with a closed one.
fn end_process(code: i32) -> ! {
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    #[cfg(unix)]
    // SAFETY: `_exit` takes any status and never returns; no Rust state is observed after it.
    unsafe {
        libc::_exit(code)
    }
    #[cfg(not(unix))]
    std::process::exit(code)
}
