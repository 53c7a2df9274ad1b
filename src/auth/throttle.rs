//! Limits on guessing passwords. Two layers: an in-memory limiter per client address (cheap,
//! per node, a first line only) and failure counters in the database, which every node shares:
//! per account *and* client address, and per client address. Counting an account's failures
//! per address means that whoever guesses from one address locks only that address out of the
//! account: the owner signing in from elsewhere is not locked out by an attacker. Accounts are
//! keyed by a hash of the email, whether or not an account exists, so a lockout reveals nothing
//! about which emails are registered. The client address is `http::client_addr`'s, which believes
//! forwarding headers only from trusted proxies.

use std::net::IpAddr;
use std::num::NonZeroU32;

use chrono::{Duration, NaiveDateTime};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::store;
use super::tokens::hash_opaque;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::settings::AuthSettings;

#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    pub account_max_failures: i32,
    pub ip_max_failures: i32,
    pub window: Duration,
    pub lockout: Duration,
}

impl From<&AuthSettings> for ThrottlePolicy {
    fn from(settings: &AuthSettings) -> Self {
        Self {
            account_max_failures: settings.account_max_failures.max(1),
            ip_max_failures: settings.ip_max_failures.max(1),
            window: Duration::seconds(settings.failure_window_secs.max(1)),
            lockout: Duration::seconds(settings.lockout_secs.max(1)),
        }
    }
}

/// The throttle keys of one login attempt.
#[derive(Debug, Clone)]
pub struct LoginKeys {
    /// Failures against this account from this client address.
    pub account: String,
    /// Failures from this client address, whichever accounts they tried.
    pub ip: Option<String>,
}

impl LoginKeys {
    pub fn new(email: &str, ip: Option<IpAddr>) -> Self {
        let from = ip.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
        Self {
            // Hashed with the address too: the row does not tie an email's hash to an address.
            account: format!("{}{}", account_prefix(email), hash_opaque(&from)),
            ip: ip.map(|ip| format!("ip:{ip}")),
        }
    }

    fn all(&self) -> Vec<&str> {
        std::iter::once(self.account.as_str())
            .chain(self.ip.as_deref())
            .collect()
    }
}

/// What every key of one account starts with, whatever the address.
fn account_prefix(email: &str) -> String {
    format!("account:{}:from:", hash_opaque(email))
}

/// 429 while this address is locked out of the account, or locked out altogether.
pub fn ensure_not_locked(
    conn: &mut DbConnection,
    keys: &LoginKeys,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let latest_lock = store::find_throttles(conn, &keys.all())?
        .into_iter()
        .filter_map(|throttle| throttle.locked_until)
        .filter(|until| *until > now)
        .max();
    match latest_lock {
        Some(until) => Err(AppError::TooManyRequests {
            retry_after_secs: seconds_until(now, until),
        }),
        None => Ok(()),
    }
}

/// Counts a failed attempt against the account from this address and against the address; locks
/// whichever reached its limit.
pub fn record_failure(
    conn: &mut DbConnection,
    keys: &LoginKeys,
    policy: &ThrottlePolicy,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let limits = std::iter::once((keys.account.as_str(), policy.account_max_failures))
        .chain(keys.ip.as_deref().map(|ip| (ip, policy.ip_max_failures)));
    for (key, max_failures) in limits {
        if store::count_failure(conn, key, now, policy.window)? >= max_failures {
            store::lock(conn, key, now + policy.lockout)?;
        }
    }
    Ok(())
}

/// A right password from an address clears that address's failures against the account.
pub fn record_success(conn: &mut DbConnection, keys: &LoginKeys) -> Result<(), AppError> {
    Ok(store::clear_throttle(conn, &keys.account)?)
}

/// Lifts every lockout of an account, from every address (its owner proved control of the email).
pub fn clear_account(conn: &mut DbConnection, email: &str) -> Result<(), AppError> {
    Ok(store::clear_throttles_starting_with(
        conn,
        &account_prefix(email),
    )?)
}

fn seconds_until(now: NaiveDateTime, until: NaiveDateTime) -> u64 {
    let millis = (until - now).num_milliseconds().max(0) as u64;
    millis.div_ceil(1000).max(1)
}

/// Requests per minute per client address on the authentication endpoints, in process memory.
pub struct IpLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
}

impl IpLimiter {
    pub fn per_minute(requests: u32) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(requests.max(1)).expect("at least one"));
        Self {
            limiter: RateLimiter::keyed(quota),
        }
    }

    pub fn check(&self, ip: Option<IpAddr>) -> Result<(), AppError> {
        let Some(ip) = ip else { return Ok(()) };
        if self.limiter.len() > 100_000 {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&ip).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            AppError::TooManyRequests {
                retry_after_secs: wait.as_secs().max(1),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        let now = chrono::Utc::now().naive_utc();
        assert_eq!(seconds_until(now, now + Duration::milliseconds(1500)), 2);
        assert_eq!(seconds_until(now, now + Duration::milliseconds(10)), 1);
        assert_eq!(seconds_until(now, now + Duration::seconds(900)), 900);
    }

    #[test]
    fn the_ip_limiter_refuses_past_its_quota() {
        let limiter = IpLimiter::per_minute(3);
        let ip: IpAddr = "203.0.113.9".parse().unwrap();
        for _ in 0..3 {
            limiter.check(Some(ip)).unwrap();
        }
        match limiter.check(Some(ip)) {
            Err(AppError::TooManyRequests { retry_after_secs }) => assert!(retry_after_secs >= 1),
            other => panic!("expected 429, got {other:?}"),
        }
        limiter.check(Some("203.0.113.10".parse().unwrap())).unwrap();
    }

    #[test]
    fn account_keys_do_not_contain_the_email_nor_the_address() {
        let keys = LoginKeys::new("li.wei@example.com", Some("203.0.113.9".parse().unwrap()));
        assert!(!keys.account.contains("li.wei"));
        assert!(!keys.account.contains("203.0.113"));
        assert_eq!(keys.ip.as_deref(), Some("ip:203.0.113.9"));
        assert!(LoginKeys::new("li.wei@example.com", None).ip.is_none());
    }

    #[test]
    fn an_account_has_one_key_per_address_under_one_prefix() {
        let email = "li.wei@example.com";
        let here = LoginKeys::new(email, Some("203.0.113.9".parse().unwrap()));
        let there = LoginKeys::new(email, Some("198.51.100.4".parse().unwrap()));
        let other = LoginKeys::new("chan.tai.man@example.com", Some("203.0.113.9".parse().unwrap()));
        assert_ne!(here.account, there.account);
        assert_ne!(here.account, other.account);
        for keys in [&here, &there] {
            assert!(keys.account.starts_with(&account_prefix(email)));
        }
        assert!(!other.account.starts_with(&account_prefix(email)));
    }
}
