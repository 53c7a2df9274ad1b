//! The case page's forms as typed: the page shows them again, with their problems, when a
//! value is refused, and the handlers read them.

use serde::Deserialize;

/// The milestone form: every field as typed. An empty field clears its milestone (the form
/// shows the stored dates, so leaving one as it is keeps it).
#[derive(Deserialize, Default)]
pub(super) struct MilestoneForm {
    #[serde(default)]
    pub(super) offer_accepted: String,
    #[serde(default)]
    pub(super) visa_approved: String,
    #[serde(default)]
    pub(super) arrival: String,
    #[serde(default)]
    pub(super) employment_start: String,
}

impl MilestoneForm {
    pub(super) fn value(&self, name: &str) -> &str {
        match name {
            "offer_accepted" => &self.offer_accepted,
            "visa_approved" => &self.visa_approved,
            "arrival" => &self.arrival,
            _ => &self.employment_start,
        }
    }
}

#[derive(Deserialize, Default)]
pub(super) struct NoteForm {
    #[serde(default)]
    pub(super) body: String,
    pub(super) visible_to_candidate: Option<String>,
}

#[derive(Deserialize, Default)]
pub(super) struct TaskForm {
    #[serde(default)]
    pub(super) status: String,
    #[serde(default)]
    pub(super) due_on: String,
}
