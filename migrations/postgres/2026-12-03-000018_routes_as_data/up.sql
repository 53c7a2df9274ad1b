-- Cross-border routes as data (issue 15). A basis carries its route (who may hold it, the
-- conditions, fee, processing time, authority, steps) as a JSON document the registry parses;
-- '' means the shipped data has not filled it yet. Situation groups are the closed vocabulary
-- the routes' conditions name. A jurisdiction carries its registration-number format.
ALTER TABLE work_authorization_bases ADD COLUMN route TEXT NOT NULL DEFAULT '';
ALTER TABLE jurisdictions ADD COLUMN registration_number TEXT NOT NULL DEFAULT '';
CREATE TABLE situation_groups (
    code TEXT PRIMARY KEY,
    name_en TEXT NOT NULL,
    name_zh_hans TEXT NOT NULL,
    name_zh_hant TEXT NOT NULL,
    description_en TEXT NOT NULL,
    description_zh_hans TEXT NOT NULL,
    description_zh_hant TEXT NOT NULL,
    rule TEXT NOT NULL
);

-- A checklist item's due date counts from an anchor (the case opening, the offer, the visa,
-- arrival, the first working day); what an officer acts on (actor, authority, channel,
-- documents, fee, processing days, condition, source) is one JSON document per item.
ALTER TABLE case_templates ADD COLUMN due_anchor TEXT NOT NULL DEFAULT 'opened';
ALTER TABLE case_templates ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
ALTER TABLE case_tasks ADD COLUMN due_anchor TEXT NOT NULL DEFAULT 'opened';
ALTER TABLE case_tasks ADD COLUMN due_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_tasks ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
ALTER TABLE case_tasks ADD COLUMN route TEXT;
ALTER TABLE cases ADD COLUMN route TEXT;
ALTER TABLE cases ADD COLUMN offer_accepted_on DATE;
ALTER TABLE cases ADD COLUMN visa_approved_on DATE;
ALTER TABLE cases ADD COLUMN arrival_on DATE;
ALTER TABLE cases ADD COLUMN employment_start_on DATE;

-- The Mainland skill ladder has eight levels since 2022; the five shipped before move up one
-- rank to make room for the apprentice level below them (shipped rows are never overwritten by
-- the seed, so the move is made here).
UPDATE qualification_levels SET rank = rank + 1 WHERE framework = 'CN_VOCATIONAL';
-- The GBA lawyers pilot, as extended by the NPCSC on 1 Sep 2023, ended on 4 Oct 2026.
UPDATE equivalences SET effective_to = '2026-10-04' WHERE id LIKE 'gba-legal-%' AND effective_to IS NULL;
