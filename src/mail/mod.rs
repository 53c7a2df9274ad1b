//! Email: templates, the transactional outbox and the dispatcher that sends it. Knows no domain:
//! areas pick a template and enqueue it inside their own transaction.

pub mod dispatcher;
pub mod outbox;
pub mod templates;
pub mod transport;

use std::sync::Arc;

use tokio::sync::Notify;

pub use templates::Template;

/// Lets a request wake the dispatcher right after committing an email, so mail goes out in
/// milliseconds rather than at the next poll.
#[derive(Clone, Default)]
pub struct MailSignal(Arc<Notify>);

impl MailSignal {
    pub fn wake(&self) {
        self.0.notify_one();
    }

    pub fn notify_handle(&self) -> Arc<Notify> {
        self.0.clone()
    }
}
