-- Index events take their time from the database, not from the clock of the node that writes
-- them: one clock for every node, so pruning by age cannot be misled by a node's skew.
ALTER TABLE index_events ALTER COLUMN created_at SET DEFAULT (CURRENT_TIMESTAMP AT TIME ZONE 'UTC');
