//! Who the parties to an owners' vote are (decision 51), on SQLite and PostgreSQL: the developer, one owner
//! by head for every unit the register marks as still its own, voting once through its representative (or
//! on paper entered by staff); and each unit whose owner the register does not know, a head of its own
//! that cannot vote.

use gongzhi_domain::vote::{Choice, OwnersMatter, Verdict, VoteKind};
use gongzhi_infra::votes::CastAs;
use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{on_both, spawn_app};
use serde_json::{Value, json};

use crate::votes_support::*;

const PARTIES: &str = "query($id: ID!) { node(id: $id) { ... on Vote {
  unidentifiedUnits { name }
  result { verdict counts { choice count areaM2 } electorateAreaM2 electorateHeads criteria { name share met } }
} } }";

fn share(result: &Value, name: &str) -> String {
    result["criteria"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["name"] == name))
        .and_then(|c| c["share"].as_str())
        .unwrap_or_else(|| panic!("no criterion {name}: {result}"))
        .to_owned()
}

on_both!(a_vote_the_developer_decides_counts_its_units_once_through_its_representative, |backend| async move {
    // Arrange: 锦绣花园's developer is recorded with 韩律师 as its representative, and 1号楼 1单元102 (120 m²)
    // is marked as still its own beside 2号楼 1单元102 (98.45 m²). A vote opened before the marking, and one
    // after.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = jinxiu_topic(&app, &staff).await;
    let compound = app.place_id(&staff, &["和平社区", "锦绣花园"]).await;
    let unit = app.place_id(&staff, &["和平社区", "锦绣花园", "1号楼", "1单元102"]).await;
    let lawyer = app.login_as("lawyer").await;
    let lawyer_id = person_id(&app, &lawyer).await;
    let resident = app.login_as("resident").await;
    let set = app
        .gql(
            Some(&staff),
            "mutation($i: CompoundDeveloperInput!) { setCompoundDeveloper(input: $i) { name representative { id } } }",
            json!({ "i": { "compoundId": compound, "name": "锦绣置业有限公司", "representativeId": lawyer_id } }),
        )
        .await;
    assert_eq!(set["data"]["setCompoundDeveloper"]["representative"]["id"], lawyer_id.as_str(), "{set}");
    let before = opened(&app, &staff, owners_vote_input(&app, &topic, "OTHER_MAJOR_MATTER", 0, 48)).await;
    let mark = "mutation($u: ID!) { markDeveloperUnit(unitId: $u, held: true) { developerHeld unit { name } } }";
    let by_resident = app.gql(Some(&resident), mark, json!({ "u": unit })).await;
    let marked = app.gql(Some(&staff), mark, json!({ "u": unit })).await;
    let after = opened(&app, &staff, owners_vote_input(&app, &topic, "OTHER_MAJOR_MATTER", 0, 48)).await;

    // Act: three owners (299.12 m²) vote for in the later vote; then the developer's representative.
    for handle in ["owner", "oc_chair", "oc_member"] {
        let token = app.login_as(handle).await;
        taken(&cast_http(&app, &token, json!({ "voteId": after, "choice": "FOR" })).await);
    }
    let without = app.gql(Some(&staff), PARTIES, json!({ "id": after })).await;
    let by_developer =
        cast_http(&app, &lawyer, json!({ "voteId": after, "choice": "FOR", "forDeveloper": true })).await;
    let again = cast_http(&app, &lawyer, json!({ "voteId": after, "choice": "FOR", "forDeveloper": true })).await;
    let on_paper =
        json!({ "input": { "voteId": before, "forDeveloper": true, "choice": "AGAINST", "note": "开发商盖章表决票" } });
    let paper = vote_gql(&app, &staff, PAPER_BALLOT, on_paper).await;

    // Assert: only staff mark units; three of five owners is no turnout; the developer's one ballot for
    // both its units (218.45 m²) makes four of five heads and 517.57 of 593.87 m², and a second changes
    // nothing.
    assert_eq!(error_code(&by_resident), Some("FORBIDDEN"), "{by_resident}");
    assert_eq!(marked["data"]["markDeveloperUnit"]["developerHeld"], true, "{marked}");
    let without = &without["data"]["node"]["result"];
    assert_eq!(without["electorateHeads"], 5, "four owners and the developer: {without}");
    assert_eq!(without["verdict"], "INVALID");
    taken(&by_developer);
    let result = &taken(&again)["result"];
    assert_eq!(count_of(result, "FOR"), (4, json!("517.57")), "{again}");
    assert_eq!(share(result, "turnout_heads"), "4/5");
    assert_eq!(result["verdict"], "PASSED");
    // The vote opened before the marking kept its roll: the developer holds one unit there, and the unit
    // let by an unknown owner is a head of its own that nobody can vote for.
    let earlier = app.gql(Some(&staff), PARTIES, json!({ "id": before })).await;
    let earlier = &earlier["data"]["node"];
    assert_eq!(earlier["unidentifiedUnits"], json!([{ "name": "1单元102" }]), "{earlier}");
    assert_eq!(earlier["result"]["electorateHeads"], 6);
    assert_eq!(count_of(&taken(&paper)["result"], "AGAINST"), (1, json!("98.45")), "{paper}");
});

on_both!(units_whose_owner_is_unknown_are_separate_heads_that_cannot_vote, |backend| async move {
    // Arrange: two owners of 100 m², two units of 50 m² the developer holds, and two of 50 m² whose owners
    // the register does not know.
    let Some(w) = world(backend).await else { return };
    let compound = import_compound(
        &w,
        "未知小区",
        &[
            line("1号楼", "101", "100.00", Some(("甲业主", "13731000001"))),
            line("1号楼", "102", "100.00", Some(("乙业主", "13731000002"))),
            line("2号楼", "101", "50.00", None),
            line("2号楼", "102", "50.00", None),
            unknown_owner("3号楼", "101", "50.00"),
            unknown_owner("3号楼", "102", "50.00"),
        ],
    )
    .await;
    let jia = compound.owner("13731000001");
    let topic = topic_under_deliberation(&w, &compound, jia).await;
    let vote = open_vote(&w, topic, VoteKind::Owners(OwnersMatter::ManagementStatute)).await;

    // Act: both owners vote; staff try to enter a paper ballot for the developer, which has no
    // representative.
    cast(&w, jia, &vote, Choice::For).await;
    cast(&w, compound.owner("13731000002"), &vote, Choice::For).await;
    let paper =
        w.store.cast_ballot(&w.staff, vote.id, Choice::For, CastAs::DeveloperPaper { note: "纸质票".into() }).await;

    // Assert: five heads (two owners, the developer, two unknown owners) and 400 m². Two of five heads is
    // no turnout, where folding the unknown owners into the developer would have made it two of three.
    let electorate = vote.electorate.expect("the roll taken at the opening");
    assert_eq!((electorate.area_centi_m2(), electorate.heads()), (40_000, 5));
    let outcome = owners_outcome(&w, &vote).await;
    assert_eq!(measured(outcome.turnout.heads), ("2/5".to_owned(), "≥ 2/3".to_owned(), false));
    assert_eq!(outcome.verdict, Verdict::Invalid);
    assert!(matches!(paper, Err(gongzhi_infra::Error::Invalid(_))), "{paper:?}");
    let unknown = w.store.unidentified_units(&w.staff, vote.id).await.expect("organiser").expect("owners' vote");
    let mut expected = vec![compound.unit("3号楼", "101"), compound.unit("3号楼", "102")];
    expected.sort();
    assert_eq!(unknown, expected);
});
