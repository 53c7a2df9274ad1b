-- SQLite cannot change a column's default in place: the table is rebuilt with its rows, and its
-- AUTOINCREMENT counter carried over, so no id is ever handed out twice.
CREATE TABLE index_events_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL CHECK (kind IN ('job', 'candidate')),
    target_id  TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO index_events_new (id, kind, target_id, created_at)
    SELECT id, kind, target_id, created_at FROM index_events;
DELETE FROM sqlite_sequence WHERE name = 'index_events_new';
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'index_events_new', seq FROM sqlite_sequence WHERE name = 'index_events';
DROP TABLE index_events;
ALTER TABLE index_events_new RENAME TO index_events;
