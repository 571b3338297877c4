//! Shared helpers for the vote tests. Store level: a demo world whose mock clock the test keeps, compounds
//! imported from a register built in code, a topic under deliberation and a vote opened on it. Over HTTP:
//! the demo parking topic of 锦绣花园 accepted for deliberation, votes opened on it, and one selection of a
//! vote's fields.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use gongzhi_domain::clock::MockClock;
use gongzhi_domain::ids::{PersonId, PlaceId, TopicId};
use gongzhi_domain::policy::Actor;
use gongzhi_domain::role::Role;
use gongzhi_domain::topic::{DeliberationForm, Party, PlanDraft};
use gongzhi_domain::vote::{Choice, StatutoryOutcome, VoteKind};
use gongzhi_infra::Store;
use gongzhi_infra::topics::NewTopic;
use gongzhi_infra::votes::{CastAs, NewVote, VoteRecord, VoteResult};
pub use gongzhi_tests::app::{demo_topic, person_id};
pub use gongzhi_tests::demo_actor;
use gongzhi_tests::{Backend, TestApp, TestDb, demo_store_on_clock};
use serde_json::{Value, json};

const COMMUNITY: [&str; 4] = ["邯郸市", "丛台区", "中华大街街道", "和平社区"];

/// The demo world on a fresh database, with the clock the store reads (2026-11-22 08:00 UTC at the start).
pub struct World {
    pub store: Store,
    pub clock: Arc<MockClock>,
    pub community: PlaceId,
    /// `rc_staff`, who leads the community's topics.
    pub staff: Actor,
    _db: TestDb,
}

pub async fn world(backend: Backend) -> Option<World> {
    let (store, clock, db) = demo_store_on_clock(backend).await?;
    let mut parent = None;
    for name in COMMUNITY {
        let children = store.children(parent, None, 100).await.expect("children");
        parent = Some(children.into_iter().find(|p| p.name == name).expect("demo place").id());
    }
    let community = parent.expect("和平社区");
    let staff = demo_actor(&store, "rc_staff").await;
    Some(World { store, clock, community, staff, _db: db })
}

/// One line of a register: building, unit, area in m², the owner's name and phone (none: the
/// developer's unit, marked so in the `developer` column), and whether the developer still holds it.
pub struct Line {
    pub building: String,
    pub unit: String,
    pub area: String,
    pub owner: Option<(String, String)>,
    pub developer: bool,
}

pub fn line(building: &str, unit: &str, area: &str, owner: Option<(&str, &str)>) -> Line {
    Line {
        building: building.to_owned(),
        unit: unit.to_owned(),
        area: area.to_owned(),
        owner: owner.map(|(name, phone)| (name.to_owned(), phone.to_owned())),
        developer: owner.is_none(),
    }
}

/// A unit whose owner the register does not know: neither an owner nor the developer's mark.
pub fn unknown_owner(building: &str, unit: &str, area: &str) -> Line {
    Line { developer: false, ..line(building, unit, area, None) }
}

/// A compound imported from a register: its units by (building, unit), its owners by phone.
pub struct Compound {
    pub id: PlaceId,
    units: HashMap<(String, String), PlaceId>,
    owners: HashMap<String, PersonId>,
}

impl Compound {
    pub fn unit(&self, building: &str, unit: &str) -> PlaceId {
        *self.units.get(&(building.to_owned(), unit.to_owned())).unwrap_or_else(|| panic!("no unit {building} {unit}"))
    }

    pub fn owner(&self, phone: &str) -> PersonId {
        *self.owners.get(phone).unwrap_or_else(|| panic!("no owner with phone {phone}"))
    }
}

/// Every child of a place, page by page.
async fn children(store: &Store, parent: PlaceId) -> Vec<gongzhi_infra::places::Place> {
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let page = store.children(Some(parent), after, 50).await.expect("children");
        let done = page.len() < 50;
        after = page.last().map(|p| p.id());
        all.extend(page);
        if done {
            return all;
        }
    }
}

/// Imports a new compound `name` under 和平社区 with these lines and finds its units and owners.
pub async fn import_compound(w: &World, name: &str, lines: &[Line]) -> Compound {
    let mut csv = String::from("compound,building,household,area_m2,owner_name,owner_phone,developer\n");
    for l in lines {
        let (owner, phone) = l.owner.clone().unwrap_or_default();
        let developer = if l.developer { "是" } else { "" };
        csv.push_str(&format!("{name},{},{},{},{owner},{phone},{developer}\n", l.building, l.unit, l.area));
    }
    w.store.import_register(w.community, csv.as_bytes()).await.expect("register imported");
    let compound = children(&w.store, w.community).await.into_iter().find(|p| p.name == name).expect("compound");
    let mut units = HashMap::new();
    for building in children(&w.store, compound.id()).await {
        for unit in children(&w.store, building.id()).await {
            units.insert((building.name.clone(), unit.name.clone()), unit.id());
        }
    }
    let mut owners = HashMap::new();
    for l in lines {
        let Some((_, phone)) = &l.owner else { continue };
        if owners.contains_key(phone) {
            continue;
        }
        let unit = units[&(l.building.clone(), l.unit.clone())];
        let members = w.store.household_members(&w.staff, unit).await.expect("members");
        for grant in members.into_iter().filter(|g| g.role == Role::Owner) {
            let person = w.store.person(grant.person).await.expect("person");
            if person.phone.as_deref() == Some(phone.as_str()) {
                owners.insert(phone.clone(), person.id);
            }
        }
        assert!(owners.contains_key(phone), "owner {phone} of {} {} not found", l.building, l.unit);
    }
    Compound { id: compound.id(), units, owners }
}

/// A topic about the compound, raised by `submitter` (one of its owners) and accepted by `rc_staff`.
pub async fn topic_under_deliberation(w: &World, compound: &Compound, submitter: PersonId) -> TopicId {
    let category = w.store.catalogue(w.community, false).await.expect("catalogue");
    let category = category.iter().find(|c| c.code.as_str() == "repairs").unwrap_or(&category[0]).id;
    let submitter = w.store.actor(submitter).await.expect("submitter");
    let record = w
        .store
        .submit_topic(
            &submitter,
            NewTopic {
                place: compound.id,
                category,
                round: None,
                title: "外墙渗水，申请使用维修资金".into(),
                description: "多户外墙渗水，建议业主共同决定维修方案。".into(),
                location: None,
                photos: Vec::new(),
            },
        )
        .await
        .expect("topic submitted");
    let plan = PlanDraft {
        form: DeliberationForm::Online,
        parties: vec![Party::ResidentsCommittee],
        invitees: vec![],
        starts_on: NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
        ends_on: NaiveDate::from_ymd_opt(2026, 11, 30).expect("date"),
        major: false,
    };
    w.store.accept_topic(&w.staff, record.topic.id, plan, None).await.expect("topic accepted");
    record.topic.id
}

/// A vote opened now by `rc_staff`, closing in a week, results shown as they come.
pub fn new_vote(w: &World, topic: TopicId, kind: VoteKind) -> NewVote {
    let now = gongzhi_domain::clock::Clock::now(w.clock.as_ref());
    NewVote {
        topic,
        kind,
        title: "维修资金表决".into(),
        opens_at: now,
        closes_at: now + Duration::days(7),
        hide_results: false,
        invitees: Vec::new(),
    }
}

pub async fn open_vote(w: &World, topic: TopicId, kind: VoteKind) -> VoteRecord {
    w.store.open_vote(&w.staff, new_vote(w, topic, kind)).await.expect("vote opened")
}

/// The person casts their own ballot, which must be taken.
pub async fn cast(w: &World, person: PersonId, vote: &VoteRecord, choice: Choice) {
    let actor = w.store.actor(person).await.expect("voter");
    w.store.cast_ballot(&actor, vote.id, choice, CastAs::Myself { household: None }).await.expect("ballot taken");
}

/// The outcome of an owners' vote, which must be visible.
pub async fn owners_outcome(w: &World, vote: &VoteRecord) -> StatutoryOutcome {
    match w.store.vote_result(vote).await.expect("result") {
        Some(VoteResult::Owners(outcome)) => *outcome,
        other => panic!("not an owners' result: {other:?}"),
    }
}

/// (share, threshold, met) of a criterion, as text, for compact assertions.
pub fn measured(c: gongzhi_domain::vote::Criterion) -> (String, String, bool) {
    (c.share.to_string(), c.threshold.to_string(), c.met)
}

// ---- Over HTTP ----

/// Every field of a vote the tests read.
pub const VOTE: &str = "fragment V on Vote {
  id type matter title opensAt closesAt hideResults isOpen myBallot
  result { verdict criteria { name share threshold met } counts { choice count areaM2 } electorateAreaM2 electorateHeads }
}";

pub const OPEN_VOTE: &str =
    "mutation($input: OpenVoteInput!) { openVote(input: $input) { ok refusal { code message } vote { ...V } } }";
pub const CAST_BALLOT: &str =
    "mutation($input: CastBallotInput!) { castBallot(input: $input) { ok refusal { code message } vote { ...V } } }";
pub const PAPER_BALLOT: &str = "mutation($input: PaperBallotInput!) {
  enterPaperBallot(input: $input) { ok refusal { code message } vote { ...V } }
}";

/// Runs a vote query or mutation (with the vote fragment) and returns the whole response.
pub async fn vote_gql(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    app.gql(Some(token), &format!("{query}\n{VOTE}"), variables).await
}

/// The vote as this person sees it through `node(id)`; it must be visible.
pub async fn vote_node(app: &TestApp, token: &str, id: &str) -> Value {
    let body = vote_gql(app, token, "query($id: ID!) { node(id: $id) { ...V } }", json!({ "id": id })).await;
    let vote = &body["data"]["node"];
    assert!(vote["id"].is_string(), "vote not visible: {body}");
    vote.clone()
}

/// The demo parking topic of 锦绣花园 (by `resident`), accepted for deliberation by `rc_staff`.
pub async fn jinxiu_topic(app: &TestApp, staff: &str) -> String {
    let topic = demo_topic(app, staff, "电动车").await;
    let body = app
        .gql(
            Some(staff),
            "mutation($t: ID!, $plan: PlanInput!) { acceptTopic(topicId: $t, plan: $plan) { ok refusal { code } } }",
            json!({
                "t": topic,
                "plan": {
                    "form": "ONLINE",
                    "parties": ["RESIDENTS_COMMITTEE"],
                    "startsOn": "2026-11-23",
                    "endsOn": "2026-11-30",
                },
            }),
        )
        .await;
    assert_eq!(body["data"]["acceptTopic"]["ok"], true, "not accepted: {body}");
    topic
}

pub fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The app's clock now.
pub fn now(app: &TestApp) -> DateTime<Utc> {
    gongzhi_domain::clock::Clock::now(app.clock.as_ref())
}

/// Opens a vote as `token` and returns the whole response.
pub async fn open_vote_http(app: &TestApp, token: &str, input: Value) -> Value {
    vote_gql(app, token, OPEN_VOTE, json!({ "input": input })).await
}

/// The input of an owners' vote on `topic` open from `opens` to `closes` hours from now.
pub fn owners_vote_input(app: &TestApp, topic: &str, matter: &str, opens: i64, closes: i64) -> Value {
    let now = now(app);
    json!({
        "topicId": topic,
        "type": "OWNERS",
        "matter": matter,
        "title": "电动车停放区与充电桩",
        "opensAt": rfc3339(now + Duration::hours(opens)),
        "closesAt": rfc3339(now + Duration::hours(closes)),
    })
}

/// Opens a vote that must be opened and returns its id.
pub async fn opened(app: &TestApp, token: &str, input: Value) -> String {
    let body = open_vote_http(app, token, input).await;
    body["data"]["openVote"]["vote"]["id"].as_str().unwrap_or_else(|| panic!("vote not opened: {body}")).to_owned()
}

/// Casts a ballot as `token` and returns the whole response.
pub async fn cast_http(app: &TestApp, token: &str, input: Value) -> Value {
    vote_gql(app, token, CAST_BALLOT, json!({ "input": input })).await
}

/// The ballot payload of a response that must have one.
pub fn ballot_payload(body: &Value) -> &Value {
    body["data"]
        .as_object()
        .and_then(|fields| fields.values().next())
        .filter(|payload| !payload.is_null())
        .unwrap_or_else(|| panic!("no payload: {body}"))
}

/// The vote of a ballot that must have been taken.
pub fn taken(body: &Value) -> &Value {
    let payload = ballot_payload(body);
    assert_eq!(payload["ok"], true, "the ballot was refused: {body}");
    assert!(payload["refusal"].is_null(), "{body}");
    &payload["vote"]
}

/// The refusal code of a ballot that must have been refused.
pub fn refusal(body: &Value) -> &str {
    let payload = ballot_payload(body);
    assert_eq!(payload["ok"], false, "the ballot was not refused: {body}");
    payload["refusal"]["code"].as_str().unwrap_or_else(|| panic!("no refusal code: {body}"))
}

/// (count, areaM2) of one choice in a result.
pub fn count_of(result: &Value, choice: &str) -> (u64, Value) {
    let count = result["counts"]
        .as_array()
        .unwrap_or_else(|| panic!("no counts: {result}"))
        .iter()
        .find(|c| c["choice"] == choice)
        .unwrap_or_else(|| panic!("no count for {choice}: {result}"));
    (count["count"].as_u64().expect("count"), count["areaM2"].clone())
}

/// Whether the criterion of this name was met.
pub fn met(result: &Value, name: &str) -> bool {
    result["criteria"]
        .as_array()
        .unwrap_or_else(|| panic!("no criteria: {result}"))
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no criterion {name}: {result}"))["met"]
        .as_bool()
        .expect("met")
}
