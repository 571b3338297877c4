//! Limits of live updates (`GONGZHI_LIVE__…`): the GraphQL subscriptions served over WebSocket on
//! `/graphql` (docs/api.md, "Subscriptions").

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct LiveSettings {
    /// How many bus messages a subscriber may fall behind before it is dropped (its subscription ends
    /// with an error), in each instance.
    pub bus_capacity: usize,
    /// Subscriptions one connection may hold at once; one more is answered with an error.
    pub max_subscriptions_per_connection: usize,
    /// Connections one person may hold at once in one instance; one more is closed with 4429.
    pub max_connections_per_person: usize,
    /// Connections one API partner may hold at once in one instance.
    pub max_connections_per_partner: usize,
    /// Connections nobody logged in to may hold at once in one instance, all together.
    pub max_anonymous_connections: usize,
    /// How long a new connection has to send `connection_init` before it is closed with 4408.
    pub init_timeout_ms: u64,
    /// A connection the client has sent nothing on (not even a ping) for this long is closed with 4408.
    pub idle_timeout_seconds: u64,
    /// The largest message a client may send; a larger one closes the connection with 1009.
    pub max_message_bytes: usize,
    /// How often each connection checks that its token has not expired and its session not ended (it is
    /// also checked before every delivery).
    pub check_every_ms: u64,
}

impl Default for LiveSettings {
    fn default() -> Self {
        Self {
            bus_capacity: 1_024,
            max_subscriptions_per_connection: 20,
            max_connections_per_person: 8,
            max_connections_per_partner: 64,
            max_anonymous_connections: 1_000,
            init_timeout_ms: 10_000,
            idle_timeout_seconds: 300,
            max_message_bytes: 64 * 1024,
            check_every_ms: 30_000,
        }
    }
}
