//! Personal information under PIPL (issue 19): the log of reads of people's data (`access_log`), a
//! person's export of their own data (`exports`, built by `archive`), and the retention rules the scheduler
//! applies (`retention`). The rules themselves are `gongzhi_domain::privacy`.

mod access_log;
mod archive;
mod exports;
mod retention;

pub use access_log::LoggedAccess;
pub(crate) use access_log::log_reads;
pub use retention::RetentionReport;
