//! What the areas are handed: the database, the settings, the mail dispatcher's signal, the
//! registry and the exchange rates. It stands over the registry and under accounts and the
//! areas; the entry layer's `AppState` holds it (and what only the entry needs: token keys, the
//! per-address limiter, the search indexes) and hands it down by `Deref`, so a handler passes
//! `&state` where a service takes `&AreaContext`.

use std::sync::Arc;

use crate::db::Db;
use crate::mail::MailSignal;
use crate::money::Rates;
use crate::registry::RegistryHandle;
use crate::settings::Settings;

pub struct AreaContext {
    pub db: Db,
    pub settings: Arc<Settings>,
    /// Wakes the mail dispatcher when a transaction has queued mail.
    pub mail: MailSignal,
    pub registry: Arc<RegistryHandle>,
    /// For salaries compared in one currency per month.
    pub rates: Rates,
}

impl AreaContext {
    /// An absolute link into the web front end, for emails.
    pub fn link(&self, path: &str) -> String {
        format!(
            "{}{}",
            self.settings.application.base_url.trim_end_matches('/'),
            path
        )
    }
}
