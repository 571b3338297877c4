//! Event append throughput (issue 15): concurrent pipeline steps on PostgreSQL, each its own transaction
//! that appends its event to the log, unnumbered, while a sequencer numbers committed events after the
//! fact as the pump's consumers would (decision 87). Reports events/s over the whole run (the events
//! numbered, the last of them included), each step's latency (p50, p99), and how far the sequencer lagged.
//!
//! `event-append --database-url postgres://…/gongzhi_bench [--writers 16] [--steps 200] [--pool 32]`:
//! the database's public schema is dropped and migrated again. Seeding (the demo world, one resident per
//! writer) is not measured; then every writer submits `--steps` topics, one after the other.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use gongzhi_domain::clock::SystemClock;
use gongzhi_domain::ids::PlaceId;
use gongzhi_domain::role::Role;
use gongzhi_infra::Store;
use gongzhi_infra::db::{DbSettings, connect, migrate};
use gongzhi_infra::topics::NewTopic;
use sea_orm::ConnectionTrait;

#[derive(Parser)]
struct Args {
    /// A PostgreSQL database the run may wipe.
    #[arg(long, env = "BENCH_POSTGRES_URL")]
    database_url: String,
    /// Concurrent writers.
    #[arg(long, default_value_t = 16)]
    writers: usize,
    /// Steps (topic submissions) per writer.
    #[arg(long, default_value_t = 200)]
    steps: usize,
    /// Connections in the pool.
    #[arg(long, default_value_t = 32)]
    pool: u32,
}

const JINXIU: [&str; 5] = ["邯郸市", "丛台区", "中华大街街道", "和平社区", "锦绣花园"];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(args.database_url.starts_with("postgres"), "the event append benchmark runs on PostgreSQL");
    let settings = DbSettings {
        url: args.database_url.clone(),
        max_connections: args.pool,
        acquire_timeout: Duration::from_secs(30),
    };
    let db = connect(&settings).await.context("connecting")?;
    db.execute_unprepared("DROP SCHEMA public CASCADE; CREATE SCHEMA public;").await?;
    migrate(&db).await.context("migrating")?;
    let store = Store::new(db, Arc::new(SystemClock));
    store.seed_demo().await.context("seeding the demo world")?;

    let (compound, community) = jinxiu(&store).await?;
    let category = store.catalogue(community, false).await?.first().context("a category")?.id;
    let mut households = Vec::new();
    for building in store.children(Some(compound), None, 100).await? {
        households.extend(store.children(Some(building.id()), None, 100).await?.into_iter().map(|u| u.id()));
    }
    let mut writers = Vec::new();
    for n in 0..args.writers {
        let person = store.person_for_wechat(&format!("bench-writer-{n}"), None).await?;
        store.grant_role_as_operator(person.id, Role::Resident, households[n % households.len()]).await?;
        writers.push(store.actor(person.id).await?);
    }

    let head = store.log_head().await?;
    let started = Instant::now();
    // What `serve`'s pump does: a consumer's step numbers what committed since, woken by each commit.
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sequencer = {
        let (store, done) = (store.clone(), done.clone());
        tokio::spawn(async move {
            let mut appended = store.log_signal().subscribe();
            let mut rounds = 0_u64;
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                appended.borrow_and_update();
                store.sequence_log().await?;
                rounds += 1;
                let _ = tokio::time::timeout(Duration::from_millis(50), appended.changed()).await;
            }
            anyhow::Ok(rounds)
        })
    };
    let mut tasks = Vec::new();
    for actor in writers {
        let (store, steps) = (store.clone(), args.steps);
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(steps);
            for _ in 0..steps {
                let input = NewTopic {
                    place: compound,
                    category,
                    round: None,
                    title: "楼道声控灯坏了，夜里看不清台阶".into(),
                    description: "1号楼楼道的声控灯坏了半个月，老人夜里上下楼很危险，请尽快维修。".into(),
                    location: None,
                    photos: Vec::new(),
                };
                let step = Instant::now();
                store.submit_topic(&actor, input).await?;
                latencies.push(step.elapsed());
            }
            anyhow::Ok(latencies)
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await??);
    }
    let written = started.elapsed();
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let rounds = sequencer.await??;
    let events = store.log_head().await? - head;
    let took = started.elapsed();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!("writers {}  steps {}  pool {}", args.writers, latencies.len(), args.pool);
    println!("events appended   {events}");
    println!("wall time         {:.2} s (last step done at {:.2} s)", took.as_secs_f64(), written.as_secs_f64());
    println!("sequencer rounds  {rounds}");
    println!("events/s          {:.0}", events as f64 / took.as_secs_f64());
    println!("step p50          {:.1} ms", at(0.50).as_secs_f64() * 1000.0);
    println!("step p99          {:.1} ms", at(0.99).as_secs_f64() * 1000.0);
    Ok(())
}

/// 锦绣花园 and its community, 和平社区, in the demo world.
async fn jinxiu(store: &Store) -> anyhow::Result<(PlaceId, PlaceId)> {
    let (mut parent, mut community) = (None, None);
    for name in JINXIU {
        let children = store.children(parent, None, 100).await?;
        let place = children.into_iter().find(|p| p.name == name).with_context(|| format!("demo place {name}"))?;
        parent = Some(place.id());
        if name == "和平社区" {
            community = parent;
        }
    }
    Ok((parent.context("锦绣花园")?, community.context("和平社区")?))
}
