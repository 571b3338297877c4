//! The three disclosures (三个公开) and 双晒 (issue 17): publishing versions on a per-place hash chain,
//! reading and verifying it, obligations with their letters on the scheduler, and questions (质询).

pub mod obligations;
pub mod publish;
pub mod questions;
pub mod read;
mod row;
pub mod timeliness;

pub use obligations::{DisclosureSupervisionReport, OwedDisclosure};
pub use publish::Draft;
pub use questions::Question;
pub use read::ChainReport;
pub use row::Version;
pub use timeliness::{DisclosureLetters, DisclosureTimeliness};
