//! Who hears of a rectification plan (一院一案) before it is approved: the street's officers of a plan to
//! review, each time it is submitted, and its drafter of a plan sent back with the street's reason. An
//! approved plan's tasks reach their owners through its topic's implementation step, as every task does.
//! Both are work assigned (`task_assigned`), as a question to answer is (decision 104).

use gongzhi_domain::ids::PersonId;
use gongzhi_domain::notify::{NotificationKind, TemplateData};
use gongzhi_domain::role::Role;
use sea_orm::prelude::*;
use sea_orm::{ConnectionTrait, QuerySelect};

use super::enqueue::{Notice, notify};
use super::recipients::Recipients;
use crate::entities::{place, rectification_plan, role_grant};
use crate::event_log::NewEvent;
use crate::event_log::wire::WireEvent;
use crate::{Error, Result};

pub(crate) async fn notify_of(db: &impl ConnectionTrait, event: &NewEvent) -> Result<()> {
    let (plan, compound, to_street) = match &event.event {
        WireEvent::RectificationPlanDrafted { plan, compound, .. }
        | WireEvent::RectificationPlanRevised { plan, compound, .. } => (*plan, *compound, true),
        WireEvent::RectificationPlanSentBack { plan, compound } => (*plan, *compound, false),
        _ => return Ok(()),
    };
    let place = place::Entity::find_by_id(compound).one(db).await?.ok_or(Error::NotFound("place"))?;
    let (people, detail) = if to_street {
        let Some(street) = place.street_id else { return Ok(()) };
        let officers: Vec<Uuid> = role_grant::Entity::find()
            .select_only()
            .column(role_grant::Column::PersonId)
            .filter(role_grant::Column::Role.eq(Role::StreetOfficer.as_str()))
            .filter(role_grant::Column::PlaceId.eq(street))
            .filter(role_grant::Column::RevokedAt.is_null())
            .distinct()
            .into_tuple()
            .all(db)
            .await?;
        (officers, "整改方案已提交，请审核".to_owned())
    } else {
        let row =
            rectification_plan::Entity::find_by_id(plan).one(db).await?.ok_or(Error::NotFound("rectification plan"))?;
        let reason = event.text_of("reason").unwrap_or_default();
        (vec![row.drafted_by], format!("街道退回整改方案：{reason}，请修改后重新提交"))
    };
    if people.is_empty() {
        return Ok(());
    }
    let notice = Notice {
        kind: NotificationKind::TaskAssigned,
        topic: None,
        data: TemplateData { subject: format!("一院一案：{}", place.name), at: event.at, detail },
    };
    notify(db, &notice, &Recipients::People(people.into_iter().map(PersonId::from_uuid).collect()), event.at).await?;
    Ok(())
}
