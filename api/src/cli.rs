//! The `gongzhi` command. With no subcommand it serves.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};
use gongzhi_domain::clock::SystemClock;
use gongzhi_domain::ids::PlaceId;
use gongzhi_infra::Error as InfraError;

use crate::config::Settings;
use crate::startup::{Application, open_store};

#[derive(Parser)]
#[command(name = "gongzhi", version, about = "Gongzhi 共治: community co-governance backend")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the API (the default).
    Serve,
    /// Run database migrations and exit.
    Migrate,
    /// Import a community's register (compounds, buildings, households, areas, owners) from CSV.
    /// Header: compound,building,household,area_m2,owner_name,owner_phone. Any bad row imports nothing.
    Import {
        /// The community's id: a Place global id from the API, or its UUID.
        #[arg(long)]
        community: String,
        file: PathBuf,
    },
    /// Load the demo world into an empty database.
    SeedDemo,
    /// Load the read-path benchmark's city into an empty PostgreSQL database (bench/README.md): 1,000
    /// communities, 5,000 compounds, 504,900 households, 200,000 topics, about 2.2 million co-signs.
    SeedBench {
        /// Load 1/N of the districts (and so of the communities, compounds and households) and of the topics.
        #[arg(long, default_value_t = 1)]
        fraction: i64,
    },
    /// Write the benchmark load script's fixtures as Lua: access tokens for benchmark people (new
    /// sessions, valid 15 minutes) and the ids they act on. Run after `seed-bench`.
    BenchFixtures {
        /// How many people to log in.
        #[arg(long, default_value_t = 200)]
        people: usize,
        #[arg(long)]
        out: PathBuf,
    },
    /// Write the realistic load's crowd as JSON (issue 16): owners spread over many compounds of the seeded
    /// city, each with a new session (valid 15 minutes) and the topics they may co-sign.
    BenchCrowd {
        /// How many compounds (those with topics awaiting triage, in a stable order).
        #[arg(long, default_value_t = 200)]
        compounds: u32,
        /// How many owners of each compound.
        #[arg(long, default_value_t = 10)]
        per_compound: u32,
        #[arg(long)]
        out: PathBuf,
    },
    /// Deliver queued messages (alone, without serving the API); several may run on PostgreSQL.
    Worker,
    /// Messages delivered to the local log sink (used when no GATEWAY_URL is set).
    Outbox {
        #[command(subcommand)]
        command: OutboxCommand,
    },
    /// The three disclosures (三个公开): `verify` recomputes the hash chains, failing when one is broken.
    Disclosures {
        #[command(subcommand)]
        command: DisclosuresCommand,
    },
    /// Compute a quarter's credit scores, warning list and problem compounds for a city (or every city).
    ComputeQuarter {
        /// `2026Q4`.
        quarter: String,
        /// A city's Place global id or UUID; every city when omitted.
        #[arg(long)]
        city: Option<String>,
    },
    /// The event log's projections (statistics): `rebuild` empties one and replays the whole log into it.
    Projections {
        #[command(subcommand)]
        command: ProjectionsCommand,
    },
    /// Print the GraphQL schema (SDL); `schema.graphql` is this output.
    ExportSchema {
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print the OpenAPI 3.1 document of the REST endpoints (committed as openapi.json).
    ExportOpenapi {
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum DisclosuresCommand {
    /// Recompute every place's disclosure chain (or one place's) and exit non-zero if any is broken.
    Verify {
        /// Only this place: a Place global id or its UUID.
        #[arg(long)]
        place: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum ProjectionsCommand {
    /// Empty the statistics projection and replay the event log into it (decision 153); the figures are
    /// those the live consumer keeps. Safe while instances serve: their pump waits for the lease.
    Rebuild {
        /// Events replayed per transaction.
        #[arg(long, default_value_t = 2_000)]
        batch: usize,
    },
}

#[derive(Subcommand)]
pub enum OutboxCommand {
    /// Print the last messages of the local log sink, and follow new ones.
    Tail {
        /// How many earlier messages to print first.
        #[arg(long, short = 'n', default_value_t = 20)]
        lines: usize,
        /// Print what exists and exit instead of following.
        #[arg(long)]
        no_follow: bool,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::ExportSchema { out } = &command {
        let sdl = crate::graphql::sdl();
        match out {
            Some(path) => std::fs::write(path, sdl).with_context(|| format!("cannot write {}", path.display()))?,
            None => print!("{sdl}"),
        }
        return Ok(());
    }
    if let Command::ExportOpenapi { out } = &command {
        let document = crate::openapi::document();
        match out {
            Some(path) => std::fs::write(path, document).with_context(|| format!("cannot write {}", path.display()))?,
            None => print!("{document}"),
        }
        return Ok(());
    }
    let settings = Settings::load().context("configuration is invalid")?;
    crate::telemetry::init(settings.profile);
    match command {
        Command::Serve => {
            let app = Application::build(settings).await?;
            tracing::info!(port = app.port(), "serving; GraphiQL at /graphql in the demo profile");
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            open_store(&settings, Arc::new(SystemClock)).await?;
        }
        Command::SeedDemo => {
            let store = open_store(&settings, Arc::new(SystemClock)).await?;
            if !store.seed_demo().await? {
                println!("the database already has places; demo data not loaded");
            }
        }
        Command::SeedBench { fraction } => {
            let store = open_store(&settings, Arc::new(SystemClock)).await?;
            let volume = gongzhi_bench_seed::city::BenchVolume::fraction(fraction);
            let started = std::time::Instant::now();
            let report = gongzhi_bench_seed::city::seed(&store, volume, |phase, took| {
                println!("{:>8.1} s  {phase}", took.as_secs_f64())
            })
            .await?;
            for (what, n) in &report.counts {
                println!("{n:>10}  {what}");
            }
            println!("loaded in {:.1} s", started.elapsed().as_secs_f64());
        }
        Command::BenchFixtures { people, out } => {
            let store = open_store(&settings, Arc::new(SystemClock)).await?;
            let keys = crate::startup::jwt_keys(&settings)?;
            let fixtures = gongzhi_bench_seed::fixtures::lua(&store, &keys, people, &global_id).await?;
            std::fs::write(&out, fixtures).with_context(|| format!("cannot write {}", out.display()))?;
        }
        Command::BenchCrowd { compounds, per_compound, out } => {
            let store = open_store(&settings, Arc::new(SystemClock)).await?;
            let keys = crate::startup::jwt_keys(&settings)?;
            let crowd = gongzhi_bench_seed::fixtures::crowd(&store, &keys, compounds, per_compound, &global_id).await?;
            std::fs::write(&out, crowd).with_context(|| format!("cannot write {}", out.display()))?;
        }
        Command::Worker => {
            settings.check().map_err(anyhow::Error::msg)?;
            let store = open_store(&settings, Arc::new(SystemClock)).await?;
            let metrics = Arc::new(crate::delivery::DeliveryMetrics::new(&prometheus::Registry::new())?);
            let worker = crate::delivery::build_worker(store, &settings.outbox, metrics)?;
            tracing::info!(worker = worker.name(), "delivering; stop with Ctrl-C or SIGTERM");
            let stop = crate::delivery::spawn_until_signal(worker);
            stop.await?;
        }
        Command::Outbox { command: OutboxCommand::Tail { lines, no_follow } } => {
            if settings.outbox.gateway_url.is_some() {
                eprintln!("GATEWAY_URL is set: messages go to the gateway, not to {}", settings.outbox.log_path);
            }
            let path = std::path::Path::new(&settings.outbox.log_path);
            gongzhi_infra::outbox::tail(path, lines, !no_follow, std::io::stdout()).await?;
        }
        Command::Import { community, file } => {
            let community = parse_place(&community)?;
            let store = open_store(&settings, Arc::new(SystemClock)).await?;
            let reader = std::fs::File::open(&file).with_context(|| format!("cannot open {}", file.display()))?;
            match store.import_register(community, std::io::BufReader::new(reader)).await {
                Ok(report) => println!(
                    "imported {} rows: {} compounds, {} buildings, {} households, {} owners created; {} ownerships granted; {} units marked as the developer's",
                    report.rows,
                    report.compounds_created,
                    report.buildings_created,
                    report.households_created,
                    report.owners_created,
                    report.ownerships_granted,
                    report.developer_units_marked
                ),
                Err(InfraError::Register(problems)) => {
                    for problem in &problems {
                        eprintln!("{}: line {}: {}", file.display(), problem.line, problem.problem);
                    }
                    bail!("{} problem(s) found; nothing was imported", problems.len());
                }
                Err(other) => return Err(other.into()),
            }
        }
        Command::Disclosures { command: DisclosuresCommand::Verify { place } } => {
            let place = place.as_deref().map(parse_place).transpose()?;
            let store = open_store(&settings, Arc::new(SystemClock)).await?;
            let broken = crate::disclosures_cli::verify(&store, place, &mut std::io::stdout()).await?;
            if broken > 0 {
                bail!("{broken} disclosure chain(s) broken");
            }
        }
        Command::ComputeQuarter { quarter, city } => {
            let city = city.as_deref().map(parse_place).transpose()?;
            let store = open_store(&settings, Arc::new(SystemClock)).await?;
            crate::accountability_cli::compute_quarter(&store, &quarter, city).await?;
        }
        Command::Projections { command: ProjectionsCommand::Rebuild { batch } } => {
            let store = open_store(&settings, Arc::new(SystemClock)).await?;
            let started = std::time::Instant::now();
            let rebuilt = store
                .rebuild_statistics(batch, |events| {
                    if events % 100_000 < batch {
                        println!("{events:>10} events replayed");
                    }
                })
                .await?;
            let Some(rebuilt) = rebuilt else {
                bail!("an instance is stepping the statistics consumer right now; try again in a moment")
            };
            let seconds = started.elapsed().as_secs_f64();
            #[allow(clippy::cast_precision_loss)] // A rate for people to read.
            let rate = rebuilt.events as f64 / seconds.max(0.001);
            println!(
                "statistics rebuilt: {} events to seq {} in {seconds:.1} s ({rate:.0} events/s)",
                rebuilt.events, rebuilt.head
            );
        }
        Command::ExportSchema { .. } | Command::ExportOpenapi { .. } => {}
    }
    Ok(())
}

fn parse_place(text: &str) -> anyhow::Result<PlaceId> {
    if let Ok(uuid) = uuid::Uuid::parse_str(text) {
        return Ok(uuid.into());
    }
    crate::graphql::ids::decode(crate::graphql::ids::NodeType::Place, &async_graphql::ID(text.to_owned()))
        .map_err(|_| anyhow::anyhow!("{text:?} is neither a Place id nor a UUID"))
}

/// The API's global id of what the benchmarks' fixtures name.
fn global_id(node: gongzhi_bench_seed::fixtures::Node, uuid: uuid::Uuid) -> String {
    use crate::graphql::ids::{NodeType, encode};
    use gongzhi_bench_seed::fixtures::Node;
    let kind = match node {
        Node::Place => NodeType::Place,
        Node::Category => NodeType::Category,
        Node::Topic => NodeType::Topic,
        Node::Vote => NodeType::Vote,
    };
    let async_graphql::ID(text) = encode(kind, uuid);
    text
}
