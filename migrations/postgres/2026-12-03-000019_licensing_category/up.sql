-- Licensing (practising a profession across the boundary) is a checklist category of its own.
ALTER TABLE case_templates DROP CONSTRAINT case_templates_category_check;
ALTER TABLE case_templates ADD CONSTRAINT case_templates_category_check
    CHECK (category IN ('permit', 'credential', 'licensing', 'social_security', 'medical', 'schooling', 'tax', 'housing', 'other'));
ALTER TABLE case_tasks DROP CONSTRAINT case_tasks_category_check;
ALTER TABLE case_tasks ADD CONSTRAINT case_tasks_category_check
    CHECK (category IN ('permit', 'credential', 'licensing', 'social_security', 'medical', 'schooling', 'tax', 'housing', 'other'));
