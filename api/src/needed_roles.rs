//! How a FORBIDDEN names what is missing: the roles the policy would accept for the action, where each
//! would have to be held (`policy::needed_roles`), as a sentence in the request's language and as
//! `extensions.needed` for clients that offer the way forward (decision 61).
//!
//! Only the target and its ancestors are named, by id and kind: a client resolves a name through the API
//! if the caller may read the place, so the refusal tells nobody more than the place they acted on.

use async_graphql::{Name, Value};
use gongzhi_domain::place::PlaceKind;
use gongzhi_domain::policy::NeededRole;
use gongzhi_domain::role::Role;

use crate::graphql::ids::{NodeType, encode};
use crate::i18n::Lang;

pub(crate) fn role_zh(role: Role) -> &'static str {
    match role {
        Role::Resident => "居民",
        Role::Owner => "业主",
        Role::BuildingLeader => "楼门长",
        Role::OwnersCommitteeMember => "业委会委员",
        Role::OwnersCommitteeChair => "业委会主任",
        Role::ResidentsCommitteeStaff => "居委会工作人员",
        Role::PartySecretary => "社区党组织书记",
        Role::PropertyStaff => "物业人员",
        Role::PropertyManager => "物业项目经理",
        Role::StreetOfficer => "街道干部",
        Role::DistrictOfficer => "区县干部",
        Role::CityAdministrator => "市级管理员",
        Role::Lawyer => "律师",
        Role::Mediator => "调解员",
        Role::Deputy => "人大代表/政协委员",
        Role::SocialWorker => "社工",
    }
}

pub(crate) fn role_en(role: Role) -> &'static str {
    match role {
        Role::Resident => "resident",
        Role::Owner => "owner",
        Role::BuildingLeader => "building leader",
        Role::OwnersCommitteeMember => "owners' committee member",
        Role::OwnersCommitteeChair => "owners' committee chair",
        Role::ResidentsCommitteeStaff => "residents' committee staff",
        Role::PartySecretary => "party secretary",
        Role::PropertyStaff => "property staff",
        Role::PropertyManager => "property manager",
        Role::StreetOfficer => "street officer",
        Role::DistrictOfficer => "district officer",
        Role::CityAdministrator => "city administrator",
        Role::Lawyer => "lawyer",
        Role::Mediator => "mediator",
        Role::Deputy => "deputy",
        Role::SocialWorker => "social worker",
    }
}

fn kind_zh(kind: PlaceKind) -> &'static str {
    match kind {
        PlaceKind::City => "本市",
        PlaceKind::District => "所在区县",
        PlaceKind::Street => "所在街道",
        PlaceKind::Community => "该社区",
        PlaceKind::Compound => "该小区",
        PlaceKind::Building => "该楼栋",
        PlaceKind::Household => "该房屋",
    }
}

fn kind_en(kind: PlaceKind) -> &'static str {
    match kind {
        PlaceKind::City => "the city",
        PlaceKind::District => "the district",
        PlaceKind::Street => "the street",
        PlaceKind::Community => "the community",
        PlaceKind::Compound => "the compound",
        PlaceKind::Building => "the building",
        PlaceKind::Household => "the household",
    }
}

/// "需要以下角色之一：该社区的居委会工作人员、…" / "This needs one of these roles: residents' committee
/// staff of the community, …".
pub fn message(needed: &[NeededRole], lang: Lang) -> String {
    let zh: Vec<String> = needed
        .iter()
        .map(|n| {
            if n.inside {
                format!("{}内的{}", kind_zh(n.kind), role_zh(n.role))
            } else {
                format!("{}的{}", kind_zh(n.kind), role_zh(n.role))
            }
        })
        .collect();
    let en: Vec<String> = needed
        .iter()
        .map(|n| {
            if n.inside {
                format!("{} within {}", role_en(n.role), kind_en(n.kind))
            } else {
                format!("{} of {}", role_en(n.role), kind_en(n.kind))
            }
        })
        .collect();
    lang.pick(
        format!("您没有权限执行此操作，需要以下角色之一：{}", zh.join("、")),
        format!("You are not permitted to do this; it needs one of these roles: {}", en.join(", ")),
    )
}

/// `[{ role: "RESIDENTS_COMMITTEE_STAFF", placeId, placeKind: "COMMUNITY", within: false }, …]`, in the
/// schema's own enum spellings and global ids.
pub fn extension(needed: &[NeededRole]) -> Value {
    Value::List(
        needed
            .iter()
            .map(|n| {
                let mut entry = async_graphql::indexmap::IndexMap::new();
                entry.insert(Name::new("role"), Value::Enum(Name::new(n.role.as_str().to_uppercase())));
                entry.insert(Name::new("placeId"), Value::String(encode(NodeType::Place, n.place).0));
                entry.insert(Name::new("placeKind"), Value::Enum(Name::new(n.kind.as_str().to_uppercase())));
                entry.insert(Name::new("within"), Value::Boolean(n.inside));
                Value::Object(entry)
            })
            .collect(),
    )
}
