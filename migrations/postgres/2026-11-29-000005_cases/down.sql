DROP TABLE case_reminders;
DROP TABLE case_notes;
DROP TABLE case_tasks;
DROP TABLE cases;
DROP TABLE case_templates;
