//! `outbox-fanout`: fans one pipeline event out to N recipients and delivers the messages to a local fake
//! gateway, reporting enqueue time, delivery throughput and peak memory (see bench/README.md).
//!
//! The world is seeded first (not timed); the measurement then runs in a fresh child process on the
//! same database, so its memory figures do not carry what seeding allocated.

mod database;
mod fake_gateway;
mod measure;
mod memory;
mod seed;

use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Parser;
use gongzhi_domain::clock::SystemClock;
use gongzhi_domain::ids::TopicId;
use gongzhi_infra::Store;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::database::Database;
use crate::measure::{Figures, Tuning};

#[derive(Parser, Debug)]
#[command(about = "Fan one event out to N recipients and deliver it to a fake gateway")]
struct Args {
    /// Households in the compound, one WeChat-signed-in owner each: the vote's recipients.
    #[arg(long, default_value_t = 10_000)]
    recipients: usize,
    /// `postgres://…` (its public schema is dropped and migrated again) or `sqlite://…`; by default a
    /// fresh SQLite file in a temporary directory.
    #[arg(long)]
    database_url: Option<String>,
    /// Messages the worker claims per round.
    #[arg(long, default_value_t = 500)]
    batch: u32,
    /// Messages the worker sends at once within a round.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// The worker's rate limit, high enough not to limit.
    #[arg(long, default_value_t = 100_000)]
    per_second: u32,
    /// PostgreSQL connections in the pool (SQLite always has one).
    #[arg(long, default_value_t = 16)]
    pool: u32,
    /// SQL run once seeding is done, before measuring: to try an index without writing a migration.
    #[arg(long)]
    after_seed_sql: Option<String>,
    /// SQL run on the measuring process's connection first (SQLite has one, so a PRAGMA holds for the run;
    /// on PostgreSQL it reaches one pooled connection only: use `ALTER DATABASE … SET` there).
    #[arg(long)]
    session_sql: Option<String>,
    /// Internal: measure on an already seeded database, this topic being the one to open the vote on.
    #[arg(long, hide = true)]
    measure_topic: Option<Uuid>,
}

impl Args {
    fn tuning(&self) -> Tuning {
        Tuning { batch: self.batch, concurrency: self.concurrency, per_second: self.per_second }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    match args.measure_topic {
        Some(topic) => measure(&args, TopicId::from_uuid(topic)).await,
        None => seed_then_measure(&args).await,
    }
}

async fn seed_then_measure(args: &Args) -> anyhow::Result<()> {
    let database = Database::new(args.database_url.clone())?;
    database.recreate().await?;
    let started = Instant::now();
    let db = database.connect(args.pool).await?;
    let store = Store::new(db.clone(), Arc::new(SystemClock));
    let seeded = seed::seed(&store, args.recipients).await?;
    if let Some(sql) = &args.after_seed_sql {
        db.execute_unprepared(sql).await.context("running --after-seed-sql")?;
    }
    db.close().await?;
    println!(
        "outbox-fanout: {} with {} recipients, seeded in {:.1} s (not measured)",
        database.backend(),
        seeded.owners,
        started.elapsed().as_secs_f64()
    );
    let status = Command::new(std::env::current_exe().context("finding this program")?)
        .args(["--database-url", &database.url])
        .args(["--recipients", &args.recipients.to_string()])
        .args(["--batch", &args.batch.to_string()])
        .args(["--concurrency", &args.concurrency.to_string()])
        .args(["--per-second", &args.per_second.to_string()])
        .args(["--pool", &args.pool.to_string()])
        .args(["--measure-topic", &seeded.topic.as_uuid().to_string()])
        .args(args.session_sql.iter().flat_map(|sql| ["--session-sql", sql.as_str()]))
        .status()
        .context("starting the measuring process")?;
    if !status.success() {
        bail!("the measuring process failed: {status}");
    }
    Ok(())
}

async fn measure(args: &Args, topic: TopicId) -> anyhow::Result<()> {
    let database = Database::new(args.database_url.clone())?;
    let db = database.connect(args.pool).await?;
    if let Some(sql) = &args.session_sql {
        db.execute_unprepared(sql).await.context("running --session-sql")?;
    }
    let store = Store::new(db, Arc::new(SystemClock));
    let figures = measure::measure(&store, topic, args.tuning()).await?;
    report(args, database.backend(), &figures);
    Ok(())
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn report(args: &Args, backend: &str, f: &Figures) {
    let tuning = args.tuning();
    println!(
        "  enqueue: open_vote queued {} messages in {:.3} s (the whole mutation, fan-out included)",
        f.queued,
        f.enqueue.as_secs_f64()
    );
    println!(
        "  delivery: {} sent ({} otherwise settled, {} received by the gateway) in {:.3} s over {} rounds: {:.0} messages/s",
        f.sent,
        f.other,
        f.received,
        f.delivery.as_secs_f64(),
        f.rounds,
        f.per_second()
    );
    println!(
        "  worker: batch {}, concurrency {}, per_second {}; pool {}",
        tuning.batch,
        tuning.concurrency,
        tuning.per_second,
        if backend == "sqlite" { 1 } else { args.pool }
    );
    let phase = if f.peak_reset { "peak of the phase" } else { "peak since start" };
    println!(
        "  memory: RSS {:.1} MiB before; {phase}: enqueue {:.1} MiB, delivery {:.1} MiB; RSS {:.1} MiB after",
        mib(f.before.now_kib),
        mib(f.after_enqueue.peak_kib),
        mib(f.after_delivery.peak_kib),
        mib(f.after_delivery.now_kib)
    );
    println!(
        "RESULT backend={backend} recipients={} queued={} enqueue_s={:.3} sent={} delivery_s={:.3} msgs_per_s={:.0} \
         rss_before_mib={:.1} peak_enqueue_mib={:.1} peak_delivery_mib={:.1}",
        args.recipients,
        f.queued,
        f.enqueue.as_secs_f64(),
        f.sent,
        f.delivery.as_secs_f64(),
        f.per_second(),
        mib(f.before.now_kib),
        mib(f.after_enqueue.peak_kib),
        mib(f.after_delivery.peak_kib)
    );
}
