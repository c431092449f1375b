//! `Leptos.toml` (read by the release binary) must agree with the cargo-leptos settings
//! in the workspace `Cargo.toml` on every key both define, or the binary would look for
//! its wasm and CSS in the wrong place.
use std::path::Path;

fn read(path: &Path) -> toml::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn leptos_toml_agrees_with_cargo_toml() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cargo = read(&root.join("Cargo.toml"));
    let leptos = read(&root.join("Leptos.toml"));
    let build = &cargo["workspace"]["metadata"]["leptos"][0];
    let runtime = leptos["package"]["metadata"]["leptos"]
        .as_table()
        .expect("[package.metadata.leptos] table");
    // `env` differs on purpose: cargo-leptos switches to PROD itself for --release.
    let shared: Vec<_> = runtime.keys().filter(|k| *k != "env").collect();
    assert!(
        shared.len() >= 5,
        "Leptos.toml should carry the runtime keys, found {shared:?}"
    );
    for key in shared {
        assert_eq!(
            build.get(key),
            runtime.get(key),
            "`{key}` differs between Cargo.toml [[workspace.metadata.leptos]] and Leptos.toml"
        );
    }
    assert_eq!(runtime["env"].as_str(), Some("PROD"));
}
