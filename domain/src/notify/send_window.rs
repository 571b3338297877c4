//! The delivery rate as a decision (decision 161): at most `per_second` sends in any one-second window. A
//! token bucket only holds the average and lets a burst through; a gateway contract's "N messages a
//! second" is read literally here, so the window remembers its last N send times and the next send goes
//! no earlier than a second after the oldest — plus a margin, because what the gateway counts is
//! arrivals, and requests take slightly different times to arrive.
//!
//! Times are the injected clock's: the worker asks for a slot and waits until it, so the rule is tested
//! by the slots it grants, not by measuring how long anything took.

use std::collections::VecDeque;

use chrono::{DateTime, Duration, Utc};

/// The window a send is counted in: a second, and the margin for arrival jitter.
pub const SEND_WINDOW: Duration = Duration::milliseconds(1_050);

#[derive(Debug, Clone)]
pub struct SendWindow {
    per_second: usize,
    /// The slots granted, oldest first; at most `per_second` of them.
    granted: VecDeque<DateTime<Utc>>,
}

impl SendWindow {
    pub fn new(per_second: u32) -> Self {
        let per_second = per_second.max(1) as usize;
        SendWindow { per_second, granted: VecDeque::with_capacity(per_second) }
    }

    /// When the next send may go, asked at `now`: `now` itself while the window has room, else a window
    /// after the oldest of the last `per_second` sends. The slot is counted as a send.
    pub fn slot(&mut self, now: DateTime<Utc>) -> DateTime<Utc> {
        let mut at = now;
        if self.granted.len() == self.per_second
            && let Some(oldest) = self.granted.pop_front()
        {
            at = at.max(oldest + SEND_WINDOW);
        }
        // Slots never go backwards, even if the clock does: the window stays a window.
        if let Some(last) = self.granted.back() {
            at = at.max(*last);
        }
        self.granted.push_back(at);
        at
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn start() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).single().unwrap_or_default()
    }

    #[test]
    fn no_one_second_window_holds_more_slots_than_the_rate() {
        let mut window = SendWindow::new(5);
        let now = start();

        let slots: Vec<_> = (0..12).map(|_| window.slot(now)).collect();

        for (i, at) in slots.iter().enumerate() {
            let in_window = slots[i..].iter().filter(|t| **t < *at + SEND_WINDOW).count();
            assert!(in_window <= 5, "{in_window} sends within a window from slot {i}: {slots:?}");
        }
        assert_eq!(&slots[..5], &[now; 5], "the first five go at once");
        assert_eq!(slots[5], now + SEND_WINDOW, "the sixth waits a window after the first");
        assert_eq!(slots[11], now + SEND_WINDOW * 2, "the eleventh and twelfth wait two");
    }

    #[test]
    fn a_send_asked_for_after_the_window_passed_goes_at_once() {
        let mut window = SendWindow::new(2);
        window.slot(start());
        window.slot(start());
        let later = start() + Duration::seconds(3);

        let slot = window.slot(later);

        assert_eq!(slot, later);
    }
}
