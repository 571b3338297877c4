//! The demo world loaded on first start in the demo profile: one city, district, street and community,
//! two compounds (one with an owners' committee and a property company, one with neither, where the
//! residents' committee acts), and a named person for every role, so a newcomer can see who is who.

use gongzhi_domain::ids::PersonId;
use gongzhi_domain::place::PlaceKind;
use gongzhi_domain::role::Role;
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use tracing::info;

use crate::entities::{identity, person, place, subscribe_consent};
use crate::places::PlaceInput;
use crate::topics::NewTopic;
use crate::{Error, Result, Store};

/// One member of the demo cast: the handle `devLogin` takes, their name, and the role they show.
pub struct CastMember {
    pub handle: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
}

/// Fixed ids, so documentation can name demo people.
pub fn cast_id(handle: &str) -> Option<PersonId> {
    CAST.iter()
        .position(|c| c.handle == handle)
        .map(|i| PersonId::from_uuid(Uuid::from_u128(0x0192_0000_0000_7000_8000_0000_0000_0001 + i as u128)))
}

pub const CAST: [CastMember; 15] = [
    CastMember { handle: "city_admin", name: "赵市管", summary: "市级管理员 city administrator of 邯郸市" },
    CastMember { handle: "district_officer", name: "钱区干", summary: "区县干部 district officer of 丛台区" },
    CastMember {
        handle: "street_officer", name: "孙街道", summary: "街道干部 street officer of 中华大街街道"
    },
    CastMember {
        handle: "party_secretary", name: "李书记", summary: "社区党组织书记 party secretary of 和平社区"
    },
    CastMember {
        handle: "rc_staff", name: "周主任", summary: "居委会工作人员 residents' committee staff of 和平社区"
    },
    CastMember {
        handle: "oc_chair", name: "吴主任", summary: "业委会主任 owners' committee chair of 锦绣花园"
    },
    CastMember {
        handle: "oc_member", name: "郑委员", summary: "业委会委员 owners' committee member of 锦绣花园"
    },
    CastMember {
        handle: "oc_member2", name: "王委员", summary: "业委会委员 owners' committee member of 锦绣花园"
    },
    CastMember {
        handle: "property_manager",
        name: "冯经理",
        summary: "物业项目经理 property manager of 锦绣花园 (安居物业)",
    },
    CastMember {
        handle: "property_staff", name: "陈师傅", summary: "物业人员 property staff of 锦绣花园 (安居物业)"
    },
    CastMember {
        handle: "building_leader", name: "褚楼长", summary: "楼门长 building leader of 锦绣花园 1号楼"
    },
    CastMember {
        handle: "owner", name: "卫业主", summary: "业主 owner and resident of 锦绣花园 1号楼 1单元101"
    },
    CastMember { handle: "resident", name: "蒋居民", summary: "居民 resident of 锦绣花园 1号楼 1单元102" },
    CastMember {
        handle: "old_owner",
        name: "沈业主",
        summary: "业主 owner of 老街小院 1号楼 101, a compound without owners' committee",
    },
    CastMember { handle: "lawyer", name: "韩律师", summary: "律师 lawyer on 和平社区's roster" },
];

impl Store {
    /// Loads the demo world unless the database already has any place. Returns whether it loaded.
    pub async fn seed_demo(&self) -> Result<bool> {
        if place::Entity::find().one(&self.db).await?.is_some() {
            return Ok(false);
        }
        let now = self.clock.now();
        for (i, member) in CAST.iter().enumerate() {
            let id = cast_id(member.handle).ok_or(Error::NotFound("person"))?;
            person::ActiveModel {
                id: Set(id.as_uuid()),
                name: Set(Some(member.name.to_owned())),
                phone: Set(Some(format!("139000000{:02}", i + 1))),
                created_at: Set(now),
            }
            .insert(&self.db)
            .await?;
            // A WeChat identity and long-term consent for every kind of message, so that messages reach
            // the local log sink (`gongzhi outbox tail`) as they would reach the mini-program.
            identity::ActiveModel {
                id: Set(crate::new_id()),
                person_id: Set(id.as_uuid()),
                provider: Set(crate::people::WECHAT.to_owned()),
                subject: Set(format!("demo_openid_{}", member.handle)),
                union_id: Set(None),
                created_at: Set(now),
            }
            .insert(&self.db)
            .await?;
            let consents =
                gongzhi_domain::notify::NotificationKind::ALL.into_iter().map(|kind| subscribe_consent::ActiveModel {
                    person_id: Set(id.as_uuid()),
                    template: Set(kind.code().to_owned()),
                    one_time_grants: Set(0),
                    long_term: Set(true),
                    updated_at: Set(now),
                });
            subscribe_consent::Entity::insert_many(consents).exec_without_returning(&self.db).await?;
        }
        let who = |handle: &str| cast_id(handle).ok_or(Error::NotFound("person"));
        let named = |name: &str| PlaceInput { name: name.to_owned(), ..PlaceInput::default() };

        let city = self.create_city(named("邯郸市")).await?;
        let district = self.create_place_as_operator(city.id(), PlaceKind::District, named("丛台区")).await?;
        let street = self.create_place_as_operator(district, PlaceKind::Street, named("中华大街街道")).await?;
        let community = self.create_place_as_operator(street, PlaceKind::Community, named("和平社区")).await?;
        let jinxiu = self.create_place_as_operator(community, PlaceKind::Compound, named("锦绣花园")).await?;
        let laojie = self.create_place_as_operator(community, PlaceKind::Compound, named("老街小院")).await?;
        let jinxiu_1 = self.create_place_as_operator(jinxiu, PlaceKind::Building, named("1号楼")).await?;
        let jinxiu_2 = self.create_place_as_operator(jinxiu, PlaceKind::Building, named("2号楼")).await?;
        let laojie_1 = self.create_place_as_operator(laojie, PlaceKind::Building, named("1号楼")).await?;
        let mut households = Vec::new();
        for (building, units) in [
            (
                jinxiu_1,
                &[("1单元101", "89.56"), ("1单元102", "120.00"), ("1单元201", "89.56"), ("1单元202", "120.00")][..],
            ),
            (jinxiu_2, &[("1单元101", "76.30"), ("1单元102", "98.45")][..]),
            (laojie_1, &[("101", "62.10"), ("102", "58.00"), ("201", "62.10")][..]),
        ] {
            for (name, area) in units {
                let input = PlaceInput { name: (*name).to_owned(), code: None, area_m2: Some((*area).to_owned()) };
                households.push(self.create_place_as_operator(building, PlaceKind::Household, input).await?);
            }
        }

        let company = self.register_company_as_operator("安居物业服务有限公司", Some("91130400MA0AAAAA1X")).await?;
        // The operator records the committee and the contract directly, as the street would on filing.
        let mut compound: place::ActiveModel =
            place::Entity::find_by_id(jinxiu.as_uuid()).one(&self.db).await?.ok_or(Error::NotFound("place"))?.into();
        compound.committee_seats = Set(Some(5));
        compound.property_company_id = Set(Some(company.id.as_uuid()));
        compound.update(&self.db).await?;

        let grants = [
            ("city_admin", Role::CityAdministrator, city.id()),
            ("district_officer", Role::DistrictOfficer, district),
            ("street_officer", Role::StreetOfficer, street),
            ("party_secretary", Role::PartySecretary, community),
            ("rc_staff", Role::ResidentsCommitteeStaff, community),
            ("oc_chair", Role::OwnersCommitteeChair, jinxiu),
            ("oc_member", Role::OwnersCommitteeMember, jinxiu),
            ("oc_member2", Role::OwnersCommitteeMember, jinxiu),
            ("property_manager", Role::PropertyManager, jinxiu),
            ("property_staff", Role::PropertyStaff, jinxiu),
            ("building_leader", Role::BuildingLeader, jinxiu_1),
            ("owner", Role::Owner, households[0]),
            ("owner", Role::Resident, households[0]),
            ("resident", Role::Resident, households[1]),
            ("old_owner", Role::Owner, households[6]),
            ("lawyer", Role::Lawyer, community),
            // Committee members are owners too, as the law requires.
            ("oc_chair", Role::Owner, households[2]),
            ("oc_member", Role::Owner, households[3]),
            ("oc_member2", Role::Owner, households[4]),
        ];
        for (handle, role, place) in grants {
            self.grant_role_as_operator(who(handle)?, role, place).await?;
        }
        // 锦绣花园 2号楼 1单元102 is still unsold: the developer's. 1号楼 1单元102 is let to 蒋居民 by an owner
        // the register does not know yet, who counts as a head of their own (decision 51).
        crate::entities::developer_unit::ActiveModel {
            unit_id: Set(households[5].as_uuid()),
            compound_id: Set(jinxiu.as_uuid()),
            marked_by: Set(None),
            marked_at: Set(now),
        }
        .insert(&self.db)
        .await?;
        let catalogue = self.adopt_standard_catalogue(None, community).await?;
        let category = |code: &str| catalogue.iter().find(|c| c.code.as_str() == code).map(|c| c.id);
        let resident = self.actor(who("resident")?).await?;
        let parking = self
            .submit_topic(
                &resident,
                NewTopic {
                    place: jinxiu,
                    category: category("parking").ok_or(Error::NotFound("category"))?,
                    round: None,
                    title: "夜间电动车乱停放，堵塞消防通道".into(),
                    description: "1号楼北侧消防通道每晚停满电动车，建议划定停放区并安装充电桩。".into(),
                    location: None,
                    photos: Vec::new(),
                },
            )
            .await?;
        self.co_sign_topic(&self.actor(who("owner")?).await?, parking.topic.id).await?;
        let owner = self.actor(who("old_owner")?).await?;
        self.submit_topic(
            &owner,
            NewTopic {
                place: laojie,
                category: category("repairs").ok_or(Error::NotFound("category"))?,
                round: None,
                title: "1号楼屋顶漏雨".into(),
                description: "连续下雨后顶楼201室漏水，请尽快维修。".into(),
                location: None,
                photos: Vec::new(),
            },
        )
        .await?;
        self.seed_demo_disclosures(jinxiu).await?;
        self.seed_demo_accountability(city.id(), jinxiu).await?;
        info!(people = CAST.len(), households = households.len(), "demo world loaded");
        Ok(true)
    }
}
