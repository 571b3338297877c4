//! Personal information under PIPL (个人信息保护法, issue 19): who may read whose data and how each read is
//! recorded (`access`), a person's copy of their own data (`export`), and how long logs and phone numbers
//! are kept (`retention`).

pub mod access;
pub mod erasure;
pub mod export;
pub mod retention;

#[cfg(test)]
mod tests;
