use clap::Parser;
use gongzhi_api::cli::{Cli, run};

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    run(Cli::parse()).await
}
