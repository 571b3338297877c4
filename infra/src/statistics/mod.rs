//! Statistics for the offices above a community (issue 18, decisions 150–155), kept by a consumer of the
//! event log rather than counted from the pipeline's tables per request:
//!
//! - `fold`: from events to figures and stage moves, without I/O;
//! - `projection`: the consumer (`StatisticsProjection`), applying each batch once;
//! - `read`: a place's figures over a window, its topics by stage, its children's totals;
//! - `rebuild`: emptying the projection and replaying the log (`gongzhi projections rebuild`).
//!
//! The metrics are `gongzhi_domain::statistics::Metric`; docs/architecture.md ("Projections") defines them.

mod fold;
mod projection;
mod read;
mod rebuild;

pub use projection::{NAME, StatisticsProjection, apply};
pub use read::{ChildFigure, Figure, PlaceStatistics, StageCount, StageDuration};
pub use rebuild::Rebuilt;
