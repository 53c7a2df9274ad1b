//! The analytics: the overview's figures, and cases, applications and the skill gap as bar
//! charts drawn here as inline SVG (no script, no inline style). Each bar carries a `<title>`
//! and each chart a table of the same figures, so nothing is only seen.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{AgencyTexts, staff};
use crate::analytics::skill_gap::{self, SkillGap};
use crate::analytics::store::{self, Overview};
use crate::applications::status::Status as ApplicationStatus;
use crate::cases::status::CaseStatus;
use crate::error::AppError;
use crate::web::choices;
use crate::web::page::{Page, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/agency/analytics").get(analytics));
}

/// The skills shown in the skill-gap chart.
const TOP_SKILLS: usize = 12;

// The charts' geometry, in the SVG's own units (it scales to the page's width).
const WIDTH: u32 = 640;
const LABEL_END: u32 = 184;
const BAR_START: u32 = 192;
const BAR_ROOM: u32 = 380;
/// The room left of the bars, in half-em units: a Latin letter takes one, a CJK character two.
const LABEL_UNITS: usize = 27;

#[derive(Deserialize)]
struct AnalyticsQuery {
    jurisdiction: Option<String>,
}

struct Figure {
    label: &'static str,
    value: String,
}

/// One series of a chart: its name, and the class its bars are drawn with.
struct Series {
    name: &'static str,
    class: &'static str,
    /// The legend's swatch and text.
    x: u32,
}

struct Bar {
    class: &'static str,
    y: u32,
    width: u32,
    height: u32,
    value_x: u32,
    value_y: u32,
    value: String,
    title: String,
}

struct Row {
    label: String,
    short: String,
    text_y: u32,
    bars: Vec<Bar>,
    /// The table's extra column (the skill gap's ratio).
    extra: Option<String>,
}

struct Chart {
    id: &'static str,
    title: &'static str,
    intro: Option<&'static str>,
    label_header: &'static str,
    series: Vec<Series>,
    /// The table's extra column after the series.
    extra_header: Option<&'static str>,
    rows: Vec<Row>,
    height: u32,
    legend_y: u32,
}

#[derive(Template)]
#[template(path = "web/agency/analytics.html")]
struct AnalyticsPage<'a> {
    page: &'a Page,
    t: &'static AgencyTexts,
    figures: Vec<Figure>,
    charts: Vec<Chart>,
    jurisdictions: Vec<choices::Choice>,
    jurisdiction: String,
    width: u32,
    label_end: u32,
    bar_start: u32,
}

async fn analytics(page: Page, query: web::Query<AnalyticsQuery>) -> HttpResponse {
    let html = analytics_html(&page, query.into_inner()).await;
    page.respond(html)
}

async fn analytics_html(page: &Page, query: AnalyticsQuery) -> Result<String, AppError> {
    staff(page)?;
    let t = AgencyTexts::of(page.locale);
    let locale = page.locale;
    let registry = page.state().registry.get();
    // An unknown place is no filter, as an empty choice is.
    let jurisdiction = query
        .jurisdiction
        .filter(|code| registry.jurisdiction(code).is_some());
    let overview = store::current_overview(&page.state().db).await?;
    let gap = skill_gap::current(&page.state().db, registry.clone(), jurisdiction.clone(), locale).await?;
    let template = AnalyticsPage {
        page,
        t,
        figures: figures(t, &overview),
        charts: vec![
            counts_chart(
                "cases-by-status",
                t.cases_by_status,
                t.status,
                ordered(
                    &overview.cases_by_status,
                    &CaseStatus::ALL.map(CaseStatus::as_str),
                ),
                |s| page.t.recorded_case_status(s).to_string(),
                t,
            ),
            counts_chart(
                "cases-by-direction",
                t.cases_by_direction,
                t.direction,
                ordered(&overview.cases_by_direction, &[]),
                str::to_string,
                t,
            ),
            counts_chart(
                "applications-by-status",
                t.apps_by_status,
                t.status,
                ordered(
                    &overview.applications_by_status,
                    &ApplicationStatus::ALL.map(ApplicationStatus::as_str),
                ),
                |s| {
                    ApplicationStatus::parse(s)
                        .map_or(s, |s| page.t.stage(s))
                        .to_string()
                },
                t,
            ),
            gap_chart(t, &gap, jurisdiction.is_none()),
        ],
        jurisdictions: choices::jurisdictions(&registry, locale),
        jurisdiction: jurisdiction.unwrap_or_default(),
        width: WIDTH,
        label_end: LABEL_END,
        bar_start: BAR_START,
    };
    render(&template)
}

fn figures(t: &AgencyTexts, o: &Overview) -> Vec<Figure> {
    let figure = |label, value: i64| Figure {
        label,
        value: value.to_string(),
    };
    vec![
        figure(t.candidates, o.candidates),
        figure(t.employers, o.employers),
        figure(t.verified_employers, o.verified_employers),
        figure(t.open_jobs, o.open_jobs),
        figure(t.overdue_tasks, o.overdue_tasks),
        Figure {
            label: t.median_days,
            value: match o.median_days_to_resolve {
                Some(days) => format!("{days:.1}"),
                None => t.none_yet.to_string(),
            },
        },
    ]
}

/// A label cut to fit the room left of the bars; the full label is in the bar's title and the
/// table.
fn short(label: &str) -> String {
    let units = |c: char| if c.len_utf8() >= 3 { 2 } else { 1 };
    if label.chars().map(units).sum::<usize>() <= LABEL_UNITS {
        return label.to_string();
    }
    let mut cut = String::new();
    let mut used = 1; // the ellipsis
    for c in label.chars() {
        if used + units(c) > LABEL_UNITS {
            break;
        }
        used += units(c);
        cut.push(c);
    }
    cut.push('…');
    cut
}

/// The counts in `order` (a vocabulary's own order), then any others.
fn ordered(counts: &BTreeMap<String, i64>, order: &[&str]) -> Vec<(String, i64)> {
    let mut rows: Vec<(String, i64)> = order
        .iter()
        .filter_map(|key| counts.get(*key).map(|n| ((*key).to_string(), *n)))
        .collect();
    rows.extend(
        counts
            .iter()
            .filter(|(key, _)| !order.contains(&key.as_str()))
            .map(|(key, n)| (key.clone(), *n)),
    );
    rows
}

/// The length of a bar for `value` when the longest is `max`; a value above zero is at least a
/// sliver, so it is not mistaken for zero.
fn length(value: f64, max: f64) -> u32 {
    if value <= 0.0 || max <= 0.0 {
        0
    } else {
        ((value / max * f64::from(BAR_ROOM)).round() as u32).max(2)
    }
}

/// A chart of counts with one bar per key.
fn counts_chart(
    id: &'static str,
    title: &'static str,
    label_header: &'static str,
    counts: Vec<(String, i64)>,
    label: impl Fn(&str) -> String,
    t: &AgencyTexts,
) -> Chart {
    const ROW: u32 = 28;
    const BAR: u32 = 18;
    let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0) as f64;
    let rows = counts
        .iter()
        .enumerate()
        .map(|(i, (key, n))| {
            let top = 8 + ROW * i as u32;
            let name = label(key);
            let width = length(*n as f64, max);
            Row {
                short: short(&name),
                text_y: top + BAR - 5,
                bars: vec![Bar {
                    class: "bar",
                    y: top,
                    width,
                    height: BAR,
                    value_x: BAR_START + width + 6,
                    value_y: top + BAR - 5,
                    value: n.to_string(),
                    title: format!("{name}: {n}"),
                }],
                extra: None,
                label: name,
            }
        })
        .collect::<Vec<_>>();
    Chart {
        id,
        title,
        intro: None,
        label_header,
        series: vec![Series {
            name: t.number,
            class: "bar",
            x: 0,
        }],
        extra_header: None,
        height: 16 + ROW * rows.len() as u32,
        legend_y: 0,
        rows,
    }
}

/// The skill gap: per skill, open jobs against candidates, the greatest shortage first.
fn gap_chart(t: &AgencyTexts, gap: &[SkillGap], every_place: bool) -> Chart {
    const ROW: u32 = 40;
    const BAR: u32 = 14;
    const TOP: u32 = 32;
    let shown: Vec<&SkillGap> = gap.iter().take(TOP_SKILLS).collect();
    let max = shown
        .iter()
        .map(|g| g.open_jobs.max(g.candidates))
        .max()
        .unwrap_or(0) as f64;
    let rows = shown
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let top = TOP + ROW * i as u32;
            let name = if every_place {
                format!("{} · {}", g.jurisdiction, g.label)
            } else {
                g.label.clone()
            };
            let bar = |class, offset: u32, value: i64, series: &str| {
                let width = length(value as f64, max);
                Bar {
                    class,
                    y: top + offset,
                    width,
                    height: BAR,
                    value_x: BAR_START + width + 6,
                    value_y: top + offset + BAR - 3,
                    value: value.to_string(),
                    title: format!("{name} — {series}: {value}"),
                }
            };
            Row {
                short: short(&name),
                text_y: top + BAR + 4,
                bars: vec![
                    bar("bar", 0, g.open_jobs, t.open_jobs),
                    bar("bar alt", BAR + 2, g.candidates, t.candidates),
                ],
                extra: Some(format!("{:.2}", g.ratio)),
                label: name,
            }
        })
        .collect::<Vec<_>>();
    Chart {
        id: "skill-gap",
        title: t.skill_gap,
        intro: Some(t.skill_gap_intro),
        label_header: t.skill,
        series: vec![
            Series {
                name: t.open_jobs,
                class: "bar",
                x: BAR_START,
            },
            Series {
                name: t.candidates,
                class: "bar alt",
                x: BAR_START + 180,
            },
        ],
        extra_header: Some(t.ratio),
        height: TOP + 8 + ROW * rows.len() as u32,
        legend_y: 6,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_proportional_and_a_small_value_stays_visible() {
        assert_eq!(length(10.0, 10.0), BAR_ROOM);
        assert_eq!(length(5.0, 10.0), BAR_ROOM / 2);
        assert_eq!(length(0.0, 10.0), 0);
        assert_eq!(length(1.0, 10_000.0), 2);
        assert_eq!(length(3.0, 0.0), 0);
    }

    #[test]
    fn long_labels_are_cut_on_characters() {
        assert_eq!(short("Rust"), "Rust");
        let long = "软件工程软件工程软件工程软件工程软件工程软件工程";
        assert_eq!(
            short(long),
            "软件工程软件工程软件工程软…",
            "a CJK character takes two units"
        );
        let latin = "Software engineering and architecture";
        assert_eq!(short(latin).chars().count(), LABEL_UNITS);
        assert!(short(latin).ends_with('…'));
        assert_eq!(
            ordered(&[("b".to_string(), 1), ("z".to_string(), 2)].into(), &["z", "a"]),
            [("z".to_string(), 2), ("b".to_string(), 1)]
        );
    }
}
