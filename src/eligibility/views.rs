//! What the route finder answers, in the caller's language.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::finder::{Judged, RouteStatus};
use crate::i18n::{Locale, LocalizedText};
use crate::money::Money;
use crate::registry::route::{Channel, ChecklistItem, DayRange, DueRule, Party};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RoutesQuery {
    /// The destination jurisdiction, e.g. `HK`.
    #[param(pattern = "^[A-Z]{2}$")]
    pub to: String,
    /// A job the caller may read: its offer, sponsorship and pay are judged too.
    pub job_id: Option<String>,
}

/// An office or online service, in the caller's language.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChannelView {
    pub name: String,
    pub url: String,
}

impl ChannelView {
    pub fn of(channel: &Channel, locale: Locale) -> Self {
        ChannelView {
            name: channel.name.get(locale).to_owned(),
            url: channel.url.clone(),
        }
    }
}

/// One thing to do, as an officer acts on it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StepView {
    pub code: String,
    #[schema(value_type = crate::registry::route::Category)]
    pub category: String,
    pub title: String,
    pub actor: Party,
    pub authority: String,
    pub channel: Option<ChannelView>,
    /// What to bring.
    pub documents: Vec<String>,
    pub fee: Option<Money>,
    pub processing_days: Option<DayRange>,
    pub due_rule: DueRule,
    pub source_url: String,
    pub checked_on: NaiveDate,
    pub verify_before_use: bool,
}

impl StepView {
    pub fn of(item: &ChecklistItem, locale: Locale) -> Self {
        StepView {
            code: item.code.clone(),
            category: item.category.clone(),
            title: item.title.get(locale).to_owned(),
            actor: item.actor,
            authority: item.authority.get(locale).to_owned(),
            channel: item.channel.as_ref().map(|c| ChannelView::of(c, locale)),
            documents: item.documents.iter().map(|d| d.get(locale).to_owned()).collect(),
            fee: item.fee.clone(),
            processing_days: item.processing_days,
            due_rule: item.due_rule,
            source_url: item.source_url.clone(),
            checked_on: item.checked_on,
            verify_before_use: item.verify_before_use,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RouteView {
    /// The work-authorisation basis code.
    pub basis: String,
    pub name: String,
    pub status: RouteStatus,
    pub met: Vec<String>,
    pub to_verify: Vec<String>,
    /// Each condition that is not met, named.
    pub unmet: Vec<String>,
    pub explanation: String,
    pub authority: String,
    pub channel: Option<ChannelView>,
    pub fee: Option<Money>,
    pub processing_days: Option<DayRange>,
    /// Months a first grant lasts, where the scheme sets it.
    pub first_grant_months: Option<u32>,
    pub source_url: String,
    pub checked_on: NaiveDate,
    pub verify_before_use: bool,
    pub steps: Vec<StepView>,
}

fn localized(texts: &[LocalizedText], locale: Locale) -> Vec<String> {
    texts.iter().map(|t| t.get(locale).to_owned()).collect()
}

impl RouteView {
    pub fn of(judged: &Judged<'_>, locale: Locale) -> Self {
        let route = judged.route;
        RouteView {
            basis: judged.basis.code.clone(),
            name: judged.basis.name().get(locale).to_owned(),
            status: judged.status,
            met: localized(&judged.met, locale),
            to_verify: localized(&judged.to_verify, locale),
            unmet: localized(&judged.unmet, locale),
            explanation: judged.explanation().get(locale).to_owned(),
            authority: route.authority.get(locale).to_owned(),
            channel: route.channel.as_ref().map(|c| ChannelView::of(c, locale)),
            fee: route.fee.clone(),
            processing_days: route.processing_days,
            first_grant_months: route.first_grant_months,
            source_url: route.source_url.clone(),
            checked_on: route.checked_on,
            verify_before_use: route.verify_before_use,
            steps: route.steps.iter().map(|s| StepView::of(s, locale)).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoutesAnswer {
    pub to: String,
    pub job_id: Option<String>,
    /// Ranked: already_authorised, eligible, possible, not_eligible.
    pub items: Vec<RouteView>,
}
