//! The crowd for the realistic read-load benchmark (issue 16): many people spread over many compounds of
//! the seeded city (`city`), each reading their own compound's feed, and for each the topics they may
//! still co-sign. The single large compound of `city` is left out: a crowd spread thin is the point.

use std::collections::BTreeMap;

use gongzhi_domain::ids::{PersonId, PlaceId, TopicId};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, Value};
use uuid::Uuid;

use crate::city::BENCH_COMPOUND;
use gongzhi_infra::{Result, Store};

/// At most this many co-signable topics are listed per person: enough for a few percent of a three-minute
/// run's requests to be co-signs without one person co-signing the same topic twice.
const CO_SIGNABLE_PER_PERSON: i64 = 8;

/// One person of the crowd.
#[derive(Debug, Clone)]
pub struct CrowdMember {
    pub person: PersonId,
    /// The compound whose feed they read (they own a household in it).
    pub compound: PlaceId,
    /// Topics awaiting triage in their compound that they neither submitted nor co-signed.
    pub co_signable: Vec<TopicId>,
}

/// `per_compound` owners in each of `compounds` compounds that have topics awaiting triage, in a stable
/// order, so that the same arguments name the same people on every run (less the pairs they co-signed).
pub async fn crowd(store: &Store, compounds: u32, per_compound: u32) -> Result<Vec<CrowdMember>> {
    let rows = store
        .connection()
        .query_all_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "WITH compounds AS ( \
               SELECT t.compound_id FROM topics t JOIN places c ON c.id = t.compound_id \
               WHERE t.state = 'awaiting_triage' AND c.name <> $1 \
               GROUP BY t.compound_id ORDER BY t.compound_id LIMIT $2), \
             owners AS ( \
               SELECT g.person_id, h.compound_id, \
                      row_number() OVER (PARTITION BY h.compound_id ORDER BY g.person_id) AS n \
               FROM role_grants g JOIN places h ON h.id = g.place_id \
               WHERE g.role = 'owner' AND g.revoked_at IS NULL \
                 AND h.compound_id IN (SELECT compound_id FROM compounds)) \
             SELECT o.person_id, o.compound_id, s.id AS topic_id \
             FROM owners o LEFT JOIN LATERAL ( \
               SELECT t.id FROM topics t \
               WHERE t.compound_id = o.compound_id AND t.state = 'awaiting_triage' \
                 AND t.submitter_id <> o.person_id \
                 AND NOT EXISTS (SELECT 1 FROM topic_co_signatures s \
                                 WHERE s.topic_id = t.id AND s.person_id = o.person_id) \
               ORDER BY t.id LIMIT $4) s ON true \
             WHERE o.n <= $3 \
             ORDER BY o.compound_id, o.person_id, s.id",
            [
                Value::from(BENCH_COMPOUND),
                Value::from(i64::from(compounds)),
                Value::from(i64::from(per_compound)),
                Value::from(CO_SIGNABLE_PER_PERSON),
            ],
        ))
        .await?;
    let mut crowd: BTreeMap<(Uuid, Uuid), CrowdMember> = BTreeMap::new();
    for row in rows {
        let person: Uuid = row.try_get("", "person_id")?;
        let compound: Uuid = row.try_get("", "compound_id")?;
        let topic: Option<Uuid> = row.try_get("", "topic_id")?;
        let member = crowd.entry((compound, person)).or_insert_with(|| CrowdMember {
            person: PersonId::from_uuid(person),
            compound: PlaceId::from_uuid(compound),
            co_signable: Vec::new(),
        });
        member.co_signable.extend(topic.map(TopicId::from_uuid));
    }
    Ok(crowd.into_values().collect())
}
