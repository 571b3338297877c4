//! Live updates: GraphQL subscriptions over WebSocket (`graphql-transport-ws`) on `/graphql`, fed by the
//! live bus (`gongzhi_infra::live`). The socket (`socket.rs`) authenticates in `connection_init` and holds
//! the limits; the executor (`executor.rs`) runs subscriptions only, words their errors and counts them
//! per connection; the viewer (`viewer.rs`) is who the connection is, checked again before every delivery
//! and on a tick.

pub mod executor;
pub mod settings;
pub mod socket;
pub mod viewer;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use gongzhi_infra::live::LiveBus;
use uuid::Uuid;

use self::settings::LiveSettings;

/// Whom a connection counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Holder {
    Person(Uuid),
    Partner(Uuid),
    Anonymous,
}

/// The instance's live side: the bus, and the connections open per person, partner and for nobody.
pub struct LiveHub {
    pub bus: LiveBus,
    open: Arc<Mutex<HashMap<Holder, usize>>>,
}

/// A connection counted against its holder until dropped.
pub struct Admitted {
    holder: Holder,
    open: Arc<Mutex<HashMap<Holder, usize>>>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = open.get_mut(&self.holder) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.holder);
            }
        }
    }
}

impl LiveHub {
    pub fn new(bus: LiveBus) -> Self {
        Self { bus, open: Arc::default() }
    }

    /// Counts one more connection for `holder`, or `None` when it already holds as many as allowed.
    pub fn admit(&self, holder: Holder, settings: &LiveSettings) -> Option<Admitted> {
        let most = match holder {
            Holder::Person(_) => settings.max_connections_per_person,
            Holder::Partner(_) => settings.max_connections_per_partner,
            Holder::Anonymous => settings.max_anonymous_connections,
        };
        let mut open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = open.entry(holder).or_default();
        if *count >= most {
            return None;
        }
        *count += 1;
        Some(Admitted { holder, open: self.open.clone() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_holder_is_admitted_up_to_the_limit_and_again_once_one_closes() {
        let hub = LiveHub::new(LiveBus::in_process(4));
        let settings = LiveSettings { max_connections_per_person: 2, ..LiveSettings::default() };
        let person = Holder::Person(Uuid::nil());
        let first = hub.admit(person, &settings).expect("first");
        let _second = hub.admit(person, &settings).expect("second");
        assert!(hub.admit(person, &settings).is_none());
        assert!(hub.admit(Holder::Partner(Uuid::nil()), &settings).is_some());
        drop(first);
        assert!(hub.admit(person, &settings).is_some());
    }
}
