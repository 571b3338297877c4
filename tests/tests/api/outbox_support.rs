//! Shared helpers for the outbox tests, at store level: the demo world with the clock the store reads,
//! residents of 锦绣花园 who logged in through WeChat (so messages are addressed to them), topics they raise
//! and co-sign, accepted by `rc_staff`, and a worker with small settings posting to a fake gateway.

use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use gongzhi_domain::clock::{Clock, MockClock};
use gongzhi_domain::ids::{CategoryId, PlaceId, TopicId};
use gongzhi_domain::notify::{Backoff, BreakerPolicy, ConsentGrant, ConsentReport, MessageStatus};
use gongzhi_domain::policy::Actor;
use gongzhi_domain::role::Role;
use gongzhi_domain::topic::{DeliberationForm, Party, PlanDraft};
use gongzhi_infra::outbox::{
    DeliveryAttempt, OutboxFilter, OutboxMessage, Transport, WebhookFeed, WebhookTargets, Worker, WorkerSettings,
};
use gongzhi_infra::topics::{NewTopic, TopicRecord};
use gongzhi_infra::{Result, Store};
pub use gongzhi_tests::demo_actor;
use gongzhi_tests::fake_dns::FakeDns;
use gongzhi_tests::fake_gateway::FakeGateway;
use gongzhi_tests::{Backend, TestDb, demo_store_on_clock};
use secrecy::SecretString;

/// The secret the gateway and the worker share.
pub const SECRET: &str = "gateway-shared-secret";

/// The template of the message a topic's acceptance sends (its kind code; no template mapping).
pub const ACCEPTED: &str = "topic_accepted";

const JINXIU: [&str; 5] = ["邯郸市", "丛台区", "中华大街街道", "和平社区", "锦绣花园"];

/// The demo world on a fresh database, with the clock the store reads (2026-11-22 08:00 UTC at the start).
pub struct World {
    pub store: Store,
    pub clock: Arc<MockClock>,
    /// `rc_staff`, who triages the community's topics.
    pub staff: Actor,
    /// `city_admin`, who operates delivery.
    pub admin: Actor,
    /// 锦绣花园.
    pub compound: PlaceId,
    /// What partners' host names resolve to, for the webhook address rule. The store allows loopback (the
    /// fake gateway's endpoints are there); `store_refusing_loopback` does not.
    pub dns: Arc<FakeDns>,
    /// Its households, where new residents are registered.
    households: Vec<PlaceId>,
    category: CategoryId,
    _db: TestDb,
}

pub async fn world(backend: Backend) -> Option<World> {
    let (store, clock, db) = demo_store_on_clock(backend).await?;
    let dns = Arc::new(FakeDns::default());
    let store = store.with_webhook_targets(WebhookTargets::new(true, dns.clone()));
    let mut parent = None;
    let mut community = None;
    for name in JINXIU {
        let children = store.children(parent, None, 100).await.expect("children");
        parent = Some(children.into_iter().find(|p| p.name == name).expect("demo place").id());
        if name == "和平社区" {
            community = parent;
        }
    }
    let compound = parent.expect("锦绣花园");
    let mut households = Vec::new();
    for building in store.children(Some(compound), None, 100).await.expect("buildings") {
        let units = store.children(Some(building.id()), None, 100).await.expect("households");
        households.extend(units.into_iter().map(|u| u.id()));
    }
    let catalogue = store.catalogue(community.expect("和平社区"), false).await.expect("catalogue");
    let category = catalogue.iter().find(|c| c.code.as_str() == "repairs").unwrap_or(&catalogue[0]).id;
    let staff = demo_actor(&store, "rc_staff").await;
    let admin = demo_actor(&store, "city_admin").await;
    Some(World { store, clock, staff, admin, compound, dns, households, category, _db: db })
}

/// Small and fast: a big batch, a 300 ms timeout, backoff from 100 ms up to 1 s, five attempts, no rate
/// limit to speak of and a breaker that never opens (tests of the breaker set their own).
pub fn quick() -> WorkerSettings {
    WorkerSettings {
        batch: 100,
        concurrency: 8,
        lease: chrono::Duration::seconds(30),
        idle: std::time::Duration::from_millis(20),
        per_second: 1000,
        timeout: std::time::Duration::from_millis(300),
        backoff: Backoff {
            base: chrono::Duration::milliseconds(100),
            cap: chrono::Duration::seconds(1),
            max_attempts: 5,
        },
        breaker: BreakerPolicy { failures_to_open: 1000, cool_down: chrono::Duration::seconds(1) },
        endpoint_breaker: BreakerPolicy { failures_to_open: 1000, cool_down: chrono::Duration::seconds(1) },
        ..WorkerSettings::default()
    }
}

impl World {
    /// A worker posting to the fake gateway with the shared secret.
    pub fn worker(&self, gateway: &FakeGateway, settings: WorkerSettings) -> Worker {
        self.worker_with_secret(gateway, settings, SECRET)
    }

    pub fn worker_with_secret(&self, gateway: &FakeGateway, settings: WorkerSettings, secret: &str) -> Worker {
        let transport = Transport::Gateway { url: gateway.base.clone(), secret: SecretString::from(secret.to_owned()) };
        Worker::new(self.store.clone(), settings, transport).expect("worker builds")
    }

    /// The same store under production's address rule: loopback refused too.
    pub fn store_refusing_loopback(&self) -> Store {
        self.store.clone().with_webhook_targets(WebhookTargets::new(false, self.dns.clone()))
    }

    /// Sets the store's clock to the wall clock's time: a partner's Standard Webhooks library refuses a
    /// signature more than five minutes from its own clock, as the fake partner does.
    pub fn clock_to_wall_time(&self) {
        self.clock.set(gongzhi_domain::clock::SystemClock.now());
    }

    /// Runs the log's `webhooks` consumer until it has caught up, as the pump does in `serve`: partners'
    /// messages are queued from the log after commit.
    pub async fn feed_webhooks(&self) {
        for _ in 0..100 {
            if self.store.consume_once(&WebhookFeed, 100).await.expect("webhooks consumed") == 0 {
                return;
            }
        }
        panic!("the webhooks consumer did not catch up");
    }

    /// Runs the worker's rounds until one claims nothing: a partner's messages go out one at a time, in
    /// the order of the log.
    pub async fn deliver(&self, worker: &Worker) {
        for _ in 0..100 {
            if worker.run_once().await.expect("round") == 0 {
                return;
            }
        }
        panic!("the worker never ran dry");
    }

    /// The store's time now.
    pub fn clock_now(&self) -> chrono::DateTime<Utc> {
        self.clock.now()
    }

    /// Moves the store's clock on.
    pub fn advance(&self, seconds: i64) {
        self.clock.advance(chrono::Duration::seconds(seconds));
    }

    /// A person who logged in through WeChat as `openid` and lives in one of 锦绣花园's households.
    pub async fn wechat_resident(&self, openid: &str) -> Actor {
        let person = self.store.person_for_wechat(openid, None).await.expect("person");
        let spread = openid.bytes().map(usize::from).sum::<usize>();
        let household = self.households[spread % self.households.len()];
        self.store.grant_role_as_operator(person.id, Role::Resident, household).await.expect("resident");
        self.store.actor(person.id).await.expect("actor")
    }

    /// `count` WeChat residents (`{prefix}-1`, …), each with a long-term consent to the acceptance template.
    pub async fn consenting_residents(&self, prefix: &str, count: usize) -> Vec<Actor> {
        let mut people = Vec::with_capacity(count);
        for n in 1..=count {
            let person = self.wechat_resident(&format!("{prefix}-{n}")).await;
            self.consent(&person, ACCEPTED, ConsentGrant::LongTerm).await;
            people.push(person);
        }
        people
    }

    /// Records that the person accepted the template in the mini-program.
    pub async fn consent(&self, person: &Actor, template: &str, grant: ConsentGrant) {
        self.store
            .report_subscribe_consents(person, &[(template.to_owned(), ConsentReport::Accepted(grant))])
            .await
            .expect("consent recorded");
    }

    /// (one-time grants, long-term) the ledger holds for the person and template.
    pub async fn consent_of(&self, person: &Actor, template: &str) -> (i32, bool) {
        let consents = self.store.subscribe_consents(person.person).await.expect("consents");
        consents.iter().find(|c| c.template == template).map_or((0, false), |c| (c.one_time_grants, c.long_term))
    }

    /// A topic about 锦绣花园 raised by `author` and co-signed by each of `co_signers`.
    pub async fn raise(&self, author: &Actor, co_signers: &[Actor]) -> TopicId {
        let input = NewTopic {
            place: self.compound,
            category: self.category,
            round: None,
            title: "楼道声控灯坏了，夜里看不清台阶".into(),
            description: "1号楼楼道的声控灯坏了半个月，老人夜里上下楼很危险，请尽快维修。".into(),
            location: None,
            photos: Vec::new(),
        };
        let topic = self.store.submit_topic(author, input).await.expect("topic submitted").topic.id;
        for co_signer in co_signers {
            self.store.co_sign_topic(co_signer, topic).await.expect("co-signed");
        }
        topic
    }

    /// `actor` accepts the topic for an online deliberation next week.
    pub async fn accept_as(&self, actor: &Actor, topic: TopicId) -> Result<TopicRecord> {
        self.store.accept_topic(actor, topic, online_plan(), None).await
    }

    /// `rc_staff` accepts the topic; it must be accepted.
    pub async fn accept(&self, topic: TopicId) {
        self.accept_as(&self.staff, topic).await.expect("topic accepted");
    }

    /// Every message in the outbox, as the city administrator lists them.
    pub async fn messages(&self) -> Vec<OutboxMessage> {
        self.store.outbox_messages(&self.admin, &OutboxFilter::default(), None, 1000).await.expect("messages")
    }

    /// The messages about one topic.
    pub async fn messages_about(&self, topic: TopicId) -> Vec<OutboxMessage> {
        let filter = OutboxFilter { topic: Some(topic), ..OutboxFilter::default() };
        self.store.outbox_messages(&self.admin, &filter, None, 1000).await.expect("messages")
    }

    /// A message and its attempts, oldest first.
    pub async fn message(&self, id: uuid::Uuid) -> (OutboxMessage, Vec<DeliveryAttempt>) {
        self.store.outbox_message(&self.admin, id).await.expect("message")
    }

    /// How many messages are in each status, for assertion messages.
    pub async fn statuses(&self) -> Vec<(MessageStatus, usize)> {
        let messages = self.messages().await;
        MessageStatus::ALL.into_iter().map(|s| (s, messages.iter().filter(|m| m.status == s).count())).collect()
    }
}

/// An online deliberation next week, led by the residents' committee.
pub fn online_plan() -> PlanDraft {
    PlanDraft {
        form: DeliberationForm::Online,
        parties: vec![Party::ResidentsCommittee],
        invitees: vec![],
        starts_on: NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
        ends_on: NaiveDate::from_ymd_opt(2026, 11, 30).expect("date"),
        major: false,
    }
}

/// The message ids, as the gateway sees them (`Idempotency-Key`), sorted.
pub fn ids(messages: &[OutboxMessage]) -> Vec<String> {
    let mut ids: Vec<String> = messages.iter().map(|m| m.id.to_string()).collect();
    ids.sort();
    ids
}

pub fn sorted(mut keys: Vec<String>) -> Vec<String> {
    keys.sort();
    keys
}
