//! `gongzhi bench-fixtures`: what the read-path benchmark's wrk scripts need, as a Lua table they load
//! with `dofile` — access tokens from real sessions of the seeded benchmark people, and the global ids of
//! the feed's community, the compound they submit to, a category, a topic to view, topics to co-sign and
//! the owners' vote. `crowd` writes the realistic load's people (issue 16) as JSON.

use std::fmt::Write as _;

use async_graphql::ID;
use gongzhi_infra::Store;
use gongzhi_infra::auth::JwtKeys;

use crate::graphql::ids::{NodeType, encode};

pub async fn lua(store: &Store, keys: &JwtKeys, people: usize) -> anyhow::Result<String> {
    let targets = store.bench_targets(people).await?;
    if targets.people.is_empty() {
        anyhow::bail!("no benchmark people: run `gongzhi seed-bench` first");
    }
    let mut tokens = Vec::with_capacity(targets.people.len());
    for person in &targets.people {
        tokens.push(store.start_session(keys, *person).await?.access_token);
    }
    let quoted =
        |ids: &mut dyn Iterator<Item = String>| ids.map(|id| format!("{id:?}")).collect::<Vec<_>>().join(",\n  ");
    let id = |kind: NodeType, uuid: uuid::Uuid| -> String {
        let ID(text) = encode(kind, uuid);
        text
    };
    let mut out = String::from("-- Written by `gongzhi bench-fixtures`; tokens expire 15 minutes after.\nreturn {\n");
    let _ = writeln!(out, "tokens = {{\n  {}\n}},", quoted(&mut tokens.into_iter()));
    let _ = writeln!(out, "community = {:?},", id(NodeType::Place, targets.community.as_uuid()));
    let _ = writeln!(out, "compound = {:?},", id(NodeType::Place, targets.compound.as_uuid()));
    let _ = writeln!(out, "category = {:?},", id(NodeType::Category, targets.category));
    let _ = writeln!(out, "topic = {:?},", id(NodeType::Topic, targets.topic.as_uuid()));
    let _ = writeln!(out, "vote = {:?},", id(NodeType::Vote, targets.vote.as_uuid()));
    let mut open = targets.open_topics.iter().map(|t| id(NodeType::Topic, t.as_uuid()));
    let _ = writeln!(out, "open_topics = {{\n  {}\n}},", quoted(&mut open));
    out.push_str("}\n");
    Ok(out)
}

/// The realistic load's crowd as JSON: per person a fresh access token, the compound whose feed they read
/// and the topics they may co-sign. `bench/crowd.py` adds each feed's page-2 cursors and writes the Lua.
pub async fn crowd(store: &Store, keys: &JwtKeys, compounds: u32, per_compound: u32) -> anyhow::Result<String> {
    let crowd = store.crowd(compounds, per_compound).await?;
    if crowd.is_empty() {
        anyhow::bail!("no compounds with open topics: run `gongzhi seed-bench` first");
    }
    let mut people = Vec::with_capacity(crowd.len());
    for member in crowd {
        let token = store.start_session(keys, member.person).await?.access_token;
        let ID(compound) = encode(NodeType::Place, member.compound.as_uuid());
        let co_signable: Vec<String> = member
            .co_signable
            .iter()
            .map(|topic| {
                let ID(text) = encode(NodeType::Topic, topic.as_uuid());
                text
            })
            .collect();
        people.push(serde_json::json!({ "token": token, "compound": compound, "co_signable": co_signable }));
    }
    Ok(serde_json::to_string(&serde_json::json!({ "people": people }))?)
}
