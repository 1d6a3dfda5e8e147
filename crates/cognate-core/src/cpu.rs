//! A bounded pool for CPU-heavy work (password hashing, SRP, signing), so a burst of sign-ins
//! queues here instead of starving the async executor that serves every other request.

use std::sync::Arc;
use tokio::sync::Semaphore;

use crate::Error;

#[derive(Debug, Clone)]
pub struct CpuPool {
    permits: Arc<Semaphore>,
}

impl CpuPool {
    /// A pool running at most `size` jobs at once (at least one).
    pub fn new(size: usize) -> Self {
        CpuPool {
            permits: Arc::new(Semaphore::new(size.max(1))),
        }
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
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| Error::internal("cpu pool closed"))?;
        tokio::task::spawn_blocking(job)
            .await
            .map_err(|e| Error::internal(format!("cpu job failed: {e}")))
    }
}
