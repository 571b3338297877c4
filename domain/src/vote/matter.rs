//! The matters owners decide together (业主共同决定事项), as PRC Civil Code art. 278 para. 1 lists them.
//! The item number decides the approval threshold, so it is part of the type rather than a free integer.

use crate::Invalid;
use crate::vote::Threshold;

/// One item of art. 278 para. 1. Discriminants are the statute's item numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OwnersMatter {
    /// （一）制定和修改业主大会议事规则
    RulesOfProcedure = 1,
    /// （二）制定和修改管理规约
    ManagementStatute = 2,
    /// （三）选举业主委员会或者更换业主委员会成员
    OwnersCommittee = 3,
    /// （四）选聘和解聘物业服务企业或者其他管理人
    PropertyManager = 4,
    /// （五）使用建筑物及其附属设施的维修资金
    UseMaintenanceFund = 5,
    /// （六）筹集建筑物及其附属设施的维修资金
    RaiseMaintenanceFund = 6,
    /// （七）改建、重建建筑物及其附属设施
    RebuildOrAlter = 7,
    /// （八）改变共有部分的用途或者利用共有部分从事经营活动
    CommonPartsUse = 8,
    /// （九）有关共有和共同管理权利的其他重大事项
    OtherMajorMatter = 9,
}

impl OwnersMatter {
    pub const ALL: [OwnersMatter; 9] = [
        OwnersMatter::RulesOfProcedure,
        OwnersMatter::ManagementStatute,
        OwnersMatter::OwnersCommittee,
        OwnersMatter::PropertyManager,
        OwnersMatter::UseMaintenanceFund,
        OwnersMatter::RaiseMaintenanceFund,
        OwnersMatter::RebuildOrAlter,
        OwnersMatter::CommonPartsUse,
        OwnersMatter::OtherMajorMatter,
    ];

    /// Art. 278 para. 2, first sentence: owners holding ≥ 2/3 of the exclusive area and ≥ 2/3 of the owners
    /// by head must take part, whatever the matter.
    pub const TURNOUT: Threshold = Threshold::TWO_THIRDS;

    /// The item number in art. 278 para. 1, 1 to 9.
    pub const fn item(self) -> u8 {
        self as u8
    }

    pub fn from_item(item: u8) -> Result<Self, Invalid> {
        usize::from(item)
            .checked_sub(1)
            .and_then(|index| Self::ALL.get(index))
            .copied()
            .ok_or_else(|| Invalid::UnknownValue { field: "art. 278 item", given: item.to_string() })
    }

    /// The share of participating area and of participating owners that must agree. Art. 278 para. 2:
    /// items 6 to 8 need 四分之三以上 (≥ 3/4); the others need 过半数 (> 1/2).
    pub const fn approval(self) -> Threshold {
        match self {
            OwnersMatter::RaiseMaintenanceFund | OwnersMatter::RebuildOrAlter | OwnersMatter::CommonPartsUse => {
                Threshold::THREE_QUARTERS
            }
            _ => Threshold::MORE_THAN_HALF,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            OwnersMatter::RulesOfProcedure => "rules_of_procedure",
            OwnersMatter::ManagementStatute => "management_statute",
            OwnersMatter::OwnersCommittee => "owners_committee",
            OwnersMatter::PropertyManager => "property_manager",
            OwnersMatter::UseMaintenanceFund => "use_maintenance_fund",
            OwnersMatter::RaiseMaintenanceFund => "raise_maintenance_fund",
            OwnersMatter::RebuildOrAlter => "rebuild_or_alter",
            OwnersMatter::CommonPartsUse => "common_parts_use",
            OwnersMatter::OtherMajorMatter => "other_major_matter",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|matter| matter.as_str() == input)
            .ok_or_else(|| Invalid::UnknownValue { field: "owners' matter", given: input.to_owned() })
    }

    /// The statute's own words for the item, for minutes and ballots.
    pub const fn statute_text(self) -> &'static str {
        match self {
            OwnersMatter::RulesOfProcedure => "制定和修改业主大会议事规则",
            OwnersMatter::ManagementStatute => "制定和修改管理规约",
            OwnersMatter::OwnersCommittee => "选举业主委员会或者更换业主委员会成员",
            OwnersMatter::PropertyManager => "选聘和解聘物业服务企业或者其他管理人",
            OwnersMatter::UseMaintenanceFund => "使用建筑物及其附属设施的维修资金",
            OwnersMatter::RaiseMaintenanceFund => "筹集建筑物及其附属设施的维修资金",
            OwnersMatter::RebuildOrAlter => "改建、重建建筑物及其附属设施",
            OwnersMatter::CommonPartsUse => "改变共有部分的用途或者利用共有部分从事经营活动",
            OwnersMatter::OtherMajorMatter => "有关共有和共同管理权利的其他重大事项",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_numbered_as_in_the_statute() {
        for (index, matter) in OwnersMatter::ALL.into_iter().enumerate() {
            assert_eq!(usize::from(matter.item()), index + 1);
            assert_eq!(OwnersMatter::from_item(matter.item()), Ok(matter));
            assert_eq!(OwnersMatter::parse(matter.as_str()), Ok(matter));
        }
    }

    #[test]
    fn there_is_no_item_zero_or_ten() {
        assert!(OwnersMatter::from_item(0).is_err());
        assert!(OwnersMatter::from_item(10).is_err());
        assert!(OwnersMatter::parse("raise_the_fund").is_err());
    }

    #[test]
    fn only_items_six_to_eight_need_three_quarters() {
        for matter in OwnersMatter::ALL {
            let expected =
                if (6..=8).contains(&matter.item()) { Threshold::THREE_QUARTERS } else { Threshold::MORE_THAN_HALF };
            assert_eq!(matter.approval(), expected, "item {}", matter.item());
        }
    }
}
