use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};

use crate::graphql::context::CtxExt;

#[derive(Default)]
pub struct ServerTimeQuery;

#[Object]
impl ServerTimeQuery {
    /// The server's time: what deadlines, votes and token expiry are judged by. In the demo profile it may
    /// run ahead of the wall clock (`advanceDemoClock`).
    async fn server_time(&self, ctx: &Context<'_>) -> DateTime<Utc> {
        ctx.state().store.clock().now()
    }
}
