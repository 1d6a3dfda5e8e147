//! A bounded pool for CPU-heavy work (password hashing, SRP, signing), so a burst of sign-ins
//! queues here instead of starving the async executor that serves every other request.
//!
//! The pool is its own threads, one per core, taking jobs from one queue: a thread that
//! finishes a job takes the next at once. (A semaphore in front of tokio's blocking pool, the
//! first design, left cores idle between jobs: each hand-over went through the async executor
//! twice, which matters when the jobs are millisecond RSA signatures.) The threads end when
//! the last handle to the pool is dropped.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};

use crate::Error;

type Job = Box<dyn FnOnce() + Send + 'static>;

#[derive(Debug, Clone)]
pub struct CpuPool {
    queue: Sender<Job>,
}

impl CpuPool {
    /// A pool of `size` threads (at least one).
    pub fn new(size: usize) -> Self {
        let (tx, rx) = channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..size.max(1) {
            let rx = rx.clone();
            // A pool that cannot start a thread runs with the threads it has; with none, jobs
            // fail with an internal error (their result sender is dropped).
            let _ = std::thread::Builder::new()
                .name(format!("cognate-cpu-{i}"))
                .spawn(move || work(&rx));
        }
        CpuPool { queue: tx }
    }

    /// Sized to the machine's cores.
    pub fn for_machine() -> Self {
        Self::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    }

    pub async fn run<T, F>(&self, job: F) -> Result<T, Error>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let outcome = catch_unwind(AssertUnwindSafe(job));
            // The caller may have gone away (its request was cancelled); nothing to tell.
            let _ = done.send(outcome);
        });
        if self.queue.send(job).is_err() {
            return Err(Error::internal("cpu pool has no threads"));
        }
        match result.await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(_)) => Err(Error::internal("cpu job panicked")),
            Err(_) => Err(Error::internal("cpu pool has no threads")),
        }
    }
}

/// A pool thread: runs jobs until every sender is gone.
fn work(queue: &Mutex<Receiver<Job>>) {
    loop {
        let next = match queue.lock() {
            Ok(rx) => rx.recv(),
            Err(poisoned) => poisoned.into_inner().recv(),
        };
        match next {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[tokio::test]
    async fn jobs_run_on_the_pool_and_answer() {
        let pool = CpuPool::new(2);
        let name = pool
            .run(|| std::thread::current().name().map(str::to_string))
            .await
            .unwrap();
        assert!(name.unwrap().starts_with("cognate-cpu-"));
        assert_eq!(pool.run(|| 6 * 7).await.unwrap(), 42);
    }

    #[tokio::test]
    async fn at_most_size_jobs_run_at_once() {
        let pool = CpuPool::new(2);
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let mut jobs = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let (pool, running, peak) = (pool.clone(), running.clone(), peak.clone());
            jobs.spawn(async move {
                pool.run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                })
                .await
            });
        }
        while let Some(r) = jobs.join_next().await {
            r.unwrap().unwrap();
        }
        assert_eq!(peak.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_internal_error_and_the_pool_goes_on() {
        let pool = CpuPool::new(1);
        #[allow(clippy::panic)]
        let failed = pool.run(|| panic!("boom")).await;
        assert!(failed.unwrap_err().is_internal());
        assert_eq!(pool.run(|| 1).await.unwrap(), 1);
    }
}
