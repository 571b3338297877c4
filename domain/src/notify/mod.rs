//! Notifications: who is told what, in which words, and what a gateway's answer means for a message.
//!
//! Storage writes a message to the outbox in the same transaction as the change it reports (so a message
//! exists exactly when the change does) and a worker delivers it later. The rules the worker applies are
//! here, free of I/O and of the wall clock: how a gateway answer is read ([`Outcome`]), when a failed
//! message is tried again ([`next_step`], exponential backoff with full jitter), when to stop hammering a
//! failing gateway ([`Breaker`]) and how a WeChat subscribe message's fields are cut to WeChat's limits
//! ([`Field`]).

mod breaker;
mod consent;
mod delivery;
mod endpoint_circuit;
mod kind;
mod render;
mod send_window;
mod webhook;

pub use breaker::{Admission, Allowance, Breaker, BreakerPolicy};
pub use consent::{ConsentGrant, ConsentReport, MAX_ONE_TIME_GRANTS};
pub use delivery::{Backoff, Outcome, Step, WECHAT_USER_REFUSED, next_step};
pub use endpoint_circuit::{AfterAttempt, Circuit, EndpointCircuit};
pub use kind::{Channel, MessageStatus, NotificationKind};
pub use render::{Field, FieldKind, Rendered, TemplateData, china_time};
pub use send_window::{SEND_WINDOW, SendWindow};
pub use webhook::{TargetClass, refused_address, refused_name};

#[cfg(test)]
mod breaker_tests;
#[cfg(test)]
mod delivery_tests;
#[cfg(test)]
mod endpoint_circuit_tests;
#[cfg(test)]
mod render_tests;
