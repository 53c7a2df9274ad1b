-- The search indexes are a derived view: every change to what they hold appends an event here,
-- in the transaction of the change; the indexer applies events in id order and records the last
-- one it committed in the index itself.
CREATE TABLE index_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL CHECK (kind IN ('job', 'candidate')),
    target_id  TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
