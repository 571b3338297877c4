//! Live-update fan-out (issue 15): N subscribers of `placeFeed` spread over two instances on one Redis;
//! each round a resident raises a topic on the first instance, and every subscriber's receipt is timed
//! from the moment the mutation's response (after its commit) arrived. Reports p50/p99/max receipt delay
//! and the servers' resident memory per idle subscriber (from /proc, the two servers' sum). Run by
//! `bench/live_fanout.sh`, which starts the servers.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use async_tungstenite::tungstenite::client::IntoClientRequest;
use async_tungstenite::tungstenite::http::HeaderValue;
use clap::Parser;
use futures::StreamExt;
use graphql_ws_client::Client;
use graphql_ws_client::graphql::GraphqlOperation;
use serde::Serialize;
use serde_json::{Value, json};

#[derive(Parser)]
struct Args {
    /// The first instance (`http://127.0.0.1:18091`); topics are raised here.
    #[arg(long)]
    a: String,
    /// The second instance.
    #[arg(long)]
    b: String,
    /// The servers' process ids, for their memory (`pid,pid`).
    #[arg(long, value_delimiter = ',')]
    pids: Vec<u32>,
    #[arg(long, default_value_t = 1000)]
    subscribers: usize,
    #[arg(long, default_value_t = 20)]
    rounds: usize,
}

#[derive(Serialize)]
struct Operation {
    query: &'static str,
    variables: Value,
}

impl GraphqlOperation for Operation {
    type Response = Value;
    type Error = serde_json::Error;

    fn decode(&self, data: Value) -> Result<Value, serde_json::Error> {
        Ok(data)
    }
}

const FEED: &str = "subscription($p: ID!) { placeFeed(placeId: $p) { seq topics { id } } }";

async fn gql(
    http: &reqwest::Client,
    base: &str,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> anyhow::Result<Value> {
    let mut request = http.post(format!("{base}/graphql")).json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let body: Value = request.send().await?.json().await?;
    if body.get("errors").is_some() {
        bail!("GraphQL errors: {body}");
    }
    Ok(body)
}

async fn login(http: &reqwest::Client, base: &str, who: &str) -> anyhow::Result<String> {
    let body = gql(http, base, None, "mutation($a: String!) { devLogin(as: $a) { accessToken } }", json!({ "a": who }))
        .await?;
    body["data"]["devLogin"]["accessToken"].as_str().map(str::to_owned).context("no token")
}

/// The servers' resident memory, in KiB.
fn rss_kib(pids: &[u32]) -> u64 {
    pids.iter()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/status")).ok())
        .filter_map(|status| {
            let line = status.lines().find(|line| line.starts_with("VmRSS:"))?.to_owned();
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .sum()
}

async fn connect(base: &str, token: &str) -> anyhow::Result<Client> {
    let mut request = format!("{}/graphql", base.replacen("http://", "ws://", 1)).into_client_request()?;
    request.headers_mut().insert("Sec-WebSocket-Protocol", HeaderValue::from_static("graphql-transport-ws"));
    let (socket, _) = async_tungstenite::tokio::connect_async(request).await?;
    let (client, actor) =
        Client::build(socket).payload(json!({ "Authorization": format!("Bearer {token}") }))?.build().await?;
    tokio::spawn(actor.into_future());
    Ok(client)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let http = reqwest::Client::new();
    let staff = login(&http, &args.a, "rc_staff").await?;
    let resident = login(&http, &args.a, "resident").await?;
    let city =
        gql(&http, &args.a, Some(&staff), "{ cities(first: 10) { edges { node { id name } } } }", json!({})).await?;
    let mut place = city["data"]["cities"]["edges"]
        .as_array()
        .and_then(|edges| edges.iter().find(|e| e["node"]["name"] == "邯郸市"))
        .and_then(|e| e["node"]["id"].as_str())
        .context("no demo city: run against the demo world")?
        .to_owned();
    let mut community = String::new();
    for name in ["丛台区", "中华大街街道", "和平社区", "锦绣花园"] {
        let children = "query($id: ID!) { place(id: $id) { children(first: 100) { edges { node { id name } } } } }";
        let body = gql(&http, &args.a, Some(&staff), children, json!({ "id": place })).await?;
        place = body["data"]["place"]["children"]["edges"]
            .as_array()
            .and_then(|edges| edges.iter().find(|e| e["node"]["name"] == name))
            .and_then(|e| e["node"]["id"].as_str())
            .with_context(|| format!("no place {name}"))?
            .to_owned();
        if name == "和平社区" {
            community.clone_from(&place);
        }
    }
    let compound = place;
    let catalogue = "query($c: ID!) { catalogue(communityId: $c) { id code } }";
    let body = gql(&http, &args.a, Some(&staff), catalogue, json!({ "c": community })).await?;
    let category = body["data"]["catalogue"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["code"] == "parking"))
        .and_then(|c| c["id"].as_str())
        .context("no parking category")?
        .to_owned();

    let before = rss_kib(&args.pids);
    let (sender, mut receipts) = tokio::sync::mpsc::unbounded_channel::<(usize, Instant)>();
    let mut clients = Vec::with_capacity(args.subscribers);
    for i in 0..args.subscribers {
        let base = if i % 2 == 0 { &args.a } else { &args.b };
        let client = connect(base, &resident).await.with_context(|| format!("subscriber {i}"))?;
        let mut feed = client.subscribe(Operation { query: FEED, variables: json!({ "p": compound }) }).await?;
        feed.next().await.context("no first message")??;
        let sender = sender.clone();
        tokio::spawn(async move {
            while let Some(Ok(message)) = feed.next().await {
                if message["data"]["placeFeed"]["seq"].is_i64() {
                    let _ = sender.send((i, Instant::now()));
                }
            }
        });
        clients.push(client);
    }
    let after = rss_kib(&args.pids);
    println!(
        "subscribers={} server_rss_before_kib={before} server_rss_after_kib={after} per_idle_subscriber_kib={:.1}",
        args.subscribers,
        after.saturating_sub(before) as f64 / args.subscribers.max(1) as f64
    );

    let submit = "mutation($i: SubmitTopicInput!) { submitTopic(input: $i) { ok } }";
    let mut delays = Vec::with_capacity(args.subscribers * args.rounds);
    for round in 0..args.rounds {
        let input = json!({ "placeId": compound, "categoryId": category,
            "title": format!("压测议题 {round}"), "description": "实时推送的扇出延迟测量。" });
        gql(&http, &args.a, Some(&resident), submit, json!({ "i": input })).await?;
        let committed = Instant::now();
        for _ in 0..args.subscribers {
            let (_, at) = tokio::time::timeout(Duration::from_secs(30), receipts.recv())
                .await
                .context("a subscriber got nothing within 30 s")?
                .context("receipts closed")?;
            delays.push(at.saturating_duration_since(committed));
        }
    }
    delays.sort();
    println!(
        "rounds={} receipts={} p50_ms={:.1} p99_ms={:.1} max_ms={:.1}",
        args.rounds,
        delays.len(),
        percentile(&delays, 50.0).as_secs_f64() * 1e3,
        percentile(&delays, 99.0).as_secs_f64() * 1e3,
        delays.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );
    drop(clients);
    Ok(())
}
