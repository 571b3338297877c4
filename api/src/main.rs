use clap::Parser;
use gongzhi_api::cli::{Cli, run};

/// A request allocates and frees many small values (rows, names, JSON); mimalloc's per-thread free lists
/// make that about a third cheaper than glibc's malloc under load (bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    run(Cli::parse()).await
}
