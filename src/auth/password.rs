//! Password hashing with argon2id at OWASP's parameters. Hashing is deliberately slow, so it
//! runs on threads of its own, one fewer than the cores: a storm of sign-ins queues instead of
//! taking every core, and 19 MiB per hash, from the searches. Those threads also yield to the
//! rest of the service (below, `HASHING_NICE`).

use std::panic::AssertUnwindSafe;
use std::sync::LazyLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use crossbeam_channel::Sender;
use tokio::sync::oneshot;

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
    on_hashing_thread(move || hash_blocking(&password)).await?
}

/// Verifies against `phc`, or against the dummy hash when there is no account.
pub async fn verify(password: String, phc: Option<String>) -> Result<bool, AppError> {
    on_hashing_thread(move || match phc {
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

/// How far the hashing threads yield (a Unix nice value, 0 to 19). A sign-in is one request a
/// session and may wait a second; a search is many and is waited on at once. At nice 5 the
/// scheduler gives a hashing thread about a third of a search thread's share of a busy core, and
/// the whole of an idle one, so sign-ins never starve. At a million jobs, during a storm of
/// sign-ins, searches kept 1,004–1,119/s against 882–944/s at the service's priority, and
/// sign-ins went from 28–30/s to 21–23/s (bench/changes.md).
const HASHING_NICE: i32 = 5;

type Hashing = Box<dyn FnOnce() + Send>;

/// The hashing threads' queue, in arrival order; the threads start with the first hash.
static HASHING: LazyLock<Sender<Hashing>> = LazyLock::new(start_hashing_threads);

/// Hashes that may run at once: one core is left for everything else.
fn hashing_slots() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |cores| cores.get())
        .saturating_sub(1)
        .max(1)
}

fn start_hashing_threads() -> Sender<Hashing> {
    let (queue, taken) = crossbeam_channel::unbounded::<Hashing>();
    for n in 0..hashing_slots() {
        let taken = taken.clone();
        std::thread::Builder::new()
            .name(format!("hashing-{n}"))
            .spawn(move || {
                yield_to_the_service();
                for hashing in taken {
                    // A panic is the one sign-in's failure (its caller gets a 500), not the thread's.
                    let _ = std::panic::catch_unwind(AssertUnwindSafe(hashing));
                }
            })
            .expect("the system lets the service start a thread");
    }
    queue
}

/// Lowers this thread's priority to `HASHING_NICE` unless it is lower already (on Linux a nice
/// value is per thread). Raising it back would need a privilege, which is why hashing has threads
/// of its own.
fn yield_to_the_service() {
    #[cfg(target_os = "linux")]
    {
        if own_nice() >= HASHING_NICE {
            return;
        }
        // SAFETY: a plain system call on the calling thread's own id; nothing is shared.
        let changed = unsafe { libc::setpriority(libc::PRIO_PROCESS, own_thread_id(), HASHING_NICE) };
        if changed != 0 {
            tracing::warn!(
                error = %std::io::Error::last_os_error(),
                "a hashing thread keeps the service's priority"
            );
        }
    }
}

#[cfg(target_os = "linux")]
fn own_thread_id() -> libc::id_t {
    // SAFETY: gettid takes no argument and cannot fail.
    unsafe { libc::syscall(libc::SYS_gettid) as libc::id_t }
}

#[cfg(target_os = "linux")]
fn own_nice() -> i32 {
    // SAFETY: reads the calling thread's own nice value.
    unsafe { libc::getpriority(libc::PRIO_PROCESS, own_thread_id()) }
}

/// Runs `f` on a hashing thread and waits for it. A caller that stops waiting (the client went
/// away) before its turn costs no hash.
async fn on_hashing_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    let (answer_to, answer) = oneshot::channel();
    HASHING
        .send(Box::new(move || {
            if !answer_to.is_closed() {
                let _ = answer_to.send(f());
            }
        }))
        .map_err(|_| AppError::Unexpected(anyhow::anyhow!("the hashing threads are gone")))?;
    answer
        .await
        .map_err(|_| AppError::Unexpected(anyhow::anyhow!("password hashing failed")))
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
                tokio::spawn(on_hashing_thread(move || {
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

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashing_threads_yield_to_the_service() {
        let here = own_nice();
        let on_hashing_thread = on_hashing_thread(own_nice).await.unwrap();
        assert_eq!(on_hashing_thread, here.max(HASHING_NICE));
        assert_eq!(own_nice(), here, "the caller's thread keeps its priority");
    }

    #[tokio::test]
    async fn a_failed_hash_leaves_the_threads_working() {
        let failed = on_hashing_thread(|| panic!("a hash that fails")).await;
        assert!(matches!(failed, Err(AppError::Unexpected(_))));
        for _ in 0..hashing_slots() + 1 {
            assert_eq!(on_hashing_thread(|| 7).await.unwrap(), 7);
        }
    }

    #[tokio::test]
    async fn a_hash_nobody_waits_for_is_skipped() {
        let ran = Arc::new(AtomicUsize::new(0));
        // Every thread busy for a while, then a hash whose caller stops waiting at once.
        let busy: Vec<_> = (0..hashing_slots())
            .map(|_| {
                tokio::spawn(on_hashing_thread(|| {
                    std::thread::sleep(std::time::Duration::from_millis(100))
                }))
            })
            .collect();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let counted = ran.clone();
        let abandoned = on_hashing_thread(move || counted.fetch_add(1, Ordering::SeqCst));
        assert!(
            tokio::time::timeout(std::time::Duration::from_millis(1), abandoned)
                .await
                .is_err()
        );
        for task in busy {
            task.await.unwrap().unwrap();
        }
        // Its turn has come by the time a later hash is answered.
        on_hashing_thread(|| ()).await.unwrap();
        assert_eq!(ran.load(Ordering::SeqCst), 0);
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
