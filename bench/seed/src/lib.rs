//! The benchmarks' data, apart from the production crates: the seeded city (`city`, `gongzhi seed-bench`),
//! the realistic load's crowd over its compounds (`crowd`), and the files the load scripts read
//! (`fixtures`, `gongzhi bench-fixtures` and `gongzhi bench-crowd`). Everything here goes through
//! `gongzhi_infra::Store`'s public paths or writes plain SQL into an empty PostgreSQL database; the `gongzhi`
//! command only hands these functions its store, its keys and the API's global ids.

pub mod city;
pub mod crowd;
pub mod fixtures;
