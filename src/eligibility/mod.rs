//! Who may work where, and how: the route finder over the registry's routes (data), judged on a
//! candidate's situation and, when one is named, a job. Cases fill their permit route from it.

pub mod conditions;
pub mod finder;
pub mod routes;
pub mod situation;
pub mod views;

use chrono::NaiveDate;

use crate::audit::{self, Actor, Change};
use crate::auth::{AuthUser, Role};
use crate::candidates::model::CandidateRow;
use crate::context::AreaContext;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::money::Rates;
use crate::registry::Registry;
use conditions::Context;
use views::{RouteView, RoutesAnswer, RoutesQuery};

/// Whose routes: the caller's own, or (agency) a candidate's.
pub enum Whose {
    Me,
    Candidate(String),
}

/// `GET /candidates/me/routes` and `GET /candidates/{id}/routes`.
pub async fn routes(
    ctx: &AreaContext,
    user: &AuthUser,
    whose: Whose,
    query: RoutesQuery,
    locale: Locale,
) -> Result<RoutesAnswer, AppError> {
    match whose {
        Whose::Me => user.require(&[Role::Candidate])?,
        Whose::Candidate(_) => user.require_agency()?,
    }
    let agency_reading = matches!(whose, Whose::Candidate(_));
    let registry = ctx.registry.get();
    if registry.jurisdiction(&query.to).is_none() {
        let known: Vec<&str> = registry.jurisdictions.iter().map(|j| j.code.as_str()).collect();
        return Err(AppError::invalid(
            "to",
            format!(
                "{:?} is not a jurisdiction of the registry ({})",
                query.to,
                known.join(", ")
            ),
        ));
    }
    let rates = ctx.rates.clone();
    let caller = user.clone();
    let today = crate::calendar::today();
    let answer = move |conn: &mut DbConnection| {
        let candidate = match &whose {
            Whose::Me => crate::candidates::store::find_by_user(conn, &caller.id)?,
            Whose::Candidate(id) => crate::candidates::store::find(conn, id)?,
        }
        .filter(|c| c.erased_at.is_none())
        .ok_or(AppError::NotFound)?;
        if let Some(job_id) = &query.job_id {
            let job = crate::jobs::store::find_job(conn, job_id)?.ok_or(AppError::NotFound)?;
            if !crate::jobs::service::readable(conn, Some(&caller), &job)? {
                return Err(AppError::NotFound);
            }
        }
        if let Whose::Candidate(id) = &whose {
            // The situation is private: the agency's reading of it is on the record.
            audit::record(
                conn,
                &Actor::from(&caller),
                Change {
                    action: "candidate.routes_read",
                    target_type: "candidate",
                    target_id: id,
                    before: None::<&()>,
                    after: None::<&()>,
                },
            )?;
        }
        let items = route_views(conn, &registry, &rates, &candidate, &query, today, locale)?;
        Ok(RoutesAnswer {
            to: query.to,
            job_id: query.job_id,
            items,
        })
    };
    // A candidate's own reading writes nothing, so it does not wait for SQLite's one writer.
    if agency_reading {
        ctx.db.write(answer).await
    } else {
        ctx.db.read(answer).await
    }
}

/// The routes' views for a candidate, in `locale`.
pub fn route_views(
    conn: &mut DbConnection,
    registry: &Registry,
    rates: &Rates,
    candidate: &CandidateRow,
    query: &RoutesQuery,
    today: NaiveDate,
    locale: Locale,
) -> Result<Vec<RouteView>, AppError> {
    let situation = situation::of_candidate(conn, candidate, query.job_id.as_deref(), today)?;
    let context = Context {
        registry,
        rates,
        situation: &situation,
        to: &query.to,
    };
    Ok(finder::find(&context)
        .iter()
        .map(|route| RouteView::of(route, locale))
        .collect())
}
