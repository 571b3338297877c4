//! `gongzhi seed-bench`: a city at realistic volume for the read-path benchmark (issue 5), on PostgreSQL.
//!
//! The demo world is loaded first through the public paths, and two of its topics become templates: one
//! awaiting triage (议题征集) and one accepted for deliberation (协商). The volume is then written by the
//! database itself, `INSERT … SELECT` over `generate_series`, in one transaction: under the demo city,
//! districts → streets → communities → compounds → buildings → households (with areas), an owner per
//! household (owner and resident grants), a tenant in every fifth one, a residents' committee member per
//! community, each community's catalogue, topics whose state columns are copied from the templates with
//! their times shifted, their timeline events, and co-signatures by neighbours of the same compound; then
//! the event log those writes would have appended, and at the end the statistics projection replayed
//! from it.
//! Every denormalised column is filled as the public paths would fill it: places carry their ancestors,
//! topics their compound, community and street, and `co_sign_count` equals the rows.
//!
//! Compound 0 (压测花园, in the first community) is large: 5,000 households whose owners have phone numbers
//! `188` and eight digits, the benchmark's logged-in people. Its owners' vote is opened and voted through the
//! public paths (`open_vote`, 5,000 × `cast_ballot`), so the roll and the ballots are exactly what
//! production writes.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, Utc};
use futures::{StreamExt, TryStreamExt};
use gongzhi_domain::ids::{PersonId, PlaceId, TopicId, VoteId};
use gongzhi_domain::role::Role;
use gongzhi_domain::topic::{DeliberationForm, Party, PlanDraft};
use gongzhi_domain::vote::{Choice, OwnersMatter, VoteKind};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseTransaction, Statement, TransactionTrait, Value};
use uuid::Uuid;

use gongzhi_infra::demo::cast_id;
use gongzhi_infra::topics::NewTopic;
use gongzhi_infra::votes::{CastAs, NewVote};
use gongzhi_infra::{Error, Result, Store};

/// Phone numbers of the large compound's owners start with this.
pub const BENCH_PHONE_PREFIX: &str = "188";
/// The large compound's name.
pub const BENCH_COMPOUND: &str = "压测花园";
/// Events the statistics rebuild applies a round.
const REBUILD_BATCH: usize = 5_000;
/// Owners of the large compound from this unit on never co-signed nor submitted anything in the seed:
/// the load script's people (see `bench_people`).
const FIRST_FREE_UNIT: i64 = 1000;

/// How much to load. `full()` is issue 5's volume.
#[derive(Debug, Clone, Copy)]
pub struct BenchVolume {
    pub districts: i64,
    pub streets_per_district: i64,
    pub communities_per_street: i64,
    pub compounds_per_community: i64,
    pub buildings_per_compound: i64,
    pub units_per_building: i64,
    /// Households of the large compound (in buildings of 100).
    pub large_compound_units: i64,
    pub topics: i64,
    /// Topics about the large compound, among `topics`.
    pub large_compound_topics: i64,
    /// Ballots cast in the large compound's owners' vote (at most `large_compound_units`).
    pub ballots: i64,
}

impl BenchVolume {
    /// 1,000 communities, 5,000 compounds, 504,900 households, 200,000 topics, ≈ 2.2 million co-signs.
    pub const fn full() -> Self {
        BenchVolume {
            districts: 10,
            streets_per_district: 10,
            communities_per_street: 10,
            compounds_per_community: 5,
            buildings_per_compound: 10,
            units_per_building: 10,
            large_compound_units: 5000,
            topics: 200_000,
            large_compound_topics: 2000,
            ballots: 5000,
        }
    }

    /// The same shape with `1/divisor` of the communities and topics (for a quick try).
    pub const fn fraction(divisor: i64) -> Self {
        let full = Self::full();
        let divisor = if divisor < 1 { 1 } else { divisor };
        BenchVolume {
            districts: if full.districts / divisor < 1 { 1 } else { full.districts / divisor },
            topics: full.topics / divisor,
            ..full
        }
    }

    fn compounds(&self) -> i64 {
        self.districts * self.streets_per_district * self.communities_per_street * self.compounds_per_community
    }
}

/// What was loaded, and how long each phase took.
#[derive(Debug, Default)]
pub struct BenchSeedReport {
    pub phases: Vec<(&'static str, Duration)>,
    pub counts: Vec<(&'static str, i64)>,
    pub vote: Option<VoteId>,
}

/// Why the benchmark city was not loaded.
#[derive(Debug, thiserror::Error)]
pub enum BenchSeedError {
    #[error("seed-bench loads PostgreSQL only: set DATABASE_URL=postgres://…")]
    NotPostgres,
    #[error("the database already has places: seed-bench needs an empty database")]
    NotEmpty,
    #[error("{0} topics have a co_sign_count that differs from their co-signatures")]
    Inconsistent(i64),
    #[error(transparent)]
    Store(#[from] Error),
}

impl From<sea_orm::DbErr> for BenchSeedError {
    fn from(err: sea_orm::DbErr) -> Self {
        BenchSeedError::Store(err.into())
    }
}

/// The rows behind the load script: who logs in, and what they act on.
#[derive(Debug)]
pub struct BenchTargets {
    pub people: Vec<PersonId>,
    pub community: PlaceId,
    pub compound: PlaceId,
    pub category: Uuid,
    /// A topic of the community, for the detail view.
    pub topic: TopicId,
    /// Topics awaiting triage in the large compound (`people` have co-signed none).
    pub open_topics: Vec<TopicId>,
    pub vote: VoteId,
}

/// Loads the benchmark city into an empty PostgreSQL database; refuses SQLite and non-empty databases.
pub async fn seed(
    store: &Store,
    volume: BenchVolume,
    mut progress: impl FnMut(&str, Duration),
) -> std::result::Result<BenchSeedReport, BenchSeedError> {
    if store.connection().get_database_backend() != DatabaseBackend::Postgres {
        return Err(BenchSeedError::NotPostgres);
    }
    let mut report = BenchSeedReport::default();
    let phase = |name: &'static str,
                 started: Instant,
                 report: &mut BenchSeedReport,
                 progress: &mut dyn FnMut(&str, Duration)| {
        let took = started.elapsed();
        progress(name, took);
        report.phases.push((name, took));
    };

    let started = Instant::now();
    if !store.seed_demo().await? {
        return Err(BenchSeedError::NotEmpty);
    }
    let templates = topic_templates(store).await?;
    phase("demo world and topic templates (public paths)", started, &mut report, &mut progress);

    let started = Instant::now();
    let now = store.clock().now();
    // The demo world's events numbered first, so the bulk load numbers its own after them.
    store.sequence_log().await?;
    let txn = store.connection().begin().await?;
    bulk_load(&txn, volume, &templates, now, &mut progress).await?;
    txn.commit().await?;
    phase("bulk load (one transaction)", started, &mut report, &mut progress);

    let started = Instant::now();
    store.connection().execute_unprepared("ANALYZE").await?;
    phase("ANALYZE", started, &mut report, &mut progress);

    let started = Instant::now();
    let vote = large_compound_vote(store, volume, now).await?;
    report.vote = Some(vote);
    phase("owners' vote opened and voted (public paths)", started, &mut report, &mut progress);

    // The statistics projection folds the log (decision 150): replayed here, as `gongzhi projections
    // rebuild` does, so a server started on the seed neither serves empty figures nor spends its first
    // minutes catching up (decision 177).
    let started = Instant::now();
    store.sequence_log().await?;
    store.rebuild_statistics(REBUILD_BATCH, |_| {}).await?.ok_or(Error::NotFound("an idle statistics consumer"))?;
    phase("statistics projection rebuilt from the log", started, &mut report, &mut progress);

    for (name, table) in [
        ("communities", "places WHERE kind = 'community'"),
        ("compounds", "places WHERE kind = 'compound'"),
        ("households", "places WHERE kind = 'household'"),
        ("persons", "persons"),
        ("role grants", "role_grants"),
        ("topics", "topics"),
        ("co-signatures", "topic_co_signatures"),
        ("timeline events", "topic_events"),
        ("log events", "event_log"),
        ("statistics figures", "stat_figures"),
        ("ballots", "ballots"),
    ] {
        report.counts.push((name, count(store.connection(), &format!("SELECT count(*) AS n FROM {table}")).await?));
    }
    let inconsistent = count(
        store.connection(),
        "SELECT count(*) AS n FROM topics t LEFT JOIN (SELECT topic_id, count(*) AS c FROM topic_co_signatures \
         GROUP BY topic_id) s ON s.topic_id = t.id WHERE t.co_sign_count <> coalesce(s.c, 0)",
    )
    .await?;
    if inconsistent != 0 {
        return Err(BenchSeedError::Inconsistent(inconsistent));
    }
    Ok(report)
}

/// Two demo topics as templates: 老街小院's stays awaiting triage; 锦绣花园's is accepted by `rc_staff`.
async fn topic_templates(store: &Store) -> Result<Templates> {
    let rows = store
        .connection()
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT id, state FROM topics ORDER BY id".to_owned(),
        ))
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.try_get::<Uuid>("", "id")).collect::<std::result::Result<_, _>>()?;
    let [deliberate, collect] = ids[..] else {
        return Err(Error::NotFound("the demo world's two topics"));
    };
    let staff = store.actor(cast_id("rc_staff").ok_or(Error::NotFound("person"))?).await?;
    store.accept_topic(&staff, TopicId::from_uuid(deliberate), plan(store.clock().now()), None).await?;
    Ok(Templates { collect, deliberate })
}

/// Opens an owners' vote on a topic of the large compound, then has `volume.ballots` owners vote.
async fn large_compound_vote(store: &Store, volume: BenchVolume, now: DateTime<Utc>) -> Result<VoteId> {
    let compound =
        one_uuid(store.connection(), &format!("SELECT id FROM places WHERE name = '{BENCH_COMPOUND}'")).await?;
    let community =
        one_uuid(store.connection(), &format!("SELECT community_id AS id FROM places WHERE id = '{compound}'")).await?;
    let staff = one_uuid(
        store.connection(),
        &format!(
            "SELECT person_id AS id FROM role_grants WHERE place_id = '{community}' AND role = '{}'",
            Role::ResidentsCommitteeStaff.as_str()
        ),
    )
    .await?;
    let owners =
        owners_of_large_compound(store.connection(), 0, volume.ballots.min(volume.large_compound_units), false).await?;
    let submitter = store.actor(*owners.first().ok_or(Error::NotFound("owner"))?).await?;
    let category = one_uuid(
        store.connection(),
        &format!("SELECT id FROM categories WHERE community_id = '{community}' AND code = 'repairs'"),
    )
    .await?;
    let topic = store
        .submit_topic(
            &submitter,
            NewTopic {
                place: PlaceId::from_uuid(compound),
                category: category.into(),
                round: None,
                title: "使用维修资金更换电梯".into(),
                description: "小区电梯已运行二十年，故障频发，建议使用专项维修资金整体更换。".into(),
                location: None,
                photos: Vec::new(),
            },
        )
        .await?;
    let staff = store.actor(PersonId::from_uuid(staff)).await?;
    store.accept_topic(&staff, topic.topic.id, plan(now), None).await?;
    let vote = store
        .open_vote(
            &staff,
            NewVote {
                topic: topic.topic.id,
                kind: VoteKind::Owners(OwnersMatter::UseMaintenanceFund),
                title: "使用维修资金更换电梯".into(),
                opens_at: now,
                closes_at: now + chrono::Duration::days(30),
                hide_results: false,
                invitees: Vec::new(),
            },
        )
        .await?;
    let choices = [Choice::For, Choice::For, Choice::For, Choice::Against, Choice::Abstain];
    futures::stream::iter(owners.into_iter().enumerate())
        .map(|(i, owner)| async move {
            let actor = store.actor(owner).await?;
            let choice = choices[i % choices.len()];
            store.cast_ballot(&actor, vote.id, choice, CastAs::Myself { household: None }).await
        })
        .buffer_unordered(8)
        .try_collect::<Vec<_>>()
        .await?;
    Ok(vote.id)
}

/// The load script's people and targets in a seeded database.
pub async fn targets(store: &Store, people: usize) -> Result<BenchTargets> {
    let people = owners_of_large_compound(store.connection(), FIRST_FREE_UNIT, people as i64, true).await?;
    let compound =
        one_uuid(store.connection(), &format!("SELECT id FROM places WHERE name = '{BENCH_COMPOUND}'")).await?;
    let community =
        one_uuid(store.connection(), &format!("SELECT community_id AS id FROM places WHERE id = '{compound}'")).await?;
    let category = one_uuid(
        store.connection(),
        &format!("SELECT id FROM categories WHERE community_id = '{community}' AND code = 'repairs'"),
    )
    .await?;
    let vote = one_uuid(store.connection(), &format!("SELECT id FROM votes WHERE compound_id = '{compound}'")).await?;
    let topic = one_uuid(
        store.connection(),
        &format!("SELECT id FROM topics WHERE community_id = '{community}' ORDER BY co_sign_count DESC, id LIMIT 1"),
    )
    .await?;
    let rows = store
        .connection()
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            format!("SELECT id FROM topics WHERE compound_id = '{compound}' AND state = 'awaiting_triage' ORDER BY id"),
        ))
        .await?;
    let open_topics = rows
        .iter()
        .map(|r| r.try_get::<Uuid>("", "id").map(TopicId::from_uuid))
        .collect::<std::result::Result<_, _>>()?;
    Ok(BenchTargets {
        people,
        community: PlaceId::from_uuid(community),
        compound: PlaceId::from_uuid(compound),
        category,
        topic: TopicId::from_uuid(topic),
        open_topics,
        vote: VoteId::from_uuid(vote),
    })
}

struct Templates {
    collect: Uuid,
    deliberate: Uuid,
}

/// An online deliberation led by the residents' committee, starting tomorrow (China's date).
fn plan(now: DateTime<Utc>) -> PlanDraft {
    let china = FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| unreachable!("UTC+8 is a valid offset"));
    let today = now.with_timezone(&china).date_naive();
    PlanDraft {
        form: DeliberationForm::Online,
        parties: vec![Party::ResidentsCommittee],
        invitees: vec![],
        starts_on: today + chrono::Duration::days(1),
        ends_on: today + chrono::Duration::days(8),
        major: false,
    }
}

async fn count(db: &impl ConnectionTrait, sql: &str) -> Result<i64> {
    let row = db.query_one_raw(Statement::from_string(DatabaseBackend::Postgres, sql.to_owned())).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0))
}

async fn one_uuid(db: &impl ConnectionTrait, sql: &str) -> Result<Uuid> {
    let row = db.query_one_raw(Statement::from_string(DatabaseBackend::Postgres, sql.to_owned())).await?;
    row.ok_or(Error::NotFound("bench row"))?.try_get::<Uuid>("", "id").map_err(Error::from)
}

/// `n` owners of the large compound from unit `from` on, by unit; if `fresh`, only those who have co-signed
/// nothing yet (so each benchmark run co-signs with people of its own).
async fn owners_of_large_compound(db: &impl ConnectionTrait, from: i64, n: i64, fresh: bool) -> Result<Vec<PersonId>> {
    let first = format!("{BENCH_PHONE_PREFIX}{from:08}");
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT id FROM persons p WHERE phone >= $1 AND phone LIKE $2 \
             AND (NOT $4 OR NOT EXISTS (SELECT 1 FROM topic_co_signatures s WHERE s.person_id = p.id)) \
             ORDER BY phone LIMIT $3",
            [Value::from(first), Value::from(format!("{BENCH_PHONE_PREFIX}%")), Value::from(n), Value::from(fresh)],
        ))
        .await?;
    rows.iter().map(|r| Ok(PersonId::from_uuid(r.try_get::<Uuid>("", "id")?))).collect()
}

/// Every statement of the bulk load, in order, with the phase it belongs to.
async fn bulk_load(
    txn: &DatabaseTransaction,
    v: BenchVolume,
    templates: &Templates,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(&str, Duration),
) -> Result<()> {
    let city = one_uuid(txn, "SELECT id FROM places WHERE kind = 'city'").await?;
    let demo_community = one_uuid(txn, "SELECT id FROM places WHERE kind = 'community'").await?;
    let compounds = v.compounds();
    let params = [
        ("$city", format!("'{city}'::uuid")),
        ("$demo_community", format!("'{demo_community}'::uuid")),
        ("$now", format!("'{}'::timestamptz", now.to_rfc3339())),
        ("$districts", v.districts.to_string()),
        ("$streets_per_district", v.streets_per_district.to_string()),
        ("$communities_per_street", v.communities_per_street.to_string()),
        ("$compounds_per_community", v.compounds_per_community.to_string()),
        ("$buildings", v.buildings_per_compound.to_string()),
        ("$units", v.units_per_building.to_string()),
        ("$large_units", v.large_compound_units.to_string()),
        ("$large_topics", v.large_compound_topics.to_string()),
        ("$compounds", compounds.to_string()),
        ("$topics", v.topics.to_string()),
        ("$collect", format!("'{}'::uuid", templates.collect)),
        ("$deliberate", format!("'{}'::uuid", templates.deliberate)),
        ("$phone", format!("'{BENCH_PHONE_PREFIX}'")),
        ("$large_name", format!("'{BENCH_COMPOUND}'")),
        ("$owner", format!("'{}'", Role::Owner.as_str())),
        ("$resident", format!("'{}'", Role::Resident.as_str())),
        ("$staff", format!("'{}'", Role::ResidentsCommitteeStaff.as_str())),
    ];
    for (name, sql) in BULK_LOAD {
        let started = Instant::now();
        let mut sql = (*sql).to_owned();
        // Longest names first, so `$compounds` is not taken for `$compounds_per_community`'s prefix.
        let mut ordered: Vec<_> = params.iter().collect();
        ordered.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        for (key, value) in ordered {
            sql = sql.replace(key, value);
        }
        txn.execute_unprepared(&sql).await?;
        progress(name, started.elapsed());
    }
    Ok(())
}

/// The bulk load. `b_*` are temporary tables (this session only) mapping each generated row's number to
/// its id and ancestors. Ids are UUIDv7 (time-ordered), made by `pg_temp.uuid7` from the row's time.
const BULK_LOAD: &[(&str, &str)] = &[
    (
        "uuid7 function",
        "CREATE FUNCTION pg_temp.uuid7(ts timestamptz) RETURNS uuid LANGUAGE sql VOLATILE AS $$
           SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING
             substring(int8send(floor(extract(epoch FROM ts) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1),
             'hex')::uuid $$",
    ),
    (
        "districts, streets, communities, compounds",
        "CREATE TEMP TABLE b_district AS
           SELECT n, pg_temp.uuid7($now) AS id FROM generate_series(0, $districts - 1) n;
         CREATE TEMP TABLE b_street AS
           SELECT s.n, d.id AS district_id, pg_temp.uuid7($now) AS id
           FROM generate_series(0, $districts * $streets_per_district - 1) s(n)
           JOIN b_district d ON d.n = s.n / $streets_per_district;
         CREATE TEMP TABLE b_community AS
           SELECT c.n, s.district_id, s.id AS street_id, pg_temp.uuid7($now) AS id
           FROM generate_series(0, $districts * $streets_per_district * $communities_per_street - 1) c(n)
           JOIN b_street s ON s.n = c.n / $communities_per_street;
         CREATE TEMP TABLE b_compound AS
           SELECT k.n, m.n AS community_n, m.district_id, m.street_id, m.id AS community_id, pg_temp.uuid7($now) AS id,
             CASE WHEN k.n = 0 THEN $large_units / 100 ELSE $buildings END AS buildings,
             CASE WHEN k.n = 0 THEN 100 ELSE $units END AS units
           FROM generate_series(0, $compounds - 1) k(n)
           JOIN b_community m ON m.n = k.n / $compounds_per_community;
         CREATE UNIQUE INDEX ON b_compound (n);
         INSERT INTO places (id, kind, parent_id, name, city_id, district_id, created_at, updated_at)
           SELECT id, 'district', $city, '压测' || (n + 1) || '区', $city, id, $now, $now FROM b_district;
         INSERT INTO places (id, kind, parent_id, name, city_id, district_id, street_id, created_at, updated_at)
           SELECT id, 'street', district_id, '第' || (n + 1) || '街道', $city, district_id, id, $now, $now FROM b_street;
         INSERT INTO places (id, kind, parent_id, name, city_id, district_id, street_id, community_id, created_at, updated_at)
           SELECT id, 'community', street_id, '第' || (n + 1) || '社区', $city, district_id, street_id, id, $now, $now
           FROM b_community;
         INSERT INTO places (id, kind, parent_id, name, city_id, district_id, street_id, community_id, compound_id,
             committee_seats, created_at, updated_at)
           SELECT id, 'compound', community_id,
             CASE WHEN n = 0 THEN $large_name ELSE '第' || (n + 1) || '小区' END,
             $city, district_id, street_id, community_id, id, CASE WHEN n % 2 = 0 THEN 5 END, $now, $now
           FROM b_compound",
    ),
    (
        "buildings and households",
        "CREATE TEMP TABLE b_building AS
           SELECT c.n AS compound_n, b AS local, c.units, c.district_id, c.street_id, c.community_id, c.id AS compound_id,
             pg_temp.uuid7($now) AS id
           FROM b_compound c, generate_series(0, c.buildings - 1) b;
         INSERT INTO places (id, kind, parent_id, name, city_id, district_id, street_id, community_id, compound_id,
             building_id, created_at, updated_at)
           SELECT id, 'building', compound_id, (local + 1) || '号楼', $city, district_id, street_id, community_id,
             compound_id, id, $now, $now
           FROM b_building;
         CREATE TEMP TABLE b_household AS
           SELECT b.compound_n, b.local * b.units + u AS local, b.district_id, b.street_id, b.community_id,
             b.compound_id, b.id AS building_id, (u / 4 + 1) * 100 + u % 4 + 1 AS room,
             6000 + ((b.compound_n * 131 + b.local * 17 + u * 7919) % 9001) AS area, pg_temp.uuid7($now) AS id
           FROM b_building b, generate_series(0, b.units - 1) u;
         INSERT INTO places (id, kind, parent_id, name, city_id, district_id, street_id, community_id, compound_id,
             building_id, area_centi_m2, created_at, updated_at)
           SELECT id, 'household', building_id, room || '室', $city, district_id, street_id, community_id, compound_id,
             building_id, area, $now, $now
           FROM b_household",
    ),
    (
        "persons and role grants",
        "CREATE TEMP TABLE b_owner AS
           SELECT compound_n, local, id AS household_id, pg_temp.uuid7($now) AS person_id FROM b_household;
         CREATE UNIQUE INDEX ON b_owner (compound_n, local);
         INSERT INTO persons (id, name, phone, created_at)
           SELECT person_id, '业主' || compound_n || '-' || local,
             CASE WHEN compound_n = 0 THEN $phone || lpad(local::text, 8, '0') END, $now
           FROM b_owner;
         INSERT INTO role_grants (id, person_id, role, place_id, granted_at)
           SELECT pg_temp.uuid7($now), person_id, r.role, household_id, $now
           FROM b_owner, (VALUES ($owner), ($resident)) r(role);
         CREATE TEMP TABLE b_tenant AS
           SELECT id AS household_id, pg_temp.uuid7($now) AS person_id, compound_n, local FROM b_household
           WHERE local % 5 = 4 AND compound_n <> 0;
         INSERT INTO persons (id, name, created_at)
           SELECT person_id, '租户' || compound_n || '-' || local, $now FROM b_tenant;
         INSERT INTO role_grants (id, person_id, role, place_id, granted_at)
           SELECT pg_temp.uuid7($now), person_id, $resident, household_id, $now FROM b_tenant;
         CREATE TEMP TABLE b_staff AS SELECT n, id AS community_id, pg_temp.uuid7($now) AS person_id FROM b_community;
         INSERT INTO persons (id, name, created_at) SELECT person_id, '居委会' || n, $now FROM b_staff;
         INSERT INTO role_grants (id, person_id, role, place_id, granted_at)
           SELECT pg_temp.uuid7($now), person_id, $staff, community_id, $now FROM b_staff",
    ),
    (
        "catalogues",
        "CREATE TEMP TABLE b_category AS
           SELECT m.n AS community_n, c.k, c.code, c.name_zh, c.name_en, pg_temp.uuid7($now) AS id, m.id AS community_id
           FROM b_community m,
             (SELECT row_number() OVER (ORDER BY code) - 1 AS k, code, name_zh, name_en FROM categories
              WHERE community_id = $demo_community AND active) c;
         CREATE UNIQUE INDEX ON b_category (community_n, k);
         INSERT INTO categories (id, community_id, code, name_zh, name_en, active, created_at)
           SELECT id, community_id, code, name_zh, name_en, true, $now FROM b_category",
    ),
    (
        "topics",
        "CREATE TEMP TABLE b_topic AS
           SELECT t.n, c.n AS compound_n, c.community_n, c.community_id, c.street_id, c.id AS compound_id,
             t.ts, pg_temp.uuid7(t.ts) AS id, t.n % 21 + 1 AS co_signs, (t.n * 13) % 100 AS submitter_local,
             CASE WHEN t.n % 10 < 6 THEN $collect ELSE $deliberate END AS template
           FROM (SELECT n, $now - interval '365 days' + (interval '364 days') * n / $topics AS ts,
                   CASE WHEN n < $large_topics THEN 0 ELSE 1 + (n - $large_topics) % ($compounds - 1) END AS compound_n
                 FROM generate_series(0, $topics - 1) n) t
           JOIN b_compound c ON c.n = t.compound_n;
         INSERT INTO topics (id, place_id, community_id, compound_id, street_id, category_id, round_id, submitter_id,
             title, description, datum, lat_micro, lng_micro, photos, submitted_at, level, state, stage, state_at,
             reason, merged_into, company_id, routed_at, by_default, plan, due_kind, due_at, co_sign_count, updated_at)
           SELECT t.id, t.compound_id, t.community_id, t.compound_id, t.street_id, cat.id, NULL, o.person_id,
             (ARRAY['夜间电动车乱停放', '楼道灯不亮', '屋顶漏雨', '垃圾分类点太远', '健身器材损坏', '地下车库积水',
                    '外墙瓷砖脱落', '增设电梯', '小区绿化被占', '快递柜不够用'])[t.n % 10 + 1] || '（' || t.n || '）',
             '第' || t.n || '号议题：请物业和居委会尽快处理，影响居民日常生活。', NULL, NULL, NULL, '[]', t.ts,
             tp.level, tp.state, tp.stage, t.ts + (tp.state_at - tp.submitted_at), tp.reason, NULL, tp.company_id,
             t.ts + (tp.routed_at - tp.submitted_at), tp.by_default, tp.plan, tp.due_kind,
             t.ts + (tp.due_at - tp.submitted_at), t.co_signs, t.ts + (tp.updated_at - tp.submitted_at)
           FROM b_topic t
           JOIN topics tp ON tp.id = t.template
           JOIN b_owner o ON o.compound_n = t.compound_n AND o.local = t.submitter_local
           JOIN (SELECT count(*) AS n FROM b_category WHERE community_n = 0) cats ON true
           JOIN b_category cat ON cat.community_n = t.community_n AND cat.k = t.n % cats.n",
    ),
    (
        "co-signatures",
        "INSERT INTO topic_co_signatures (topic_id, person_id, created_at)
           SELECT t.id, o.person_id, t.ts + interval '1 minute' * j
           FROM b_topic t, generate_series(1, t.co_signs) j, b_owner o
           WHERE o.compound_n = t.compound_n AND o.local = (t.submitter_local + j) % 100",
    ),
    (
        "timeline events",
        "INSERT INTO topic_events (id, topic_id, actor_id, at, kind, visibility, note, payload)
           SELECT pg_temp.uuid7(t.ts + (e.at - tp.submitted_at)), t.id,
             CASE WHEN e.actor_id = tp.submitter_id THEN o.person_id WHEN e.actor_id IS NOT NULL THEN s.person_id END,
             t.ts + (e.at - tp.submitted_at), e.kind, e.visibility, e.note, e.payload
           FROM b_topic t
           JOIN topics tp ON tp.id = t.template
           JOIN topic_events e ON e.topic_id = t.template AND e.kind <> 'co_signed'
           JOIN b_owner o ON o.compound_n = t.compound_n AND o.local = t.submitter_local
           JOIN b_staff s ON s.n = t.community_n;
         INSERT INTO topic_events (id, topic_id, actor_id, at, kind, visibility, note, payload)
           SELECT pg_temp.uuid7(c.created_at), c.topic_id, c.person_id, c.created_at, e.kind, e.visibility, e.note,
             e.payload
           FROM topic_co_signatures c
           JOIN b_topic t ON t.id = c.topic_id
           JOIN (SELECT kind, visibility, note, payload FROM topic_events WHERE kind = 'co_signed' LIMIT 1) e ON true",
    ),
    (
        "event log",
        // The log as the public paths would have written it (decision 177): each topic's `topic.*` events
        // copied from its template's with the times, actors, topic and place path of the copy, one
        // `topic.co_signed` per co-signature, numbered here in time order after the demo world's (nothing
        // else writes during the seed), with the texts their templates have.
        "CREATE TEMP TABLE b_log AS
           SELECT pg_temp.uuid7(t.ts + (l.at - tp.submitted_at)) AS id, l.id AS template_id, l.kind, l.schema_version,
             t.ts + (l.at - tp.submitted_at) AS at,
             CASE WHEN l.actor_id = tp.submitter_id THEN o.person_id WHEN l.actor_id IS NOT NULL THEN s.person_id END
               AS actor_id,
             t.id AS topic_id, t.compound_id AS place_id,
             '/' || $city || '/' || c.district_id || '/' || c.street_id || '/' || c.community_id || '/' || c.id || '/'
               AS place_path,
             l.audience, l.payload
           FROM b_topic t
           JOIN b_compound c ON c.n = t.compound_n
           JOIN topics tp ON tp.id = t.template
           JOIN event_log l ON l.topic_id = t.template AND l.kind LIKE 'topic.%' AND l.kind <> 'topic.co_signed'
           JOIN b_owner o ON o.compound_n = t.compound_n AND o.local = t.submitter_local
           JOIN b_staff s ON s.n = t.community_n
           UNION ALL
           SELECT pg_temp.uuid7(g.created_at), e.id, e.kind, e.schema_version, g.created_at, g.person_id, t.id,
             t.compound_id,
             '/' || $city || '/' || c.district_id || '/' || c.street_id || '/' || c.community_id || '/' || c.id || '/',
             e.audience, e.payload
           FROM topic_co_signatures g
           JOIN b_topic t ON t.id = g.topic_id
           JOIN b_compound c ON c.n = t.compound_n
           JOIN (SELECT id, kind, schema_version, audience, payload FROM event_log
                 WHERE kind = 'topic.co_signed' LIMIT 1) e ON true;
         INSERT INTO event_log (seq, id, kind, schema_version, at, actor_id, topic_id, vote_id, place_id, place_path,
             audience, payload)
           SELECT q.last + row_number() OVER (ORDER BY b.at, b.id), b.id, b.kind, b.schema_version, b.at, b.actor_id,
             b.topic_id, NULL, b.place_id, b.place_path, b.audience, b.payload
           FROM b_log b, (SELECT last FROM event_sequence WHERE name = 'log') q;
         INSERT INTO event_texts (event_id, field, audience, body, redacted_at)
           SELECT b.id, x.field, x.audience, x.body, NULL FROM b_log b JOIN event_texts x ON x.event_id = b.template_id;
         UPDATE event_sequence SET last = last + (SELECT count(*) FROM b_log) WHERE name = 'log'",
    ),
];
