//! `cfg(postgres_tests)` when `TEST_DATABASE_URL` names a Postgres server at build time: without it the
//! `postgres::` tests are marked ignored, so `cargo test` says they did not run instead of passing them.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo::rerun-if-env-changed=TEST_DATABASE_URL");
    if std::env::var_os("TEST_DATABASE_URL").is_some_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
