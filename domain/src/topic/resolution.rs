//! The outcome of a deliberation (决议) with the minutes that record how it was reached.

use serde::{Deserialize, Serialize};

use crate::ids::{MeetingId, VoteId};
use crate::topic::{Minutes, ResolutionText};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    pub decision: ResolutionText,
    pub minutes: Minutes,
    /// The meeting that adopted it, when there was one (online deliberations have none).
    pub meeting: Option<MeetingId>,
    /// The vote that carried it, when it was put to one. Whether that vote passed is the vote's own
    /// verdict ([`crate::vote::Verdict`]); storage checks it before calling
    /// [`Topic::resolve`](crate::topic::Topic::resolve).
    pub vote: Option<VoteId>,
}
