//! The ceiling for the read-path benchmark: the same stack as `gongzhi` (actix-web, async-graphql, one
//! HTTP worker per core) answering a feed query of the same shape — `topics(placeId:, first:)` as a Relay
//! connection of topics with category, submitter, co-sign count and the co-signed-by-me flag — from
//! memory. No database, cache, token check, rate limit or policy: what is left is HTTP, GraphQL parsing,
//! validation, execution and JSON, so the server's figures can be read as fractions of this one.
//!
//! `reference --bind 127.0.0.1:8090`; `POST /graphql` with `{"query": …, "variables": …}`.

use std::sync::Arc;

use actix_web::{App, HttpResponse, HttpServer, web};
use async_graphql::connection::{Connection, Edge};
use async_graphql::{EmptyMutation, EmptySubscription, Enum, ID, Object, Request, Schema, SimpleObject};
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

struct Query {
    topics: Arc<Vec<Topic>>,
}

#[Object]
impl Query {
    async fn topics(
        &self,
        #[graphql(name = "placeId")] _place_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> Connection<String, Topic> {
        let first = usize::try_from(first.unwrap_or(20).clamp(1, 100)).unwrap_or(20);
        let start = after.and_then(|a| self.topics.iter().position(|t| t.id.0 == a)).map_or(0, |i| i + 1);
        let page: Vec<&Topic> = self.topics.iter().skip(start).take(first).collect();
        let mut connection = Connection::new(start > 0, start + page.len() < self.topics.len());
        connection.edges.extend(page.into_iter().map(|t| Edge::new(t.id.0.clone(), t.clone())));
        connection
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

type ReferenceSchema = Schema<Query, EmptyMutation, EmptySubscription>;

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
    let schema = Schema::build(Query { topics: Arc::new(topics(now)) }, EmptyMutation, EmptySubscription)
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
