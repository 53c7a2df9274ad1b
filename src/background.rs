//! The shape every background task shares: wait an interval (or until shutdown), do a round of
//! work, again until shutdown. A round is never cut short: shutdown is seen between rounds.

use std::time::Duration;

use tokio::sync::watch;

/// Waits `interval`, runs `round`, and again, until `shutdown` turns true. Each round is a future
/// of its own (it owns what it needs), so the task stays `Send` for `tokio::spawn`.
pub async fn every<Round: Future<Output = ()>>(
    interval: Duration,
    mut shutdown: watch::Receiver<bool>,
    mut round: impl FnMut() -> Round,
) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            return;
        }
        round().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn rounds_follow_the_interval_and_stop_at_shutdown() {
        let (stop, shutdown) = watch::channel(false);
        let mut rounds = 0;
        let task = async {
            every(Duration::from_millis(100), shutdown, || {
                rounds += 1;
                async {}
            })
            .await;
        };
        let stopper = async {
            tokio::time::sleep(Duration::from_millis(350)).await;
            stop.send(true).unwrap();
        };
        tokio::join!(task, stopper);
        // Rounds at about 100, 200 and 300 ms; a slow machine may fit fewer, never more, and the
        // shutdown at 350 ms ends the task without waiting for the next interval.
        assert!((1..=3).contains(&rounds), "{rounds} rounds");
    }
}
