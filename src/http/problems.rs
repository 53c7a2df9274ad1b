//! Problem responses that many operations document alike, named once for `#[utoipa::path]`:
//! `responses((status = 200, body = JobView), problems::NotFound)` documents exactly what
//! `(status = 404, body = Problem, content_type = "application/problem+json")` does.
//!
//! The description of each is its `#[response(description)]`, or empty where an operation lists
//! the status without one; these types carry no doc comments because utoipa would take a doc
//! comment for the description.

use utoipa::IntoResponses;

use crate::error::Problem;

// 400 without a description.
#[derive(IntoResponses)]
#[response(status = 400, content_type = "application/problem+json")]
pub struct BadRequest(pub Problem);

// 401 without a description.
#[derive(IntoResponses)]
#[response(status = 401, content_type = "application/problem+json")]
pub struct Unauthorized(pub Problem);

// 403 without a description.
#[derive(IntoResponses)]
#[response(status = 403, content_type = "application/problem+json")]
pub struct Forbidden(pub Problem);

// 404 without a description.
#[derive(IntoResponses)]
#[response(status = 404, content_type = "application/problem+json")]
pub struct NotFound(pub Problem);

// 422 without a description.
#[derive(IntoResponses)]
#[response(status = 422, content_type = "application/problem+json")]
pub struct Unprocessable(pub Problem);

#[derive(IntoResponses)]
#[response(
    status = 422,
    description = "A jurisdiction the registry does not have",
    content_type = "application/problem+json"
)]
pub struct UnknownJurisdiction(pub Problem);

#[derive(IntoResponses)]
#[response(
    status = 403,
    description = "Not a candidate",
    content_type = "application/problem+json"
)]
pub struct NotCandidate(pub Problem);

#[derive(IntoResponses)]
#[response(
    status = 403,
    description = "Not agency staff",
    content_type = "application/problem+json"
)]
pub struct NotStaff(pub Problem);

#[derive(IntoResponses)]
#[response(
    status = 403,
    description = "Agency only",
    content_type = "application/problem+json"
)]
pub struct AgencyOnly(pub Problem);

#[derive(IntoResponses)]
#[response(
    status = 403,
    description = "Not an owner",
    content_type = "application/problem+json"
)]
pub struct NotOwner(pub Problem);

#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "No profile yet",
    content_type = "application/problem+json"
)]
pub struct NoProfileYet(pub Problem);

#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "Not one of the caller's",
    content_type = "application/problem+json"
)]
pub struct NotCallers(pub Problem);

#[derive(IntoResponses)]
#[response(
    status = 503,
    description = "Too many searches are waiting (`search.max_waiting_searches`); try again after `Retry-After` seconds",
    content_type = "application/problem+json"
)]
pub struct SearchBusy(pub Problem);
