//! A case's checklist: the direction's common items and the chosen route's steps, each judged on
//! the candidate's situation (an item whose condition fails is `not_applicable` with the reason;
//! one whose `include_when` fails is left out) and dated from its anchor.

use chrono::NaiveDateTime;

use super::model::{CaseRow, TaskDetails, TaskRow};
use super::status::TaskStatus;
use crate::eligibility::conditions::{Context, Verdict};
use crate::i18n::LocalizedText;
use crate::registry::route::ChecklistItem;

/// Where route steps start, after any template (at most `templates::MAX_ITEMS` items).
pub const ROUTE_POSITIONS: i32 = 100;

/// Tasks for `items`, judged in `context` on the case's opening facts.
pub struct Made<'a> {
    pub case: &'a CaseRow,
    pub context: &'a Context<'a>,
    /// The note the credential items start with (the registry's resolution of the credentials).
    pub credential_note: Option<&'a str>,
    pub at: NaiveDateTime,
}

fn prefixed(prefix: (&str, &str, &str), text: &LocalizedText) -> LocalizedText {
    LocalizedText::new(
        format!("{}{}", prefix.0, text.en),
        format!("{}{}", prefix.1, text.zh_hans),
        format!("{}{}", prefix.2, text.zh_hant),
    )
}

impl Made<'_> {
    /// The tasks of `items`, numbered from `first_position`; `route` marks a route's steps.
    pub fn tasks(&self, items: &[ChecklistItem], route: Option<&str>, first_position: i32) -> Vec<TaskRow> {
        let today = self.context.situation.today;
        items
            .iter()
            .filter(|item| item.in_force_on(today))
            .filter(|item| {
                item.include_when
                    .as_ref()
                    .is_none_or(|c| self.context.judge(c).verdict != Verdict::Unmet)
            })
            .enumerate()
            .map(|(i, item)| self.task(item, route, first_position + i as i32))
            .collect()
    }

    fn task(&self, item: &ChecklistItem, route: Option<&str>, position: i32) -> TaskRow {
        let judged = item.condition.as_ref().map(|c| self.context.judge(c));
        let (status, reason) = match judged {
            Some(found) if found.verdict == Verdict::Unmet => (
                TaskStatus::NotApplicable,
                Some(prefixed(
                    ("Not applicable: ", "不适用：", "不適用："),
                    &found.text,
                )),
            ),
            Some(found) if found.verdict == Verdict::ToVerify => (
                TaskStatus::Todo,
                Some(prefixed(("To verify: ", "待核实：", "待核實："), &found.text)),
            ),
            _ => (TaskStatus::Todo, None),
        };
        let note = (item.category == "credential")
            .then(|| self.credential_note.map(str::to_owned))
            .flatten();
        let details = TaskDetails {
            item: Some(item.clone()),
            reason,
        };
        let mut task = TaskRow {
            id: uuid::Uuid::new_v4().to_string(),
            case_id: self.case.id.clone(),
            code: item.code.clone(),
            title_en: item.title.en.clone(),
            title_zh_hans: item.title.zh_hans.clone(),
            title_zh_hant: item.title.zh_hant.clone(),
            category: item.category.clone(),
            status: status.as_str().to_owned(),
            due_on: None,
            note,
            position,
            updated_at: self.at,
            due_anchor: item.due_rule.anchor.as_str().to_owned(),
            due_days: item.due_rule.days,
            details: serde_json::to_string(&details).unwrap_or_else(|_| "{}".into()),
            route: route.map(str::to_owned),
        };
        task.due_on = task.due_from(self.case);
        task
    }
}

/// Due dates after a milestone moved: every task whose anchor is known gets its date again.
pub fn redate(case: &CaseRow, tasks: &mut [TaskRow]) -> usize {
    let mut changed = 0;
    for task in tasks.iter_mut() {
        let due = task.due_from(case);
        if due != task.due_on {
            task.due_on = due;
            changed += 1;
        }
    }
    changed
}
