//! The ceiling for the read-path benchmarks: the same stack as `gongzhi` (actix-web, async-graphql, one
//! HTTP worker per core) answering a feed query of the same shape — `topics(placeId:, sort:, first:,
//! after:)` as a Relay connection of topics with category, submitter, co-sign count and the co-signed-by-me
//! flag — and `coSignTopic(topicId:)`, from memory. No database, cache, token check, rate limit or policy:
//! what is left is HTTP, GraphQL parsing, validation, execution and JSON, so the server's figures can be
//! read as fractions of this one. Every place has the same 200 topics; each sort is kept in its order.
//!
//! `reference --bind 127.0.0.1:8090`; `POST /graphql` with `{"query": …, "variables": …}`.

use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

use actix_web::{App, HttpResponse, HttpServer, web};
use async_graphql::connection::{Connection, Edge};
use async_graphql::{EmptySubscription, Enum, ID, Object, Request, Schema, SimpleObject};
use chrono::{DateTime, Duration, Utc};
use clap::Parser;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value = "127.0.0.1:8090")]
    bind: String,
    /// HTTP workers (default: one per core, as `gongzhi`).
    #[arg(long)]
    workers: Option<usize>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
enum Stage {
    Collecting,
    Deliberating,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
enum TopicSort {
    #[default]
    Newest,
    MostCoSigned,
    NearestDeadline,
}

#[derive(SimpleObject, Clone)]
struct Category {
    id: ID,
    name: String,
}

#[derive(SimpleObject, Clone)]
struct Person {
    id: ID,
    name: Option<String>,
}

#[derive(SimpleObject, Clone)]
#[graphql(complex)]
struct Topic {
    id: ID,
    title: String,
    stage: Stage,
    submitted_at: DateTime<Utc>,
    co_sign_count: i32,
    co_signed_by_me: bool,
    category: Category,
    #[graphql(skip)]
    submitter: Person,
}

#[async_graphql::ComplexObject]
impl Topic {
    async fn submitter(&self) -> Option<Person> {
        Some(self.submitter.clone())
    }
}

/// The topics in each sort's order, and their co-sign counts (which `coSignTopic` raises).
struct Feed {
    newest: Vec<Topic>,
    most_co_signed: Vec<Topic>,
    nearest_deadline: Vec<Topic>,
    co_signs: Vec<AtomicI32>,
}

impl Feed {
    fn new(topics: Vec<Topic>) -> Self {
        let co_signs = topics.iter().map(|t| AtomicI32::new(t.co_sign_count)).collect();
        let mut most_co_signed = topics.clone();
        most_co_signed.sort_by_key(|t| std::cmp::Reverse(t.co_sign_count));
        let mut nearest_deadline = topics.clone();
        nearest_deadline.sort_by_key(|t| t.submitted_at);
        Self { newest: topics, most_co_signed, nearest_deadline, co_signs }
    }

    fn index(id: &str) -> Option<usize> {
        id.get(id.len().saturating_sub(3)..)?.parse().ok()
    }

    fn current(&self, topic: &Topic) -> Topic {
        let mut topic = topic.clone();
        if let Some(count) = Feed::index(&topic.id.0).and_then(|i| self.co_signs.get(i)) {
            topic.co_sign_count = count.load(Ordering::Relaxed);
        }
        topic
    }
}

struct Query {
    feed: Arc<Feed>,
}

#[Object]
impl Query {
    async fn topics(
        &self,
        #[graphql(name = "placeId")] _place_id: ID,
        #[graphql(default)] sort: TopicSort,
        first: Option<i32>,
        after: Option<String>,
    ) -> Connection<String, Topic> {
        let topics = match sort {
            TopicSort::Newest => &self.feed.newest,
            TopicSort::MostCoSigned => &self.feed.most_co_signed,
            TopicSort::NearestDeadline => &self.feed.nearest_deadline,
        };
        let first = usize::try_from(first.unwrap_or(20).clamp(1, 100)).unwrap_or(20);
        let start = after.and_then(|a| topics.iter().position(|t| t.id.0 == a)).map_or(0, |i| i + 1);
        let page: Vec<&Topic> = topics.iter().skip(start).take(first).collect();
        let mut connection = Connection::new(start > 0, start + page.len() < topics.len());
        connection.edges.extend(page.into_iter().map(|t| Edge::new(t.id.0.clone(), self.feed.current(t))));
        connection
    }
}

#[derive(SimpleObject)]
struct Refusal {
    code: String,
}

#[derive(SimpleObject)]
struct TopicPayload {
    ok: bool,
    refusal: Option<Refusal>,
    topic: Option<Topic>,
}

struct Mutation {
    feed: Arc<Feed>,
}

#[Object]
impl Mutation {
    #[graphql(name = "coSignTopic")]
    async fn co_sign_topic(&self, #[graphql(name = "topicId")] topic_id: ID) -> TopicPayload {
        let found = Feed::index(&topic_id.0).and_then(|i| Some((self.feed.newest.get(i)?, self.feed.co_signs.get(i)?)));
        match found {
            Some((topic, count)) => {
                count.fetch_add(1, Ordering::Relaxed);
                TopicPayload { ok: true, refusal: None, topic: Some(self.feed.current(topic)) }
            }
            // Ids of the real server's topics: co-signed as the first topic, so the work is the same.
            None => {
                self.feed.co_signs[0].fetch_add(1, Ordering::Relaxed);
                TopicPayload { ok: true, refusal: None, topic: Some(self.feed.current(&self.feed.newest[0])) }
            }
        }
    }
}

fn topics(now: DateTime<Utc>) -> Vec<Topic> {
    (0..200)
        .map(|i| Topic {
            id: ID(format!("VG9waWM6MDE5YTAwMDAtMDAwMC03MDAwLTgwMDAtMDAwMDAwMDAw{i:03}")),
            title: format!("夜间电动车乱停放（{i}）"),
            stage: if i % 10 < 6 { Stage::Collecting } else { Stage::Deliberating },
            submitted_at: now - Duration::hours(i),
            co_sign_count: i32::try_from(i % 21 + 1).unwrap_or(1),
            co_signed_by_me: i % 7 == 0,
            category: Category { id: ID(format!("Q2F0ZWdvcnk6{}", i % 9)), name: "停车管理".into() },
            submitter: Person { id: ID(format!("UGVyc29uOj{i:03}")), name: Some(format!("业主0-{i}")) },
        })
        .collect()
}

type ReferenceSchema = Schema<Query, Mutation, EmptySubscription>;

async fn graphql(schema: web::Data<ReferenceSchema>, request: web::Json<Request>) -> HttpResponse {
    let response = schema.execute(request.into_inner()).await;
    HttpResponse::Ok().json(response)
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    // The ceiling's data is made once at start; its timestamps only need to look like real ones.
    #[allow(clippy::disallowed_methods)]
    let now = Utc::now();
    let feed = Arc::new(Feed::new(topics(now)));
    let schema = Schema::build(Query { feed: feed.clone() }, Mutation { feed }, EmptySubscription)
        .limit_depth(10)
        .limit_complexity(2000)
        .finish();
    let mut server = HttpServer::new(move || {
        App::new().app_data(web::Data::new(schema.clone())).route("/graphql", web::post().to(graphql))
    });
    if let Some(workers) = args.workers {
        server = server.workers(workers);
    }
    println!("reference serving on {}", args.bind);
    server.bind(&args.bind)?.run().await?;
    Ok(())
}
