//! `gongzhi compute-quarter`: the operator's (or cron's) run of a quarter, with how long it took.

use anyhow::Context as _;
use gongzhi_domain::accountability::Quarter;
use gongzhi_domain::ids::PlaceId;
use gongzhi_infra::Store;

pub async fn compute_quarter(store: &Store, quarter: &str, city: Option<PlaceId>) -> anyhow::Result<()> {
    let quarter = Quarter::parse(quarter).map_err(|e| anyhow::anyhow!("{e}"))?;
    let cities = match city {
        Some(city) => vec![city],
        None => store.cities().await.context("listing the cities")?,
    };
    for city in cities {
        let started = std::time::Instant::now();
        let report = store.compute_quarter(None, city, quarter).await?;
        println!(
            "{quarter} city {city}: {} companies scored, {} listed, {} lifted; {} compounds, {} problem compounds; {:.2} s",
            report.companies,
            report.listed,
            report.lifted,
            report.compounds,
            report.problem_compounds,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
