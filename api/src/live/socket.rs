//! The WebSocket on `/graphql` (GET with `Upgrade: websocket`), speaking `graphql-transport-ws`.
//!
//! The socket reads `connection_init` itself, so that it can close with the protocol's codes: 4408 when
//! none comes within `init_timeout_ms`, 4403 with the reason when its token is refused, 4429 when the
//! holder already has as many connections as allowed, 4400 for a message that is not the protocol's. Once
//! admitted, async-graphql's protocol engine (`async_graphql::http::WebSocket`) runs the subscriptions
//! through `LiveExecutor`. Around it the socket keeps the limits: messages over `max_message_bytes` close
//! with 1009, a client silent for `idle_timeout_seconds` with 4408, a client sending faster than it is
//! read with 4429, one that does not read what it is sent for `SEND_WAIT` is dropped; and on a tick it
//! checks the token again and closes with 4403 when it expired or its session ended.

use std::time::Duration;

use actix_web::http::header::{self, HeaderMap};
use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::{AggregatedMessage, CloseCode, CloseReason, ProtocolError, Session};
use async_graphql::http::{WebSocket, WebSocketProtocols, WsMessage};
use futures::StreamExt;
use tokio::time::Instant;

use super::executor::LiveExecutor;
use super::viewer::LiveViewer;
use crate::i18n::Lang;
use crate::state::SharedState;

pub const PROTOCOL: &str = "graphql-transport-ws";
/// Messages from the client read but not yet taken by the protocol engine; more means it sends faster
/// than it is answered.
const INBOX: usize = 32;
/// How long one message to the client may wait for the client to read; a client that reads slower is
/// dropped rather than buffered for.
const SEND_WAIT: Duration = Duration::from_secs(10);

/// Whether the request asks to upgrade to a WebSocket (the route's guard).
pub fn wants_upgrade(headers: &HeaderMap) -> bool {
    headers.get(header::UPGRADE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

fn offers_protocol(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| p.trim() == PROTOCOL)
}

pub async fn upgrade(
    state: web::Data<SharedState>,
    request: HttpRequest,
    body: web::Payload,
) -> Result<HttpResponse, actix_web::Error> {
    let lang = Lang::from_accept_language(request.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    if !offers_protocol(request.headers()) {
        tracing::info!("WebSocket refused: the graphql-transport-ws subprotocol was not offered");
        return Ok(HttpResponse::BadRequest().content_type("text/plain; charset=utf-8").body(lang.pick(
            "请使用 graphql-transport-ws 子协议（Sec-WebSocket-Protocol）",
            "Offer the graphql-transport-ws subprotocol (Sec-WebSocket-Protocol)",
        )));
    }
    let (response, session, messages) = actix_ws::handle_with_protocols(&request, body, &[PROTOCOL])?;
    let most = state.settings.live.max_message_bytes;
    let messages = messages.max_frame_size(most).aggregate_continuations().max_continuation_size(most);
    let state = state.get_ref().clone();
    actix_web::rt::spawn(serve(state, lang, session, messages));
    Ok(response)
}

fn close_reason(code: u16, description: impl Into<String>) -> CloseReason {
    let mut description: String = description.into();
    // A close frame's reason is at most 123 bytes (RFC 6455 §5.5).
    while description.len() > 123 {
        description.pop();
    }
    CloseReason { code: CloseCode::Other(code), description: Some(description) }
}

async fn close(session: Session, code: u16, description: impl Into<String>) {
    let reason = close_reason(code, description);
    tracing::info!(code, reason = reason.description.as_deref().unwrap_or_default(), "live connection closed");
    let _ = session.close(Some(reason)).await;
}

/// The first message: `connection_init`'s payload, or the code and reason to close with.
async fn read_init(
    session: &mut Session,
    messages: &mut actix_ws::AggregatedMessageStream,
) -> Result<serde_json::Value, Option<(u16, &'static str)>> {
    while let Some(message) = messages.next().await {
        match message {
            Ok(AggregatedMessage::Text(text)) => {
                let value: serde_json::Value =
                    serde_json::from_str(&text).map_err(|_| Some((4400, "Invalid message")))?;
                return match value.get("type").and_then(|t| t.as_str()) {
                    Some("connection_init") => Ok(value.get("payload").cloned().unwrap_or_default()),
                    Some("subscribe") => Err(Some((4401, "Unauthorized"))),
                    _ => Err(Some((4400, "Expected connection_init"))),
                };
            }
            Ok(AggregatedMessage::Ping(bytes)) => {
                let _ = session.pong(&bytes).await;
            }
            Ok(AggregatedMessage::Pong(_)) => {}
            Ok(AggregatedMessage::Binary(_)) => return Err(Some((4400, "Binary messages are not supported"))),
            Ok(AggregatedMessage::Close(_)) => return Err(None),
            Err(ProtocolError::Overflow) => return Err(Some((1009, "Message too big"))),
            Err(_) => return Err(Some((1002, "WebSocket protocol error"))),
        }
    }
    Err(None)
}

async fn serve(state: SharedState, lang: Lang, mut session: Session, mut messages: actix_ws::AggregatedMessageStream) {
    let limits = state.settings.live.clone();
    let init =
        tokio::time::timeout(Duration::from_millis(limits.init_timeout_ms), read_init(&mut session, &mut messages));
    let payload = match init.await {
        Ok(Ok(payload)) => payload,
        Ok(Err(Some((code, reason)))) => return close(session, code, reason).await,
        Ok(Err(None)) => return,
        Err(_) => return close(session, 4408, "Connection initialisation timeout").await,
    };
    let viewer = match LiveViewer::from_init(&state, &payload).await {
        Ok(viewer) => viewer,
        Err(refusal) => {
            refusal.log(Some("connection_init"));
            let code = if refusal.code() == crate::error::Code::Unauthenticated { 4403 } else { 1011 };
            return close(session, code, refusal.message(Lang::En)).await;
        }
    };
    let Some(_admitted) = state.live.admit(viewer.holder(), &limits) else {
        tracing::warn!(holder = ?viewer.holder(), "live connection refused: too many connections");
        return close(session, 4429, "Too many connections").await;
    };

    // The engine sees the `connection_init` already read (the payload was ours to judge), then the rest.
    let (mut inbox, received) = futures::channel::mpsc::channel::<String>(INBOX);
    let input = futures::stream::once(async { r#"{"type":"connection_init"}"#.to_owned() }).chain(received);
    let executor = LiveExecutor::new(state.clone(), viewer.clone(), lang);
    let mut engine = Box::pin(WebSocket::new(executor, input, WebSocketProtocols::GraphQLWS));
    let mut tick = tokio::time::interval(Duration::from_millis(limits.check_every_ms.max(10)));
    tick.reset();
    let idle = Duration::from_secs(limits.idle_timeout_seconds.max(1));
    let mut heard = Instant::now();
    loop {
        tokio::select! {
            incoming = messages.next() => match incoming {
                Some(Ok(AggregatedMessage::Text(text))) => {
                    heard = Instant::now();
                    if inbox.try_send(text.to_string()).is_err() {
                        return close(session, 4429, "Too many messages").await;
                    }
                }
                Some(Ok(AggregatedMessage::Ping(bytes))) => {
                    heard = Instant::now();
                    let _ = session.pong(&bytes).await;
                }
                Some(Ok(AggregatedMessage::Pong(_))) => heard = Instant::now(),
                Some(Ok(AggregatedMessage::Binary(_))) => {
                    return close(session, 4400, "Binary messages are not supported").await;
                }
                Some(Ok(AggregatedMessage::Close(_))) | None => return,
                Some(Err(ProtocolError::Overflow)) => return close(session, 1009, "Message too big").await,
                Some(Err(_)) => return close(session, 1002, "WebSocket protocol error").await,
            },
            outgoing = engine.next() => match outgoing {
                Some(WsMessage::Text(text)) => match tokio::time::timeout(SEND_WAIT, session.text(text)).await {
                    Ok(Ok(())) => {}
                    Ok(Err(_)) => return,
                    Err(_) => {
                        tracing::warn!("live connection dropped: the client does not read what it is sent");
                        return close(session, 4429, "Client too slow").await;
                    }
                },
                Some(WsMessage::Close(code, reason)) => return close(session, code, reason).await,
                None => return close(session, 1000, "Normal closure").await,
            },
            _ = tick.tick() => {
                if let Err(refusal) = viewer.checked(&state).await {
                    refusal.log(Some("subscription"));
                    if refusal.code() == crate::error::Code::Unauthenticated {
                        return close(session, 4403, refusal.message(Lang::En)).await;
                    }
                }
            },
            _ = tokio::time::sleep_until(heard + idle) => return close(session, 4408, "Idle timeout").await,
        }
    }
}
