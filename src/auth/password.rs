//! Password hashing with argon2id at OWASP's parameters. Hashing is deliberately slow, so it
//! always runs on the blocking pool — at most one hash per core but one at a time, so a storm
//! of logins queues (asynchronously) instead of taking every core and 19 MiB per hash from the
//! searches that share the pool.

use std::sync::LazyLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::error::AppError;

/// OWASP: m = 19 MiB, t = 2, p = 1.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash of a password nobody has, checked when an account does not exist, so an unknown
/// email takes as long to refuse as a wrong password.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_blocking("no account has this password").expect("hashing works"));

fn hash_blocking(password: &str) -> Result<String, AppError> {
    hasher()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("password hashing failed: {e}")))
}

fn verify_blocking(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => hasher().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

pub async fn hash(password: String) -> Result<String, AppError> {
    run_blocking(move || hash_blocking(&password)).await?
}

/// Verifies against `phc`, or against the dummy hash when there is no account.
pub async fn verify(password: String, phc: Option<String>) -> Result<bool, AppError> {
    run_blocking(move || match phc {
        Some(phc) => verify_blocking(&password, &phc),
        None => {
            verify_blocking(&password, &DUMMY_HASH);
            false
        }
    })
    .await
}

/// Computes the dummy hash ahead of the first login, so that login does not pay for it.
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
}

/// Hashes that may run at once: one core is left for everything else.
static HASHING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(hashing_slots()));

fn hashing_slots() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |cores| cores.get())
        .saturating_sub(1)
        .max(1)
}

async fn run_blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    let _slot = HASHING
        .acquire()
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("hashing slots closed: {e}")))?;
    actix_web::rt::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("hashing task failed: {e}")))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn hashing_never_takes_more_than_its_slots() {
        let (running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (running, most) = (running.clone(), most.clone());
                tokio::spawn(run_blocking(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                }))
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let most = most.load(Ordering::SeqCst);
        assert!(
            most >= 1 && most <= hashing_slots(),
            "{most} at once, {} slots",
            hashing_slots()
        );
    }

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let phc = hash_blocking("harbour-lantern-31-crossing").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_blocking("harbour-lantern-31-crossing", &phc));
        assert!(!verify_blocking("harbour-lantern-31-crossinG", &phc));
        assert!(!verify_blocking("anything", "not a phc string"));
    }

    #[test]
    fn the_same_password_hashes_differently_each_time() {
        assert_ne!(
            hash_blocking("same-password-twice").unwrap(),
            hash_blocking("same-password-twice").unwrap()
        );
    }
}
