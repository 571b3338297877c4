//! The world the measured event lands in, built before anything is timed: the demo community, one more
//! compound of N households imported from a register (one owner each), every owner signed in with WeChat
//! and having granted long-term consent to the vote template, and a topic of that compound accepted for
//! deliberation by the residents' committee.
//!
//! The register goes through the public import; WeChat identities and consents are inserted in bulk,
//! because the public paths for them (login, the mini-program's consent report) take one person a call.

use std::fmt::Write as _;

use anyhow::{Context, bail};
use chrono::{Duration, FixedOffset};
use gongzhi_domain::ids::{PersonId, PlaceId, TopicId};
use gongzhi_domain::notify::NotificationKind;
use gongzhi_domain::topic::{DeliberationForm, Party, PlanDraft};
use gongzhi_infra::Store;
use gongzhi_infra::demo::cast_id;
use gongzhi_infra::topics::NewTopic;
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ConnectionTrait, Statement, Value};
use uuid::Uuid;

/// The imported compound's name.
pub const COMPOUND: &str = "压测花园";
/// Its owners' phone numbers are this prefix and eight digits; the demo's start with 139.
const PHONE_PREFIX: &str = "150";
/// Rows per bulk INSERT: well under both databases' bind-parameter limits.
const ROWS_PER_INSERT: usize = 1000;

/// What the measured run needs to know of the seeded world.
pub struct Seeded {
    pub topic: TopicId,
    pub owners: usize,
}

pub async fn seed(store: &Store, recipients: usize) -> anyhow::Result<Seeded> {
    if recipients >= 100_000_000 {
        bail!("at most 99,999,999 recipients: phone numbers have eight digits after the prefix");
    }
    store.seed_demo().await?;
    let community = demo_community(store).await?;
    store.import_register(community, register(recipients).as_bytes()).await.context("importing the register")?;
    let owners = owners(store).await?;
    if owners.len() != recipients {
        bail!("{} owners imported, {recipients} expected", owners.len());
    }
    sign_in_with_wechat(store, &owners).await?;
    let compound = child_named(store, community, COMPOUND).await?;
    let topic = topic_under_deliberation(store, community, compound, owners[0]).await?;
    Ok(Seeded { topic, owners: owners.len() })
}

/// 和平社区, by walking the demo tree from the city down.
async fn demo_community(store: &Store) -> anyhow::Result<PlaceId> {
    let mut parent = None;
    for name in ["邯郸市", "丛台区", "中华大街街道", "和平社区"] {
        let children = store.children(parent, None, 100).await?;
        let found = children.into_iter().find(|p| p.name == name).with_context(|| format!("no demo place {name}"))?;
        parent = Some(found.id());
    }
    parent.context("no demo community")
}

async fn child_named(store: &Store, parent: PlaceId, name: &str) -> anyhow::Result<PlaceId> {
    let mut after = None;
    loop {
        let page = store.children(Some(parent), after, 100).await?;
        if let Some(found) = page.iter().find(|p| p.name == name) {
            return Ok(found.id());
        }
        if page.len() < 100 {
            bail!("no place {name}");
        }
        after = page.last().map(|p| p.id());
    }
}

/// A register of `households` units in buildings of 200, one owner each.
fn register(households: usize) -> String {
    let mut csv = String::from("compound,building,household,area_m2,owner_name,owner_phone\n");
    for i in 0..households {
        let (building, unit) = (i / 200 + 1, i % 200 + 101);
        let _ = writeln!(csv, "{COMPOUND},{building}号楼,{unit}室,89.50,业主{i},{PHONE_PREFIX}{i:08}");
    }
    csv
}

/// The imported owners, found by their phone numbers.
async fn owners(store: &Store) -> anyhow::Result<Vec<PersonId>> {
    let db = store.connection();
    let backend = db.get_database_backend();
    let sql = format!("SELECT id FROM persons WHERE phone LIKE '{PHONE_PREFIX}%' ORDER BY phone");
    let rows = db.query_all_raw(Statement::from_string(backend, sql)).await?;
    rows.iter().map(|row| Ok(PersonId::from_uuid(row.try_get::<Uuid>("", "id")?))).collect()
}

/// Gives every owner a WeChat identity and a long-term consent to the vote template, in bulk.
async fn sign_in_with_wechat(store: &Store, owners: &[PersonId]) -> anyhow::Result<()> {
    let db = store.connection();
    let backend = db.get_database_backend();
    let now = store.clock().now();
    let template = NotificationKind::VoteOpened.code();
    for chunk in owners.chunks(ROWS_PER_INSERT) {
        let mut identities = Query::insert();
        identities
            .into_table(Alias::new("identities"))
            .columns(["id", "person_id", "provider", "subject", "union_id", "created_at"].map(Alias::new));
        let mut consents = Query::insert();
        consents
            .into_table(Alias::new("subscribe_consents"))
            .columns(["person_id", "template", "one_time_grants", "long_term", "updated_at"].map(Alias::new));
        for person in chunk {
            let person = person.as_uuid();
            identities.values([
                Uuid::now_v7().into(),
                person.into(),
                "wechat".into(),
                format!("bench-openid-{}", person.simple()).into(),
                Value::String(None).into(),
                now.into(),
            ])?;
            consents.values([person.into(), template.into(), 0i32.into(), true.into(), now.into()])?;
        }
        db.execute_raw(backend.build(&identities)).await?;
        db.execute_raw(backend.build(&consents)).await?;
    }
    Ok(())
}

/// A topic about the compound raised by one of its owners and accepted, with an online deliberation, by
/// the residents' committee (`rc_staff`), who may then open a vote on it.
async fn topic_under_deliberation(
    store: &Store,
    community: PlaceId,
    compound: PlaceId,
    submitter: PersonId,
) -> anyhow::Result<TopicId> {
    let catalogue = store.catalogue(community, false).await?;
    let category = catalogue.iter().find(|c| c.code.as_str() == "repairs").or(catalogue.first());
    let category = category.context("the demo community has no catalogue")?.id;
    let submitter = store.actor(submitter).await?;
    let record = store
        .submit_topic(
            &submitter,
            NewTopic {
                place: compound,
                category,
                round: None,
                title: "外墙渗水，申请使用维修资金".into(),
                description: "多户外墙渗水，建议全体住户共同决定维修方案。".into(),
                location: None,
                photos: Vec::new(),
            },
        )
        .await?;
    // Plans are dated in China's time.
    let today = store.clock().now().with_timezone(&FixedOffset::east_opt(8 * 3600).context("UTC+8")?).date_naive();
    let plan = PlanDraft {
        form: DeliberationForm::Online,
        parties: vec![Party::ResidentsCommittee],
        invitees: vec![],
        starts_on: today + Duration::days(1),
        ends_on: today + Duration::days(8),
        major: false,
    };
    let staff = store.actor(cast_id("rc_staff").context("no rc_staff in the demo cast")?).await?;
    store.accept_topic(&staff, record.topic.id, plan, None).await?;
    Ok(record.topic.id)
}
