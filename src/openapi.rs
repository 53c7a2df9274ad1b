//! The OpenAPI document: every endpoint and schema, served at `/api/v1/openapi.json` and shown
//! by the docs page at `/docs` (Swagger UI, assets compiled into the binary).

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, SchemaFormat};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, Response, ResponseBuilder, Schema};
use utoipa::{Modify, OpenApi};

use crate::audit::routes as audit;
use crate::auth::routes as auth;
use crate::error::{FieldError, Problem};
use crate::health;
use crate::registry::routes as registry;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "TalentBridge API",
        description = "Cross-border labour market between Shenzhen and Hong Kong. Errors are RFC 9457 application/problem+json. Besides the statuses each operation lists, any operation that reads the database answers 503 while it is unreachable, and 500 (logged, opaque) on a bug.",
    ),
    paths(
        health::healthz,
        health::readyz,
        auth::register,
        auth::verify_email,
        auth::login,
        auth::refresh,
        auth::logout,
        auth::request_password_reset,
        auth::confirm_password_reset,
        auth::me,
        auth::create_staff_user,
        registry::jurisdictions,
        registry::locations,
        registry::skills,
        registry::qualifications,
        registry::qualification,
        registry::create_qualification,
        registry::equivalences,
        registry::equivalence,
        registry::create_equivalence,
        registry::update_equivalence,
        registry::retire_equivalence,
        registry::resolve_equivalence,
        registry::work_authorization_bases,
        registry::replace_route,
        registry::situation_groups,
        audit::list,
    ),
    components(schemas(Problem, FieldError, registry::RuleFilter)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Accounts and authentication"),
        (name = "admin", description = "Administration"),
        (name = "registry", description = "Jurisdictions, places, qualifications, equivalences, work-authorisation bases, skills"),
        (name = "audit", description = "Who did what, when (admins)"),
        (name = "operations", description = "Health and readiness (metrics are served on their own listener, `application.metrics_bind`)"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Answers that do not depend on the handler, added to every operation they can come from so
/// that the document lists every status a client can get (the fuzzer checks it does): 400 from
/// the query and JSON extractors (malformed, wrong types, unknown fields), 413 and 415 from the
/// JSON extractor, 401 from `AuthUser`, 429 from the per-address limiter of the auth endpoints.
/// 500 (a bug) and 503 (database lost) are not listed per operation; the description says so.
struct CommonResponses;

const COMMON: [(&str, &str, &str); 5] = [
    (
        "400",
        "BadRequest",
        "Malformed query or body: not JSON, a wrong type, a missing or unknown field",
    ),
    (
        "401",
        "Unauthorized",
        "No access token, or an invalid or expired one",
    ),
    (
        "413",
        "PayloadTooLarge",
        "The body is larger than `application.max_body_bytes`",
    ),
    (
        "415",
        "UnsupportedMediaType",
        "The body is not `application/json`",
    ),
    (
        "429",
        "TooManyRequests",
        "Too many requests from this address; see `Retry-After`",
    ),
];

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (_, name, description) in COMMON {
            components
                .responses
                .insert(name.to_owned(), RefOr::T(problem(description)));
        }
        for (path, item) in openapi.paths.paths.iter_mut() {
            let limited = path.starts_with("/api/v1/auth/");
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                let mut statuses = Vec::new();
                if operation.request_body.is_some() {
                    statuses.extend(["400", "413", "415"]);
                }
                if has_query(operation) {
                    statuses.push("400");
                }
                if requires_token(operation) {
                    statuses.push("401");
                }
                if limited {
                    statuses.push("429");
                }
                for (status, name, _) in COMMON.iter().filter(|(s, ..)| statuses.contains(s)) {
                    operation
                        .responses
                        .responses
                        .entry((*status).to_owned())
                        .or_insert_with(|| RefOr::Ref(Ref::from_response_name(*name)));
                }
                widen_page_parameters(operation);
            }
        }
    }
}

fn problem(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            crate::error::PROBLEM_JSON,
            Content::new(Some(Ref::from_schema_name("Problem"))),
        )
        .build()
}

fn has_query(operation: &Operation) -> bool {
    operation
        .parameters
        .iter()
        .flatten()
        .any(|parameter| match parameter {
            RefOr::T(parameter) => parameter.parameter_in == ParameterIn::Query,
            RefOr::Ref(_) => false,
        })
}

/// Secured and not optionally so: an optional requirement (`{}`) lets anonymous callers in.
fn requires_token(operation: &Operation) -> bool {
    let Some(requirements) = &operation.security else {
        return false;
    };
    let json = serde_json::to_value(requirements).unwrap_or_default();
    let requirements = json.as_array().map(Vec::as_slice).unwrap_or_default();
    !requirements.is_empty()
        && requirements
            .iter()
            .all(|r| r.as_object().is_some_and(|r| !r.is_empty()))
}

/// Every `limit` and `offset` query parameter is a `u32` (`Page::new`, `MatchQuery`), which utoipa
/// documents as `int32` — a promise of at most 2^31 − 1 while the service takes up to 2^32 − 1.
/// Documented as what it is, keeping a smaller maximum where one is set (search offsets).
fn widen_page_parameters(operation: &mut Operation) {
    for parameter in operation.parameters.iter_mut().flatten() {
        let RefOr::T(parameter) = parameter else { continue };
        if parameter.parameter_in != ParameterIn::Query || !["limit", "offset"].contains(&&*parameter.name) {
            continue;
        }
        let Some(RefOr::T(Schema::Object(schema))) = &mut parameter.schema else {
            continue;
        };
        if schema.format == Some(SchemaFormat::KnownFormat(KnownFormat::Int32)) {
            schema.format = Some(SchemaFormat::KnownFormat(KnownFormat::Int64));
            schema.maximum.get_or_insert(u32::MAX.into());
        }
    }
}

/// The whole document served at `/api/v1/openapi.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut areas = areas().into_iter();
    let mut doc = areas.next().expect("the base document");
    areas.for_each(|area| doc.merge(area));
    CommonResponses.modify(&mut doc);
    doc
}

/// The base document, then each area's part. Merging keeps one schema per name.
fn areas() -> Vec<utoipa::openapi::OpenApi> {
    vec![
        ApiDoc::openapi(),
        crate::employers::routes::Doc::openapi(),
        crate::eligibility::routes::Doc::openapi(),
        crate::jobs::routes::Doc::openapi(),
        crate::candidates::routes::Doc::openapi(),
        crate::data_rights::routes::Doc::openapi(),
        crate::search::routes::Doc::openapi(),
        crate::matching::routes::Doc::openapi(),
        crate::applications::routes::Doc::openapi(),
        crate::cases::routes::Doc::openapi(),
        crate::analytics::routes::Doc::openapi(),
        crate::alerts::routes::Doc::openapi(),
    ]
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// Two areas once both had a `VerificationInput`; the merge kept one, so two endpoints were
    /// documented with the other's body.
    #[test]
    fn no_schema_name_means_two_things() {
        let mut seen = BTreeMap::new();
        for area in areas() {
            for (name, schema) in area.components.into_iter().flat_map(|c| c.schemas) {
                let schema = serde_json::to_value(schema).unwrap();
                if let Some(earlier) = seen.insert(name.clone(), schema.clone()) {
                    assert_eq!(earlier, schema, "two schemas are named {name}");
                }
            }
        }
    }

    #[test]
    fn statuses_every_operation_can_answer_are_listed() {
        let doc = serde_json::to_value(document()).unwrap();
        let login = &doc["paths"]["/api/v1/auth/login"]["post"]["responses"];
        for status in ["400", "413", "415", "429"] {
            assert!(login[status].is_object(), "login lacks {status}");
        }
        let me = &doc["paths"]["/api/v1/me"]["get"]["responses"];
        assert!(me["401"].is_object() && me["400"].is_null() && me["415"].is_null());
        // Open to anonymous callers: no 401 is added.
        assert!(doc["paths"]["/api/v1/jobs/search"]["get"]["responses"]["401"].is_null());
        let offset = doc["paths"]["/api/v1/applications"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "offset")
            .unwrap();
        assert_eq!(offset["schema"]["maximum"], u32::MAX);
    }
}
