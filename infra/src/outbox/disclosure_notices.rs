//! Who hears of a disclosure's facts: the publishing party of a question (质询) to answer, the asker of an
//! answered one, and the people acting for the party a letter for a missing disclosure is addressed to.
//! They reuse existing kinds — a 提示函 is a 提示函 whatever it is about, and a person's choice to receive
//! letters covers both; a question to answer is work assigned (decision 104).

use gongzhi_domain::disclosure::DisclosureKind;
use gongzhi_domain::ids::PersonId;
use gongzhi_domain::notify::{NotificationKind, TemplateData, china_time};
use gongzhi_domain::place::PlaceKind;
use gongzhi_domain::role::Role;
use gongzhi_domain::topic::Party;
use sea_orm::prelude::*;
use sea_orm::{Condition, ConnectionTrait, QuerySelect};

use super::enqueue::{Notice, notify};
use super::recipients::Recipients;
use crate::entities::{disclosure, disclosure_obligation, disclosure_question, place, role_grant};
use crate::event_log::NewEvent;
use crate::event_log::wire::WireEvent;
use crate::{Error, Result};

pub(crate) async fn notify_of(db: &impl ConnectionTrait, event: &NewEvent) -> Result<()> {
    match &event.event {
        WireEvent::DisclosureAnswered { question, asked_by, .. } => {
            let row =
                disclosure_question::Entity::find_by_id(*question).one(db).await?.ok_or(Error::NotFound("question"))?;
            let notice = Notice {
                kind: NotificationKind::ExplanationAnswered,
                topic: None,
                data: TemplateData {
                    subject: format!("质询：{}", row.text),
                    at: event.at,
                    detail: event.text_of("answer").unwrap_or_default().to_owned(),
                },
            };
            notify(db, &notice, &Recipients::People(vec![PersonId::from_uuid(*asked_by)]), event.at).await?;
            Ok(())
        }
        WireEvent::DisclosureQuestioned { disclosure, answer_due_at, .. } => {
            let row =
                disclosure::Entity::find_by_id(*disclosure).one(db).await?.ok_or(Error::NotFound("disclosure"))?;
            let people = party_people(db, row.place_id, &row.publisher_party, row.company_id).await?;
            if people.is_empty() {
                return Ok(());
            }
            let notice = Notice {
                kind: NotificationKind::TaskAssigned,
                topic: None,
                data: TemplateData {
                    subject: format!("质询：{}", event.text_of("text").unwrap_or_default()),
                    at: event.at,
                    detail: format!("请于{}前答复", china_time(*answer_due_at)),
                },
            };
            notify(db, &notice, &Recipients::People(people), event.at).await?;
            Ok(())
        }
        WireEvent::DisclosureQuestionReminded { disclosure, question, answer_due_at } => {
            let version =
                disclosure::Entity::find_by_id(*disclosure).one(db).await?.ok_or(Error::NotFound("disclosure"))?;
            let asked =
                disclosure_question::Entity::find_by_id(*question).one(db).await?.ok_or(Error::NotFound("question"))?;
            let people = party_people(db, version.place_id, &version.publisher_party, version.company_id).await?;
            if people.is_empty() {
                return Ok(());
            }
            // A 提示函 like a missing disclosure's, so a person's choice to receive letters covers it.
            let notice = Notice {
                kind: NotificationKind::TaskOverdue,
                topic: None,
                data: TemplateData {
                    subject: format!("质询：{}", asked.text),
                    at: event.at,
                    detail: format!("应于{}前答复，尚未答复", china_time(*answer_due_at)),
                },
            };
            notify(db, &notice, &Recipients::People(people), event.at).await?;
            Ok(())
        }
        WireEvent::DisclosureLetterSent { obligation, letter, .. } => {
            let row = disclosure_obligation::Entity::find_by_id(*obligation)
                .one(db)
                .await?
                .ok_or(Error::NotFound("obligation"))?;
            let people = party_people(db, row.place_id, &row.owed_by, row.company_id).await?;
            if people.is_empty() {
                return Ok(());
            }
            let kind = if letter == "reminder" { NotificationKind::TaskOverdue } else { NotificationKind::TaskWarning };
            let what = match DisclosureKind::parse(&row.kind) {
                Ok(DisclosureKind::Minutes) => "联席会议纪要公开",
                Ok(DisclosureKind::PropertyAccounts) => "物业服务和收支公开（双晒）",
                _ => "业主委员会工作和经费公开",
            };
            let detail = match letter.as_str() {
                "reminder" => format!("{}应于{}前公开，尚未公开", what, china_time(row.due_at)),
                "warning" => format!("{}逾期未公开，请立即公开", what),
                _ => format!("{}逾期未公开，已报街道处理", what),
            };
            let subject = format!("{}（{}起）", what, row.period_start);
            let notice = Notice { kind, topic: None, data: TemplateData { subject, at: event.at, detail } };
            notify(db, &notice, &Recipients::People(people), event.at).await?;
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The people who act for the party at the place: community staff for the minutes (and for a committee
/// the residents' committee acts for), the committee's members, or the staff of the company named.
async fn party_people(
    db: &impl ConnectionTrait,
    place_id: Uuid,
    owed_by: &str,
    company_id: Option<Uuid>,
) -> Result<Vec<PersonId>> {
    let place = place::Entity::find_by_id(place_id).one(db).await?.ok_or(Error::NotFound("place"))?;
    let party = Party::parse(owed_by).unwrap_or(Party::ResidentsCommittee);
    let roles: &[Role] = if place.kind == PlaceKind::Compound.as_str() {
        let facts = crate::places::compound_facts(db, &place).await?;
        party.acting_roles(&facts)
    } else {
        &[Role::ResidentsCommitteeStaff, Role::PartySecretary]
    };
    let mut held = Condition::any();
    for role in roles {
        let at = match role.scope() {
            PlaceKind::Community => place.community_id.unwrap_or(place.id),
            _ => place.id,
        };
        let mut grant =
            Condition::all().add(role_grant::Column::Role.eq(role.as_str())).add(role_grant::Column::PlaceId.eq(at));
        if role.is_property() {
            let Some(company) = company_id else { continue };
            grant = grant.add(role_grant::Column::CompanyId.eq(company));
        }
        held = held.add(grant);
    }
    let people: Vec<Uuid> = role_grant::Entity::find()
        .select_only()
        .column(role_grant::Column::PersonId)
        .filter(role_grant::Column::RevokedAt.is_null())
        .filter(held)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    Ok(people.into_iter().map(PersonId::from_uuid).collect())
}
