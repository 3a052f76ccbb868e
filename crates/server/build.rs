//! Rebuild when a migration or a web app file changes: both are embedded in the binary.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
    // The web app is embedded too (src/web.rs).
    println!("cargo:rerun-if-changed=web");
}
