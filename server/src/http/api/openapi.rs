//! `/v1/openapi.json`: the API's OpenAPI 3.1 document. It is not written by hand: each
//! handler's `#[utoipa::path]` describes its operation, `wire::api`'s types their schemas, and
//! [`super::registered`] registers every route through the same macro that adds it to the
//! document, so a route cannot be served without being described.
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use utoipa::openapi::path::{HttpMethod, Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{
    ContentBuilder, HeaderBuilder, OpenApi, Ref, RefOr, Required, ResponseBuilder, Type,
    schema::ObjectBuilder,
};
use wire::api::ErrorBody;
use wire::console::{ApiField, ApiGroup, ApiOperation, ApiReference, ApiSchema};

/// The document's fixed parts; the paths come from the routes.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Dunwell API",
        description = "The merchant API of a Dunwell organization: customers, prices, \
                       subscriptions, invoices, payment methods, portal sessions and events. \
                       Authenticate with `Authorization: Bearer dw_sk_…` (Settings → API keys). \
                       Ids are prefixed strings, amounts are minor units with a currency, \
                       lists are cursor-paginated (`limit` ≤ 100, `starting_after`, \
                       `has_more`), every POST accepts `Idempotency-Key` (kept 24 h), and \
                       every error is `{\"error\":{\"type\",\"code\",\"message\",\"param\"}}`.",
        license(name = "AGPL-3.0-only", identifier = "AGPL-3.0-only")
    ),
    components(schemas(ErrorBody)),
    modifiers(&Conventions),
    tags(
        (name = "customers", description = "The merchant's customers."),
        (name = "prices", description = "The catalog: what a subscription pays each period."),
        (name = "subscriptions", description = "Customers' subscriptions to prices."),
        (name = "invoices", description = "Invoices, their PDFs, and customers' payment methods."),
        (name = "portal_sessions", description = "One-time sign-ins into the customer portal."),
        (name = "events", description = "State changes, as webhooks deliver them."),
    )
)]
pub struct ApiDoc;

/// The errors every operation may answer, all in the one error shape.
pub struct Errors;

impl utoipa::IntoResponses for Errors {
    fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
        [
            (
                "400",
                "The request could not be read: a field, a parameter or the body.",
            ),
            ("401", "No API key, or one that is unknown or revoked."),
            ("403", "The key may not do this."),
            (
                "404",
                "No such object in this organization, or no such route.",
            ),
            (
                "409",
                "A conflict with the current state or with an `Idempotency-Key`'s first request.",
            ),
            ("413", "The body is larger than 1 MiB."),
            (
                "422",
                "A value is well-formed but not acceptable (a rule of the object).",
            ),
            (
                "429",
                "Too many requests for this key; `Retry-After` says when to retry.",
            ),
            ("500", "Something failed on Dunwell's side."),
        ]
        .into_iter()
        .map(|(status, description)| {
            let response = ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build();
            (status.to_owned(), RefOr::T(response))
        })
        .collect()
    }
}

/// What holds for every operation, added once rather than on each handler: the bearer key,
/// `Idempotency-Key` on every POST, `X-Request-Id` on every answer, and the `/v1` prefix.
struct Conventions;

impl utoipa::Modify for Conventions {
    fn modify(&self, doc: &mut OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("dw_sk_…")
                    .description(Some("An API key from Settings → API keys."))
                    .build(),
            ),
        );
        doc.security = Some(vec![utoipa::openapi::security::SecurityRequirement::new(
            "api_key",
            Vec::<String>::new(),
        )]);
    }
}

/// Adds what [`Conventions`] says to each operation of `doc`, and the `/v1` prefix to its
/// paths; run once the routes have filled it.
fn finish(mut doc: OpenApi) -> OpenApi {
    let paths = std::mem::take(&mut doc.paths.paths);
    for (path, mut item) in paths {
        let methods = [
            (HttpMethod::Get, &mut item.get),
            (HttpMethod::Post, &mut item.post),
        ];
        for (method, operation) in methods {
            if let Some(operation) = operation.as_mut() {
                conventions(method, operation);
            }
        }
        doc.paths.paths.insert(format!("/v1{path}"), item);
    }
    doc
}

fn conventions(method: HttpMethod, operation: &mut Operation) {
    if method == HttpMethod::Post {
        operation
            .parameters
            .get_or_insert_with(Vec::new)
            .push(RefOr::T(
                ParameterBuilder::new()
                    .name("Idempotency-Key")
                    .parameter_in(ParameterIn::Header)
                    .required(Required::False)
                    .description(Some(
                        "Makes a retry safe: a repeat within 24 h gets the first answer; the \
                     same key with another request is refused (409).",
                    ))
                    .schema(Some(
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .min_length(Some(1))
                            .max_length(Some(255)),
                    ))
                    .build(),
            ));
    }
    let request_id = HeaderBuilder::new()
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .description(Some("This request's id, also in Dunwell's log."))
        .build();
    for response in operation.responses.responses.values_mut() {
        if let RefOr::T(response) = response {
            response
                .headers
                .insert("X-Request-Id".to_owned(), RefOr::T(request_id.clone()));
        }
    }
}

/// The document, built once from the routes.
pub fn document() -> &'static OpenApi {
    static DOCUMENT: OnceLock<OpenApi> = OnceLock::new();
    DOCUMENT.get_or_init(|| finish(super::registered().into_openapi()))
}

/// `GET /v1/openapi.json`: public, like any API reference.
pub async fn serve() -> Response {
    static JSON: OnceLock<String> = OnceLock::new();
    let body = JSON.get_or_init(|| {
        document()
            .to_pretty_json()
            .unwrap_or_else(|_| "{}".to_owned())
    });
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body.as_str(),
    )
        .into_response()
}

/// The document in the shape of the console's reference page (Settings → API keys →
/// reference), built once.
pub fn reference() -> &'static ApiReference {
    static REFERENCE: OnceLock<ApiReference> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        let doc = serde_json::to_value(document()).unwrap_or(Value::Null);
        reference_of(&doc)
    })
}

fn reference_of(doc: &Value) -> ApiReference {
    let str_of = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let mut groups: Vec<ApiGroup> = doc["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|tag| ApiGroup {
            tag: str_of(&tag["name"]),
            description: str_of(&tag["description"]),
            operations: Vec::new(),
        })
        .collect();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in ["get", "post"] {
            let op = &item[method];
            if !op.is_object() {
                continue;
            }
            let parameters = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| ApiField {
                    name: str_of(&p["name"]),
                    location: str_of(&p["in"]),
                    kind: type_name(&p["schema"]),
                    required: p["required"].as_bool().unwrap_or(false),
                    description: str_of(&p["description"]),
                })
                .collect();
            let request = Some(&op["requestBody"]["content"]["application/json"]["schema"])
                .filter(|schema| schema.is_object())
                .map(type_name);
            let ok = &op["responses"]["200"]["content"];
            let response = match ok.get("application/json") {
                Some(json) => type_name(&json["schema"]),
                None => ok
                    .as_object()
                    .and_then(|c| c.keys().next().cloned())
                    .unwrap_or_default(),
            };
            let operation = ApiOperation {
                id: str_of(&op["operationId"]),
                method: method.to_uppercase(),
                path: path.clone(),
                summary: str_of(&op["summary"]),
                parameters,
                request,
                response,
            };
            let tag = str_of(&op["tags"][0]);
            match groups.iter_mut().find(|g| g.tag == tag) {
                Some(group) => group.operations.push(operation),
                None => groups.push(ApiGroup {
                    tag,
                    description: String::new(),
                    operations: vec![operation],
                }),
            }
        }
    }
    let schemas = doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, schema)| schema_of(name, schema))
        .collect();
    ApiReference { groups, schemas }
}

fn schema_of(name: &str, schema: &Value) -> ApiSchema {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let fields = schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(field, property)| ApiField {
            name: field.clone(),
            location: String::new(),
            kind: type_name(property),
            required: required.contains(&field.as_str()),
            description: property["description"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        })
        .collect();
    let variants = if let Some(values) = schema["enum"].as_array() {
        values
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .collect()
    } else if let Some(options) = schema["oneOf"].as_array() {
        options
            .iter()
            .map(
                |option| match option["properties"]["type"]["enum"][0].as_str() {
                    Some(kind) => format!("type = {kind}"),
                    None => type_name(option),
                },
            )
            .collect()
    } else {
        Vec::new()
    };
    ApiSchema {
        name: name.to_owned(),
        description: schema["description"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        fields,
        variants,
    }
}

/// A schema's type in a few characters: `Customer`, `string`, `integer | null`, `InvoiceLine[]`.
fn type_name(schema: &Value) -> String {
    if let Some(reference) = schema["$ref"].as_str() {
        return reference.rsplit('/').next().unwrap_or(reference).to_owned();
    }
    if let Some(options) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        return options
            .iter()
            .map(type_name)
            .collect::<Vec<_>>()
            .join(" | ");
    }
    let one = |kind: &str| match kind {
        "array" => format!("{}[]", type_name(&schema["items"])),
        other => other.to_owned(),
    };
    match &schema["type"] {
        Value::String(kind) => one(kind),
        Value::Array(kinds) => kinds
            .iter()
            .filter_map(Value::as_str)
            .map(one)
            .collect::<Vec<_>>()
            .join(" | "),
        _ if schema.as_object().is_some_and(|o| o.is_empty()) => "any".to_owned(),
        _ => "object".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_holds_every_operation_and_object_of_the_document() {
        // Act
        let reference = reference();

        // Assert
        let operations: usize = reference.groups.iter().map(|g| g.operations.len()).sum();
        assert_eq!(operations, 22);
        let customers = &reference.groups[0];
        assert_eq!(customers.tag, "customers");
        let create = customers
            .operations
            .iter()
            .find(|o| o.id == "customers_create")
            .expect("POST /v1/customers");
        assert_eq!(
            (create.method.as_str(), create.path.as_str()),
            ("POST", "/v1/customers")
        );
        assert_eq!(create.request.as_deref(), Some("CustomerCreate"));
        assert_eq!(create.response, "Customer");
        assert!(
            create
                .parameters
                .iter()
                .any(|p| p.name == "Idempotency-Key" && p.location == "header")
        );
        let pdf = reference
            .groups
            .iter()
            .flat_map(|g| &g.operations)
            .find(|o| o.id == "invoices_pdf")
            .expect("the PDF");
        assert_eq!(pdf.response, "application/pdf");
        let customer = reference
            .schemas
            .iter()
            .find(|s| s.name == "Customer")
            .unwrap();
        let tax_id = customer.fields.iter().find(|f| f.name == "tax_id").unwrap();
        assert_eq!(tax_id.kind, "string | null");
        let email = customer.fields.iter().find(|f| f.name == "email").unwrap();
        assert!(email.required);
        let kinds = reference
            .schemas
            .iter()
            .find(|s| s.name == "ErrorType")
            .unwrap();
        assert!(kinds.variants.contains(&"rate_limit_error".to_owned()));
        let flow = reference
            .schemas
            .iter()
            .find(|s| s.name == "PortalFlowBody")
            .unwrap();
        assert!(
            flow.variants
                .contains(&"type = subscription_cancel".to_owned())
        );
    }
}
