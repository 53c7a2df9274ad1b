//! What every request handler can reach: the areas' `AreaContext`, and what only the entry layer
//! uses (token keys for the `AuthUser` extractor, the per-address limiter, the search indexes).

use std::ops::Deref;
use std::sync::Arc;

use crate::auth::throttle::IpLimiter;
use crate::auth::tokens::JwtKeys;
use crate::context::AreaContext;
use crate::db::Db;
use crate::mail::MailSignal;
use crate::registry::RegistryHandle;
use crate::search::Search;
use crate::settings::Settings;

pub struct AppState {
    pub context: AreaContext,
    pub jwt: JwtKeys,
    pub ip_limiter: IpLimiter,
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
            context: AreaContext {
                db,
                rates: search.rates.clone(),
                settings,
                mail,
                registry,
            },
            search,
        })
    }
}

impl Deref for AppState {
    type Target = AreaContext;

    fn deref(&self) -> &AreaContext {
        &self.context
    }
}
