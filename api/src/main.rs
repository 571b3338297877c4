use clap::Parser;
use gongzhi_api::cli::{Cli, run};

/// A request allocates and frees many small values (rows, names, JSON): glibc's malloc and free were about
/// a quarter of the server's CPU on the feed (bench/README.md); mimalloc's per-thread free lists are
/// cheaper for that pattern.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    run(Cli::parse()).await
}
