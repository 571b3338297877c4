//! sea-orm entities, one per table. They stay inside infra: the API has its own types.

pub mod ballot;
pub mod category;
pub mod grid;
pub mod grid_building;
pub mod household_claim;
pub mod idempotency_key;
pub mod identity;
pub mod login_session;
pub mod person;
pub mod place;
pub mod property_company;
pub mod rating;
pub mod refresh_token;
pub mod role_grant;
pub mod round;
pub mod task;
pub mod task_progress;
pub mod topic;
pub mod topic_co_signature;
pub mod topic_event;
pub mod topic_request;
pub mod vote;
pub mod vote_invitee;
