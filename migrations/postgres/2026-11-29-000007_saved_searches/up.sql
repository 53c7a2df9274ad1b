-- Saved job searches of candidates, emailed as alerts. `filters` is the JSON of the job-search
-- filters the search was saved with (checked like GET /jobs/search checks them). A run of the
-- alerts claims a due search by moving `next_due_at` with a guarded update, so only one node
-- mails it; `saved_search_hits` records each job mailed for a search, and its key makes a second
-- mail of the same job for the same search impossible, whichever node runs.
CREATE TABLE saved_searches (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    query       TEXT NOT NULL DEFAULT '',
    filters     TEXT NOT NULL DEFAULT '{}',
    frequency   TEXT NOT NULL CHECK (frequency IN ('instant', 'daily', 'weekly')),
    created_at  TIMESTAMP NOT NULL,
    last_run_at TIMESTAMP,
    next_due_at TIMESTAMP NOT NULL
);
CREATE INDEX saved_searches_user ON saved_searches (user_id, created_at);
CREATE INDEX saved_searches_due ON saved_searches (next_due_at);

CREATE TABLE saved_search_hits (
    saved_search_id TEXT NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
    job_id          TEXT NOT NULL REFERENCES jobs (id),
    notified_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (saved_search_id, job_id)
);
