-- The candidate's situation that routes across the boundary depend on: nationality (ISO 3166-1
-- alpha-2; CN for Chinese nationals, Hong Kong residents included) and dependent children.
ALTER TABLE candidates ADD COLUMN nationality TEXT;
ALTER TABLE candidates ADD COLUMN dependent_children INTEGER;
