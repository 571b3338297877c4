//! A stock `graphql-transport-ws` client (the `graphql-ws-client` crate) over a real WebSocket
//! (`async-tungstenite`), for the subscription tests. Nothing here writes a frame or a protocol message
//! itself: the client library speaks the protocol.

use std::time::Duration;

use async_tungstenite::tungstenite::client::IntoClientRequest;
use async_tungstenite::tungstenite::http::HeaderValue;
use futures::StreamExt;
use graphql_ws_client::graphql::GraphqlOperation;
use graphql_ws_client::{Client, Error, Subscription};
use serde::Serialize;
use serde_json::{Value, json};

/// How long a test waits for a message before it fails: a safety net, never a way to let time pass.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// A GraphQL operation as the client sends it; the response is left as JSON.
#[derive(Serialize)]
pub struct Operation {
    query: String,
    variables: Value,
}

impl Operation {
    pub fn new(query: &str, variables: Value) -> Self {
        Self { query: query.to_owned(), variables }
    }
}

impl GraphqlOperation for Operation {
    type Response = Value;
    type Error = serde_json::Error;

    fn decode(&self, data: Value) -> Result<Value, serde_json::Error> {
        Ok(data)
    }
}

/// Opens a connection to `http_address` (`http://127.0.0.1:port`) and completes `connection_init` with
/// the token, if any, as `{"Authorization": "Bearer …"}`. `Err(Error::Close(code, reason))` when the
/// server refuses it.
pub async fn connect(http_address: &str, token: Option<&str>) -> Result<Client, Error> {
    connect_with(http_address, token.map(|token| json!({ "Authorization": format!("Bearer {token}") }))).await
}

/// `connect` with any `connection_init` payload.
pub async fn connect_with(http_address: &str, payload: Option<Value>) -> Result<Client, Error> {
    let url = format!("{}/graphql", http_address.replacen("http://", "ws://", 1));
    let mut request = url.into_client_request().map_err(|e| Error::Unknown(e.to_string()))?;
    request.headers_mut().insert("Sec-WebSocket-Protocol", HeaderValue::from_static("graphql-transport-ws"));
    let (socket, _) =
        async_tungstenite::tokio::connect_async(request).await.map_err(|e| Error::Unknown(e.to_string()))?;
    let mut builder = Client::build(socket);
    if let Some(payload) = payload {
        builder = builder.payload(payload)?;
    }
    let (client, actor) = tokio::time::timeout(PATIENCE, builder.build())
        .await
        .map_err(|_| Error::Unknown("no connection_ack in time".into()))??;
    tokio::spawn(actor.into_future());
    Ok(client)
}

/// Subscribes; the subscription's first message is what the server sends after the subscribe.
pub async fn subscribe(client: &Client, query: &str, variables: Value) -> Subscription<Operation> {
    client.subscribe(Operation::new(query, variables)).await.expect("subscribe sent")
}

/// The next message of a subscription (a GraphQL response), or `None` when it ended.
pub async fn next(subscription: &mut Subscription<Operation>) -> Option<Value> {
    match tokio::time::timeout(PATIENCE, subscription.next()).await {
        Ok(Some(Ok(response))) => Some(response),
        Ok(Some(Err(error))) => panic!("the subscription failed: {error}"),
        Ok(None) => None,
        Err(_) => panic!("no message within {PATIENCE:?}"),
    }
}

/// Reads the subscription until it ends, returning what it sent meanwhile.
pub async fn until_end(subscription: &mut Subscription<Operation>) -> Vec<Value> {
    let mut sent = Vec::new();
    while let Some(message) = next(subscription).await {
        sent.push(message);
    }
    sent
}
