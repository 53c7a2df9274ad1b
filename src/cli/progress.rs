//! Progress bars on the terminal for the long commands (`reindex`, `seed-demo`); indicatif hides
//! them when stderr is not a terminal.

use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressState, ProgressStyle};

use crate::index_events::Kind;
use crate::search::indexing::rebuild::{self, Rebuilt};

/// One bar at a time, one per stage.
#[derive(Default)]
pub struct Bars {
    current: Mutex<Option<ProgressBar>>,
}

impl Bars {
    fn start(&self, prefix: &'static str, total: u64) {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template("{prefix:>12} [{bar:40}] {pos}/{len} {rate} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .with_key("rate", |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}/s", state.per_sec());
                })
                .progress_chars("=> "),
        );
        bar.set_prefix(prefix);
        if let Ok(mut current) = self.current.lock() {
            *current = Some(bar);
        }
    }

    fn set(&self, done: u64) {
        if let Ok(current) = self.current.lock()
            && let Some(bar) = current.as_ref()
        {
            // A total counted before the work started may be passed by records added since.
            if done > bar.length().unwrap_or(0) {
                bar.set_length(done);
            }
            bar.set_position(done);
        }
    }

    fn message(&self, message: &'static str) {
        if let Ok(current) = self.current.lock()
            && let Some(bar) = current.as_ref()
        {
            bar.set_message(message);
        }
    }

    fn finish(&self) {
        if let Ok(mut current) = self.current.lock()
            && let Some(bar) = current.take()
        {
            bar.finish_and_clear();
        }
    }
}

impl rebuild::Progress for Bars {
    fn begin(&self, kind: Kind, total: u64) {
        self.start(crate::search::indexing::layout::base(kind), total);
    }

    fn advance(&self, _kind: Kind, written: u64) {
        self.set(written);
    }

    fn committing(&self, _kind: Kind) {
        self.message("analysing and committing…");
    }

    /// Then a line of what was done, on stdout.
    fn end(&self, rebuilt: &Rebuilt) {
        self.finish();
        let seconds = rebuilt.elapsed.as_secs_f64();
        println!(
            "{}: {} documents in {:.1} s ({:.0}/s), at event {}, now live in {}",
            crate::search::indexing::layout::base(rebuilt.kind),
            rebuilt.documents,
            seconds,
            rebuilt.documents as f64 / seconds.max(1e-3),
            rebuilt.through,
            rebuilt.dir.display()
        );
    }
}

impl crate::demo::Progress for Bars {
    fn stage(&self, name: &'static str, total: u64) {
        self.start(name, total);
    }

    fn advance(&self, done: u64) {
        self.set(done);
    }

    fn finish_stage(&self) {
        self.finish();
    }
}
