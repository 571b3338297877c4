//! Proxy mandates (委托) as records, through GraphQL on SQLite and PostgreSQL (decision 49): an owner gives
//! one in the app, staff record a signed paper one with its scan; a proxy's ballot needs a live mandate;
//! the property company and the party a vote is about never hold one; the owner revokes until the proxy
//! has voted, and the owner's own ballot always stands over the proxy's; one proxy holds a capped number.

use chrono::Duration;
use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{TestApp, on_both, spawn_app, spawn_app_with};
use serde_json::{Value, json};

use crate::votes_support::*;

const GRANT: &str = "mutation($input: GrantMandateInput!) {
  grantMandate(input: $input) { ok refusal { code message } mandate { id source voteId revokedAt proxy { id } owner { id } } }
}";
const PAPER: &str = "mutation($input: PaperMandateInput!) {
  recordPaperMandate(input: $input) { ok refusal { code message } mandate { id source scanKey note enteredBy { id } owner { id } } }
}";
const REVOKE: &str =
    "mutation($id: ID!) { revokeMandate(mandateId: $id) { ok refusal { code message } mandate { revokedAt } } }";

/// An owners' vote on the demo parking topic of 锦绣花园, open for two days, on `matter`.
async fn jinxiu_vote(app: &TestApp, matter: &str) -> String {
    let staff = app.login_as("rc_staff").await;
    let topic = jinxiu_topic(app, &staff).await;
    opened(app, &staff, owners_vote_input(app, &topic, matter, 0, 48)).await
}

/// `owner` (a token) gives `proxy` (a person id) a mandate for the vote; the whole payload.
async fn grant(app: &TestApp, owner: &str, proxy: &str, vote: &str) -> Value {
    let body = app.gql(Some(owner), GRANT, json!({ "input": { "proxyId": proxy, "scope": { "voteId": vote } } })).await;
    body["data"]["grantMandate"].clone()
}

/// A mandate that must have been given: its id.
fn given(payload: &Value) -> String {
    assert_eq!(payload["ok"], true, "the mandate was refused: {payload}");
    payload["mandate"]["id"].as_str().unwrap_or_else(|| panic!("no mandate: {payload}")).to_owned()
}

/// The refusal code of a mandate payload that must have been refused.
fn refused(payload: &Value) -> &str {
    assert_eq!(payload["ok"], false, "not refused: {payload}");
    payload["refusal"]["code"].as_str().unwrap_or_else(|| panic!("no refusal code: {payload}"))
}

on_both!(the_tenant_and_the_property_manager_are_refused_as_proxies, |backend| async move {
    // Arrange: an owners' vote about the property company's contract.
    let Some(app) = spawn_app(backend).await else { return };
    let vote = jinxiu_vote(&app, "PROPERTY_MANAGER").await;
    let (owner, tenant, manager) =
        (app.login_as("owner").await, app.login_as("resident").await, app.login_as("property_manager").await);
    let owner_id = person_id(&app, &owner).await;
    let manager_id = person_id(&app, &manager).await;

    // Act: the tenant and the manager vote for the owner with no mandate; the owner tries to give the
    // manager one.
    let by_tenant =
        cast_http(&app, &tenant, json!({ "voteId": vote, "choice": "AGAINST", "onBehalfOf": owner_id })).await;
    let by_manager =
        cast_http(&app, &manager, json!({ "voteId": vote, "choice": "FOR", "onBehalfOf": owner_id })).await;
    let to_manager = grant(&app, &owner, &manager_id, &vote).await;

    // Assert: no mandate, and the manager may not hold one; nothing was counted.
    assert_eq!(refusal(&by_tenant), "no_mandate", "{by_tenant}");
    assert_eq!(refusal(&by_manager), "no_mandate", "{by_manager}");
    assert_eq!(refused(&to_manager), "proxy_not_allowed");
    assert!(!to_manager["refusal"]["message"].as_str().unwrap_or_default().is_empty());
    let seen = vote_node(&app, &owner, &vote).await;
    assert_eq!(seen["myBallot"], json!(null));
    assert_eq!(count_of(&seen["result"], "FOR").0 + count_of(&seen["result"], "AGAINST").0, 0);
});

on_both!(owners_committee_members_hold_no_mandate_in_a_vote_on_the_committee, |backend| async move {
    // Arrange: a vote to replace owners' committee members, and one on another matter.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = jinxiu_topic(&app, &staff).await;
    let recall = opened(&app, &staff, owners_vote_input(&app, &topic, "OWNERS_COMMITTEE", 0, 48)).await;
    let other = opened(&app, &staff, owners_vote_input(&app, &topic, "OTHER_MAJOR_MATTER", 0, 48)).await;
    let owner = app.login_as("owner").await;
    let member = person_id(&app, &app.login_as("oc_member").await).await;

    // Act
    let on_recall = grant(&app, &owner, &member, &recall).await;
    let on_other = grant(&app, &owner, &member, &other).await;

    // Assert
    assert_eq!(refused(&on_recall), "proxy_not_allowed");
    given(&on_other);
});

on_both!(a_proxy_votes_under_the_mandate_and_the_owner_overrides_it, |backend| async move {
    // Arrange: the owner of 1单元101 (89.56 m²) gives the tenant a mandate.
    let Some(app) = spawn_app(backend).await else { return };
    let vote = jinxiu_vote(&app, "OTHER_MAJOR_MATTER").await;
    let (owner, tenant) = (app.login_as("owner").await, app.login_as("resident").await);
    let (owner_id, tenant_id) = (person_id(&app, &owner).await, person_id(&app, &tenant).await);
    let mandate = given(&grant(&app, &owner, &tenant_id, &vote).await);

    // Act: the tenant votes FOR under it; then the owner votes AGAINST; then the tenant tries again.
    let by_proxy = cast_http(&app, &tenant, json!({ "voteId": vote, "choice": "FOR", "onBehalfOf": owner_id })).await;
    let counted_for_proxy = taken(&by_proxy)["result"].clone();
    let by_owner = cast_http(&app, &owner, json!({ "voteId": vote, "choice": "AGAINST" })).await;
    let again = cast_http(&app, &tenant, json!({ "voteId": vote, "choice": "FOR", "mandateId": mandate })).await;

    // Assert: the proxy's ballot counted for the owner's unit, once; the owner's own replaced it; the
    // proxy cannot replace the owner's.
    assert_eq!(count_of(&counted_for_proxy, "FOR"), (1, json!("89.56")));
    let result = &taken(&by_owner)["result"];
    assert_eq!(count_of(result, "FOR").0, 0);
    assert_eq!(count_of(result, "AGAINST"), (1, json!("89.56")));
    assert_eq!(refusal(&again), "owner_voted", "{again}");
    assert_eq!(vote_node(&app, &owner, &vote).await["myBallot"], "AGAINST");
    assert_eq!(vote_node(&app, &tenant, &vote).await["myBallot"], json!(null), "the proxy cast no ballot of their own");
    let held = app.gql(Some(&tenant), "{ myMandates { id owner { id } proxy { id } } }", json!({})).await;
    assert_eq!(held["data"]["myMandates"][0]["id"], mandate.as_str(), "{held}");
    assert_eq!(held["data"]["myMandates"][0]["owner"]["id"], owner_id.as_str());
});

on_both!(a_revoked_mandate_is_refused_and_a_used_one_cannot_be_revoked, |backend| async move {
    // Arrange: two owners give the tenant a mandate each.
    let Some(app) = spawn_app(backend).await else { return };
    let vote = jinxiu_vote(&app, "OTHER_MAJOR_MATTER").await;
    let (owner, chair, tenant) =
        (app.login_as("owner").await, app.login_as("oc_chair").await, app.login_as("resident").await);
    let (owner_id, chair_id, tenant_id) =
        (person_id(&app, &owner).await, person_id(&app, &chair).await, person_id(&app, &tenant).await);
    let owners_mandate = given(&grant(&app, &owner, &tenant_id, &vote).await);
    let chairs_mandate = given(&grant(&app, &chair, &tenant_id, &vote).await);

    // Act: the owner revokes before the tenant votes; the tenant votes for the chair, after which the
    // chair tries to revoke; the tenant (not the owner) tries to revoke; the owner revokes twice.
    let revoked = app.gql(Some(&owner), REVOKE, json!({ "id": owners_mandate })).await;
    let twice = app.gql(Some(&owner), REVOKE, json!({ "id": owners_mandate })).await;
    let for_owner = cast_http(&app, &tenant, json!({ "voteId": vote, "choice": "FOR", "onBehalfOf": owner_id })).await;
    let for_chair = cast_http(&app, &tenant, json!({ "voteId": vote, "choice": "FOR", "onBehalfOf": chair_id })).await;
    let used = app.gql(Some(&chair), REVOKE, json!({ "id": chairs_mandate })).await;
    let by_proxy = app.gql(Some(&tenant), REVOKE, json!({ "id": chairs_mandate })).await;

    // Assert
    assert_eq!(revoked["data"]["revokeMandate"]["ok"], true, "{revoked}");
    assert!(revoked["data"]["revokeMandate"]["mandate"]["revokedAt"].is_string());
    assert_eq!(refused(&twice["data"]["revokeMandate"]), "mandate_revoked");
    assert_eq!(refusal(&for_owner), "mandate_revoked", "{for_owner}");
    assert_eq!(count_of(&taken(&for_chair)["result"], "FOR"), (1, json!("89.56")));
    assert_eq!(refused(&used["data"]["revokeMandate"]), "mandate_used");
    assert_eq!(error_code(&by_proxy), Some("NOT_FOUND"), "{by_proxy}");
    let seen = vote_node(&app, &chair, &vote).await;
    assert_eq!(seen["myBallot"], "FOR", "the proxy's ballot stands until the chair votes");
});

on_both!(one_proxy_holds_no_more_mandates_than_the_cap, |backend| async move {
    // Arrange: a cap of one owner per proxy. The owner gives the tenant a mandate for this vote; the
    // chair gives one for every vote of the compound this week (a standing mandate, not counted per vote
    // when given).
    let Some(app) = spawn_app_with(backend, |s| s.votes.proxy_cap = 1).await else { return };
    let vote = jinxiu_vote(&app, "OTHER_MAJOR_MATTER").await;
    let (owner, chair, member, tenant) = (
        app.login_as("owner").await,
        app.login_as("oc_chair").await,
        app.login_as("oc_member").await,
        app.login_as("resident").await,
    );
    let (owner_id, chair_id, tenant_id) =
        (person_id(&app, &owner).await, person_id(&app, &chair).await, person_id(&app, &tenant).await);
    let staff = app.login_as("rc_staff").await;
    let compound = app.place_id(&staff, &["和平社区", "锦绣花园"]).await;
    given(&grant(&app, &owner, &tenant_id, &vote).await);
    let until = rfc3339(now(&app) + Duration::days(7));
    let standing = app
        .gql(
            Some(&chair),
            GRANT,
            json!({ "input": { "proxyId": tenant_id, "scope": { "compoundId": compound, "validUntil": until } } }),
        )
        .await;
    given(&standing["data"]["grantMandate"]);

    // Act: a third owner tries to give the tenant a mandate for this vote; the tenant votes for the owner,
    // then for the chair under the standing mandate.
    let third = grant(&app, &member, &tenant_id, &vote).await;
    let first = cast_http(&app, &tenant, json!({ "voteId": vote, "choice": "FOR", "onBehalfOf": owner_id })).await;
    let second = cast_http(&app, &tenant, json!({ "voteId": vote, "choice": "FOR", "onBehalfOf": chair_id })).await;

    // Assert: one owner per proxy, whichever way the mandate was given; changing the first ballot is fine.
    assert_eq!(refused(&third), "proxy_cap_reached");
    assert_eq!(count_of(&taken(&first)["result"], "FOR").0, 1);
    assert_eq!(refusal(&second), "proxy_cap_reached", "{second}");
    let change = cast_http(&app, &tenant, json!({ "voteId": vote, "choice": "AGAINST", "onBehalfOf": owner_id })).await;
    assert_eq!(count_of(&taken(&change)["result"], "AGAINST").0, 1);
});

on_both!(staff_record_a_signed_paper_mandate_with_its_scan, |backend| async move {
    // Arrange: staff upload the scan of 郑委员's signed mandate to the tenant.
    let Some(app) = spawn_app(backend).await else { return };
    let vote = jinxiu_vote(&app, "OTHER_MAJOR_MATTER").await;
    let staff = app.login_as("rc_staff").await;
    let (member, tenant) = (app.login_as("oc_member").await, app.login_as("resident").await);
    let (member_id, tenant_id) = (person_id(&app, &member).await, person_id(&app, &tenant).await);
    let scan = upload_scan(&app, &staff).await;
    let others_scan = upload_scan(&app, &tenant).await;
    let input = |scan: &str| {
        json!({ "input": {
            "ownerId": member_id, "proxyId": tenant_id, "scope": { "voteId": vote },
            "scanKey": scan, "note": "委托书原件存居委会档案室",
        } })
    };

    // Act: the tenant tries to record it; staff record it with someone else's upload, then with theirs;
    // the tenant votes under it.
    let by_tenant = app.gql(Some(&tenant), PAPER, input(&scan)).await;
    let foreign_scan = app.gql(Some(&staff), PAPER, input(&others_scan)).await;
    let recorded = app.gql(Some(&staff), PAPER, input(&scan)).await;
    let cast = cast_http(&app, &tenant, json!({ "voteId": vote, "choice": "FOR", "onBehalfOf": member_id })).await;

    // Assert
    assert_eq!(error_code(&by_tenant), Some("FORBIDDEN"), "{by_tenant}");
    assert_eq!(error_code(&foreign_scan), Some("NOT_FOUND"), "{foreign_scan}");
    let mandate = &recorded["data"]["recordPaperMandate"]["mandate"];
    assert_eq!(mandate["source"], "PAPER", "{recorded}");
    assert_eq!(mandate["scanKey"], scan.as_str());
    assert_eq!(mandate["enteredBy"]["id"], person_id(&app, &staff).await.as_str());
    assert_eq!(mandate["owner"]["id"], member_id.as_str());
    assert_eq!(count_of(&taken(&cast)["result"], "FOR"), (1, json!("120.00")));
});

/// Uploads a small PNG as `token` (the scan) and returns its key.
async fn upload_scan(app: &TestApp, token: &str) -> String {
    let (_, body) = crate::files_support::upload(app, token, "uploadPhoto", &crate::files_support::png(100)).await;
    body["data"]["uploadPhoto"]["key"].as_str().unwrap_or_else(|| panic!("not uploaded: {body}")).to_owned()
}

on_both!(a_proxy_ballot_refused_for_want_of_a_mandate_leaves_its_idempotency_key_free, |backend| async move {
    // Arrange: the tenant means to vote for the owner of 1单元101, who has given no mandate yet.
    let Some(app) = spawn_app(backend).await else { return };
    let vote = jinxiu_vote(&app, "OTHER_MAJOR_MATTER").await;
    let (owner, tenant) = (app.login_as("owner").await, app.login_as("resident").await);
    let (owner_id, tenant_id) = (person_id(&app, &owner).await, person_id(&app, &tenant).await);
    let query = format!("{CAST_BALLOT}\n{VOTE}");
    let input = json!({ "input": { "voteId": vote, "choice": "FOR", "onBehalfOf": owner_id } });
    let send = || async {
        let response = app.post_with(&tenant, &query, input.clone(), &[("idempotency-key", "proxy-ballot-1")]).await;
        response.json::<Value>().await.expect("json")
    };

    // Act: refused; the owner then gives the mandate; the same request is sent again with the same key.
    let before = send().await;
    given(&grant(&app, &owner, &tenant_id, &vote).await);
    let after = send().await;

    // Assert: the refusal was not kept under the key, so the retry ran and was counted.
    assert_eq!(refusal(&before), "no_mandate", "{before}");
    assert_eq!(count_of(&taken(&after)["result"], "FOR"), (1, json!("89.56")), "{after}");
});

on_both!(a_standing_mandate_revoked_mid_vote_stops_the_proxy_at_once_and_what_it_cast_stands, |backend| async move {
    // Arrange: two votes open, one closing in two days and one in three; the owner and the chair each give
    // the tenant a mandate standing for the compound's votes of the week.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = jinxiu_topic(&app, &staff).await;
    let first = opened(&app, &staff, owners_vote_input(&app, &topic, "OTHER_MAJOR_MATTER", 0, 48)).await;
    let second = opened(&app, &staff, owners_vote_input(&app, &topic, "OTHER_MAJOR_MATTER", 0, 72)).await;
    let compound = app.place_id(&staff, &["和平社区", "锦绣花园"]).await;
    let (owner, chair, tenant) =
        (app.login_as("owner").await, app.login_as("oc_chair").await, app.login_as("resident").await);
    let (owner_id, chair_id, tenant_id) =
        (person_id(&app, &owner).await, person_id(&app, &chair).await, person_id(&app, &tenant).await);
    let until = rfc3339(now(&app) + Duration::days(7));
    let standing = |token: String| {
        let (app, tenant_id, compound, until) = (&app, tenant_id.clone(), compound.clone(), until.clone());
        async move {
            let scope = json!({ "compoundId": compound, "validUntil": until });
            let body = app.gql(Some(&token), GRANT, json!({ "input": { "proxyId": tenant_id, "scope": scope } })).await;
            given(&body["data"]["grantMandate"])
        }
    };
    let owners = standing(owner.clone()).await;
    let chairs = standing(chair.clone()).await;

    // Act 1: the tenant votes for the owner in the first vote; the owner revokes while that vote is open,
    // then votes themselves.
    let for_owner = cast_http(&app, &tenant, json!({ "voteId": first, "choice": "FOR", "onBehalfOf": owner_id })).await;
    let revoked = app.gql(Some(&owner), REVOKE, json!({ "id": owners })).await;
    let in_second =
        cast_http(&app, &tenant, json!({ "voteId": second, "choice": "FOR", "onBehalfOf": owner_id })).await;
    let changed = cast_http(&app, &tenant, json!({ "voteId": first, "choice": "FOR", "onBehalfOf": owner_id })).await;
    let overridden = cast_http(&app, &owner, json!({ "voteId": first, "choice": "AGAINST" })).await;

    // Assert 1: a standing mandate is revoked at once for every vote to come (decision 181); the proxy can
    // neither vote again nor change what it cast; the owner's own ballot still overrides.
    taken(&for_owner);
    assert_eq!(revoked["data"]["revokeMandate"]["ok"], true, "{revoked}");
    assert_eq!(refusal(&in_second), "mandate_revoked", "{in_second}");
    assert_eq!(refusal(&changed), "mandate_revoked", "{changed}");
    taken(&overridden);

    // Act 2: the tenant votes for the chair in the first vote; the chair revokes while it is open, and
    // again once it has closed.
    taken(&cast_http(&app, &tenant, json!({ "voteId": first, "choice": "FOR", "onBehalfOf": chair_id })).await);
    let chair_while_open = app.gql(Some(&chair), REVOKE, json!({ "id": chairs })).await;
    app.clock.advance(Duration::hours(49));
    let (chair, tenant, staff) =
        (app.login_as("oc_chair").await, app.login_as("resident").await, app.login_as("rc_staff").await);
    let chair_again = app.gql(Some(&chair), REVOKE, json!({ "id": chairs })).await;
    let in_second =
        cast_http(&app, &tenant, json!({ "voteId": second, "choice": "FOR", "onBehalfOf": chair_id })).await;

    // Assert 2: the ballot cast under it while it was live stands in the closed vote, counted, and on the
    // roll as a proxy's; the mandate covers the vote still open no more.
    assert_eq!(chair_while_open["data"]["revokeMandate"]["ok"], true, "{chair_while_open}");
    assert_eq!(refused(&chair_again["data"]["revokeMandate"]), "mandate_revoked");
    assert_eq!(refusal(&in_second), "mandate_revoked", "{in_second}");
    let result = &vote_node(&app, &staff, &first).await["result"];
    assert_eq!((count_of(result, "FOR").0, count_of(result, "AGAINST").0), (1, 1), "{result}");
    let roll = app
        .gql(
            Some(&staff),
            "query($id: ID!) { node(id: $id) { ... on Vote { ballotRoll(first: 20) { nodes { tookPart { method mandateId } } } } } }",
            json!({ "id": first }),
        )
        .await;
    let methods: Vec<Value> = roll["data"]["node"]["ballotRoll"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{roll}"))
        .iter()
        .filter(|n| !n["tookPart"].is_null())
        .map(|n| n["tookPart"].clone())
        .collect();
    assert!(methods.contains(&json!({ "method": "PROXY", "mandateId": chairs })), "{roll}");
    assert!(methods.iter().any(|m| m["method"] == "IN_PERSON"), "{roll}");
});
