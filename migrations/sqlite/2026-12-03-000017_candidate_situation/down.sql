ALTER TABLE candidates DROP COLUMN dependent_children;
ALTER TABLE candidates DROP COLUMN nationality;
