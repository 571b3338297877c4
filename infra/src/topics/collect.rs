//! 议题征集: submitting, co-signing and withdrawing topics.

use gongzhi_domain::Conflict;
use gongzhi_domain::ids::{CategoryId, PlaceId, RoundId, TopicId};
use gongzhi_domain::policy::{Action, Actor, require};
use gongzhi_domain::topic::{
    Datum, Location, Note, Photos, Placement, Topic, TopicDescription, TopicDraft, TopicTitle, Transition,
};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbBackend, ExprTrait, FromQueryResult, QueryTrait, TryIntoModel};
use tracing::instrument;

use super::catalogue::find_category;
use super::rounds::find_round;
use super::{TopicRecord, events, load_visible, record_of, row, save};
use crate::entities::{topic, topic_co_signature};
use crate::error::on_unique;
use crate::place_contexts::contexts_of;
use crate::{Error, Result, Store, new_id};

/// A location as the client sends it: degrees as decimal strings, and the datum they are in.
#[derive(Debug, Clone)]
pub struct NewLocation {
    pub datum: String,
    pub latitude: String,
    pub longitude: String,
}

/// What a resident submits.
#[derive(Debug, Clone)]
pub struct NewTopic {
    pub place: PlaceId,
    pub category: CategoryId,
    pub round: Option<RoundId>,
    pub title: String,
    pub description: String,
    pub location: Option<NewLocation>,
    /// Storage keys of photos already uploaded.
    pub photos: Vec<String>,
}

fn draft_of(input: &NewTopic) -> Result<TopicDraft> {
    let location = match &input.location {
        Some(l) => Some(Location::parse_degrees(Datum::parse(&l.datum)?, &l.latitude, &l.longitude)?),
        None => None,
    };
    Ok(TopicDraft {
        title: TopicTitle::parse(&input.title)?,
        description: TopicDescription::parse(&input.description)?,
        location,
        photos: Photos::parse(&input.photos)?,
    })
}

impl Store {
    #[instrument(skip_all)]
    pub async fn submit_topic(&self, actor: &Actor, input: NewTopic) -> Result<TopicRecord> {
        let draft = draft_of(&input)?;
        let txn = self.write().await?;
        // The place with its compound's facts (the committee's seats among them), in one statement.
        let place_id = input.place.as_uuid();
        let ctx = contexts_of(&txn, &[place_id]).await?.remove(&place_id).ok_or(Error::NotFound("place"))?;
        require(actor, Action::SubmitTopic, &ctx)?;
        let keys: Vec<&str> = draft.photos.keys().iter().map(|k| k.as_str()).collect();
        crate::uploads::check_owned(&txn, actor.person, &keys).await?;
        let place = ctx.ancestry.clone();
        let category = find_category(&txn, input.category).await?;
        let round = match input.round {
            Some(id) => Some(find_round(&txn, id).await?),
            None => None,
        };
        let now = self.clock.now();
        let placement = Placement { place: &place, category: &category, round: round.as_ref() };
        let Transition { topic, event } =
            Topic::submit(TopicId::from_uuid(new_id()), actor.person, draft, placement, now)?;
        let saved = insert_submitted(&txn, &topic, &event, &self.deadlines, now).await?;
        txn.commit().await?;
        Ok(record_of(&saved, topic))
    }

    /// 附议: once per person, while the topic awaits triage; the count rises in the same transaction.
    /// On PostgreSQL three statements (decision 175): the topic with its place's context, the co-signature
    /// and the count in one (which returns the row the answer shows), and at commit the timeline's event
    /// with the log's row in one. The write knows the topic's place, so committing reads none
    /// (`TopicWrite::placed`).
    #[instrument(skip_all)]
    pub async fn co_sign_topic(&self, actor: &Actor, id: TopicId) -> Result<TopicRecord> {
        let txn = self.write().await?;
        let loaded = load_visible(&txn, actor, id).await?;
        require(actor, Action::CoSignTopic, &loaded.ctx)?;
        txn.placed(id, &loaded.ctx.ancestry);
        let now = self.clock.now();
        // The domain decides (the stage, not one's own topic); the statements below only hold its decision
        // against a concurrent one: the key refuses a second co-signature, the count's guard a topic that
        // left triage meanwhile.
        let event = loaded.topic.co_sign(actor.person, now)?;
        let backend = txn.get_database_backend();
        let signature = topic_co_signature::Entity::insert(topic_co_signature::ActiveModel {
            topic_id: Set(id.as_uuid()),
            person_id: Set(actor.person.as_uuid()),
            created_at: Set(now),
        })
        .build(backend);
        // Counted by the database, not read-modify-write, so concurrent co-signers are each counted; and only
        // while the topic still awaits triage, so a co-sign racing the decision (or a merge) loses. The row
        // comes back with the count (RETURNING: PostgreSQL, and SQLite since 3.35).
        let mut count = topic::Entity::update_many()
            .col_expr(topic::Column::CoSignCount, Expr::col(topic::Column::CoSignCount).add(1))
            .filter(topic::Column::Id.eq(id.as_uuid()))
            .filter(topic::Column::State.eq("awaiting_triage"))
            .into_query();
        count.returning_all();
        let count = backend.build(&count);
        // PostgreSQL takes both as one statement; SQLite has no data-modifying WITH.
        let counted = match backend {
            DbBackend::Postgres => {
                let both = crate::chained::chain(vec![signature, count]).unwrap_or_else(|| unreachable!("two"));
                topic::Model::find_by_statement(both).one(&txn).await
            }
            _ => match txn.execute_raw(signature).await {
                Ok(_) => topic::Model::find_by_statement(count).one(&txn).await,
                Err(err) => Err(err),
            },
        };
        let Some(row) = counted.map_err(on_unique(Conflict::AlreadyCoSigned))? else {
            let row = topic::Entity::find_by_id(id.as_uuid()).one(&txn).await?.ok_or(Error::NotFound("topic"))?;
            return Err(gongzhi_domain::topic::TopicError::WrongStage {
                action: "co-sign",
                state: state_name(&row.state),
            }
            .into());
        };
        events::append(&txn, &event).await?;
        txn.commit().await?;
        Ok(record_of(&row, loaded.topic))
    }

    /// The submitter takes the topic back before triage decides.
    #[instrument(skip_all)]
    pub async fn withdraw_topic(&self, actor: &Actor, id: TopicId, note: Option<&str>) -> Result<TopicRecord> {
        let note = note.map(str::trim).filter(|n| !n.is_empty()).map(Note::parse).transpose()?;
        let txn = self.write().await?;
        let loaded = load_visible(&txn, actor, id).await?;
        let now = self.clock.now();
        let Transition { topic, event } = loaded.topic.clone().withdraw(actor.person, note, now)?;
        let row = save(&txn, &loaded.row, &topic, &event, &self.deadlines, now).await?;
        txn.commit().await?;
        Ok(record_of(&row, topic))
    }
}

/// Writes a topic just submitted, and its event: from a resident (`submit_topic`) or a partner filing an
/// Open311 request for a citizen.
pub(super) async fn insert_submitted(
    txn: &super::write::TopicWrite,
    topic: &Topic,
    event: &gongzhi_domain::topic::TimelineEvent,
    deadlines: &gongzhi_domain::topic::Deadlines,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<topic::Model> {
    let place = &topic.place;
    txn.placed(topic.id, place);
    let photos: Vec<&str> = topic.photos.keys().iter().map(|k| k.as_str()).collect();
    let mut active = topic::ActiveModel {
        id: Set(topic.id.as_uuid()),
        place_id: Set(place.id().as_uuid()),
        community_id: Set(place
            .at(gongzhi_domain::place::PlaceKind::Community)
            .ok_or(Error::NotFound("community"))?
            .as_uuid()),
        compound_id: Set(place
            .at(gongzhi_domain::place::PlaceKind::Compound)
            .ok_or(Error::NotFound("compound"))?
            .as_uuid()),
        street_id: Set(place.at(gongzhi_domain::place::PlaceKind::Street).ok_or(Error::NotFound("street"))?.as_uuid()),
        category_id: Set(topic.category.as_uuid()),
        round_id: Set(topic.round.map(|r| r.as_uuid())),
        submitter_id: Set(topic.submitter.as_uuid()),
        title: Set(topic.title.as_str().to_owned()),
        description: Set(topic.description.as_str().to_owned()),
        datum: Set(topic.location.map(|l| l.datum().as_str().to_owned())),
        lat_micro: Set(topic.location.map(|l| l.lat_micro())),
        lng_micro: Set(topic.location.map(|l| l.lng_micro())),
        photos: Set(serde_json::to_string(&photos).map_err(|e| DbErr::Custom(e.to_string()))?),
        submitted_at: Set(now),
        co_sign_count: Set(0),
        ..Default::default()
    };
    row::write_state(&mut active, topic, deadlines, now)?;
    // Every column is set here, so the row is known without reading it back, and its insert can go with
    // the timeline's and the log's at commit (decision 176).
    let saved = active.clone().try_into_model()?;
    txn.insert_at_commit(topic::Entity::insert(active).build(txn.get_database_backend())).await?;
    let mut fact = crate::event_log::NewEvent::of_timeline(event);
    if let crate::event_log::wire::WireEvent::TopicSubmitted { category } = &mut fact.event {
        *category = Some(topic.category.as_uuid());
    }
    events::append_as(txn, event, fact).await?;
    Ok(saved)
}

/// The state code as a static string, for a refusal naming it.
fn state_name(code: &str) -> &'static str {
    gongzhi_domain::topic::TopicState::CODES.iter().find(|c| **c == code).copied().unwrap_or("changed")
}
