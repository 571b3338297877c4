//! The delivery rate, kept: the worker asks the send window (`gongzhi_domain::notify::SendWindow`,
//! decision 161) for a slot on the injected clock, and waits until it. How it waits is the one part that
//! touches time: production sleeps until the clock reaches the slot; a test can move its clock instead,
//! and look at the slots granted rather than at how long anything took.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use gongzhi_domain::clock::Clock;
use gongzhi_domain::notify::SendWindow;
use tokio::sync::Mutex;

/// Waits until the clock reaches a send's slot.
pub trait PaceWait: Send + Sync {
    fn until(&self, slot: DateTime<Utc>) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// Sleeps for as long as the clock says is left before the slot.
struct SleepUntil {
    clock: Arc<dyn Clock>,
}

impl PaceWait for SleepUntil {
    fn until(&self, slot: DateTime<Utc>) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        let left = (slot - self.clock.now()).to_std().unwrap_or_default();
        Box::pin(async move {
            if !left.is_zero() {
                tokio::time::sleep(left).await;
            }
        })
    }
}

pub struct Pace {
    clock: Arc<dyn Clock>,
    window: Mutex<SendWindow>,
    wait: Arc<dyn PaceWait>,
}

impl Pace {
    pub fn new(per_second: u32, clock: Arc<dyn Clock>) -> Self {
        let wait = Arc::new(SleepUntil { clock: clock.clone() });
        Pace { clock, window: Mutex::new(SendWindow::new(per_second)), wait }
    }

    pub fn waiting_with(mut self, wait: Arc<dyn PaceWait>) -> Self {
        self.wait = wait;
        self
    }

    /// Waits until one more send keeps the window within the rate, and counts it.
    pub async fn ready(&self) {
        let mut window = self.window.lock().await;
        let slot = window.slot(self.clock.now());
        // Holding the lock while waiting keeps the order fair: the next caller waits behind us.
        self.wait.until(slot).await;
    }
}
