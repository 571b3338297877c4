//! What every subscription does with the bus: waits for a message it cares about, then checks the viewer
//! again before it reads anything for them — the token not expired by the store's clock, the session not
//! ended, the partner still honoured, the person's roles the ones they subscribed under — and hands the
//! subscription the caller to re-read with. Any of those failing, or the subscriber falling behind the
//! bus, ends the subscription with an error the client sees.

use std::sync::Arc;

use gongzhi_domain::partner::Partner;
use gongzhi_domain::policy::{Actor, Caller};
use gongzhi_infra::auth::AuthError;
use gongzhi_infra::live::{LiveMessage, LiveReceiver};
use tokio::sync::broadcast::error::RecvError;

use crate::error::{ApiError, LiveRefusal};
use crate::live::viewer::LiveViewer;
use crate::state::SharedState;

/// Who a delivery is read for, as checked just now.
pub enum Reader {
    Person(Actor),
    Partner(Arc<Partner>),
}

impl Reader {
    pub fn caller(&self) -> Caller<'_> {
        match self {
            Reader::Person(actor) => Caller::Person(actor),
            Reader::Partner(partner) => Caller::Partner(partner),
        }
    }
}

pub struct Delivery {
    state: SharedState,
    viewer: LiveViewer,
    receiver: LiveReceiver,
    /// The person's roles when they subscribed; a delivery under others ends the subscription.
    subscribed_as: Option<Actor>,
}

impl Delivery {
    /// Subscribes to the bus before the subscription's first read, so nothing committed after that read
    /// is missed.
    pub fn new(state: SharedState, viewer: LiveViewer, subscribed_as: Option<Actor>) -> Self {
        let receiver = state.live.bus.subscribe();
        Self { state, viewer, receiver, subscribed_as }
    }

    pub fn state(&self) -> &SharedState {
        &self.state
    }

    /// The next message `wanted` accepts, with the reader to re-read it for; `None` when the bus closed.
    pub async fn next(
        &mut self,
        wanted: impl Fn(&LiveMessage) -> bool,
    ) -> Option<Result<(Arc<LiveMessage>, Reader), ApiError>> {
        loop {
            let message = match self.receiver.recv().await {
                Ok(message) => message,
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "a subscriber fell behind the live bus and was dropped");
                    return Some(Err(ApiError::Live(LiveRefusal::Lagged)));
                }
                Err(RecvError::Closed) => return None,
            };
            if let LiveMessage::SessionEnded { session } = message.as_ref()
                && self.viewer.session() == Some(*session)
            {
                return Some(Err(ApiError::Unauthenticated(Some(AuthError::SessionEnded))));
            }
            if !wanted(&message) {
                continue;
            }
            return Some(self.reader().await.map(|reader| (message, reader)));
        }
    }

    /// The viewer checked now.
    pub async fn reader(&self) -> Result<Reader, ApiError> {
        let viewer = self.viewer.checked(&self.state).await?;
        if let Some(partner) = viewer.partner {
            return Ok(Reader::Partner(partner));
        }
        let Some(claims) = viewer.claims else { return Err(ApiError::Unauthenticated(None)) };
        let actor = self.state.store.session_actor(claims.session(), claims.person()).await.map_err(ApiError::from)?;
        let actor = actor.ok_or(ApiError::Unauthenticated(Some(AuthError::SessionEnded)))?;
        if self.subscribed_as.as_ref().is_some_and(|before| *before != actor) {
            return Err(ApiError::Live(LiveRefusal::GrantsChanged));
        }
        Ok(Reader::Person(actor))
    }
}

/// A stream that yields `first`, then what `step` yields until it yields an error, which it passes on
/// and then ends: a subscription ends with the error that ended it. `first` is sent once the subscription
/// listens, so a client knows that whatever it does after receiving it will be seen.
pub fn until_error<S, T, F, Fut>(first: T, seed: S, step: F) -> impl futures::Stream<Item = async_graphql::Result<T>>
where
    F: FnMut(S) -> Fut,
    Fut: std::future::Future<Output = Option<(Result<T, ApiError>, S)>>,
{
    use futures::StreamExt;
    let rest = futures::stream::unfold((Some(seed), step), |(seed, mut step)| async move {
        let seed = seed?;
        match step(seed).await? {
            (Ok(item), seed) => Some((Ok(item), (Some(seed), step))),
            (Err(error), _) => Some((Err(error.into_graphql()), (None, step))),
        }
    });
    futures::stream::once(async move { Ok(first) }).chain(rest).fuse()
}
