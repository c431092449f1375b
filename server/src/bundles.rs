//! Finds the browser bundles once at start-up: the default one `cargo leptos` builds
//! (named like Leptos's own `HydrationScripts` names it: output name plus the hashes in
//! the hash file beside the binary) and the per-section ones that
//! `scripts/build-bundles.sh` lists in `<site-root>/<pkg-dir>/bundles.txt`.
use app::bundles::{Bundle, Bundles, Section, is_safe_file_name};
use leptos::config::LeptosOptions;
use std::path::Path;

/// The manifest of per-section bundles, in the pkg dir.
pub const MANIFEST: &str = "bundles.txt";

/// Reads the hash file and the manifest. A missing manifest means no per-section bundles
/// (development builds); a malformed one is an error naming the line.
pub fn load(options: &LeptosOptions) -> Result<Bundles, String> {
    let pkg_dir = options.site_pkg_dir.to_string();
    let manifest = Path::new(options.site_root.as_ref())
        .join(&pkg_dir)
        .join(MANIFEST);
    let mut bundles = default_only(options);
    let text = match std::fs::read_to_string(&manifest) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(bundles),
        Err(err) => return Err(format!("{}: {err}", manifest.display())),
    };
    for (section, bundle) in
        parse_manifest(&text).map_err(|e| format!("{}: {e}", manifest.display()))?
    {
        match section {
            Section::Portal => bundles.portal = Some(bundle),
            Section::Console => bundles.console = Some(bundle),
        }
    }
    Ok(bundles)
}

/// Only the default bundle, for every page.
pub fn default_only(options: &LeptosOptions) -> Bundles {
    let (default, stylesheet) = default_files(options);
    Bundles {
        default,
        portal: None,
        console: None,
        pkg_dir: options.site_pkg_dir.to_string(),
        stylesheet,
    }
}

/// Lines of `section js-file wasm-file`.
fn parse_manifest(text: &str) -> Result<Vec<(Section, Bundle)>, String> {
    let mut found = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [section, js, wasm] = fields[..] else {
            return Err(format!("line {}: expected `section js wasm`", n + 1));
        };
        let section = match section {
            "portal" => Section::Portal,
            "console" => Section::Console,
            other => return Err(format!("line {}: unknown section `{other}`", n + 1)),
        };
        let js_ok = is_safe_file_name(js) && js.ends_with(".js");
        let wasm_ok = is_safe_file_name(wasm) && wasm.ends_with(".wasm");
        if !(js_ok && wasm_ok) {
            return Err(format!("line {}: not a bundle file name", n + 1));
        }
        found.push((
            section,
            Bundle {
                js: js.to_owned(),
                wasm: wasm.to_owned(),
            },
        ));
    }
    Ok(found)
}

/// The default bundle's file names and the stylesheet's, as Leptos's `HydrationScripts`
/// and `HashedStylesheet` derive them.
fn default_files(options: &LeptosOptions) -> (Bundle, String) {
    let name = options.output_name.to_string();
    let plain_css = format!("{name}.css");
    if !options.hash_files {
        // cargo-leptos names the wasm `<name>.wasm`; wasm-bindgen alone, `<name>_bg.wasm`.
        let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
            format!("{name}.wasm")
        } else {
            format!("{name}_bg.wasm")
        };
        let bundle = Bundle {
            js: format!("{name}.js"),
            wasm,
        };
        return (bundle, plain_css);
    }
    let hash_file = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .unwrap_or_default()
        .join(options.hash_file.as_ref());
    let hashes = match std::fs::read_to_string(&hash_file) {
        Ok(text) => text,
        // Without a build beside the binary (tests) there is nothing to load anyway.
        Err(_) => {
            let bundle = Bundle {
                js: format!("{name}.js"),
                wasm: format!("{name}.wasm"),
            };
            return (bundle, plain_css);
        }
    };
    let hash = |kind: &str| {
        hashes.lines().find_map(|line| {
            let (k, v) = line.split_once(':')?;
            (k.trim() == kind).then(|| v.trim().to_owned())
        })
    };
    let js = hash("js").map_or_else(|| format!("{name}.js"), |h| format!("{name}.{h}.js"));
    let wasm = hash("wasm").map_or_else(|| format!("{name}.wasm"), |h| format!("{name}.{h}.wasm"));
    let css = hash("css").map_or(plain_css, |h| format!("{name}.{h}.css"));
    (Bundle { js, wasm }, css)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_names_each_sections_files() {
        let found = parse_manifest(
            "portal dunwell-portal.Ab1.js dunwell-portal.Cd2.wasm\n\nconsole c.js c.wasm\n",
        )
        .unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, Section::Portal);
        assert_eq!(found[0].1.js, "dunwell-portal.Ab1.js");
        assert_eq!(found[1].1.wasm, "c.wasm");
    }

    #[test]
    fn a_bad_manifest_line_is_an_error_naming_it() {
        for (text, expected) in [
            ("portal a.js", "line 1: expected"),
            (
                "portal a.js a.wasm\nadmin a.js a.wasm",
                "line 2: unknown section",
            ),
            ("portal ../a.js a.wasm", "line 1: not a bundle"),
            ("portal a.wasm a.js", "line 1: not a bundle"),
            ("portal a.js a\".wasm", "line 1: not a bundle"),
        ] {
            let err = parse_manifest(text).unwrap_err();
            assert!(err.starts_with(expected), "{text:?}: {err}");
        }
    }
}
