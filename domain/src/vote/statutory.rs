//! The owners' statutory vote under PRC Civil Code art. 278 para. 2:
//!
//! > 业主共同决定事项，应当由专有部分面积占比三分之二以上的业主且人数占比三分之二以上的业主参与表决。
//! > 决定前款第六项至第八项规定的事项，应当经参与表决专有部分面积四分之三以上的业主且参与表决人数四分之三
//! > 以上的业主同意。决定前款其他事项，应当经参与表决专有部分面积过半数的业主且参与表决人数过半数的业主同意。
//!
//! Turnout is measured against every owner of the compound; approval against the owners who took part,
//! abstainers included (an abstainer took part but did not agree). Each test is double: area and heads
//! must both meet it.

use crate::vote::{Criterion, Electorate, OwnersMatter, Tally, Threshold, Verdict, VoteInvalid, Weight};

/// The same threshold measured by exclusive area and by owners' heads; met only if both are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AreaAndHeads {
    pub area: Criterion,
    pub heads: Criterion,
}

impl AreaAndHeads {
    fn measure(part: Weight, whole: Weight, threshold: Threshold) -> Self {
        Self {
            area: Criterion::measure(part.area_u128(), whole.area_u128(), threshold),
            heads: Criterion::measure(part.heads_u128(), whole.heads_u128(), threshold),
        }
    }

    pub const fn met(&self) -> bool {
        self.area.met && self.heads.met
    }
}

/// Everything a client needs to show the result and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatutoryOutcome {
    pub matter: OwnersMatter,
    pub electorate: Electorate,
    pub tally: Tally,
    /// Participating owners of all owners: ≥ 2/3 by area and by head, or the vote is invalid.
    pub turnout: AreaAndHeads,
    /// Owners for of participating owners, against the matter's threshold. Computed even when the vote is
    /// invalid, for information.
    pub approval: AreaAndHeads,
    pub verdict: Verdict,
}

/// Decides an owners' vote on `matter` from the sums storage computed. Refuses a tally in which more
/// area or more owners took part than the compound has.
pub fn decide_owners_vote(
    matter: OwnersMatter,
    electorate: Electorate,
    tally: Tally,
) -> Result<StatutoryOutcome, VoteInvalid> {
    let participating = tally.participating();
    if participating.area_centi_m2() > electorate.area_centi_m2() {
        return Err(VoteInvalid::Exceeds { part: "participating floor area", whole: "the compound's floor area" });
    }
    if participating.heads() > electorate.heads() {
        return Err(VoteInvalid::Exceeds { part: "participating owners", whole: "the compound's owners" });
    }
    let turnout = AreaAndHeads::measure(participating, electorate.weight(), OwnersMatter::TURNOUT);
    let approval = AreaAndHeads::measure(tally.in_favour(), participating, matter.approval());
    let verdict = Verdict::decide(turnout.met(), approval.met());
    Ok(StatutoryOutcome { matter, electorate, tally, turnout, approval, verdict })
}
