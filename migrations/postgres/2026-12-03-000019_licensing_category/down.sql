DELETE FROM case_tasks WHERE category = 'licensing';
DELETE FROM case_templates WHERE category = 'licensing';
ALTER TABLE case_templates DROP CONSTRAINT case_templates_category_check;
ALTER TABLE case_templates ADD CONSTRAINT case_templates_category_check
    CHECK (category IN ('permit', 'credential', 'social_security', 'medical', 'schooling', 'tax', 'housing', 'other'));
ALTER TABLE case_tasks DROP CONSTRAINT case_tasks_category_check;
ALTER TABLE case_tasks ADD CONSTRAINT case_tasks_category_check
    CHECK (category IN ('permit', 'credential', 'social_security', 'medical', 'schooling', 'tax', 'housing', 'other'));
