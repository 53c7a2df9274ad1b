//! The case board: every case (up to a hundred a page), grouped by assignee — yours first,
//! then the unassigned, then each colleague's — with the cases that have an overdue task first
//! in each group, and the groups with overdue cases before the others. Filters: status, the
//! assignee (`me`, `none` or a colleague's id, as the API's), and `overdue=true` (the link the
//! officers' reminder emails carry).

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{AgencyTexts, candidate_label, candidate_names, colleagues, local_time, people, staff};
use crate::cases::service::{self, ListRequest};
use crate::cases::status::{CaseStatus, TaskStatus};
use crate::error::AppError;
use crate::web::choices::direction_name;
use crate::web::page::{Page, encode, render};

/// Cases on one page of the board (the services' largest page).
const BOARD_SIZE: u32 = 100;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/agency/cases").get(board));
}

#[derive(Deserialize)]
struct BoardQuery {
    status: Option<String>,
    assignee: Option<String>,
    overdue: Option<String>,
    offset: Option<String>,
}

struct BoardCase {
    id: String,
    status: CaseStatus,
    direction: String,
    direction_name: String,
    candidate: String,
    summary: String,
    overdue: bool,
    done: usize,
    tasks: usize,
    updated: String,
}

struct Group {
    title: String,
    overdue: usize,
    cases: Vec<BoardCase>,
    /// For ordering: yours first, then the unassigned, then the others by name.
    rank: (bool, u8, String),
}

#[derive(Template)]
#[template(path = "web/agency/board.html")]
struct BoardPage<'a> {
    page: &'a Page,
    t: &'static AgencyTexts,
    groups: Vec<Group>,
    statuses: Vec<(&'static str, &'static str)>,
    status: String,
    /// Whose cases: (value, label); the first is everyone's.
    assignees: Vec<(String, String)>,
    assignee: String,
    overdue: bool,
    shown: String,
    previous: Option<String>,
    next: Option<String>,
}

async fn board(page: Page, query: web::Query<BoardQuery>) -> HttpResponse {
    let html = board_html(&page, query.into_inner()).await;
    page.respond(html)
}

async fn board_html(page: &Page, query: BoardQuery) -> Result<String, AppError> {
    let user = staff(page)?;
    let t = AgencyTexts::of(page.locale);
    let registry = page.state().registry.get();
    let status = query.status.as_deref().and_then(CaseStatus::parse);
    let overdue = matches!(query.overdue.as_deref(), Some("true" | "on" | "1"));
    let assignee = query
        .assignee
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty());
    let offset = query
        .offset
        .as_deref()
        .and_then(|o| o.parse::<u32>().ok())
        .unwrap_or(0);
    let request = ListRequest {
        status,
        assignee: assignee.clone(),
        overdue,
        page: crate::paging::Page::new(Some(BOARD_SIZE), Some(offset)),
    };
    let (cases, total) = service::list(page.state(), &user, request).await?;
    let candidates = candidate_names(page, cases.iter().map(|c| c.candidate_id.clone()).collect()).await?;
    let staff_names = people(page, cases.iter().filter_map(|c| c.assignee_id.clone()).collect()).await?;
    let shown_count = cases.len() as i64;
    let mut groups: Vec<(Option<String>, Group)> = Vec::new();
    for case in cases {
        let index = match groups.iter().position(|(who, _)| *who == case.assignee_id) {
            Some(index) => index,
            None => {
                let (title, rank) = match &case.assignee_id {
                    None => (t.unassigned.to_string(), (false, 1, String::new())),
                    Some(id) if *id == user.id => (t.assigned_to_me.to_string(), (false, 0, String::new())),
                    Some(id) => {
                        let name = staff_names
                            .get(id)
                            .cloned()
                            .unwrap_or_else(|| t.unknown_person.to_string());
                        (name.clone(), (false, 2, name))
                    }
                };
                let group = Group {
                    title,
                    overdue: 0,
                    cases: Vec::new(),
                    rank,
                };
                groups.push((case.assignee_id.clone(), group));
                groups.len() - 1
            }
        };
        let group = &mut groups[index].1;
        group.overdue += usize::from(case.overdue);
        group.cases.push(BoardCase {
            candidate: candidate_label(t, &candidates, &case.candidate_id),
            done: case
                .tasks
                .iter()
                .filter(|task| matches!(task.status, TaskStatus::Done | TaskStatus::NotApplicable))
                .count(),
            tasks: case.tasks.len(),
            updated: local_time(case.updated_at),
            id: case.id,
            status: case.status,
            direction_name: direction_name(&registry, page.locale, &case.direction),
            direction: case.direction,
            summary: case.summary,
            overdue: case.overdue,
        });
    }
    let mut groups: Vec<Group> = groups.into_iter().map(|(_, g)| g).collect();
    for group in &mut groups {
        // Stable: newest first within the overdue and within the others.
        group.cases.sort_by_key(|c| !c.overdue);
        group.rank.0 = group.overdue == 0;
    }
    groups.sort_by(|a, b| a.rank.cmp(&b.rank));
    let here = |offset: i64| {
        let mut query = vec![format!("offset={offset}")];
        if let Some(status) = status {
            query.push(format!("status={}", status.as_str()));
        }
        if let Some(assignee) = &assignee {
            query.push(format!("assignee={}", encode(assignee)));
        }
        if overdue {
            query.push("overdue=true".to_string());
        }
        format!("/agency/cases?{}", query.join("&"))
    };
    let mut assignees = vec![
        (String::new(), t.anyone.to_string()),
        ("me".to_string(), t.assigned_to_me.to_string()),
        ("none".to_string(), t.unassigned.to_string()),
    ];
    let others = colleagues(page, &user).await?;
    assignees.extend(others.into_iter().filter(|(id, _)| *id != user.id));
    let offset = i64::from(offset);
    let limit = i64::from(BOARD_SIZE);
    let template = BoardPage {
        page,
        t,
        groups,
        statuses: CaseStatus::ALL
            .into_iter()
            .map(|s| (s.as_str(), page.t.case_status(&s)))
            .collect(),
        status: status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        assignees,
        assignee: assignee.clone().unwrap_or_default(),
        overdue,
        shown: if shown_count == 0 {
            String::new()
        } else {
            t.shown(offset + 1, offset + shown_count, total)
        },
        previous: (offset > 0).then(|| here((offset - limit).max(0))),
        next: (offset + shown_count < total).then(|| here(offset + limit)),
    };
    render(&template)
}
