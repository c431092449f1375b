//! Generates the `i18n` module from `locales/*.json`: translation keys are checked at
//! compile time, and a key missing from one language fails the build.
use leptos_i18n_build::{Config, TranslationsInfos};
use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    // `portal_ui`: the portal's pages and islands are compiled, everywhere but in the
    // console's own browser bundle (an island exports its hydration function, which
    // would otherwise stay in that bundle unused).
    println!("cargo::rustc-check-cfg=cfg(portal_ui)");
    let on = |feature: &str| std::env::var_os(format!("CARGO_FEATURE_{feature}")).is_some();
    if on("SSR") || on("PORTAL") || !on("CONSOLE") {
        println!("cargo::rustc-cfg=portal_ui");
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("i18n");
    let cfg = Config::new("en")
        .and_then(|c| c.add_locale("it"))
        .and_then(|c| c.add_namespaces(["common", "console", "portal"]))
        .expect("valid locale names");
    let infos = TranslationsInfos::parse(cfg).expect("translation files parse");
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos
        .generate_i18n_module(out)
        .expect("i18n module written");
}
