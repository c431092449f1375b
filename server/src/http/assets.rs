//! The browser bundles and the stylesheet under `/pkg`.
//!
//! A release build names every file by its content hash, so the files cannot change while
//! the server runs: they are read into memory once, with their precompressed `.br` and
//! `.gz` twins, and each request picks the encoding the client accepts. (Serving them from
//! disk through `tokio::fs` costs a blocking-pool round trip per request, which on these
//! machines held a 4 KB file to ~900 requests/s.) Without hashed names (`cargo leptos
//! watch`, which rewrites files in place) they are read from disk on every request.
use axum::Router;
use axum::body::Body;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::collections::HashMap;
use std::sync::Arc;

/// One file and its precompressed twins.
struct Asset {
    content_type: HeaderValue,
    identity: Bytes,
    br: Option<Bytes>,
    gzip: Option<Bytes>,
}

/// The files of one directory, by name.
#[derive(Default)]
pub struct Assets {
    files: HashMap<String, Asset>,
}

impl Assets {
    /// Reads every file under `dir` (subdirectories too, such as wasm-bindgen's
    /// `snippets/`, named by their path with `/`); `x.br` and `x.gz` become the encodings
    /// of `x`. A missing directory is an error the caller logs (the server still starts;
    /// pages then load without their scripts).
    pub fn read(dir: &std::path::Path) -> std::io::Result<Self> {
        fn walk(
            dir: &std::path::Path,
            prefix: &str,
            raw: &mut HashMap<String, Bytes>,
        ) -> std::io::Result<()> {
            for entry in std::fs::read_dir(dir)? {
                let entry = entry?;
                let Ok(name) = entry.file_name().into_string() else {
                    continue;
                };
                let kind = entry.file_type()?;
                if kind.is_dir() {
                    walk(&entry.path(), &format!("{prefix}{name}/"), raw)?;
                } else if kind.is_file() {
                    raw.insert(
                        format!("{prefix}{name}"),
                        Bytes::from(std::fs::read(entry.path())?),
                    );
                }
            }
            Ok(())
        }
        let mut raw = HashMap::new();
        walk(dir, "", &mut raw)?;
        let mut files = HashMap::new();
        for (name, bytes) in &raw {
            if name.ends_with(".br") || name.ends_with(".gz") {
                continue;
            }
            files.insert(
                name.clone(),
                Asset {
                    content_type: content_type(name),
                    identity: bytes.clone(),
                    br: raw.get(&format!("{name}.br")).cloned(),
                    gzip: raw.get(&format!("{name}.gz")).cloned(),
                },
            );
        }
        Ok(Self { files })
    }

    /// How many files are held.
    fn len(&self) -> usize {
        self.files.len()
    }

    fn respond(&self, name: &str, accept: &HeaderMap) -> Response {
        let Some(asset) = self.files.get(name) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let accepts = |coding: &str| accepts_encoding(accept, coding);
        let (body, encoding) = match (&asset.br, &asset.gzip) {
            (Some(br), _) if accepts("br") => (br.clone(), Some("br")),
            (_, Some(gz)) if accepts("gzip") => (gz.clone(), Some("gzip")),
            _ => (asset.identity.clone(), None),
        };
        let mut res = Response::new(Body::from(body));
        let h = res.headers_mut();
        h.insert(header::CONTENT_TYPE, asset.content_type.clone());
        if let Some(encoding) = encoding {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        if asset.br.is_some() || asset.gzip.is_some() {
            h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        res
    }
}

/// The `/pkg` routes: from memory when `in_memory` (hashed names), else from disk.
pub fn routes<S: Clone + Send + Sync + 'static>(
    prefix: &str,
    dir: std::path::PathBuf,
    in_memory: bool,
) -> Router<S> {
    if !in_memory {
        let disk = tower_http::services::ServeDir::new(dir)
            .precompressed_br()
            .precompressed_gzip();
        return Router::new().nest_service(prefix, disk);
    }
    let assets = match Assets::read(&dir) {
        Ok(assets) => assets,
        Err(err) => {
            tracing::error!(dir = %dir.display(), error = %err, "browser assets unreadable; pages load without scripts");
            Assets::default()
        }
    };
    tracing::info!(files = assets.len(), dir = %dir.display(), "browser assets held in memory");
    Router::new().route(
        &format!("{prefix}/{{*name}}"),
        get(
            |State(assets): State<Arc<Assets>>, Path(name): Path<String>, headers: HeaderMap| async move {
                assets.respond(&name, &headers)
            },
        )
        .with_state(Arc::new(assets)),
    )
}

/// Whether `Accept-Encoding` lists `coding` without `q=0`.
fn accepts_encoding(headers: &HeaderMap, coding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next().unwrap_or("");
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            name.eq_ignore_ascii_case(coding) && !refused
        })
}

fn content_type(name: &str) -> HeaderValue {
    let ext = name.rsplit('.').next().unwrap_or("");
    HeaderValue::from_static(match ext {
        "wasm" => "application/wasm",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "ts" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn accept_encoding_is_read_with_its_q_values() {
        assert!(accepts_encoding(&accept("gzip, deflate, br"), "br"));
        assert!(accepts_encoding(&accept("br;q=0.5"), "br"));
        assert!(!accepts_encoding(&accept("br;q=0, gzip"), "br"));
        assert!(accepts_encoding(&accept("br;q=0, gzip"), "gzip"));
        assert!(!accepts_encoding(&accept("identity"), "gzip"));
        assert!(!accepts_encoding(&HeaderMap::new(), "br"));
    }

    #[tokio::test]
    async fn files_come_from_memory_in_the_encoding_the_client_accepts() {
        let dir = std::env::temp_dir().join(format!("dunwell-assets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("app.abc.js"), "plain").unwrap();
        std::fs::write(dir.join("app.abc.js.br"), "brotli").unwrap();
        std::fs::write(dir.join("app.abc.js.gz"), "gzip").unwrap();
        std::fs::write(dir.join("only.css"), "css").unwrap();
        std::fs::create_dir_all(dir.join("snippets/x")).unwrap();
        std::fs::write(dir.join("snippets/x/inline0.js"), "snippet").unwrap();
        let assets = Assets::read(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(assets.len(), 3, "the twins are encodings, not files");

        let body = |res: Response| async move {
            let enc = res
                .headers()
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap().to_owned());
            let bytes = axum::body::to_bytes(res.into_body(), 1024).await.unwrap();
            (enc, String::from_utf8(bytes.to_vec()).unwrap())
        };
        let res = assets.respond("app.abc.js", &accept("gzip, br"));
        assert_eq!(
            res.headers()[header::CONTENT_TYPE],
            "text/javascript; charset=utf-8"
        );
        assert_eq!(body(res).await, (Some("br".into()), "brotli".into()));
        let res = assets.respond("app.abc.js", &accept("gzip"));
        assert_eq!(body(res).await, (Some("gzip".into()), "gzip".into()));
        let res = assets.respond("app.abc.js", &HeaderMap::new());
        assert_eq!(body(res).await, (None, "plain".into()));
        let res = assets.respond("only.css", &accept("br"));
        assert!(res.headers().get(header::VARY).is_none());
        assert_eq!(body(res).await, (None, "css".into()));
        let res = assets.respond("snippets/x/inline0.js", &HeaderMap::new());
        assert_eq!(body(res).await, (None, "snippet".into()));
        assert_eq!(
            assets.respond("../secret", &accept("br")).status(),
            StatusCode::NOT_FOUND
        );
    }
}
