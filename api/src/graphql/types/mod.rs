//! GraphQL object types. Each wraps an infra value; none is a database row.

pub mod ballot_roll;
pub mod category;
pub mod claim;
pub mod company;
pub mod content_hold;
pub mod credit;
pub mod disclosure;
pub mod enums;
pub mod erasure;
pub mod file_link;
pub mod grid;
pub mod mandate;
pub mod meeting;
pub mod node;
pub mod notification;
pub mod opinion;
pub mod partner;
pub mod payload;
pub mod person;
pub mod place;
pub mod privacy;
pub mod rectification;
pub mod role_grant;
pub mod round;
pub mod session;
pub mod statistics;
pub mod survey;
pub mod task;
pub mod topic;
pub mod vote;
pub mod vote_turnout;

pub use node::Node;
