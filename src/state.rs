//! What every request handler can reach.

use std::sync::Arc;

use crate::auth::throttle::{IpLimiter, ThrottlePolicy};
use crate::auth::tokens::JwtKeys;
use crate::db::Db;
use crate::mail::MailSignal;
use crate::registry::RegistryHandle;
use crate::search::Search;
use crate::settings::Settings;

pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub jwt: JwtKeys,
    pub mail: MailSignal,
    pub ip_limiter: IpLimiter,
    pub throttle: ThrottlePolicy,
    pub registry: Arc<RegistryHandle>,
    pub search: Arc<Search>,
}

impl AppState {
    pub fn new(
        db: Db,
        settings: Arc<Settings>,
        mail: MailSignal,
        registry: Arc<RegistryHandle>,
        search: Arc<Search>,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            jwt: JwtKeys::new(settings.jwt_secret(), &settings.auth)?,
            ip_limiter: IpLimiter::per_minute(settings.auth.ip_requests_per_minute),
            throttle: ThrottlePolicy::from(&settings.auth),
            db,
            settings,
            mail,
            registry,
            search,
        })
    }

    /// An absolute link into the web front end, for emails.
    pub fn link(&self, path: &str) -> String {
        format!(
            "{}{}",
            self.settings.application.base_url.trim_end_matches('/'),
            path
        )
    }
}
