//! The topic feed over HTTP: filters by stage, category and text, the three orders paged by keyset
//! cursors, counts by stage, one's own topics, and who may list which place's topics.

use chrono::Duration;
use gongzhi_tests::graphql::{error_code, error_message};
use gongzhi_tests::{Backend, TestApp, on_both, spawn_app};
use serde_json::{Value, json};

use crate::pipeline_support::{Demo, ESCALATE, ROUTE, act, category, co_sign, demo, done, raise, topic_input};

const FEED: &str = "query($p: ID!, $stage: Stage, $c: ID, $text: String, $sort: TopicSort! = NEWEST, $first: Int,
  $after: String) {
  topics(placeId: $p, stage: $stage, categoryId: $c, text: $text, sort: $sort, first: $first, after: $after) {
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id title coSignCount stage } } } }";

const COUNTS: &str = "query($p: ID!) { topicCounts(placeId: $p) { stage count } }";

const MINE: &str = "query($first: Int, $after: String) {
  myTopics(first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor node { title } } } }";

const PARKING: &str = "夜间电动车乱停放，堵塞消防通道";
const LAMPS: &str = "楼道灯坏了";
const GARAGE: &str = "地下车库漏水";
const WIFI: &str = "公共区域 WiFi 信号差";
const VISITORS: &str = "访客停车收费标准";
const GREENERY: &str = "1号楼门口绿化带被踩坏";
const FEES: &str = "物业费收缴率100%的小区经验";
const STREETLIGHT: &str = "南门路灯不亮";

/// Seven topics in 锦绣花园 besides the demo parking topic (and the roof leak in 老街小院), by different
/// people, an hour apart (two at once), with 0 to 4 co-signs; the last one routed to the property company
/// and the first escalated to the street at the end, which restarts its triage deadline.
///
/// | topic       | by              | co-signs | stage      | triage due (from 08:00 on day 0) |
/// |-------------|-----------------|----------|------------|----------------------------------|
/// | PARKING     | resident (demo) | 1        | collecting | 08:00 + 5 d                      |
/// | LAMPS       | resident        | 3        | collecting | 15:00 + 5 d (escalated at 15:00) |
/// | GARAGE      | owner           | 0        | collecting | 10:00 + 5 d                      |
/// | WIFI        | oc_member       | 2        | collecting | 11:00 + 5 d                      |
/// | VISITORS    | oc_chair        | 1        | collecting | 11:00 + 5 d (same as WIFI)       |
/// | GREENERY    | building_leader | 4        | collecting | 12:00 + 5 d (about 1号楼)        |
/// | FEES        | oc_member2      | 2        | collecting | 13:00 + 5 d                      |
/// | STREETLIGHT | resident        | 1        | service    | none                             |
struct Feed {
    places: Demo,
    repairs: String,
    environment: String,
    safety: String,
}

async fn feed(app: &TestApp) -> Feed {
    let places = demo(app).await;
    // Access tokens last minutes and the clock moves by hours: each step logs in afresh.
    let who = |handle: &'static str| app.login_as(handle);
    let code = |code: &'static str| {
        let community = places.community.clone();
        async move { category(app, &app.login_as("rc_staff").await, &community, code).await }
    };
    let (repairs, safety, environment, parking, fees) = (
        code("repairs").await,
        code("safety").await,
        code("environment").await,
        code("parking").await,
        code("fees").await,
    );
    let jinxiu = places.jinxiu.clone();
    let with_description = |place: &str, category: &str, title: &str, description: &str| {
        let mut input = topic_input(place, category, title);
        input["description"] = json!(description);
        input
    };

    app.clock.advance(Duration::hours(1));
    let lamps = raise(app, &who("resident").await, topic_input(&jinxiu, &repairs, LAMPS)).await;
    app.clock.advance(Duration::hours(1));
    let garage_text = "车库顶板渗水，旁边的消防栓也锈死了。";
    raise(app, &who("owner").await, with_description(&jinxiu, &safety, GARAGE, garage_text)).await;
    app.clock.advance(Duration::hours(1));
    let wifi = raise(app, &who("oc_member").await, topic_input(&jinxiu, &environment, WIFI)).await;
    let visitors_text = "访客停车全年收费1000元，是否合理？";
    let visitors =
        raise(app, &who("oc_chair").await, with_description(&jinxiu, &parking, VISITORS, visitors_text)).await;
    app.clock.advance(Duration::hours(1));
    let greenery =
        raise(app, &who("building_leader").await, topic_input(&places.jinxiu_1, &environment, GREENERY)).await;
    app.clock.advance(Duration::hours(1));
    let fees = raise(app, &who("oc_member2").await, topic_input(&jinxiu, &fees, FEES)).await;
    app.clock.advance(Duration::hours(1));
    let streetlight = raise(app, &who("resident").await, topic_input(&jinxiu, &repairs, STREETLIGHT)).await;

    for (topic, supporters) in [
        (&lamps, &["owner", "oc_chair", "oc_member"][..]),
        (&wifi, &["resident", "owner"][..]),
        (&visitors, &["resident"][..]),
        (&greenery, &["resident", "owner", "oc_chair", "oc_member"][..]),
        (&fees, &["resident", "owner"][..]),
        (&streetlight, &["owner"][..]),
    ] {
        for supporter in supporters {
            co_sign(app, &who(supporter).await, topic).await;
        }
    }
    done(&act(app, &who("rc_staff").await, ROUTE, json!({ "t": streetlight })).await);
    app.clock.advance(Duration::hours(1));
    done(&act(app, &who("rc_staff").await, ESCALATE, json!({ "t": lamps, "reason": "需街道协调" })).await);
    Feed { places, repairs, environment, safety }
}

fn titles(body: &Value) -> Vec<String> {
    body["data"]["topics"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no feed: {body}"))
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Walks the feed page by page and returns every title in order, checking the page flags on the way.
async fn every_page(app: &TestApp, token: &str, mut variables: Value, page: usize) -> Vec<String> {
    let mut seen = Vec::new();
    variables["first"] = json!(page);
    for round in 0.. {
        assert!(round < 20, "the feed never ends: {seen:?}");
        let body = app.gql(Some(token), FEED, variables.clone()).await;
        let info = &body["data"]["topics"]["pageInfo"];
        let titles = titles(&body);
        assert!(titles.len() <= page, "{body}");
        assert_eq!(info["hasPreviousPage"], round > 0, "{body}");
        seen.extend(titles);
        if info["hasNextPage"] != true {
            break;
        }
        variables["after"] = info["endCursor"].clone();
    }
    seen
}

fn expected(titles: &[&str]) -> Vec<String> {
    titles.iter().map(|t| (*t).to_owned()).collect()
}

on_both!(the_feed_pages_through_each_order_without_repeating_or_skipping_a_topic, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let world = feed(&app).await;
    let resident = app.login_as("resident").await;
    let jinxiu = &world.places.jinxiu;

    for page in [1, 3, 100] {
        let newest = every_page(&app, &resident, json!({ "p": jinxiu, "sort": "NEWEST" }), page).await;
        let most = every_page(&app, &resident, json!({ "p": jinxiu, "sort": "MOST_CO_SIGNED" }), page).await;
        let nearest = every_page(&app, &resident, json!({ "p": jinxiu, "sort": "NEAREST_DEADLINE" }), page).await;

        assert_eq!(
            newest,
            expected(&[STREETLIGHT, FEES, GREENERY, VISITORS, WIFI, GARAGE, LAMPS, PARKING]),
            "newest, pages of {page}"
        );
        assert_eq!(
            most,
            expected(&[GREENERY, LAMPS, FEES, WIFI, STREETLIGHT, VISITORS, PARKING, GARAGE]),
            "most co-signed, ties newest first, pages of {page}"
        );
        assert_eq!(
            nearest,
            expected(&[PARKING, GARAGE, WIFI, VISITORS, GREENERY, FEES, LAMPS]),
            "nearest deadline, ties oldest first, only topics with a deadline, pages of {page}"
        );
    }
});

on_both!(the_feed_filters_by_stage_category_and_text, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let world = feed(&app).await;
    let owner = app.login_as("owner").await;
    let jinxiu = &world.places.jinxiu;
    let get = |variables: Value| {
        let app = &app;
        let owner = owner.clone();
        async move { titles(&app.gql(Some(&owner), FEED, variables).await) }
    };

    let collecting = get(json!({ "p": jinxiu, "stage": "COLLECTING" })).await;
    let service = get(json!({ "p": jinxiu, "stage": "SERVICE" })).await;
    let rejected = get(json!({ "p": jinxiu, "stage": "REJECTED" })).await;
    let environment = get(json!({ "p": jinxiu, "c": world.environment })).await;
    let repairs_collecting = get(json!({ "p": jinxiu, "c": world.repairs, "stage": "COLLECTING" })).await;
    let fire = get(json!({ "p": jinxiu, "text": "消防" })).await;
    let fire_safety = get(json!({ "p": jinxiu, "text": " 消防 ", "c": world.safety, "stage": "COLLECTING" })).await;
    let wifi_lower = get(json!({ "p": jinxiu, "text": "wifi" })).await;
    let wifi_upper = get(json!({ "p": jinxiu, "text": "WIFI" })).await;
    let percent = get(json!({ "p": jinxiu, "text": "100%" })).await;
    let underscore = get(json!({ "p": jinxiu, "text": "_" })).await;
    let nothing = get(json!({ "p": jinxiu, "text": "电梯" })).await;
    let blank = get(json!({ "p": jinxiu, "text": "  " })).await;
    let building = get(json!({ "p": world.places.jinxiu_1 })).await;

    assert_eq!(collecting, expected(&[FEES, GREENERY, VISITORS, WIFI, GARAGE, LAMPS, PARKING]));
    assert_eq!(service, expected(&[STREETLIGHT]));
    assert!(rejected.is_empty(), "{rejected:?}");
    assert_eq!(environment, expected(&[GREENERY, WIFI]));
    assert_eq!(repairs_collecting, expected(&[LAMPS]));
    assert_eq!(fire, expected(&[GARAGE, PARKING]), "in the title or only in the description");
    assert_eq!(fire_safety, expected(&[GARAGE]), "filters combine; the text is trimmed");
    assert_eq!(wifi_lower, expected(&[WIFI]), "Latin letters match whatever their case");
    assert_eq!(wifi_upper, expected(&[WIFI]));
    assert_eq!(percent, expected(&[FEES]), "% is a character, not a wildcard (1000元 does not match)");
    assert!(underscore.is_empty(), "_ is a character, not a wildcard: {underscore:?}");
    assert!(nothing.is_empty(), "{nothing:?}");
    assert_eq!(blank.len(), 8, "a blank text filters nothing: {blank:?}");
    assert_eq!(building, expected(&[GREENERY]), "a building's feed: the topics about it");
});

on_both!(bad_page_sizes_and_cursors_are_bad_input, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let resident = app.login_as("resident").await;
    let light = "query($p: ID!, $first: Int, $after: String, $sort: TopicSort! = NEWEST) {
      topics(placeId: $p, first: $first, after: $after, sort: $sort) { edges { node { id } } } }";
    let fine = app.gql(Some(&resident), light, json!({ "p": places.jinxiu, "first": 100 })).await;
    let listed = fine["data"]["topics"]["edges"].as_array().map(Vec::len);

    let too_many = app.gql(Some(&resident), light, json!({ "p": places.jinxiu, "first": 101 })).await;
    let negative = app.gql(Some(&resident), light, json!({ "p": places.jinxiu, "first": -1 })).await;
    let garbage = app.gql(Some(&resident), light, json!({ "p": places.jinxiu, "after": "not a cursor!" })).await;
    let not_json = app
        .gql(Some(&resident), light, json!({ "p": places.jinxiu, "after": "bm90IGpzb24", "sort": "MOST_CO_SIGNED" }))
        .await;
    let mine_garbage = app.gql(Some(&resident), MINE, json!({ "after": "garbage" })).await;
    let mine_too_many = app.gql(Some(&resident), MINE, json!({ "first": 101 })).await;
    let empty_page = app.gql(Some(&resident), light, json!({ "p": places.jinxiu, "first": 0 })).await;

    assert_eq!(listed, Some(1), "the demo parking topic: {fine}");
    assert_eq!(error_code(&too_many), Some("BAD_USER_INPUT"), "{too_many}");
    assert!(error_message(&too_many).is_some_and(|m| m.contains("100")), "{too_many}");
    assert_eq!(error_code(&negative), Some("BAD_USER_INPUT"), "{negative}");
    assert_eq!(error_code(&garbage), Some("BAD_USER_INPUT"), "{garbage}");
    assert_eq!(error_code(&not_json), Some("BAD_USER_INPUT"), "{not_json}");
    assert_eq!(error_code(&mine_garbage), Some("BAD_USER_INPUT"), "{mine_garbage}");
    assert_eq!(error_code(&mine_too_many), Some("BAD_USER_INPUT"), "{mine_too_many}");
    assert_eq!(empty_page["data"]["topics"]["edges"], json!([]), "{empty_page}");
});

fn counts(body: &Value) -> Vec<(String, u64)> {
    body["data"]["topicCounts"]
        .as_array()
        .unwrap_or_else(|| panic!("no counts: {body}"))
        .iter()
        .filter(|c| c["count"].as_u64() != Some(0))
        .map(|c| (c["stage"].as_str().unwrap_or_default().to_owned(), c["count"].as_u64().unwrap_or_default()))
        .collect()
}

fn pairs(expected: &[(&str, u64)]) -> Vec<(String, u64)> {
    expected.iter().map(|(s, n)| ((*s).to_owned(), *n)).collect()
}

on_both!(topic_counts_by_stage_match_the_topics_of_each_place, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let world = feed(&app).await;
    let resident = app.login_as("resident").await;
    let staff = app.login_as("rc_staff").await;
    let officer = app.login_as("street_officer").await;
    let street = app.place_id(&officer, &[]).await;

    let compound = app.gql(Some(&resident), COUNTS, json!({ "p": world.places.jinxiu })).await;
    let building = app.gql(Some(&resident), COUNTS, json!({ "p": world.places.jinxiu_1 })).await;
    let community = app.gql(Some(&staff), COUNTS, json!({ "p": world.places.community })).await;
    let of_street = app.gql(Some(&officer), COUNTS, json!({ "p": street })).await;
    let all_stages = compound["data"]["topicCounts"].as_array().map(Vec::len);

    assert_eq!(all_stages, Some(9), "every stage is listed, zeros too: {compound}");
    assert_eq!(counts(&compound), pairs(&[("COLLECTING", 7), ("SERVICE", 1)]));
    assert_eq!(counts(&building), pairs(&[("COLLECTING", 1)]));
    assert_eq!(counts(&community), pairs(&[("COLLECTING", 8), ("SERVICE", 1)]), "with 老街小院's roof leak");
    assert_eq!(counts(&of_street), pairs(&[("COLLECTING", 8), ("SERVICE", 1)]));
    let listed = titles(&app.gql(Some(&staff), FEED, json!({ "p": world.places.community, "first": 100 })).await);
    assert_eq!(listed.len(), 9, "the feed agrees with the counts: {listed:?}");
});

/// Counts for a district or city add up the streets under it, as the feed lists them.
#[tokio::test]
async fn topic_counts_of_a_district_add_up_its_streets() {
    let Some(app) = spawn_app(Backend::Sqlite).await else { return };
    let world = feed(&app).await;
    let officer = app.login_as("district_officer").await;
    let street = app.place_id(&officer, &[]).await;
    let district = app
        .gql(Some(&officer), "query($id: ID!) { place(id: $id) { parent { id } } }", json!({ "id": street }))
        .await["data"]["place"]["parent"]["id"]
        .as_str()
        .expect("district id")
        .to_owned();

    let listed = titles(&app.gql(Some(&officer), FEED, json!({ "p": district, "first": 100 })).await);
    let counted = app.gql(Some(&officer), COUNTS, json!({ "p": district })).await;

    assert_eq!(listed.len(), 9, "the district's feed lists every topic under it");
    assert_eq!(counts(&counted), pairs(&[("COLLECTING", 8), ("SERVICE", 1)]), "{counted}");
    let _ = world;
}

on_both!(residents_list_their_compounds_topics_and_staff_their_communitys, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let resident = app.login_as("resident").await;
    let old_owner = app.login_as("old_owner").await;
    let staff = app.login_as("rc_staff").await;
    let lawyer = app.login_as("lawyer").await;

    let community_for_resident = app.gql(Some(&resident), FEED, json!({ "p": places.community })).await;
    let counts_for_resident = app.gql(Some(&resident), COUNTS, json!({ "p": places.community })).await;
    let other_compound = app.gql(Some(&old_owner), FEED, json!({ "p": places.jinxiu })).await;
    let other_counts = app.gql(Some(&old_owner), COUNTS, json!({ "p": places.jinxiu })).await;
    let for_lawyer = app.gql(Some(&lawyer), FEED, json!({ "p": places.jinxiu })).await;
    let own_compound = app.gql(Some(&old_owner), FEED, json!({ "p": places.laojie })).await;
    let community_for_staff = app.gql(Some(&staff), FEED, json!({ "p": places.community })).await;
    let anonymous = app.gql(None, FEED, json!({ "p": places.jinxiu })).await;

    assert_eq!(error_code(&community_for_resident), Some("NOT_FOUND"), "{community_for_resident}");
    assert_eq!(error_code(&counts_for_resident), Some("NOT_FOUND"), "{counts_for_resident}");
    assert_eq!(error_code(&other_compound), Some("NOT_FOUND"), "{other_compound}");
    assert_eq!(error_code(&other_counts), Some("NOT_FOUND"), "{other_counts}");
    assert_eq!(error_code(&for_lawyer), Some("NOT_FOUND"), "{for_lawyer}");
    assert_eq!(titles(&own_compound), ["1号楼屋顶漏雨"]);
    assert_eq!(titles(&community_for_staff), ["1号楼屋顶漏雨", PARKING]);
    assert_eq!(error_code(&anonymous), Some("UNAUTHENTICATED"), "{anonymous}");
});

on_both!(my_topics_are_mine_newest_first, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let _world = feed(&app).await;
    let resident = app.login_as("resident").await;
    let owner = app.login_as("owner").await;
    let staff = app.login_as("rc_staff").await;
    let names = |body: &Value| -> Vec<String> {
        body["data"]["myTopics"]["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("{body}"))
            .iter()
            .map(|e| e["node"]["title"].as_str().unwrap_or_default().to_owned())
            .collect()
    };

    let first_page = app.gql(Some(&resident), MINE, json!({ "first": 2 })).await;
    let after = first_page["data"]["myTopics"]["pageInfo"]["endCursor"].clone();
    let second_page = app.gql(Some(&resident), MINE, json!({ "first": 2, "after": after })).await;
    let owners = app.gql(Some(&owner), MINE, json!({})).await;
    let staffs = app.gql(Some(&staff), MINE, json!({})).await;

    assert_eq!(names(&first_page), [STREETLIGHT, LAMPS]);
    assert_eq!(first_page["data"]["myTopics"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(names(&second_page), [PARKING]);
    assert_eq!(second_page["data"]["myTopics"]["pageInfo"]["hasNextPage"], false);
    assert_eq!(names(&owners), [GARAGE], "co-signed topics are not one's own");
    assert!(names(&staffs).is_empty());
});
