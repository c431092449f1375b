//! Where the Leptos runtime settings come from: cargo-leptos's environment when it runs
//! the binary, otherwise `Leptos.toml` beside the working directory.
use leptos::config::{LeptosOptions, get_configuration};

/// Loads the options; the error says which file or variable was wrong.
pub fn load() -> Result<LeptosOptions, String> {
    let file = if std::env::var_os("LEPTOS_OUTPUT_NAME").is_some() {
        None
    } else {
        let path = std::env::var("DUNWELL_LEPTOS_TOML").unwrap_or_else(|_| "Leptos.toml".into());
        if !std::path::Path::new(&path).exists() {
            return Err(format!(
                "Leptos.toml: not found at `{path}` (run from the project root or set DUNWELL_LEPTOS_TOML)"
            ));
        }
        Some(path)
    };
    let conf = get_configuration(file.as_deref()).map_err(|e| format!("Leptos.toml: {e}"))?;
    Ok(conf.leptos_options)
}
