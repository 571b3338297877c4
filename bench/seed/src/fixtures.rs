//! `gongzhi bench-fixtures` and `gongzhi bench-crowd`: what the read-path benchmark's wrk scripts need, as a Lua table they load
//! with `dofile` — access tokens from real sessions of the seeded benchmark people, and the global ids of
//! the feed's community, the compound they submit to, a category, a topic to view, topics to co-sign and
//! the owners' vote. `crowd` writes the realistic load's people (issue 16) as JSON.

use std::fmt::Write as _;

use gongzhi_infra::Store;
use gongzhi_infra::auth::JwtKeys;
use uuid::Uuid;

/// The kinds of object the fixtures name by global id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    Place,
    Category,
    Topic,
    Vote,
}

/// The API's global id of an object (the API owns their encoding; `gongzhi` passes its own).
pub type GlobalId<'a> = &'a dyn Fn(Node, Uuid) -> String;

pub async fn lua(store: &Store, keys: &JwtKeys, people: usize, id: GlobalId<'_>) -> anyhow::Result<String> {
    let targets = crate::city::targets(store, people).await?;
    if targets.people.is_empty() {
        anyhow::bail!("no benchmark people: run `gongzhi seed-bench` first");
    }
    let mut tokens = Vec::with_capacity(targets.people.len());
    for person in &targets.people {
        tokens.push(store.start_session(keys, *person).await?.access_token);
    }
    let quoted =
        |ids: &mut dyn Iterator<Item = String>| ids.map(|id| format!("{id:?}")).collect::<Vec<_>>().join(",\n  ");
    let mut out = String::from("-- Written by `gongzhi bench-fixtures`; tokens expire 15 minutes after.\nreturn {\n");
    let _ = writeln!(out, "tokens = {{\n  {}\n}},", quoted(&mut tokens.into_iter()));
    let _ = writeln!(out, "community = {:?},", id(Node::Place, targets.community.as_uuid()));
    let _ = writeln!(out, "compound = {:?},", id(Node::Place, targets.compound.as_uuid()));
    let _ = writeln!(out, "category = {:?},", id(Node::Category, targets.category));
    let _ = writeln!(out, "topic = {:?},", id(Node::Topic, targets.topic.as_uuid()));
    let _ = writeln!(out, "vote = {:?},", id(Node::Vote, targets.vote.as_uuid()));
    let mut open = targets.open_topics.iter().map(|t| id(Node::Topic, t.as_uuid()));
    let _ = writeln!(out, "open_topics = {{\n  {}\n}},", quoted(&mut open));
    out.push_str("}\n");
    Ok(out)
}

/// The realistic load's crowd as JSON: per person a fresh access token, the compound whose feed they read
/// and the topics they may co-sign. `bench/crowd.py` adds each feed's page-2 cursors and writes the Lua.
pub async fn crowd(
    store: &Store,
    keys: &JwtKeys,
    compounds: u32,
    per_compound: u32,
    id: GlobalId<'_>,
) -> anyhow::Result<String> {
    let crowd = crate::crowd::crowd(store, compounds, per_compound).await?;
    if crowd.is_empty() {
        anyhow::bail!("no compounds with open topics: run `gongzhi seed-bench` first");
    }
    let mut people = Vec::with_capacity(crowd.len());
    for member in crowd {
        let token = store.start_session(keys, member.person).await?.access_token;
        let compound = id(Node::Place, member.compound.as_uuid());
        let co_signable: Vec<String> =
            member.co_signable.iter().map(|topic| id(Node::Topic, topic.as_uuid())).collect();
        people.push(serde_json::json!({ "token": token, "compound": compound, "co_signable": co_signable }));
    }
    Ok(serde_json::to_string(&serde_json::json!({ "people": people }))?)
}
