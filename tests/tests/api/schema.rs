//! `schema.graphql` is a reviewed artifact: it must match what the code serves.

#[test]
fn the_committed_schema_matches_the_code() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql"))
        .expect("schema.graphql at the workspace root");
    let generated = gongzhi_api::graphql::sdl();
    assert!(
        committed == generated,
        "schema.graphql is out of date: run `cargo run -- export-schema --out schema.graphql` and review the diff"
    );
}
