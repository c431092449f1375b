//! Plain HTTP routes of the console that are not server functions: the logo upload (a
//! multipart form, so it works without JavaScript), the console's copy of brand assets and
//! customers' invoice PDFs. Each checks the staff session through the same service as the
//! server functions.
use crate::state::AppState;
use app::error::{AppError, FieldCode};
use app::session::STAFF_COOKIE;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use service::console::{AdminActor, MAX_LOGO_BYTES};

/// The most of a logo upload's body this route reads (discarding all but the first
/// [`MAX_LOGO_BYTES`] + 1 bytes of the file) before it answers "too large". Reading an
/// oversize body to its end lets the browser receive the redirect to the page with the
/// message beside the field: a server that answers mid-upload and closes the connection
/// shows the person a network error instead. Beyond it the same answer goes out at once.
pub const LOGO_READ_LIMIT: usize = 16 * 1024 * 1024;

/// The most of an import upload's body this route reads before it answers "too large"
/// (the file itself is kept up to [`domain::MAX_IMPORT_BYTES`]); see [`LOGO_READ_LIMIT`].
pub const IMPORT_READ_LIMIT: usize = 256 * 1024 * 1024;

/// The logo and import uploads, outside the router's general body limit: they apply their own.
pub fn upload_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/admin/brand/logo",
            post(upload_logo).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/admin/imports",
            post(upload_import).layer(DefaultBodyLimit::disable()),
        )
}

/// The console's other extra routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/brand/{asset}", get(logo))
        .route(
            "/admin/customers/{customer}/invoices/{file}",
            get(invoice_pdf),
        )
}

async fn actor(state: &AppState, headers: &HeaderMap) -> Result<AdminActor, AppError> {
    let jar = CookieJar::from_headers(headers);
    let token = jar.get(STAFF_COOKIE).ok_or(AppError::Unauthenticated)?;
    Ok(state.console.authenticate(token.value()).await?)
}

fn status(err: &AppError) -> StatusCode {
    StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// Whether the client is a browser form (answered with a redirect back to the page).
fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// `POST /admin/brand/logo` (multipart, field `logo`): checks, stores and applies a logo.
async fn upload_logo(
    State(state): State<AppState>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let html = wants_html(&headers);
    let fail = |err: AppError| -> Response {
        let code = err.field_errors().and_then(|f| f.get("logo")).cloned();
        if html {
            let target = match (&err, code) {
                (AppError::Unauthenticated, _) => {
                    "/admin/sign-in?next=/admin/settings/portal".to_owned()
                }
                (_, Some(code)) => format!("/admin/settings/portal?logo_error={code}#logo-file"),
                (_, None) => format!("/admin/settings/portal?logo_error=http.{}", err.status()),
            };
            Redirect::to(&target).into_response()
        } else {
            (status(&err), axum::Json(err)).into_response()
        }
    };
    let actor = match actor(&state, &headers).await {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    // Checked before the body is read (the service checks again when it saves).
    if let Err(e) = actor.require_change() {
        return fail(e.into());
    }
    let bytes = match read_logo(&mut form).await {
        Ok(bytes) => bytes,
        Err(code) => return fail(AppError::field("logo", code)),
    };
    match state.console.upload_logo(&actor, bytes).await {
        Ok(logo) if html => {
            let _ = logo;
            Redirect::to("/admin/settings/portal?saved=logo").into_response()
        }
        Ok(logo) => (StatusCode::OK, axum::Json(logo)).into_response(),
        Err(e) => fail(e.into()),
    }
}

/// The `logo` field of an upload form, reading the whole body up to [`LOGO_READ_LIMIT`]
/// but keeping at most [`MAX_LOGO_BYTES`] + 1 bytes of the file. The error is the field code.
async fn read_logo(form: &mut Multipart) -> Result<Vec<u8>, FieldCode> {
    let mut read = 0usize;
    let mut logo: Option<Vec<u8>> = None;
    while let Some(mut field) = form.next_field().await.map_err(multipart_code)? {
        let is_logo = field.name() == Some("logo");
        let mut kept = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(multipart_code)? {
            read += chunk.len();
            if read > LOGO_READ_LIMIT {
                return Err(FieldCode::LogoTooLarge);
            }
            if is_logo && kept.len() <= MAX_LOGO_BYTES {
                let room = MAX_LOGO_BYTES + 1 - kept.len();
                kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
        }
        if is_logo {
            logo = Some(kept);
        }
    }
    match logo {
        None => Err(FieldCode::LogoEmpty),
        Some(bytes) if bytes.len() > MAX_LOGO_BYTES => Err(FieldCode::LogoTooLarge),
        Some(bytes) => Ok(bytes),
    }
}

fn multipart_code(err: axum::extract::multipart::MultipartError) -> FieldCode {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        FieldCode::LogoTooLarge
    } else {
        FieldCode::LogoInvalid
    }
}

/// `POST /admin/imports` (multipart: `kind` = customers|subscriptions, `file`): stores and
/// checks a CSV; a browser is sent to the import's page (problems, or the button that writes
/// it), another client gets `201 {"id": "imp_…"}`. Owners and admins only.
async fn upload_import(
    State(state): State<AppState>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let html = wants_html(&headers);
    let fail = |err: AppError| -> Response {
        if html {
            let target = match (&err, err.field_errors().and_then(|f| f.get("file"))) {
                (AppError::Unauthenticated, _) => "/admin/sign-in?next=/admin/imports".to_owned(),
                (_, Some(code)) => format!("/admin/imports?error={code}#import-file"),
                (_, None) => format!("/admin/imports?error=http.{}#import-file", err.status()),
            };
            Redirect::to(&target).into_response()
        } else {
            (status(&err), axum::Json(err)).into_response()
        }
    };
    let actor = match actor(&state, &headers).await {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    if let Err(e) = actor.require_change() {
        return fail(e.into());
    }
    let upload = match read_import(&mut form).await {
        Ok(upload) => upload,
        Err(err) => return fail(err),
    };
    match state
        .console
        .upload_import(&actor, upload.kind, &upload.file_name, upload.bytes)
        .await
    {
        Ok(id) if html => Redirect::to(&format!("/admin/imports/{}", id.as_str())).into_response(),
        Ok(id) => (
            StatusCode::CREATED,
            axum::Json(serde_json::json!({ "id": id.as_str() })),
        )
            .into_response(),
        Err(e) => fail(e.into()),
    }
}

struct ImportUpload {
    kind: domain::ImportKind,
    file_name: String,
    bytes: Vec<u8>,
}

/// The `kind` and `file` fields of an import form, reading the whole body up to
/// [`IMPORT_READ_LIMIT`] but keeping at most [`domain::MAX_IMPORT_BYTES`] + 1 bytes of the file.
async fn read_import(form: &mut Multipart) -> Result<ImportUpload, AppError> {
    let keep = usize::try_from(domain::MAX_IMPORT_BYTES).unwrap_or(usize::MAX);
    let too_large = || AppError::field("file", FieldCode::FileTooLarge);
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            AppError::BadRequest
        }
    };
    let mut read = 0usize;
    let mut kind = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(mut field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().unwrap_or_default().to_owned();
        let mut kept = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            read += chunk.len();
            if read > IMPORT_READ_LIMIT {
                return Err(too_large());
            }
            if (name == "file" || name == "kind") && kept.len() <= keep {
                let room = keep + 1 - kept.len();
                kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
        }
        match name.as_str() {
            "kind" => kind = Some(String::from_utf8_lossy(&kept).trim().to_owned()),
            "file" => file = Some((file_name, kept)),
            _ => {}
        }
    }
    let kind = domain::ImportKind::parse(kind.as_deref().unwrap_or("customers"))
        .map_err(|_| AppError::field("kind", FieldCode::Invalid))?;
    let (file_name, bytes) = file.ok_or_else(|| AppError::field("file", FieldCode::FileMissing))?;
    if bytes.len() > keep {
        return Err(too_large());
    }
    Ok(ImportUpload {
        kind,
        file_name,
        bytes,
    })
}

/// `GET /admin/brand/logo-{sha256}.png`: a logo of the signed-in staff member's organization,
/// cached for a year (a new logo gets a new URL).
async fn logo(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(asset): Path<String>,
) -> Response {
    let Some(hash) = super::download::logo_hash(&asset) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let actor = match actor(&state, &headers).await {
        Ok(a) => a,
        Err(e) => return status(&e).into_response(),
    };
    match state.console.logo_bytes(&actor, hash).await {
        Ok(bytes) => super::download::logo_png(bytes, false),
        Err(e) => status(&e.into()).into_response(),
    }
}

/// `GET /admin/customers/{cus_…}/invoices/{inv_…}.pdf`: the customer's invoice as the same
/// branded PDF the portal serves. Any role may download. Signed out: to sign-in (a browser)
/// or 401; another organization's customer or invoice: 404, the same as an unknown id.
async fn invoice_pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((customer, file)): Path<(String, String)>,
) -> Response {
    let ids = file.strip_suffix(".pdf").and_then(|invoice| {
        Some((
            domain::CustomerId::parse(&customer).ok()?,
            domain::InvoiceId::parse(invoice).ok()?,
        ))
    });
    let actor = match actor(&state, &headers).await {
        Ok(a) => a,
        Err(AppError::Unauthenticated) if wants_html(&headers) => {
            let back = match &ids {
                Some((c, _)) => format!("/admin/customers/{}", c.as_str()),
                None => "/admin/customers".to_owned(),
            };
            let next = app::forms::encode(&back);
            return Redirect::to(&format!("/admin/sign-in?next={next}")).into_response();
        }
        Err(e) => return status(&e).into_response(),
    };
    let Some((customer, invoice)) = ids else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match state.console.invoice_pdf(&actor, &customer, &invoice).await {
        Ok(pdf) => super::download::invoice_pdf(&pdf.number, pdf.bytes),
        Err(e) => status(&e.into()).into_response(),
    }
}
