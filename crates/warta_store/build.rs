//! `sqlx::migrate!` embeds the migrations when the crate is compiled: a new or changed
//! migration must rebuild it even when no Rust file changed.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
