//! Bulk onboarding of a community's register from CSV (`Store::import_register`), on SQLite and
//! PostgreSQL: what a clean file creates, that a second run creates nothing, and that any problem in the
//! file (or against the register already stored) is named by line and imports nothing.

use gongzhi_domain::Invalid;
use gongzhi_domain::ids::PlaceId;
use gongzhi_domain::register::{Problem, RowProblem};
use gongzhi_domain::role::Role;
use gongzhi_infra::import::ImportReport;
use gongzhi_infra::{Error, Store};
use gongzhi_tests::{demo_store, on_both};

const COMMUNITY: [&str; 4] = ["邯郸市", "丛台区", "中华大街街道", "和平社区"];

const HEADER: &str = "compound,building,household,area_m2,owner_name,owner_phone";

/// Co-owners of one unit (lines 2-3), a person owning two units (lines 2 and 4), a unit without a known
/// owner (line 5), and a new building in a compound that already exists (line 6).
const CLEAN: &str = "compound,building,household,area_m2,owner_name,owner_phone
幸福家园,1号楼,101,89.56,王秀英,13800138000
幸福家园,1号楼,101,89.56,李建国,13800138001
幸福家园,1号楼,102,120,王秀英,13800138000
幸福家园,2号楼,101,76.3,,
锦绣花园,3号楼,1单元101,88.00,赵敏,13800138002
";

async fn child(store: &Store, parent: Option<PlaceId>, name: &str) -> Option<PlaceId> {
    let children = store.children(parent, None, 100).await.expect("children");
    children.into_iter().find(|place| place.name == name).map(|place| place.id())
}

/// The place at the end of a path of names, from the city down, if it exists.
async fn find(store: &Store, path: &[&str]) -> Option<PlaceId> {
    let mut parent = None;
    for name in path {
        parent = Some(child(store, parent, name).await?);
    }
    parent
}

async fn community(store: &Store) -> PlaceId {
    find(store, &COMMUNITY).await.expect("和平社区")
}

/// A place below 和平社区, by the names under it.
async fn in_community(store: &Store, below: &[&str]) -> Option<PlaceId> {
    let path: Vec<&str> = COMMUNITY.iter().chain(below).copied().collect();
    find(store, &path).await
}

async fn compound_names(store: &Store) -> Vec<String> {
    let community = community(store).await;
    store.children(Some(community), None, 100).await.expect("children").into_iter().map(|p| p.name).collect()
}

async fn staff(store: &Store) -> gongzhi_domain::policy::Actor {
    let id = gongzhi_infra::demo::cast_id("rc_staff").expect("rc_staff");
    store.actor(id).await.expect("actor")
}

/// The names of the owners of a household, in grant order.
async fn owners_of(store: &Store, household: PlaceId) -> Vec<(gongzhi_domain::ids::PersonId, String)> {
    let members = store.household_members(&staff(store).await, household).await.expect("members");
    let mut owners = Vec::new();
    for grant in members.into_iter().filter(|g| g.role == Role::Owner) {
        assert_eq!(grant.granted_by, None, "imported grants are the operator's");
        let person = store.person(grant.person).await.expect("owner");
        owners.push((person.id, person.name.unwrap_or_default()));
    }
    owners
}

on_both!(a_clean_register_creates_its_places_owners_and_ownerships, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let community = community(&store).await;

    let report = store.import_register(community, CLEAN.as_bytes()).await.expect("imported");

    assert_eq!(
        report,
        ImportReport {
            rows: 5,
            compounds_created: 1,
            buildings_created: 3,
            households_created: 4,
            owners_created: 3,
            ownerships_granted: 4,
            developer_units_marked: 0,
        }
    );
    assert_eq!(compound_names(&store).await, ["锦绣花园", "老街小院", "幸福家园"]);
    let unit_101 = in_community(&store, &["幸福家园", "1号楼", "101"]).await.expect("101");
    let unit_102 = in_community(&store, &["幸福家园", "1号楼", "102"]).await.expect("102");
    let unowned = in_community(&store, &["幸福家园", "2号楼", "101"]).await.expect("2号楼 101");
    let jinxiu_3 = in_community(&store, &["锦绣花园", "3号楼", "1单元101"]).await.expect("锦绣花园 3号楼");
    let place = store.place(unit_101).await.expect("101");
    assert_eq!(place.ancestry.at(gongzhi_domain::place::PlaceKind::Community), Some(community));
    assert_eq!(place.area.map(|a| a.centi_m2()), Some(8956));
    assert_eq!(store.place(unit_102).await.expect("102").area.map(|a| a.centi_m2()), Some(12000));
    assert_eq!(store.place(unowned).await.expect("unowned").area.map(|a| a.centi_m2()), Some(7630));

    let co_owners = owners_of(&store, unit_101).await;
    let names: Vec<&str> = co_owners.iter().map(|(_, name)| name.as_str()).collect();
    assert_eq!(names, ["王秀英", "李建国"]);
    let second_unit = owners_of(&store, unit_102).await;
    assert_eq!(second_unit.len(), 1);
    assert_eq!(second_unit[0], co_owners[0], "one person, owning two units");
    assert!(owners_of(&store, unowned).await.is_empty());
    assert_eq!(owners_of(&store, jinxiu_3).await.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>(), ["赵敏"]);
    let wang = store.grants_of(co_owners[0].0).await.expect("grants");
    let mut owned: Vec<PlaceId> = wang.iter().filter(|g| g.role == Role::Owner).map(|g| g.place).collect();
    owned.sort();
    let mut expected = vec![unit_101, unit_102];
    expected.sort();
    assert_eq!(owned, expected);
    assert_eq!(store.person(co_owners[0].0).await.expect("王秀英").phone.as_deref(), Some("13800138000"));
});

on_both!(importing_the_same_register_again_creates_nothing, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let community = community(&store).await;
    store.import_register(community, CLEAN.as_bytes()).await.expect("first import");
    let unit_101 = in_community(&store, &["幸福家园", "1号楼", "101"]).await.expect("101");
    let owners_before = owners_of(&store, unit_101).await;

    let again = store.import_register(community, CLEAN.as_bytes()).await.expect("second import");

    assert_eq!(again, ImportReport { rows: 5, ..ImportReport::default() });
    assert_eq!(compound_names(&store).await, ["锦绣花园", "老街小院", "幸福家园"]);
    assert_eq!(owners_of(&store, unit_101).await, owners_before);
});

on_both!(a_bad_row_is_named_by_its_line_and_nothing_is_imported, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let community = community(&store).await;
    let file = format!(
        "{HEADER}
幸福家园,1号楼,101,89.56,王秀英,13800138000
幸福家园,1号楼,102,120,李建国,13800138001
幸福家园,1号楼,103,abc,赵敏,13800138002
幸福家园,2号楼,101,76.3,,
"
    );

    let result = store.import_register(community, file.as_bytes()).await;

    match result {
        Err(Error::Register(problems)) => assert_eq!(
            problems,
            [RowProblem { line: 4, problem: Problem::Invalid(Invalid::FloorArea { given: "abc".to_owned() }) }]
        ),
        other => panic!("expected the register's problems, got {other:?}"),
    }
    assert_eq!(compound_names(&store).await, ["锦绣花园", "老街小院"]);
});

on_both!(a_row_contradicting_the_stored_register_is_named_and_nothing_is_imported, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let community = community(&store).await;
    let jinxiu_1 = in_community(&store, &["锦绣花园", "1号楼"]).await.expect("锦绣花园 1号楼");
    let households_before = store.children(Some(jinxiu_1), None, 100).await.expect("children");
    // 锦绣花园 1号楼 1单元101 is stored with 89.56 m².
    let file = format!(
        "{HEADER}
幸福家园,1号楼,101,89.56,王秀英,13800138000
锦绣花园,1号楼,1单元101,90.00,卫业主,13900000012
锦绣花园,1号楼,1单元301,89.56,李建国,13800138001
"
    );

    let result = store.import_register(community, file.as_bytes()).await;

    match result {
        Err(Error::Register(problems)) => assert_eq!(
            problems,
            [RowProblem { line: 3, problem: Problem::AreaDiffersFromRegister { existing: "89.56".to_owned() } }]
        ),
        other => panic!("expected the register's problems, got {other:?}"),
    }
    assert_eq!(compound_names(&store).await, ["锦绣花园", "老街小院"]);
    assert_eq!(store.children(Some(jinxiu_1), None, 100).await.expect("children"), households_before);
    let unit = in_community(&store, &["锦绣花园", "1号楼", "1单元101"]).await.expect("1单元101");
    assert_eq!(store.place(unit).await.expect("1单元101").area.map(|a| a.centi_m2()), Some(8956));
});

on_both!(a_header_missing_a_column_is_reported_on_line_one, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let community = community(&store).await;
    let file = "compound,building,household,owner_name,owner_phone
幸福家园,1号楼,101,王秀英,13800138000
";

    let result = store.import_register(community, file.as_bytes()).await;

    match result {
        Err(Error::Register(problems)) => {
            assert_eq!(problems, [RowProblem { line: 1, problem: Problem::MissingColumn("area_m2") }])
        }
        other => panic!("expected the register's problems, got {other:?}"),
    }
    assert_eq!(compound_names(&store).await, ["锦绣花园", "老街小院"]);
});

on_both!(a_register_is_imported_only_into_a_community, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let jinxiu = in_community(&store, &["锦绣花园"]).await.expect("锦绣花园");
    let street = find(&store, &COMMUNITY[..3]).await.expect("street");

    let into_compound = store.import_register(jinxiu, CLEAN.as_bytes()).await;
    let into_street = store.import_register(street, CLEAN.as_bytes()).await;

    assert!(
        matches!(
            into_compound,
            Err(Error::Invalid(Invalid::WrongPlaceKind { expected: "community", given: "compound" }))
        ),
        "{into_compound:?}"
    );
    assert!(
        matches!(into_street, Err(Error::Invalid(Invalid::WrongPlaceKind { expected: "community", given: "street" }))),
        "{into_street:?}"
    );
    assert!(store.children(Some(jinxiu), None, 100).await.expect("children").iter().all(|p| p.name != "3号楼"));
    assert_eq!(compound_names(&store).await, ["锦绣花园", "老街小院"]);
});

on_both!(an_owner_already_in_the_register_is_recognised_by_name_and_phone, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let community = community(&store).await;
    let owner = gongzhi_infra::demo::cast_id("owner").expect("owner");
    let phone = store.person(owner).await.expect("卫业主").phone.expect("a phone");
    let file = format!("{HEADER}\n幸福家园,1号楼,101,89.56,卫业主,{phone}\n");

    let report = store.import_register(community, file.as_bytes()).await.expect("imported");

    assert_eq!((report.owners_created, report.ownerships_granted), (0, 1));
    let unit = in_community(&store, &["幸福家园", "1号楼", "101"]).await.expect("101");
    assert_eq!(owners_of(&store, unit).await, [(owner, "卫业主".to_owned())]);
});

on_both!(a_phone_that_belongs_to_someone_else_in_the_register_is_named_and_nothing_is_imported, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let community = community(&store).await;
    let owner = gongzhi_infra::demo::cast_id("owner").expect("owner");
    let phone = store.person(owner).await.expect("卫业主").phone.expect("a phone");
    let file =
        format!("{HEADER}\n幸福家园,1号楼,101,89.56,王秀英,13800138000\n幸福家园,1号楼,102,89.56,李四,{phone}\n");

    let result = store.import_register(community, file.as_bytes()).await;

    match result {
        Err(Error::Register(problems)) => assert_eq!(
            problems,
            [RowProblem { line: 3, problem: Problem::PhoneTakenInRegister { other_name: "卫业主".to_owned() } }]
        ),
        other => panic!("expected the register's problems, got {other:?}"),
    }
    assert_eq!(compound_names(&store).await, ["锦绣花园", "老街小院"]);
});

on_both!(line_numbers_hold_for_windows_line_ends_and_blank_lines, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let community = community(&store).await;
    let csv = "compound,building,household,area_m2,owner_name,owner_phone\r\n\
               新小区,1号楼,101,80,,\r\n\
               \r\n\
               新小区,1号楼,102,abc,,\r\n\
               新小区,1号楼,103,80,only-name,\r\n";

    let result = store.import_register(community, csv.as_bytes()).await;

    let Err(Error::Register(problems)) = result else { panic!("expected register problems, got {result:?}") };
    let lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, vec![4, 5]);
});

on_both!(short_rows_and_bad_values_are_reported_together, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let community = community(&store).await;
    let csv = "compound,building,household,area_m2,owner_name,owner_phone\n新小区,1号楼,101\n新小区,1号楼,102,abc,,\n";

    let result = store.import_register(community, csv.as_bytes()).await;

    let Err(Error::Register(problems)) = result else { panic!("expected register problems, got {result:?}") };
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(matches!(problems[0].problem, Problem::FieldCount { expected: 6, found: 3 }));
    assert_eq!(problems[1].line, 3);
});
