//! Which browser bundle a page loads.
//!
//! The release build makes one wasm bundle per section: the portal's hydrates only the
//! portal's routes and the console's only the console's (and Dunwell's own pages), so a
//! customer arriving from a payment-failed email downloads none of the console. The
//! bundle `cargo leptos` builds by default hydrates every route: it serves whatever has
//! no bundle of its own (in development, every page).
use leptos::prelude::*;

/// One wasm bundle: the file names of its JS glue and its wasm under the site's pkg dir.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bundle {
    /// The JS module that loads the wasm (`dunwell-portal.<hash>.js`).
    pub js: String,
    /// The wasm file (`dunwell-portal.<hash>.wasm`).
    pub wasm: String,
}

/// The sections that may have a bundle of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// `/portal/…`: the merchant's customers.
    Portal,
    /// Everything else: Dunwell's own pages and the admin console.
    Console,
}

impl Section {
    /// The section a request path belongs to.
    pub fn of_path(path: &str) -> Section {
        if path == "/portal" || path.starts_with("/portal/") {
            Section::Portal
        } else {
            Section::Console
        }
    }

    /// The name of the section in the bundle manifest.
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Portal => "portal",
            Section::Console => "console",
        }
    }
}

/// The site's bundles, found once at start-up.
#[derive(Clone, Debug)]
pub struct Bundles {
    /// Hydrates every route.
    pub default: Bundle,
    /// The portal's own, when built.
    pub portal: Option<Bundle>,
    /// The console's own, when built.
    pub console: Option<Bundle>,
    /// Where the bundles are served (`pkg`).
    pub pkg_dir: String,
    /// The stylesheet's file name (with its hash in a release build).
    pub stylesheet: String,
}

impl Bundles {
    /// The bundle pages of `section` load.
    pub fn for_section(&self, section: Section) -> &Bundle {
        let own = match section {
            Section::Portal => &self.portal,
            Section::Console => &self.console,
        };
        own.as_ref().unwrap_or(&self.default)
    }
}

/// Preloads and starts the page's bundle (in place of Leptos's `HydrationScripts`, which
/// knows only the default bundle), and the stylesheet, whose name was read once at start
/// (Leptos's `HashedStylesheet` reads the hash file on every request). Rendered on the
/// server only, in the document head.
#[component]
pub fn BundleScripts(bundles: Bundles, section: Section) -> impl IntoView {
    let bundle = bundles.for_section(section);
    let js = format!("/{}/{}", bundles.pkg_dir, bundle.js);
    let wasm = format!("/{}/{}", bundles.pkg_dir, bundle.wasm);
    // File names are checked when the manifest is read (letters, digits, `._-`), so the
    // Debug quoting below is a valid JS string literal.
    let script = match section {
        Section::Console => format!(
            "import({js:?}).then(m=>m.default({{module_or_path:{wasm:?}}}).then(()=>m.hydrate()));"
        ),
        Section::Portal => format!("({ISLANDS_LOADER})({js:?},{wasm:?});\n{VISIT_JS}"),
    };
    let nonce = leptos::nonce::use_nonce();
    let css = format!("/{}/{}", bundles.pkg_dir, bundles.stylesheet);
    view! {
        <link id="leptos" rel="stylesheet" href=css />
        <link rel="modulepreload" href=js crossorigin="anonymous" />
        <link
            rel="preload"
            href=wasm
            r#as="fetch"
            r#type="application/wasm"
            crossorigin="anonymous"
        />
        <script type="module" nonce=nonce>
            {script}
        </script>
    }
}

/// The portal's loader (see `crate::portal::browser`): an arrow function taking the
/// bundle's JS and wasm URLs (`js/islands_loader.js` says what it does).
const ISLANDS_LOADER: &str = include_str!("js/islands_loader.js");

/// `dunwellVisit(url)`: swaps in the page a portal form's server function redirected to,
/// without reloading the document (`js/visit.js` says how).
pub const VISIT_JS: &str = include_str!("js/visit.js");

/// `dunwellVisit` beside Leptos's own island loader, for portal pages when the site has
/// no bundle manifest (`make dev`).
#[component]
pub fn IslandVisits() -> impl IntoView {
    // A module, as in a release build: it runs once the document is parsed.
    view! {
        <script type="module" nonce=leptos::nonce::use_nonce()>
            {VISIT_JS}
        </script>
    }
}

/// Whether `name` may be a bundle file name: letters, digits, `.`, `_`, `-`, no `..`.
pub fn is_safe_file_name(name: &str) -> bool {
    !name.is_empty()
        && !name.contains("..")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle(name: &str) -> Bundle {
        Bundle {
            js: format!("{name}.js"),
            wasm: format!("{name}.wasm"),
        }
    }

    #[test]
    fn pages_load_their_sections_bundle_else_the_default() {
        let mut bundles = Bundles {
            default: bundle("all"),
            portal: Some(bundle("portal")),
            console: None,
            pkg_dir: "pkg".into(),
            stylesheet: "all.css".into(),
        };
        assert_eq!(Section::of_path("/portal/pk_1/login"), Section::Portal);
        assert_eq!(Section::of_path("/portal"), Section::Portal);
        assert_eq!(Section::of_path("/portals"), Section::Console);
        assert_eq!(Section::of_path("/admin/settings/portal"), Section::Console);
        assert_eq!(Section::of_path("/"), Section::Console);
        assert_eq!(bundles.for_section(Section::Portal), &bundle("portal"));
        assert_eq!(bundles.for_section(Section::Console), &bundle("all"));
        bundles.console = Some(bundle("console"));
        assert_eq!(bundles.for_section(Section::Console), &bundle("console"));
    }

    #[test]
    fn only_plain_file_names_are_bundle_names() {
        for ok in ["dunwell-portal.AbC_12-x.js", "a.wasm"] {
            assert!(is_safe_file_name(ok), "{ok}");
        }
        for bad in ["", "../x.js", "a/b.js", "a\".js", "a b.js", "x..js", "é.js"] {
            assert!(!is_safe_file_name(bad), "{bad}");
        }
    }
}
