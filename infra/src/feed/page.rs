//! A page of topics read with what a list shows of each row, in the page's own statement: the category,
//! the author, and whether the viewer co-signed. The place of every row — its ancestry, and the policy's
//! context — comes from `read_contexts`, which the authority snapshot usually answers without a statement
//! (joining the place, its compound and counting committee seats for every row was most of the
//! statement's work). The API hands these to its loaders, so a feed page costs one statement for the rows
//! and their relations, whatever its size (two while the snapshot does not hold the places).
//!
//! Nothing here decides anything: the contexts are the same values `contexts_of` reads, for the policy to
//! judge per row as before.

use std::collections::HashMap;

use gongzhi_domain::ids::{CategoryId, PersonId, PlaceId, TopicId};
use gongzhi_domain::place::PlaceContext;
use gongzhi_domain::topic::Category;
use sea_orm::prelude::*;
use sea_orm::sea_query::{Alias, Expr};
use sea_orm::{Condition, ConnectionTrait, ExprTrait, JoinType, QueryResult, QueryTrait};

use super::cached::CachedTopic;
use super::page_row;
use crate::entities::{category, person, topic, topic_co_signature};
use crate::joined::select_prefixed;
use crate::people::{Person, person_of};
use crate::read_stamp::ReadStamp;
use crate::topics::{TopicRecord, category_of};
use crate::{Error, Result, Store};

/// A page of topics, with their relations when they were read along.
#[derive(Debug, Clone, Default)]
pub struct TopicPage {
    pub records: Vec<TopicRecord>,
    /// `None` when only the rows were read (the caller did not ask, or nothing more was needed).
    pub relations: Option<PageRelations>,
    /// What the page and its relations were served under, when caches served all of it (`read_stamp`).
    pub stamp: Option<ReadStamp>,
}

/// What a page's rows refer to, as read with them. Personal facts are the viewer's only.
#[derive(Debug, Clone)]
pub struct PageRelations {
    /// The person the page was read for.
    pub viewer: PersonId,
    /// Whether the viewer co-signed each topic read.
    pub co_signed: HashMap<TopicId, bool>,
    pub categories: HashMap<CategoryId, Category>,
    pub authors: HashMap<PersonId, Person>,
    /// The policy's context of each row's place.
    pub contexts: HashMap<PlaceId, PlaceContext>,
}

impl TopicPage {
    pub(crate) fn of(rows: &[CachedTopic], relations: Option<PageRelations>) -> Result<Self> {
        let records = rows.iter().map(CachedTopic::record).collect::<Result<_>>()?;
        Ok(Self { records, relations, stamp: None })
    }

    pub(super) fn stamped(mut self, stamp: Option<ReadStamp>) -> Self {
        self.stamp = stamp;
        self
    }
}

/// One row: the topic and the rest.
struct Row {
    topic: topic::Model,
    category: Option<category::Model>,
    author: Option<person::Model>,
    my_co_signature: Option<Uuid>,
}

fn row_of(result: &QueryResult) -> Result<Row, DbErr> {
    let at = &mut 0;
    Ok(Row {
        topic: page_row::topic_at(result, at)?,
        category: page_row::optional_at(result, at, page_row::CATEGORY_FIELDS.len(), page_row::category_at)?,
        author: page_row::optional_at(result, at, page_row::PERSON_FIELDS.len(), page_row::person_at)?,
        my_co_signature: page_row::Field::at(result, *at)?,
    })
}

/// Runs a query of topics with every row's relations joined, for `viewer`.
pub(super) async fn read(
    store: &Store,
    mut query: Select<topic::Entity>,
    viewer: PersonId,
) -> Result<(Vec<CachedTopic>, PageRelations)> {
    let table = |name: &str| Alias::new(name);
    let statement = QueryTrait::query(&mut query);
    statement
        .join_as(
            JoinType::LeftJoin,
            category::Entity,
            table("c"),
            Expr::col((table("c"), category::Column::Id)).equals((topic::Entity, topic::Column::CategoryId)),
        )
        .join_as(
            JoinType::LeftJoin,
            person::Entity,
            table("a"),
            Expr::col((table("a"), person::Column::Id)).equals((topic::Entity, topic::Column::SubmitterId)),
        )
        .join_as(
            JoinType::LeftJoin,
            topic_co_signature::Entity,
            table("s"),
            Condition::all()
                .add(
                    Expr::col((table("s"), topic_co_signature::Column::TopicId))
                        .equals((topic::Entity, topic::Column::Id)),
                )
                .add(Expr::col((table("s"), topic_co_signature::Column::PersonId)).eq(viewer.as_uuid())),
        );
    select_prefixed::<category::Entity>(statement, "c", "c_");
    select_prefixed::<person::Entity>(statement, "a", "a_");
    statement.expr_as(Expr::col((table("s"), topic_co_signature::Column::TopicId)), table("my_co_signature"));
    // The columns, in order: the topic's, the category's, the author's, my co-signature.
    let results = store.db.query_all_raw(query.build(store.db.get_database_backend())).await?;
    let rows = results.iter().map(row_of).collect::<Result<Vec<_>, DbErr>>()?;
    let mut relations = PageRelations {
        viewer,
        co_signed: HashMap::with_capacity(rows.len()),
        categories: HashMap::new(),
        authors: HashMap::new(),
        contexts: HashMap::new(),
    };
    let mut topics = Vec::with_capacity(rows.len());
    for row in rows {
        relations.co_signed.insert(TopicId::from_uuid(row.topic.id), row.my_co_signature.is_some());
        if let Some(category) = row.category {
            let category = category_of(category).map_err(Error::from)?;
            relations.categories.insert(category.id, category);
        }
        if let Some(author) = row.author {
            let author = person_of(author);
            relations.authors.insert(author.id, author);
        }
        topics.push(row.topic);
    }
    let (page, contexts) = store.with_places(topics).await?;
    relations.contexts = contexts.into_iter().map(|(id, context)| (PlaceId::from_uuid(id), context)).collect();
    Ok((page, relations))
}
