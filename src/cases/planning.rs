//! A case's plan: the route it takes (whose steps join the checklist) and the milestones its due
//! dates count from. Setting a milestone dates every item anchored on it; the overdue list and
//! the reminders read those dates.

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::checklist::{Made, ROUTE_POSITIONS, redate};
use super::journal::record;
use super::model::CaseRow;
use super::situation;
use super::status::{CaseStatus, Direction};
use super::views::MilestonesInput;
use super::{store, today};
use crate::auth::AuthUser;
use crate::db::DbConnection;
use crate::eligibility::conditions::Context;
use crate::error::{AppError, FieldError};
use crate::money::Rates;
use crate::registry::Registry;
use crate::registry::route::Anchor;

/// Milestones as sent: each a date, `null` to clear, absent to keep. A value that is not a
/// date is a 422 naming the milestone.
pub type MilestoneChange = [(Anchor, Option<Option<NaiveDate>>); 4];

pub fn parse_milestones(input: &MilestonesInput) -> Result<MilestoneChange, AppError> {
    let mut errors = Vec::new();
    let mut parse = |name: &str, value: &Option<Option<String>>| match value {
        None => None,
        Some(None) => Some(None),
        Some(Some(text)) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(day) if (2000..=2100).contains(&chrono::Datelike::year(&day)) => Some(Some(day)),
            _ => {
                errors.push(FieldError::new(
                    format!("milestones.{name}"),
                    "must be a date YYYY-MM-DD between 2000 and 2100",
                ));
                None
            }
        },
    };
    let parsed = [
        (
            Anchor::OfferAccepted,
            parse("offer_accepted", &input.offer_accepted),
        ),
        (Anchor::VisaApproved, parse("visa_approved", &input.visa_approved)),
        (Anchor::Arrival, parse("arrival", &input.arrival)),
        (
            Anchor::EmploymentStart,
            parse("employment_start", &input.employment_start),
        ),
    ];
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(AppError::Validation(errors))
    }
}

pub struct Planning<'a> {
    pub registry: &'a Registry,
    pub rates: &'a Rates,
    pub actor: &'a AuthUser,
    pub at: NaiveDateTime,
}

fn milestone_json(case: &CaseRow) -> serde_json::Value {
    json!({
        "offer_accepted": case.offer_accepted_on,
        "visa_approved": case.visa_approved_on,
        "arrival": case.arrival_on,
        "employment_start": case.employment_start_on,
    })
}

fn set_milestone(case: &mut CaseRow, anchor: Anchor, day: Option<chrono::NaiveDate>) {
    match anchor {
        Anchor::OfferAccepted => case.offer_accepted_on = day,
        Anchor::VisaApproved => case.visa_approved_on = day,
        Anchor::Arrival => case.arrival_on = day,
        Anchor::EmploymentStart => case.employment_start_on = day,
        // The opening day is the case's own and never moves.
        Anchor::Opened => {}
    }
}

impl Planning<'_> {
    /// Sets the milestones given, then the route, then dates every task again.
    pub fn change(
        &self,
        conn: &mut DbConnection,
        case_id: &str,
        route: Option<&str>,
        milestones: Option<&MilestoneChange>,
    ) -> Result<(), AppError> {
        let before = store::find_case(conn, case_id)?.ok_or(AppError::NotFound)?;
        if before.status == CaseStatus::Closed.as_str() {
            return Err(AppError::Conflict("a closed case cannot be changed".into()));
        }
        let mut case = before.clone();
        for (anchor, value) in milestones.into_iter().flatten() {
            if let Some(day) = value {
                set_milestone(&mut case, *anchor, *day);
            }
        }
        let new_route = route.filter(|code| before.route.as_deref() != Some(*code));
        if let Some(code) = new_route {
            self.take_route(conn, &mut case, code)?;
        }
        let mut tasks = store::tasks_of(conn, std::slice::from_ref(&case.id))?;
        redate(&case, &mut tasks);
        for task in &tasks {
            store::update_task(conn, task)?;
        }
        case.updated_at = self.at;
        store::update_plan(conn, &case)?;
        if new_route.is_some() {
            let (b, a) = (json!({"route": before.route}), json!({"route": case.route}));
            record(
                conn,
                self.actor,
                "case.route_changed",
                case_id,
                Some(&b),
                Some(&a),
            )?;
        }
        if milestone_json(&before) != milestone_json(&case) {
            let (b, a) = (milestone_json(&before), milestone_json(&case));
            record(
                conn,
                self.actor,
                "case.milestones_changed",
                case_id,
                Some(&b),
                Some(&a),
            )?;
        }
        Ok(())
    }

    /// Replaces the steps of the previous route with those of `code`, judged on the
    /// candidate's situation today.
    fn take_route(&self, conn: &mut DbConnection, case: &mut CaseRow, code: &str) -> Result<(), AppError> {
        let to = Direction::parse(&case.direction)
            .map(|d| d.to)
            .unwrap_or_default();
        let registry = self.registry;
        let route = registry
            .basis(code)
            .filter(|basis| basis.jurisdiction == to)
            .and_then(|basis| registry.routes.get(&basis.code))
            .ok_or_else(|| {
                AppError::invalid(
                    "route",
                    format!("{code:?} is not a work-authorisation basis of {to} with a route"),
                )
            })?;
        let situation = situation::of_case(conn, case, today())?;
        let context = Context {
            registry,
            rates: self.rates,
            situation: &situation,
            to: &to,
        };
        case.route = Some(code.to_owned());
        store::delete_route_tasks(conn, &case.id)?;
        let made = Made {
            case,
            context: &context,
            credential_note: None,
            at: self.at,
        };
        for task in made.tasks(&route.steps, Some(code), ROUTE_POSITIONS) {
            store::insert_task(conn, &task)?;
        }
        Ok(())
    }
}
