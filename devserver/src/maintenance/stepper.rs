//! The visible steps of a background operation: a sleep per step
//! (`--op-step-ms`), cancellation, and the test-injected failure.

use crate::app::{lock, App};
use crate::faults::FailSpec;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub enum Stop {
    Failed(String),
    Canceled,
}

pub struct Stepper {
    app: Arc<App>,
    n: u32,
    fail: Option<FailSpec>,
    cancel: Arc<AtomicBool>,
}

impl Stepper {
    pub fn new(app: &Arc<App>, kind: &str, cancel: Arc<AtomicBool>) -> Stepper {
        let fail = lock(&app.control).fail_next.remove(kind);
        Stepper {
            app: app.clone(),
            n: 0,
            fail,
            cancel,
        }
    }

    pub async fn step(&mut self) -> Result<(), Stop> {
        self.n += 1;
        tokio::time::sleep(Duration::from_millis(
            self.app
                .op_step_ms
                .load(std::sync::atomic::Ordering::Relaxed),
        ))
        .await;
        if self.cancel.load(Ordering::SeqCst) {
            return Err(Stop::Canceled);
        }
        if let Some(f) = &self.fail {
            if f.at_step <= self.n {
                let e = f.error.clone();
                self.fail = None;
                return Err(Stop::Failed(e));
            }
        }
        Ok(())
    }

    /// An injected failure whose step was never reached fires at the end.
    pub fn last(&mut self) -> Result<(), Stop> {
        match self.fail.take() {
            Some(f) => Err(Stop::Failed(f.error)),
            None => Ok(()),
        }
    }
}

pub fn io_stop(e: std::io::Error) -> Stop {
    Stop::Failed(e.to_string())
}
