//! `gongzhi disclosures verify`: recomputes every disclosure chain (or one place's) from the database and
//! fails — a non-zero exit — on the first place whose chain is broken, naming the version and the problem.

use gongzhi_domain::disclosure::ChainVerdict;
use gongzhi_domain::ids::PlaceId;
use gongzhi_infra::Store;
use gongzhi_infra::disclosures::ChainReport;

/// Prints one line per place and returns how many chains are broken.
pub async fn verify(store: &Store, place: Option<PlaceId>, out: &mut impl std::io::Write) -> anyhow::Result<usize> {
    let reports: Vec<ChainReport> = match place {
        Some(place) => vec![store.verify_disclosure_chain(place).await?],
        None => store.verify_all_disclosure_chains().await?,
    };
    let mut broken = 0;
    for report in &reports {
        match &report.verdict {
            ChainVerdict::Intact { length, head } => {
                writeln!(out, "ok      place {}  {length} version(s)  head {head}", report.place)?;
            }
            ChainVerdict::Broken { at, chain_seq, problem } => {
                broken += 1;
                writeln!(
                    out,
                    "BROKEN  place {}  at version {at} (link {chain_seq}): {}",
                    report.place,
                    problem.as_str()
                )?;
            }
        }
    }
    writeln!(out, "{} chain(s) checked, {broken} broken", reports.len())?;
    Ok(broken)
}
