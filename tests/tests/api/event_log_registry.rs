//! Every write that commits a fact logs it (decision 89): the registry and housekeeping writes that used to
//! commit without an event — claims made and withdrawn, a confirmed claim's grant, opinions, rounds, the
//! catalogue, partners, webhooks, companies, developers, grids, a person's name, places made by the
//! operator and by an import — each leave their kind in the log, their free text apart in `event_texts`.

use std::collections::BTreeSet;

use gongzhi_domain::claim::ClaimRelation;
use gongzhi_domain::opinion::Stance;
use gongzhi_domain::partner::{PartnerKind, PartnerScope};
use gongzhi_domain::place::PlaceKind;
use gongzhi_infra::partners::NewPartner;
use gongzhi_infra::places::PlaceInput;
use gongzhi_infra::topics::NewCategory;
use gongzhi_tests::on_both;

use crate::event_log_support::events_after;
use crate::outbox_support::{demo_actor, world};

const REGISTER: &str = "compound,building,household,area_m2,owner_name,owner_phone
幸福家园,1号楼,101,89.56,王秀英,13800138000
";

on_both!(every_registry_write_is_logged_with_its_texts_apart, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let store = &w.store;
    let community =
        store.place(w.compound).await.expect("compound").ancestry.at(PlaceKind::Community).expect("community");
    let city = store.place(w.compound).await.expect("compound").ancestry.path()[0];
    let secretary = demo_actor(store, "party_secretary").await;
    let start = store.log_head().await.expect("head");

    // A person names themselves; claims a household, withdraws, claims again and is confirmed.
    let claimant = w.wechat_resident("o-registry-claimant").await;
    store.set_name(claimant.person, "沈清").await.expect("named");
    let household = store.children(Some(w.compound), None, 1).await.expect("buildings")[0].id();
    let household = store.children(Some(household), None, 1).await.expect("units")[0].id();
    let claim = store.claim_household(&claimant, household, ClaimRelation::Owner, Some("房产证在手")).await;
    let claim = claim.expect("claimed");
    store.withdraw_claim(&claimant, claim.id).await.expect("withdrawn");
    let claim = store.claim_household(&claimant, household, ClaimRelation::Owner, None).await.expect("claimed");
    store.decide_claim(&w.staff, claim.id, true, None).await.expect("confirmed");

    // Opinions in a deliberation: posted, replied to, reported, hidden.
    let author = w.wechat_resident("o-registry-author").await;
    let topic = w.raise(&author, &[]).await;
    w.accept(topic).await;
    let opinion = store.post_opinion(&author, topic, Stance::For, "支持尽快修好").await.expect("posted");
    let opinion = opinion.opinion.opinion.id;
    store.reply_to_opinion(&claimant, opinion, "同意").await.expect("replied");
    store.report_opinion(&claimant, opinion, "跑题了").await.expect("reported");
    store.hide_opinion(&w.staff, opinion, "重复内容").await.expect("hidden");

    // A round, the catalogue, a grid, the developer.
    let now = w.clock_now();
    let round = store.open_round(&w.staff, community, "小区微更新", now, now + chrono::Duration::days(14)).await;
    round.expect("round opened");
    let new = NewCategory { code: "lifts".into(), name_zh: "电梯".into(), name_en: "Lifts".into() };
    let category = store.add_category(&w.staff, community, new).await.expect("category added");
    store.edit_category(&w.staff, category.id, "电梯维修", "Lift repairs", false).await.expect("category retired");
    let grid = store.create_grid(&secretary, community, "第一网格").await.expect("grid created");
    let building = store.children(Some(w.compound), None, 1).await.expect("buildings")[0].id();
    store.assign_building_to_grid(&secretary, grid.id, building).await.expect("building assigned");
    store.set_compound_developer(&w.staff, w.compound, "锦绣置业", None).await.expect("developer recorded");
    store.mark_developer_unit(&w.staff, household, true).await.expect("unit marked");

    // The city's registries: a company, a partner, a webhook.
    store.register_company(&w.staff, "安心物业", None).await.expect("company registered");
    let partner = NewPartner {
        name: "社区通".into(),
        kind: PartnerKind::SmartCommunityApp,
        scope: city,
        rate_points: None,
        scopes: vec![PartnerScope::Topics],
    };
    let (partner, _) = store.register_partner(&w.admin, &partner).await.expect("partner registered");
    store.rotate_partner_secret(&w.admin, partner.partner.id, None).await.expect("secret rotated");
    store.disable_partner(&w.admin, partner.partner.id).await.expect("partner disabled");
    store.enable_partner(&w.admin, partner.partner.id).await.expect("partner enabled");
    let hook = store.register_webhook(&w.admin, "12345热线", "http://127.0.0.1:9/hook", &[], None).await;
    let (hook, secret) = hook.expect("webhook registered");
    store.replay_webhooks(&w.admin, hook.id, 1).await.expect("replayed");
    store.disable_webhook(&w.admin, hook.id).await.expect("webhook disabled");

    // Places on the operator's authority, and an import.
    let input = |name: &str| PlaceInput { name: name.into(), code: None, area_m2: None };
    let county = store.create_city(input("邢台市")).await.expect("city created");
    store.create_place_as_operator(county.id(), PlaceKind::District, input("襄都区")).await.expect("district");
    let report = store.import_register(community, REGISTER.as_bytes()).await.expect("imported");

    let logged = events_after(store, start).await;
    let kinds: BTreeSet<&str> = logged.iter().map(|e| e.kind.as_str()).collect();
    for kind in [
        "person.named",
        "claim.made",
        "claim.withdrawn",
        "claim.decided",
        "role.granted",
        "opinion.posted",
        "opinion.reported",
        "opinion.hidden",
        "round.opened",
        "category.added",
        "category.changed",
        "grid.created",
        "grid.building_assigned",
        "developer.set",
        "developer.unit_marked",
        "company.registered",
        "partner.registered",
        "partner.secret_rotated",
        "partner.disabled",
        "partner.enabled",
        "webhook.registered",
        "webhook.replayed",
        "webhook.disabled",
        "place.created",
        "register.imported",
    ] {
        assert!(kinds.contains(kind), "{kind} is not in the log: {kinds:?}");
    }
    let count = |kind: &str| logged.iter().filter(|e| e.kind == kind).count();
    assert_eq!(count("opinion.posted"), 2, "the opinion and its reply");
    assert_eq!(count("claim.made"), 2);
    let created = report.compounds_created + report.buildings_created + report.households_created;
    assert_eq!(count("place.created"), 2 + created, "the city, its district and each place the import made");
    assert!(count("role.granted") >= 2 + report.ownerships_granted, "the residents', the claim's and the import's");

    // Words stay out of payloads: they are texts, each with its audience.
    let payloads = logged.iter().map(|e| e.payload.to_string()).collect::<String>();
    for words in [
        "沈清",
        "房产证在手",
        "支持尽快修好",
        "跑题了",
        "重复内容",
        "小区微更新",
        "第一网格",
        "社区通",
        "12345热线",
        "邢台市",
    ] {
        assert!(!payloads.contains(words), "{words} is in a payload");
    }
    assert!(!payloads.contains(&secret), "the webhook's secret is nowhere in the log");
    let ids: Vec<uuid::Uuid> = logged.iter().map(|e| e.id).collect();
    let texts = store.event_texts(&ids).await.expect("texts");
    let body =
        |words: &str| texts.iter().find(|t| t.body.as_deref() == Some(words)).map(|t| (t.field.as_str(), t.audience));
    use gongzhi_infra::event_log::Audience;
    assert_eq!(body("沈清"), Some(("name", Audience::Private)), "a name is its owner's");
    assert_eq!(body("房产证在手"), Some(("note", Audience::Private)));
    assert_eq!(body("支持尽快修好"), Some(("text", Audience::Public)));
    assert_eq!(body("重复内容"), Some(("reason", Audience::Staff)), "why it was hidden is the moderators'");
    assert_eq!(body("第一网格"), Some(("name", Audience::Staff)));
});

on_both!(a_refused_registry_write_logs_nothing, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let store = &w.store;
    let community =
        store.place(w.compound).await.expect("compound").ancestry.at(PlaceKind::Community).expect("community");
    let resident = w.wechat_resident("o-registry-refused").await;
    store.import_register(community, REGISTER.as_bytes()).await.expect("imported");
    let start = store.log_head().await.expect("head");
    let new = NewCategory { code: "lifts".into(), name_zh: "电梯".into(), name_en: "Lifts".into() };
    assert!(store.add_category(&resident, community, new).await.is_err(), "a resident manages no catalogue");
    assert!(store.create_grid(&resident, community, "第一网格").await.is_err());
    // The first line makes three places inside the import's transaction before the second is refused.
    let bad = "compound,building,household,area_m2,owner_name,owner_phone
新家园,1号楼,101,50.00,张三,13800138009
幸福家园,1号楼,101,90.00,王秀英,13800138000
";
    assert!(store.import_register(community, bad.as_bytes()).await.is_err(), "an area unlike the register's");
    assert_eq!(store.log_head().await.expect("head"), start, "nothing refused reached the log");
});
