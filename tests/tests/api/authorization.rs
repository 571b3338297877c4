//! Who may see and do what, by role and place, over HTTP on the demo world plus a second community.

use gongzhi_tests::graphql::{error_code, error_message};
use gongzhi_tests::{Backend, TestApp, spawn_app};
use serde_json::{Value, json};

const CREATE: &str = "mutation($parent: ID!, $kind: PlaceKind!, $name: String!, $area: String) {
  createPlace(input: { parentId: $parent, kind: $kind, name: $name, areaM2: $area }) { ok refusal { code } place { id name kind } } }";
const PERMISSIONS: &str = "query($id: ID!) { place(id: $id) { myPermissions { action role kind } } }";
const CLAIM: &str = "mutation($h: ID!, $r: ClaimRelation!) { claimHousehold(householdId: $h, relation: $r) { ok claim { id status } } }";

async fn create(app: &TestApp, token: &str, parent: &str, kind: &str, name: &str, area: Option<&str>) -> Value {
    app.gql(Some(token), CREATE, json!({ "parent": parent, "kind": kind, "name": name, "area": area })).await
}

/// The id of the record a mutation's payload carries under `record`.
fn id(body: &Value, field: &str, record: &str) -> String {
    body["data"][field][record]["id"].as_str().unwrap_or_else(|| panic!("no {field} id in {body}")).to_owned()
}

/// A second community under the same street, with one household, built by the street officer.
struct OtherCommunity {
    community: String,
    compound: String,
    household: String,
}

async fn other_community(app: &TestApp) -> OtherCommunity {
    let officer = app.login_as("street_officer").await;
    let street = app.place_id(&officer, &[]).await;
    let community = id(&create(app, &officer, &street, "COMMUNITY", "幸福社区", None).await, "createPlace", "place");
    let compound = id(&create(app, &officer, &community, "COMPOUND", "幸福家园", None).await, "createPlace", "place");
    let building = id(&create(app, &officer, &compound, "BUILDING", "1号楼", None).await, "createPlace", "place");
    let household =
        id(&create(app, &officer, &building, "HOUSEHOLD", "101", Some("88.00")).await, "createPlace", "place");
    OtherCommunity { community, compound, household }
}

async fn permissions(app: &TestApp, token: &str, place: &str) -> Vec<String> {
    let body = app.gql(Some(token), PERMISSIONS, json!({ "id": place })).await;
    body["data"]["place"]["myPermissions"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|p| match p["role"].as_str().or(p["kind"].as_str()) {
            Some(detail) => format!("{}:{}", p["action"].as_str().unwrap_or_default(), detail),
            None => p["action"].as_str().unwrap_or_default().to_owned(),
        })
        .collect()
}

#[tokio::test]
async fn a_resident_reads_their_own_register_but_not_a_neighbours_nor_another_communitys() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let other = other_community(&app).await;
    let resident = app.login_as("resident").await;
    let own = app.place_id(&resident, &["和平社区", "锦绣花园", "1号楼", "1单元102"]).await;
    let neighbour = app.place_id(&resident, &["和平社区", "锦绣花园", "1号楼", "1单元101"]).await;
    let register = "query($id: ID!) { place(id: $id) { name areaM2 members { role } } }";

    let mine = app.gql(Some(&resident), register, json!({ "id": own })).await;
    let next_door = app.gql(Some(&resident), register, json!({ "id": neighbour })).await;
    let elsewhere = app.gql(Some(&resident), register, json!({ "id": other.household })).await;

    assert_eq!(mine["data"]["place"]["areaM2"], "120.00", "{mine}");
    assert_eq!(mine["data"]["place"]["members"], json!([{ "role": "RESIDENT" }]));
    assert_eq!(next_door["data"]["place"]["name"], "1单元101", "the tree itself is public");
    assert_eq!(error_code(&next_door), Some("FORBIDDEN"), "{next_door}");
    assert_eq!(error_code(&elsewhere), Some("NOT_FOUND"), "{elsewhere}");
}

#[tokio::test]
async fn another_communitys_private_records_look_exactly_like_records_that_do_not_exist() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let other = other_community(&app).await;
    let login =
        app.gql(None, "mutation { loginWithWeChat(code: \"ok:oNewcomer0001\") { accessToken } }", json!({})).await;
    let newcomer = login["data"]["loginWithWeChat"]["accessToken"].as_str().expect("token").to_owned();
    let claim = app.gql(Some(&newcomer), CLAIM, json!({ "h": other.household, "r": "OWNER" })).await;
    let claim_id = id(&claim, "claimHousehold", "claim");
    let missing =
        gongzhi_api::graphql::ids::encode(gongzhi_api::graphql::ids::NodeType::HouseholdClaim, uuid::Uuid::now_v7());
    let node = "query($id: ID!) { node(id: $id) { id ... on HouseholdClaim { status } } }";
    let staff = app.login_as("rc_staff").await;

    let seen_by_claimant = app.gql(Some(&newcomer), node, json!({ "id": claim_id })).await;
    let real = app.gql(Some(&staff), node, json!({ "id": claim_id })).await;
    let fake = app.gql(Some(&staff), node, json!({ "id": missing })).await;
    let listing = app
        .gql(Some(&staff), "query($p: ID!) { pendingClaims(placeId: $p) { id } }", json!({ "p": other.community }))
        .await;

    assert_eq!(seen_by_claimant["data"]["node"]["status"], "PENDING");
    assert_eq!(error_code(&real), Some("NOT_FOUND"));
    assert_eq!(real["errors"][0]["message"], fake["errors"][0]["message"], "indistinguishable from a missing record");
    assert_eq!(error_code(&fake), Some("NOT_FOUND"));
    assert_eq!(error_code(&listing), Some("NOT_FOUND"), "{listing}");
}

#[tokio::test]
async fn the_residents_committee_acts_for_a_compound_without_a_functioning_owners_committee_and_only_there() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let other = other_community(&app).await;
    let staff = app.login_as("rc_staff").await;
    let chair = app.login_as("oc_chair").await;
    let jinxiu = app.place_id(&staff, &["和平社区", "锦绣花园"]).await;
    let laojie = app.place_id(&staff, &["和平社区", "老街小院"]).await;

    assert!(
        permissions(&app, &staff, &laojie).await.contains(&"ACT_FOR_OWNERS_COMMITTEE".to_owned()),
        "no committee: 代行"
    );
    assert!(
        !permissions(&app, &staff, &jinxiu).await.contains(&"ACT_FOR_OWNERS_COMMITTEE".to_owned()),
        "3 of 5 seats filled"
    );
    assert!(permissions(&app, &chair, &jinxiu).await.contains(&"ACT_FOR_OWNERS_COMMITTEE".to_owned()));
    assert!(permissions(&app, &staff, &other.compound).await.is_empty(), "nothing in another community");

    // The street revokes one member: 2 of 5 seats is fewer than half.
    let officer = app.login_as("street_officer").await;
    let holders = app
        .gql(
            Some(&officer),
            "query($id: ID!) { place(id: $id) { officeHolders { id role } } }",
            json!({ "id": jinxiu }),
        )
        .await;
    let member = holders["data"]["place"]["officeHolders"]
        .as_array()
        .expect("holders")
        .iter()
        .find(|h| h["role"] == "OWNERS_COMMITTEE_MEMBER")
        .expect("a member")["id"]
        .clone();
    let revoked = app
        .gql(
            Some(&officer),
            "mutation($g: ID!) { revokeRole(grantId: $g, reason: \"辞职\") { grant { revokedAt } } }",
            json!({ "g": member }),
        )
        .await;
    assert!(revoked["data"]["revokeRole"]["grant"]["revokedAt"].is_string(), "{revoked}");

    let committee = app
        .gql(
            Some(&staff),
            "query($id: ID!) { place(id: $id) { ownersCommittee { seats filled residentsCommitteeActs } } }",
            json!({ "id": jinxiu }),
        )
        .await;
    assert_eq!(
        committee["data"]["place"]["ownersCommittee"],
        json!({ "seats": 5, "filled": 2, "residentsCommitteeActs": true })
    );
    let staff_now = permissions(&app, &staff, &jinxiu).await;
    assert!(staff_now.contains(&"ACT_FOR_OWNERS_COMMITTEE".to_owned()));
    assert!(!permissions(&app, &chair, &jinxiu).await.contains(&"ACT_FOR_OWNERS_COMMITTEE".to_owned()));
    assert!(!staff_now.contains(&"SET_OWNERS_COMMITTEE".to_owned()), "代行 is not the street's filing power");
}

#[tokio::test]
async fn roles_are_granted_only_within_jurisdiction_and_by_those_entitled() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let other = other_community(&app).await;
    let staff = app.login_as("rc_staff").await;
    let jinxiu = app.place_id(&staff, &["和平社区", "锦绣花园"]).await;
    let building = app.place_id(&staff, &["和平社区", "锦绣花园", "2号楼"]).await;
    let resident_id =
        app.gql(Some(&app.login_as("resident").await), "{ me { id } }", json!({})).await["data"]["me"]["id"].clone();
    let grant = "mutation($p: ID!, $r: Role!, $at: ID!) { grantRole(input: { personId: $p, role: $r, placeId: $at }) { ok refusal { code } grant { id role grantedBy { name } } } }";

    let leader =
        app.gql(Some(&staff), grant, json!({ "p": resident_id, "r": "BUILDING_LEADER", "at": building })).await;
    let committee =
        app.gql(Some(&staff), grant, json!({ "p": resident_id, "r": "OWNERS_COMMITTEE_MEMBER", "at": jinxiu })).await;
    let elsewhere = app
        .gql(Some(&staff), grant, json!({ "p": resident_id, "r": "RESIDENTS_COMMITTEE_STAFF", "at": other.community }))
        .await;
    let wrong_kind =
        app.gql(Some(&staff), grant, json!({ "p": resident_id, "r": "BUILDING_LEADER", "at": jinxiu })).await;
    let twice = app.gql(Some(&staff), grant, json!({ "p": resident_id, "r": "BUILDING_LEADER", "at": building })).await;
    let by_resident = app
        .gql(
            Some(&app.login_as("resident").await),
            grant,
            json!({ "p": resident_id, "r": "BUILDING_LEADER", "at": building }),
        )
        .await;

    assert_eq!(leader["data"]["grantRole"]["grant"]["grantedBy"]["name"], "周主任", "{leader}");
    assert_eq!(error_code(&committee), Some("FORBIDDEN"));
    assert_eq!(error_code(&elsewhere), Some("FORBIDDEN"));
    assert_eq!(error_code(&wrong_kind), Some("BAD_USER_INPUT"));
    assert_eq!(twice["data"]["grantRole"]["refusal"]["code"], "role_already_held", "{twice}");
    assert_eq!(error_code(&by_resident), Some("FORBIDDEN"));
}

#[tokio::test]
async fn places_are_created_by_officers_and_staff_in_their_area_and_refusals_change_nothing() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let other = other_community(&app).await;
    let staff = app.login_as("rc_staff").await;
    let resident = app.login_as("resident").await;
    let community = app.place_id(&staff, &["和平社区"]).await;

    let by_staff = create(&app, &staff, &community, "COMPOUND", "新建小区", None).await;
    let by_resident = create(&app, &resident, &community, "COMPOUND", "我的小区", None).await;
    let in_other = create(&app, &staff, &other.compound, "BUILDING", "2号楼", None).await;
    let wrong_kind = create(&app, &staff, &community, "BUILDING", "楼", None).await;
    let no_area =
        create(&app, &staff, &app.place_id(&staff, &["和平社区", "老街小院", "1号楼"]).await, "HOUSEHOLD", "301", None)
            .await;
    let bad_area = create(
        &app,
        &staff,
        &app.place_id(&staff, &["和平社区", "老街小院", "1号楼"]).await,
        "HOUSEHOLD",
        "301",
        Some("-3"),
    )
    .await;

    assert_eq!(by_staff["data"]["createPlace"]["place"]["kind"], "COMPOUND");
    assert_eq!(error_code(&by_resident), Some("FORBIDDEN"));
    assert_eq!(error_code(&in_other), Some("FORBIDDEN"));
    assert_eq!(error_code(&wrong_kind), Some("BAD_USER_INPUT"));
    assert_eq!(error_message(&no_area), Some("房屋须登记专有部分面积"));
    assert_eq!(error_code(&bad_area), Some("BAD_USER_INPUT"));
    let children = app
        .gql(
            Some(&staff),
            "query($id: ID!) { place(id: $id) { children { edges { node { name } } } } }",
            json!({ "id": community }),
        )
        .await;
    let names: Vec<&str> = children["data"]["place"]["children"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter_map(|e| e["node"]["name"].as_str())
        .collect();
    assert_eq!(names, vec!["锦绣花园", "老街小院", "新建小区"], "the refused creations left nothing behind");
}

#[tokio::test]
async fn a_claim_confirmed_by_staff_makes_the_claimant_an_owner_who_then_reads_the_register() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let login =
        app.gql(None, "mutation { loginWithWeChat(code: \"ok:oOwnerToBe001\") { accessToken } }", json!({})).await;
    let claimant = login["data"]["loginWithWeChat"]["accessToken"].as_str().expect("token").to_owned();
    let staff = app.login_as("property_staff").await;
    let household = app.place_id(&staff, &["和平社区", "锦绣花园", "2号楼", "1单元102"]).await;
    let area = "query($id: ID!) { place(id: $id) { areaM2 } }";

    let before = app.gql(Some(&claimant), area, json!({ "id": household })).await;
    let claim_id =
        id(&app.gql(Some(&claimant), CLAIM, json!({ "h": household, "r": "OWNER" })).await, "claimHousehold", "claim");
    let by_leader = app
        .gql(
            Some(&app.login_as("building_leader").await),
            "mutation($c: ID!) { confirmClaim(claimId: $c) { claim { status } } }",
            json!({ "c": claim_id }),
        )
        .await;
    let pending = app
        .gql(
            Some(&staff),
            "query($p: ID!) { pendingClaims(placeId: $p) { id } }",
            json!({ "p": app.place_id(&staff, &["和平社区", "锦绣花园"]).await }),
        )
        .await;
    let confirmed = app
        .gql(
            Some(&staff),
            "mutation($c: ID!) { confirmClaim(claimId: $c) { claim { status } } }",
            json!({ "c": claim_id }),
        )
        .await;
    let after = app.gql(Some(&claimant), area, json!({ "id": household })).await;
    let roles = app.gql(Some(&claimant), "{ me { roles { role place { name } } claims { status } } }", json!({})).await;

    assert_eq!(error_code(&before), Some("NOT_FOUND"), "a stranger to the community: {before}");
    assert_eq!(error_code(&by_leader), Some("FORBIDDEN"));
    assert_eq!(pending["data"]["pendingClaims"], json!([{ "id": claim_id }]));
    assert_eq!(confirmed["data"]["confirmClaim"]["claim"]["status"], "CONFIRMED");
    assert_eq!(after["data"]["place"]["areaM2"], "98.45");
    assert_eq!(roles["data"]["me"]["roles"], json!([{ "role": "OWNER", "place": { "name": "1单元102" } }]));
    assert_eq!(roles["data"]["me"]["claims"], json!([{ "status": "CONFIRMED" }]));
}

#[tokio::test]
async fn the_same_refusals_hold_on_postgres() {
    let Some(app) = spawn_app(Backend::Postgres).await else { return };
    let other = other_community(&app).await;
    let resident = app.login_as("resident").await;
    let neighbour = app.place_id(&resident, &["和平社区", "锦绣花园", "1号楼", "1单元101"]).await;
    let register = "query($id: ID!) { place(id: $id) { areaM2 } }";

    assert_eq!(error_code(&app.gql(Some(&resident), register, json!({ "id": neighbour })).await), Some("FORBIDDEN"));
    assert_eq!(
        error_code(&app.gql(Some(&resident), register, json!({ "id": other.household })).await),
        Some("NOT_FOUND")
    );
}
