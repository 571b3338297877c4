//! The read path of topics: a place's feed, read by keyset (`query`) a page at a time with each row's
//! relations joined (`page`, `page_row`), and what the read cache keeps of it — rows shared by everyone
//! who may see them (`cached`), and per viewer the relations a page served from the cache needs
//! (`hit_relations`). Apart from `crate::topics`, whose pipeline steps write what is read here.

mod cached;
mod hit_relations;
mod page;
mod page_row;
mod query;

pub use page::{PageRelations, TopicPage};
pub use query::{FeedCursor, FeedQuery, FeedSort};
