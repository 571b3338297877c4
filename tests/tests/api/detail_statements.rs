//! Detail lists cost a fixed number of SQL statements, however many parents a list holds: a feed's topics
//! with their tasks, votes, meetings, timelines, requests, ratings and the first page of their opinion
//! threads; a street's communities with their office holders, grids (with their buildings) and children; a
//! building's households with their members; a community's grids with their buildings. Each relation is
//! read for the whole list at once (a DataLoader over one batch statement), never once per parent.
//!
//! Counted as in `read_path_statements`: every statement the app's store runs while one `POST /graphql` is
//! served. The bounds below are the sum of one statement per relation the selection reaches, plus the
//! request's own (the session with the caller's grants, and the list's parent). Before these relations
//! had loaders, the same requests cost 208–226 statements for 10 topics and 982–1,008 for 50 (without the
//! threads), 15–18 for 3 households and 99–122 for 30.
//!
//! Batching must not change what anyone sees: each list of topics is also compared, row by row, with the
//! same selection read through `node(id)` one topic at a time; the timeline's rules (staff-only events,
//! residents' own steps shown without their name to neighbours) are checked in a list where they differ
//! from row to row; and a thread's first page read for several topics at once is compared with the page
//! each viewer reads alone.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use gongzhi_api::graphql::ids::{NodeType, encode};
use gongzhi_domain::ids::{PersonId, PlaceId, TopicId};
use gongzhi_domain::place::PlaceKind;
use gongzhi_domain::role::Role;
use gongzhi_infra::demo::cast_id;
use gongzhi_infra::places::PlaceInput;
use gongzhi_infra::topics::Standing;
use gongzhi_tests::app::person_id;
use gongzhi_tests::{Backend, TestApp, on_both, spawn_app_with};
use serde_json::{Value, json};

use crate::pipeline_support::{category, co_sign, demo, raise, topic_input};

/// What a detail view of a topic shows of its relations (every relation a topic has, and theirs).
const TOPIC_DETAILS: &str = "fragment D on Topic {
  id
  tasks { id title state owner dueAt }
  votes { id title isOpen myBallot result { verdict counts { choice count } } }
  meetings {
    id title scheduledBy { name }
    invitees { person { name } capacity }
    attendees { person { name } }
    minutes { version text writtenBy { name } }
    minutesVersions { version }
    topic { id title }
  }
  timeline { kind visibility actor { id name } }
  requests { id kind status }
  ratings { count byScore mean }
  myRating
  opinions(first: 5) {
    stanceCounts { for against neutral } hiddenCount
    pageInfo { hasNextPage }
    edges { node {
      id stance text hidden reportCount reportedByMe author { name } hiding { reason hiddenBy { name } }
      reports { reason } replies { id text author { name } reports { reason } }
    } }
  }
}";

/// The demo world with the complexity limit lifted: these selections ask for every relation of 50 rows,
/// more than the limit lets a client ask at once; the statements they cost are what is measured here.
async fn spawn(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |settings| {
        settings.graphql.max_complexity = 1_000_000;
        settings.graphql.max_depth = 20;
        // Every read counts its session and place statements, so costs compare whatever the authority
        // snapshot holds (tests/tests/api/authority_snapshot.rs measures what it saves).
        settings.cache.authority_seconds = 0;
        // The log's consumers (live updates, partners' webhooks) run statements of their own after each
        // write, on the same store: they are not the read's cost.
        settings.events.pump_in_serve = false;
    })
    .await
}

/// Runs a query and returns the response and the statements it cost; the response must have no errors.
async fn counted(app: &TestApp, token: &str, query: &str, variables: Value) -> (Value, u64) {
    let before = app.store.statements_run();
    let body = app.gql(Some(token), query, variables).await;
    let cost = app.store.statements_run() - before;
    assert!(body.get("errors").is_none(), "{body}");
    (body, cost)
}

fn edges(connection: &Value) -> Vec<Value> {
    connection["edges"].as_array().cloned().unwrap_or_default()
}

fn nodes(list: &Value) -> Vec<Value> {
    list["edges"].as_array().unwrap_or_else(|| panic!("no edges: {list}")).iter().map(|e| e["node"].clone()).collect()
}

/// Each node of a list as `node(id)` shows it alone, with the same selection (`fragment`, named `D`).
async fn each_alone(app: &TestApp, token: &str, fragment: &str, listed: &[Value]) {
    let query = format!("query($id: ID!) {{ node(id: $id) {{ ...D }} }}\n{fragment}");
    for row in listed {
        let alone = app.gql(Some(token), &query, json!({ "id": row["id"] })).await;
        assert!(alone.get("errors").is_none(), "{alone}");
        assert_eq!(&alone["data"]["node"], row, "a row of a list shows what the record shows alone");
    }
}

fn assert_flat(what: &str, costs: &[u64], bound: u64) {
    eprintln!("{what}: {costs:?} statements");
    assert!(costs.iter().all(|c| *c == costs[0]), "{what}: a longer list must not cost more statements: {costs:?}");
    assert!(costs[0] <= bound, "{what}: {costs:?} statements, more than {bound}");
}

/// For pages read as (shorter, longer) pairs through the read cache, where a later hit may find its
/// relations kept and cost less: the longer never costs more than the shorter read just before it.
fn assert_no_more_for_longer(what: &str, costs: &[u64], bound: u64) {
    eprintln!("{what}: {costs:?} statements");
    let pairs: Vec<&[u64]> = costs.chunks(2).collect();
    assert!(pairs.iter().all(|p| p[1] <= p[0]), "{what}: a longer list must not cost more statements: {costs:?}");
    assert!(costs.iter().all(|c| *c <= bound), "{what}: {costs:?} statements, more than {bound}");
}

// ---- Topics ----

struct Topics {
    compound: String,
    resident: String,
    staff: String,
    /// The three newest, taken through deliberation: a meeting with minutes and a vote each; the newest
    /// is resolved and implemented by two tasks, the other two have opinion threads (one opinion hidden,
    /// one reported, one with a reply).
    detailed: Vec<String>,
}

/// 50 topics in 锦绣花园 (the demo has one more) raised in turn by the resident and the owner, the owner's
/// co-signed by the resident; the three newest with meetings, votes, tasks and opinions.
async fn fifty_topics(app: &TestApp) -> Topics {
    let places = demo(app).await;
    let staff = app.login_as("rc_staff").await;
    let resident = app.login_as("resident").await;
    let owner = app.login_as("owner").await;
    let repairs = category(app, &staff, &places.community, "repairs").await;
    let mut raised = Vec::new();
    for n in 0..50 {
        let (author, place) = if n % 2 == 0 { (&resident, &places.jinxiu) } else { (&owner, &places.jinxiu_1) };
        let topic = raise(app, author, topic_input(place, &repairs, &format!("第{n}号议题：楼道灯不亮"))).await;
        if n % 2 == 1 {
            co_sign(app, &resident, &topic).await;
        }
        raised.push(topic);
    }
    let detailed: Vec<String> = raised.iter().rev().take(3).cloned().collect();
    let lawyer = person_id(app, &app.login_as("lawyer").await).await;
    let mut meetings = Vec::new();
    for topic in &detailed {
        run(
            app,
            &staff,
            ACCEPT,
            json!({ "t": topic, "plan": {
            "form": "COORDINATION_MEETING", "parties": ["RESIDENTS_COMMITTEE", "PROPERTY_COMPANY"],
            "startsOn": "2026-11-23", "endsOn": "2026-11-30" } }),
        )
        .await;
        let meeting = run(app, &staff, SCHEDULE, json!({ "i": {
            "topicId": topic, "title": "楼道照明协调会", "form": "COORDINATION_MEETING", "startsAt": at(app, 1),
            "endsAt": at(app, 3), "location": "社区会议室", "invitees": [{ "personId": lawyer, "capacity": "LAWYER" }] } }))
        .await;
        meetings.push(meeting["meeting"]["id"].clone());
        let vote = app
            .gql(
                Some(&staff),
                OPEN_VOTE,
                json!({ "i": {
            "topicId": topic, "type": "OWNERS", "matter": "OTHER_MAJOR_MATTER", "title": "更换楼道灯",
            "opensAt": at(app, 0), "closesAt": at(app, 24 * 7) } }),
            )
            .await;
        let vote = &vote["data"]["openVote"]["vote"]["id"];
        assert!(vote.is_string(), "vote not opened");
        run(app, &owner, CAST, json!({ "v": vote })).await;
    }
    for topic in &detailed[1..] {
        let mine =
            run(app, &resident, POST, json!({ "i": { "topicId": topic, "stance": "FOR", "text": "赞成尽快更换。" } }));
        let mine = mine.await["opinion"]["id"].clone();
        let theirs = run(
            app,
            &owner,
            POST,
            json!({ "i": { "topicId": topic, "stance": "AGAINST", "text": "费用应由物业承担。" } }),
        );
        let theirs = theirs.await["opinion"]["id"].clone();
        run(app, &owner, REPLY, json!({ "i": { "opinionId": mine, "text": "同意，但要公示费用。" } })).await;
        run(app, &resident, REPORT, json!({ "i": { "opinionId": theirs, "reason": "与议题无关" } })).await;
        if topic == &detailed[2] {
            run(app, &staff, HIDE, json!({ "i": { "opinionId": theirs, "reason": "与议题无关" } })).await;
        }
    }
    app.clock.advance(Duration::hours(2));
    let staff = app.login_as("rc_staff").await;
    let resident = app.login_as("resident").await;
    for meeting in &meetings {
        let minutes = json!({ "i": { "meetingId": meeting, "text": "物业同意一周内更换灯管。", "attachments": [] } });
        run(app, &staff, MINUTES, minutes).await;
    }
    run(app, &staff, RESOLVE, json!({ "t": detailed[0] })).await;
    run(app, &staff, IMPLEMENT, json!({ "t": detailed[0], "due": at(app, 24 * 7) })).await;
    Topics { compound: places.jinxiu, resident, staff, detailed }
}

const ACCEPT: &str = "mutation($t: ID!, $plan: PlanInput!) { acceptTopic(topicId: $t, plan: $plan) { ok } }";
const SCHEDULE: &str = "mutation($i: ScheduleMeetingInput!) { scheduleMeeting(input: $i) { ok meeting { id } } }";
const OPEN_VOTE: &str = "mutation($i: OpenVoteInput!) { openVote(input: $i) { vote { id } } }";
const CAST: &str = "mutation($v: ID!) { castBallot(input: { voteId: $v, choice: FOR }) { ok } }";
const POST: &str = "mutation($i: PostOpinionInput!) { postOpinion(input: $i) { ok opinion { id } } }";
const REPLY: &str = "mutation($i: ReplyToOpinionInput!) { replyToOpinion(input: $i) { ok } }";
const REPORT: &str = "mutation($i: OpinionReasonInput!) { reportOpinion(input: $i) { ok } }";
const HIDE: &str = "mutation($i: OpinionReasonInput!) { hideOpinion(input: $i) { ok } }";
const MINUTES: &str = "mutation($i: WriteMinutesInput!) { writeMeetingMinutes(input: $i) { ok } }";
const RESOLVE: &str =
    "mutation($t: ID!) { resolveTopic(topicId: $t, decision: \"更换灯管\", minutes: \"同意\") { ok } }";
const IMPLEMENT: &str = "mutation($t: ID!, $due: DateTime!) { startImplementation(topicId: $t, tasks: [
  { owner: PROPERTY_COMPANY, title: \"更换灯管\", criteria: \"照明正常\", dueAt: $due },
  { owner: OWNERS_COMMITTEE, title: \"监督施工\", criteria: \"记录在案\", dueAt: $due }]) { ok } }";

/// The app's clock `hours` from now, as the API takes it.
fn at(app: &TestApp, hours: i64) -> String {
    (gongzhi_domain::clock::Clock::now(app.clock.as_ref()) + Duration::hours(hours)).to_rfc3339()
}

/// Runs a mutation that must not be refused (nor fail) and returns its payload.
async fn run(app: &TestApp, token: &str, mutation: &str, variables: Value) -> Value {
    let body = app.gql(Some(token), mutation, variables).await;
    let payload = body["data"].as_object().and_then(|fields| fields.values().next()).cloned().unwrap_or_default();
    assert!(payload["ok"] == true || payload["id"].is_string(), "{mutation} refused: {body}");
    payload
}

fn feed_query() -> String {
    format!(
        "query($p: ID!, $first: Int) {{ topics(placeId: $p, first: $first) {{ edges {{ node {{ ...D }} }} }} }}\n{TOPIC_DETAILS}"
    )
}

on_both!(a_feed_of_fifty_topics_with_their_details_costs_the_same_statements_as_a_feed_of_ten, |backend| async move {
    // Arrange
    let Some(app) = spawn(backend).await else { return };
    let topics = fifty_topics(&app).await;
    let query = feed_query();

    for (viewer, token) in [("resident", &topics.resident), ("staff", &topics.staff)] {
        // Act: pages of 10 and 50 (with the read cache: a miss, then a hit).
        let mut costs = Vec::new();
        let mut largest = Vec::new();
        for first in [10, 50, 10, 50] {
            let (body, cost) = counted(&app, token, &query, json!({ "p": topics.compound, "first": first })).await;
            largest = nodes(&body["data"]["topics"]);
            assert_eq!(largest.len(), first);
            costs.push(cost);
        }

        // Assert: the same few statements for any page, and each row as the topic shows alone.
        assert_no_more_for_longer(&format!("{backend:?}, feed with details, {viewer}"), &costs, TOPIC_DETAIL_BOUND);
        let detailed: Vec<&Value> = largest
            .iter()
            .filter(|t| topics.detailed.contains(&t["id"].as_str().unwrap_or_default().to_owned()))
            .collect();
        assert_eq!(detailed.len(), 3);
        assert!(detailed.iter().all(|t| t["meetings"][0]["minutes"]["version"] == 1), "{detailed:?}");
        assert!(detailed.iter().all(|t| t["votes"][0]["result"]["verdict"].is_string()), "{detailed:?}");
        assert!(detailed.iter().any(|t| t["tasks"].as_array().is_some_and(|tasks| tasks.len() == 2)), "{detailed:?}");
        let threads: Vec<&Value> = detailed.iter().map(|t| &t["opinions"]).filter(|o| !edges(o).is_empty()).collect();
        assert_eq!(threads.len(), 2, "{detailed:?}");
        let reports = |thread: &&Value| edges(thread).iter().map(|o| o["node"]["reports"].clone()).collect::<Vec<_>>();
        if viewer == "staff" {
            assert!(threads.iter().any(|t| t["hiddenCount"] == 1), "moderators count hidden opinions: {threads:?}");
            assert!(threads.iter().flat_map(reports).any(|r| r == json!([{ "reason": "与议题无关" }])), "{threads:?}");
        } else {
            assert!(threads.iter().all(|t| t["hiddenCount"].is_null()), "{threads:?}");
            assert!(threads.iter().flat_map(reports).all(|r| r.is_null()), "reports are for moderators: {threads:?}");
        }
        each_alone(&app, token, TOPIC_DETAILS, &largest).await;
    }
});

/// Session with grants (1), the feed's place (1), the page (1) and its rows' place contexts (1); tasks,
/// votes, meetings with their lists, timelines, requests, ratings summaries and my ratings (1 each); the
/// first page of each opinion thread (at most 6: opinions, replies, report counts, my reports, stance
/// counts, hidden counts); then what those hold: the votes' results (at most 3: the votes, their sums,
/// the invitees of meeting votes), my ballots, the minutes, the opinions' reports and the people named
/// (1 each).
const TOPIC_DETAIL_BOUND: u64 = 24;

on_both!(a_list_of_topics_shows_each_row_the_timeline_the_viewers_standing_allows, |backend| async move {
    // Arrange: topics raised by the resident and by the owner, the owner's co-signed by the resident.
    let Some(app) = spawn(backend).await else { return };
    let topics = fifty_topics(&app).await;
    let resident = person_id(&app, &topics.resident).await;
    let query = "query($p: ID!) { topics(placeId: $p, first: 50) { edges { node { submittedByMe timeline { kind visibility actor { id } } } } } }";

    // Act
    let (as_resident, _) = counted(&app, &topics.resident, query, json!({ "p": topics.compound })).await;
    let (as_staff, _) = counted(&app, &topics.staff, query, json!({ "p": topics.compound })).await;

    // Assert: a neighbour's own steps are nameless to the resident, theirs are not; staff-only events
    // (co-signatures) are for staff, who see every name.
    let submitted_by = |topic: &Value| -> Value {
        topic["timeline"]
            .as_array()
            .and_then(|t| t.iter().find(|e| e["kind"] == "submitted"))
            .map(|e| e["actor"]["id"].clone())
            .unwrap_or_default()
    };
    let kinds = |topic: &Value| -> Vec<String> {
        topic["timeline"]
            .as_array()
            .map(|t| t.iter().filter_map(|e| e["kind"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    };
    let resident_rows = nodes(&as_resident["data"]["topics"]);
    assert_eq!(resident_rows.len(), 50);
    for row in &resident_rows {
        if row["submittedByMe"] == true {
            assert_eq!(submitted_by(row), json!(resident), "the resident sees their own name: {row}");
        } else {
            assert!(submitted_by(row).is_null(), "a neighbour's name is not shown: {row}");
        }
        assert!(!kinds(row).contains(&"co_signed".to_owned()), "co-signatures are staff-only: {row}");
        assert!(row["timeline"].as_array().is_some_and(|t| t.iter().all(|e| e["visibility"] == "PUBLIC")), "{row}");
    }
    assert!(
        resident_rows.iter().any(|r| r["submittedByMe"] == true)
            && resident_rows.iter().any(|r| r["submittedByMe"] == false)
    );
    let staff_rows = nodes(&as_staff["data"]["topics"]);
    assert!(staff_rows.iter().all(|row| submitted_by(row).is_string()), "staff see who raised each topic");
    let co_signed = staff_rows.iter().filter(|row| kinds(row).contains(&"co_signed".to_owned())).count();
    assert_eq!(co_signed, 25, "staff see the co-signatures");
    let co_signer = staff_rows
        .iter()
        .flat_map(|row| row["timeline"].as_array().cloned().unwrap_or_default())
        .find(|e| e["kind"] == "co_signed")
        .map(|e| e["actor"]["id"].clone());
    assert_eq!(co_signer, Some(json!(resident)));
});

on_both!(a_threads_first_page_read_for_a_list_is_the_page_each_viewer_reads_alone, |backend| async move {
    // Arrange: two threads, one with a hidden opinion, each with a report and a reply.
    let Some(app) = spawn(backend).await else { return };
    let topics = fifty_topics(&app).await;
    let ids: Vec<TopicId> = topics.detailed.iter().map(|id| topic_id(id)).collect();

    for handle in ["rc_staff", "resident", "owner", "oc_member"] {
        let actor = app.store.actor(who(handle)).await.expect("actor");
        let mut standings = Vec::new();
        for id in &ids {
            let record = app.store.topic(&actor, *id).await.expect("visible");
            let place = record.topic.place.id();
            let contexts = app.store.place_contexts(&[place]).await.expect("context");
            standings.push(Standing::of(&actor, *id, &contexts[&place]).expect("standing"));
        }

        // Act: every thread's first page at once, and each one alone.
        for limit in [1, 5] {
            let together = app.store.first_threads(&standings, limit).await.expect("first pages");

            // Assert: the same opinions, replies, counts and flags for every viewer.
            for standing in &standings {
                let alone = app.store.opinions(&actor, standing.topic(), None, limit).await.expect("alone");
                assert_eq!(together.get(standing), Some(&alone), "{handle}, first {limit}");
            }
        }
    }
});

/// The topic a global id names (`Topic:<uuid>`, base64url).
fn topic_id(global: &str) -> TopicId {
    let text = URL_SAFE_NO_PAD.decode(global).ok().and_then(|bytes| String::from_utf8(bytes).ok()).unwrap_or_default();
    let uuid = text.strip_prefix("Topic:").and_then(|uuid| uuid.parse().ok()).expect("a topic's global id");
    TopicId::from_uuid(uuid)
}

// ---- Places ----

fn input(name: &str) -> PlaceInput {
    PlaceInput { name: name.to_owned(), ..PlaceInput::default() }
}

fn who(handle: &str) -> PersonId {
    cast_id(handle).expect("demo handle")
}

fn global(id: PlaceId) -> String {
    encode(NodeType::Place, id.as_uuid()).to_string()
}

/// The demo's 中华大街街道, 和平社区 and 锦绣花园 1号楼.
async fn demo_places(app: &TestApp) -> (PlaceId, PlaceId, PlaceId) {
    let mut parent = None;
    let mut found = Vec::new();
    for name in ["邯郸市", "丛台区", "中华大街街道", "和平社区", "锦绣花园", "1号楼"] {
        let children = app.store.children(parent, None, 100).await.expect("children");
        let place = children.into_iter().find(|p| p.name == name).expect("demo place").id();
        found.push(place);
        parent = Some(place);
    }
    (found[2], found[3], found[5])
}

/// A building of `households` households under the compound, each with an owner and a resident.
async fn building_of(app: &TestApp, compound: PlaceId, name: &str, households: usize) -> PlaceId {
    let store = &app.store;
    let building = store.create_place_as_operator(compound, PlaceKind::Building, input(name)).await.expect("building");
    for n in 0..households {
        let unit = PlaceInput { name: format!("{}室", 101 + n), code: None, area_m2: Some("88.50".into()) };
        let household = store.create_place_as_operator(building, PlaceKind::Household, unit).await.expect("household");
        store.grant_role_as_operator(who("old_owner"), Role::Owner, household).await.expect("owner");
        store.grant_role_as_operator(who("lawyer"), Role::Resident, household).await.expect("resident");
    }
    building
}

/// A community under the street with a staff member, a compound of two buildings (one with a leader)
/// and a grid holding both.
async fn community_of(app: &TestApp, street: PlaceId, name: &str) -> PlaceId {
    let store = &app.store;
    let officer = store.actor(who("district_officer")).await.expect("officer");
    let community = store.create_place_as_operator(street, PlaceKind::Community, input(name)).await.expect("community");
    store
        .grant_role_as_operator(who("party_secretary"), Role::ResidentsCommitteeStaff, community)
        .await
        .expect("staff");
    let compound =
        store.create_place_as_operator(community, PlaceKind::Compound, input("幸福里")).await.expect("compound");
    let grid = store.create_grid(&officer, community, "第一网格").await.expect("grid");
    for building in ["1号楼", "2号楼"] {
        let building =
            store.create_place_as_operator(compound, PlaceKind::Building, input(building)).await.expect("building");
        store.assign_building_to_grid(&officer, grid.id, building).await.expect("assigned");
    }
    community
}

const HOUSEHOLDS: &str = "query($id: ID!) { place(id: $id) { children(first: 50) { edges { node {
  id name areaM2 members { role person { name } grantedBy { name } place { name } }
} } } } }";

on_both!(
    a_buildings_households_with_their_members_cost_the_same_statements_for_three_as_for_thirty,
    |backend| async move {
        // Arrange
        let Some(app) = spawn(backend).await else { return };
        let (_, _, jinxiu_1) = demo_places(&app).await;
        let compound = app.store.place(jinxiu_1).await.expect("building").ancestry.parent_id().expect("compound");
        let small = building_of(&app, compound, "3号楼", 3).await;
        let large = building_of(&app, compound, "4号楼", 30).await;
        let staff = app.login_as("rc_staff").await;

        // Act
        let mut costs = Vec::new();
        for building in [small, large, small, large] {
            let (body, cost) = counted(&app, &staff, HOUSEHOLDS, json!({ "id": global(building) })).await;
            let households = nodes(&body["data"]["place"]["children"]);
            assert!(households.iter().all(|h| h["members"].as_array().is_some_and(|m| m.len() == 2)), "{body}");
            costs.push(cost);
        }

        // Assert: session (1), the building (1), its page of households (1), their contexts for the register
        // check (1), the members (1), the people named (1).
        assert_flat(&format!("{backend:?}, households with members"), &costs, 6);
    }
);

const COMMUNITIES: &str = "query($id: ID!) { place(id: $id) { children(first: 50) { edges { node {
  id name
  officeHolders { role person { name } }
  grids { name buildings { name parent { name } } }
  children(first: 10) { edges { node {
    name kind officeHolders { role }
    children(first: 10) { edges { node { name } } }
  } } }
} } } } }";

on_both!(
    a_streets_communities_with_their_offices_grids_and_children_cost_the_same_statements_for_two_as_for_twelve,
    |backend| async move {
        // Arrange: two streets, of two and of twelve communities alike.
        let Some(app) = spawn(backend).await else { return };
        let (street, _, _) = demo_places(&app).await;
        let district = app.store.place(street).await.expect("street").ancestry.parent_id().expect("district");
        let mut streets = Vec::new();
        for (name, communities) in [("光明街道", 2), ("和谐街道", 12)] {
            let street =
                app.store.create_place_as_operator(district, PlaceKind::Street, input(name)).await.expect("street");
            for n in 0..communities {
                community_of(&app, street, &format!("第{n}社区")).await;
            }
            streets.push(street);
        }
        let officer = app.login_as("district_officer").await;

        // Act
        let mut costs = Vec::new();
        for street in [streets[0], streets[1], streets[0], streets[1]] {
            let (body, cost) = counted(&app, &officer, COMMUNITIES, json!({ "id": global(street) })).await;
            let communities = nodes(&body["data"]["place"]["children"]);
            assert!(
                communities.iter().all(|c| c["grids"][0]["buildings"].as_array().is_some_and(|b| b.len() == 2)),
                "{body}"
            );
            assert!(communities.iter().all(|c| c["officeHolders"].as_array().is_some_and(|o| o.len() == 1)), "{body}");
            costs.push(cost);
        }

        // Assert: session (1), the street (1), its communities (1), their contexts (1) and office holders (1),
        // grids (1), buildings (1) and their parents (1), compounds (1) with their contexts (1) and office
        // holders (1), buildings (1).
        assert_flat(&format!("{backend:?}, communities with offices, grids and children"), &costs, 12);
    }
);

const GRIDS: &str = "query($id: ID!) { place(id: $id) { grids { id name community { name } buildings { id name } } } }";

on_both!(
    a_communitys_grids_with_their_buildings_cost_the_same_statements_for_two_as_for_twelve,
    |backend| async move {
        // Arrange: two communities, of two and of twelve grids of two buildings each.
        let Some(app) = spawn(backend).await else { return };
        let (street, _, _) = demo_places(&app).await;
        let officer = app.store.actor(who("street_officer")).await.expect("officer");
        let mut communities = Vec::new();
        for (name, grids) in [("东风社区", 2), ("向阳社区", 12)] {
            let community =
                app.store.create_place_as_operator(street, PlaceKind::Community, input(name)).await.expect("community");
            let compound = app
                .store
                .create_place_as_operator(community, PlaceKind::Compound, input("花园"))
                .await
                .expect("compound");
            for n in 0..grids {
                let grid = app.store.create_grid(&officer, community, &format!("第{n}网格")).await.expect("grid");
                for b in 0..2 {
                    let building = app
                        .store
                        .create_place_as_operator(compound, PlaceKind::Building, input(&format!("{n}-{b}号楼")))
                        .await
                        .expect("building");
                    app.store.assign_building_to_grid(&officer, grid.id, building).await.expect("assigned");
                }
            }
            communities.push(community);
        }
        let token = app.login_as("street_officer").await;

        // Act
        let mut costs = Vec::new();
        for community in [communities[0], communities[1], communities[0], communities[1]] {
            let (body, cost) = counted(&app, &token, GRIDS, json!({ "id": global(community) })).await;
            let grids = body["data"]["place"]["grids"].as_array().cloned().unwrap_or_default();
            assert!(grids.iter().all(|g| g["buildings"].as_array().is_some_and(|b| b.len() == 2)), "{body}");
            costs.push(cost);
        }

        // Assert: session (1), the community (1), its grids (1), their buildings (1).
        assert_flat(&format!("{backend:?}, grids with buildings"), &costs, 4);
    }
);
