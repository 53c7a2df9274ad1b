-- Licensing (practising a profession across the boundary) is a checklist category of its own.
-- SQLite cannot change a CHECK constraint: both tables are rebuilt (see metadata.toml).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE case_templates_rebuilt (
    direction     TEXT NOT NULL,
    code          TEXT NOT NULL,
    title_en      TEXT NOT NULL,
    title_zh_hans TEXT NOT NULL DEFAULT '',
    title_zh_hant TEXT NOT NULL DEFAULT '',
    category      TEXT NOT NULL CHECK (category IN ('permit', 'credential', 'licensing', 'social_security', 'medical', 'schooling', 'tax', 'housing', 'other')),
    due_in_days   INTEGER NOT NULL CHECK (due_in_days BETWEEN 0 AND 730),
    position      INTEGER NOT NULL,
    due_anchor    TEXT NOT NULL DEFAULT 'opened',
    details       TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (direction, code)
);
INSERT INTO case_templates_rebuilt (direction, code, title_en, title_zh_hans, title_zh_hant, category, due_in_days, position, due_anchor, details)
    SELECT direction, code, title_en, title_zh_hans, title_zh_hant, category, due_in_days, position, due_anchor, details FROM case_templates WHERE category IN ('permit', 'credential', 'licensing', 'social_security', 'medical', 'schooling', 'tax', 'housing', 'other');
DROP TABLE case_templates;
ALTER TABLE case_templates_rebuilt RENAME TO case_templates;
CREATE TABLE case_tasks_rebuilt (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    code          TEXT NOT NULL,
    title_en      TEXT NOT NULL,
    title_zh_hans TEXT NOT NULL DEFAULT '',
    title_zh_hant TEXT NOT NULL DEFAULT '',
    category      TEXT NOT NULL CHECK (category IN ('permit', 'credential', 'licensing', 'social_security', 'medical', 'schooling', 'tax', 'housing', 'other')),
    status        TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'doing', 'done', 'not_applicable')),
    due_on        DATE,
    note          TEXT,
    position      INTEGER NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    due_anchor    TEXT NOT NULL DEFAULT 'opened',
    due_days      INTEGER NOT NULL DEFAULT 0,
    details       TEXT NOT NULL DEFAULT '{}',
    route         TEXT,
    UNIQUE (case_id, code)
);
INSERT INTO case_tasks_rebuilt (id, case_id, code, title_en, title_zh_hans, title_zh_hant, category, status, due_on, note, position, updated_at, due_anchor, due_days, details, route)
    SELECT id, case_id, code, title_en, title_zh_hans, title_zh_hant, category, status, due_on, note, position, updated_at, due_anchor, due_days, details, route FROM case_tasks WHERE category IN ('permit', 'credential', 'licensing', 'social_security', 'medical', 'schooling', 'tax', 'housing', 'other');
DROP TABLE case_tasks;
ALTER TABLE case_tasks_rebuilt RENAME TO case_tasks;
CREATE INDEX case_tasks_due ON case_tasks (status, due_on);
COMMIT;
PRAGMA foreign_keys = ON;
