//! Progress bars on the terminal for the long commands (`reindex`, `seed-demo`); indicatif hides
//! them when stderr is not a terminal.

use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};

use crate::search::events::Kind;
use crate::search::rebuild::{self, Rebuilt};

/// One bar at a time, one per stage.
#[derive(Default)]
pub struct Bars {
    current: Mutex<Option<ProgressBar>>,
}

impl Bars {
    fn start(&self, prefix: &'static str, total: u64) {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template("{prefix:>12} [{bar:40}] {pos}/{len} {per_sec} {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
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

    fn finish(&self) {
        if let Ok(mut current) = self.current.lock()
            && let Some(bar) = current.take()
        {
            bar.finish();
        }
    }
}

impl rebuild::Progress for Bars {
    fn begin(&self, kind: Kind, total: u64) {
        self.start(crate::search::layout::base(kind), total);
    }

    fn advance(&self, _kind: Kind, written: u64) {
        self.set(written);
    }

    fn end(&self, _rebuilt: &Rebuilt) {
        self.finish();
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
