-- One-stop cross-border employment cases: checklist templates per direction, cases with their
-- tasks and notes, and the marks that keep deadline reminders to one per task, recipient and day.
-- A direction is `<FROM>_TO_<TO>` over registry jurisdiction codes; the service checks it against
-- the registry, so a new jurisdiction needs data, not a migration.
CREATE TABLE case_templates (
    direction     TEXT NOT NULL,
    code          TEXT NOT NULL,
    title_en      TEXT NOT NULL,
    title_zh_hans TEXT NOT NULL DEFAULT '',
    title_zh_hant TEXT NOT NULL DEFAULT '',
    category      TEXT NOT NULL CHECK (category IN ('permit', 'credential', 'social_security', 'medical', 'schooling', 'tax', 'housing', 'other')),
    due_in_days   INTEGER NOT NULL CHECK (due_in_days BETWEEN 0 AND 730),
    position      INTEGER NOT NULL,
    PRIMARY KEY (direction, code)
);

CREATE TABLE cases (
    id                     TEXT PRIMARY KEY,
    candidate_id           TEXT NOT NULL REFERENCES candidates (id),
    direction              TEXT NOT NULL,
    job_id                 TEXT REFERENCES jobs (id),
    application_id         TEXT REFERENCES applications (id),
    summary                TEXT NOT NULL DEFAULT '',
    status                 TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'waiting_on_candidate', 'resolved', 'closed')),
    assignee_id            TEXT REFERENCES users (id),
    requested_by_candidate BOOLEAN NOT NULL DEFAULT FALSE,
    opened_by              TEXT NOT NULL REFERENCES users (id),
    created_at             TIMESTAMP NOT NULL,
    updated_at             TIMESTAMP NOT NULL,
    resolved_at            TIMESTAMP,
    closed_at              TIMESTAMP
);
CREATE INDEX cases_candidate ON cases (candidate_id);
CREATE INDEX cases_assignee ON cases (assignee_id);
CREATE INDEX cases_status ON cases (status);

CREATE TABLE case_tasks (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    code          TEXT NOT NULL,
    title_en      TEXT NOT NULL,
    title_zh_hans TEXT NOT NULL DEFAULT '',
    title_zh_hant TEXT NOT NULL DEFAULT '',
    category      TEXT NOT NULL CHECK (category IN ('permit', 'credential', 'social_security', 'medical', 'schooling', 'tax', 'housing', 'other')),
    status        TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'doing', 'done', 'not_applicable')),
    due_on        DATE,
    note          TEXT,
    position      INTEGER NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (case_id, code)
);
CREATE INDEX case_tasks_due ON case_tasks (status, due_on);

CREATE TABLE case_notes (
    id                   TEXT PRIMARY KEY,
    case_id              TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    author_id            TEXT NOT NULL REFERENCES users (id),
    body                 TEXT NOT NULL,
    visible_to_candidate BOOLEAN NOT NULL DEFAULT FALSE,
    created_at           TIMESTAMP NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, created_at);

-- A reminder about a task went to a recipient on a day: the key makes a second one impossible.
CREATE TABLE case_reminders (
    task_id      TEXT NOT NULL REFERENCES case_tasks (id) ON DELETE CASCADE,
    recipient_id TEXT NOT NULL REFERENCES users (id),
    day          DATE NOT NULL,
    PRIMARY KEY (task_id, recipient_id, day)
);
