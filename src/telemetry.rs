//! Structured logs on stderr: JSON lines in production, readable lines otherwise; `RUST_LOG`
//! filters.

use tracing_subscriber::EnvFilter;

pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        // stderr, as documented: stdout is for what the commands print for people and scripts.
        .with_writer(std::io::stderr);
    // Fails only when a subscriber is already installed (tests may install their own): keep it.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
