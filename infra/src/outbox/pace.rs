//! The delivery rate: at most `per_second` sends in any one-second window. A token bucket only holds the
//! average and lets a burst through; a gateway contract's "N messages a second" is read literally here,
//! so the worker remembers its last N send times and waits until the oldest is a second old — plus a
//! margin, because what the gateway counts is arrivals, and requests take slightly different times to
//! arrive.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

pub struct Pace {
    per_second: usize,
    sent: Mutex<VecDeque<Instant>>,
}

const WINDOW: Duration = Duration::from_millis(1_050);

impl Pace {
    pub fn new(per_second: u32) -> Self {
        let per_second = per_second.max(1) as usize;
        Pace { per_second, sent: Mutex::new(VecDeque::with_capacity(per_second)) }
    }

    /// Waits until one more send keeps the window within the rate, and counts it.
    pub async fn ready(&self) {
        let mut sent = self.sent.lock().await;
        if sent.len() == self.per_second
            && let Some(oldest) = sent.pop_front()
        {
            // Holding the lock while waiting keeps the order fair: the next caller waits behind us.
            tokio::time::sleep_until(oldest + WINDOW).await;
        }
        sent.push_back(Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn no_one_second_window_holds_more_than_the_rate() {
        let pace = Pace::new(5);
        let start = Instant::now();
        let mut times = Vec::new();

        for _ in 0..12 {
            pace.ready().await;
            times.push(Instant::now() - start);
        }

        for (i, at) in times.iter().enumerate() {
            let in_window = times[i..].iter().filter(|t| **t < *at + WINDOW).count();
            assert!(in_window <= 5, "{in_window} sends within a second from {at:?}");
        }
        assert!(times[11] >= Duration::from_secs(2));
        for (i, at) in times.iter().enumerate().skip(5) {
            assert!(*at >= times[i - 5] + Duration::from_millis(1_050), "a margin over the second");
        }
    }
}
