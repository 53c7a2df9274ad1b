//! The OpenAPI document: every endpoint and schema, served at `/api/v1/openapi.json` and shown
//! by the docs page at `/docs` (Swagger UI, assets compiled into the binary).

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
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
        description = "Cross-border labour market between Shenzhen and Hong Kong. Errors are RFC 9457 application/problem+json.",
    ),
    paths(
        health::healthz,
        health::readyz,
        health::metrics_doc,
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
        audit::list,
    ),
    components(schemas(Problem, FieldError)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Accounts and authentication"),
        (name = "admin", description = "Administration"),
        (name = "registry", description = "Jurisdictions, places, qualifications, equivalences, work-authorisation bases, skills"),
        (name = "audit", description = "Who did what, when (admins)"),
        (name = "operations", description = "Health, readiness and metrics"),
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

/// The whole document served at `/api/v1/openapi.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::employers::routes::Doc::openapi());
    doc.merge(crate::jobs::routes::Doc::openapi());
    doc.merge(crate::candidates::routes::Doc::openapi());
    doc.merge(crate::search::routes::Doc::openapi());
    doc.merge(crate::matching::routes::Doc::openapi());
    doc.merge(crate::applications::routes::Doc::openapi());
    doc.merge(crate::cases::routes::Doc::openapi());
    doc.merge(crate::analytics::routes::Doc::openapi());
    doc.merge(crate::alerts::routes::Doc::openapi());
    doc
}
