//! Gongzhi's rules, free of I/O: the places of the tenancy tree, people's roles in them, who may do what
//! where, and the value types that every layer above shares. Storage and the API call into this crate;
//! nothing here knows about databases, HTTP or the clock on the wall.

pub mod accountability;
pub mod area;
pub mod claim;
pub mod clock;
pub mod content;
pub mod disclosure;
mod disclosure_rules;
pub mod error;
pub mod file_kind;
pub mod ids;
pub mod meeting;
pub mod notify;
pub mod open311;
pub mod opinion;
pub mod partner;
pub mod person;
pub mod photo;
pub mod place;
pub mod policy;
pub mod privacy;
pub mod register;
pub mod role;
pub mod spreadsheet_cell;
pub mod statistics;
pub mod task;
pub mod text_direction;
pub mod topic;
pub mod vote;

pub use error::{Conflict, Denied, Invalid};

#[cfg(test)]
mod policy_tests;
