//! Personal information under PIPL (issue 19): the log of reads of people's data (`access_log`), a
//! person's export of their own data (`exports`, built by `archive`), and the retention rules the scheduler
//! applies (`retention`). The rules themselves are `gongzhi_domain::privacy`.

mod access_log;
mod archive;
mod erasure;
mod erasure_stores;
mod exports;
mod retention;

pub use access_log::LoggedAccess;
pub(crate) use access_log::log_reads;
pub use erasure::{Erased, ErasureRequest, Traces};
pub use erasure_stores::{SweepReport, forget_in_log_file};
pub use retention::RetentionReport;
