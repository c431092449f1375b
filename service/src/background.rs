//! Work a request starts and does not wait for (a sign-in link is created and queued after
//! the answer has gone, so known and unknown addresses answer alike). Counted, so a
//! graceful shutdown and the tests can wait until it is done.
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::Notify;

/// Spawns and counts background tasks. Cheap to clone; clones share the count.
#[derive(Clone, Default)]
pub struct Background(Arc<Inner>);

#[derive(Default)]
struct Inner {
    running: AtomicUsize,
    idle: Notify,
}

/// Decrements the count when a task ends, however it ends (a panic included).
struct Running(Arc<Inner>);

impl Drop for Running {
    fn drop(&mut self) {
        if self.0.running.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

impl Background {
    /// Runs `task` on the runtime; [`Background::idle`] waits for it.
    pub fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) {
        self.0.running.fetch_add(1, Ordering::AcqRel);
        let running = Running(self.0.clone());
        tokio::spawn(async move {
            let _running = running;
            task.await;
        });
    }

    /// Returns once no task started here is running.
    pub async fn idle(&self) {
        loop {
            let notified = self.0.idle.notified();
            tokio::pin!(notified);
            // Registered before the check, so a task ending in between still wakes us.
            notified.as_mut().enable();
            if self.0.running.load(Ordering::Acquire) == 0 {
                return;
            }
            notified.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn idle_waits_for_every_task_even_one_that_panics() {
        let bg = Background::default();
        bg.idle().await;
        let done = Arc::new(AtomicUsize::new(0));
        for i in 0..3u64 {
            let done = done.clone();
            bg.spawn(async move {
                tokio::time::sleep(Duration::from_millis(10 * i)).await;
                done.fetch_add(1, Ordering::SeqCst);
            });
        }
        bg.spawn(async { panic!("a failing task") });
        tokio::time::timeout(Duration::from_secs(5), bg.idle())
            .await
            .expect("idle returns");
        assert_eq!(done.load(Ordering::SeqCst), 3);
    }
}
