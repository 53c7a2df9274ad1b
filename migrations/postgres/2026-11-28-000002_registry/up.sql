-- The cross-border registry: places, frameworks, qualifications, equivalences, work-authorisation
-- bases and skills; plus the audit log every area writes to. Labels are kept in three columns
-- (en, zh-Hans, zh-Hant) rather than JSON so both backends can search and sort them.
CREATE TABLE jurisdictions (
    code                     TEXT PRIMARY KEY,
    name_en                  TEXT NOT NULL,
    name_zh_hans             TEXT NOT NULL,
    name_zh_hant             TEXT NOT NULL,
    currency                 TEXT NOT NULL,
    languages                TEXT NOT NULL,
    qualifications_framework TEXT NOT NULL
);

CREATE TABLE locations (
    id           TEXT PRIMARY KEY,
    jurisdiction TEXT NOT NULL REFERENCES jurisdictions (code),
    kind         TEXT NOT NULL CHECK (kind IN ('city', 'district', 'cooperation_zone')),
    parent_id    TEXT REFERENCES locations (id),
    name_en      TEXT NOT NULL,
    name_zh_hans TEXT NOT NULL,
    name_zh_hant TEXT NOT NULL
);
CREATE INDEX locations_jurisdiction ON locations (jurisdiction);

CREATE TABLE qualification_levels (
    id           TEXT PRIMARY KEY,
    jurisdiction TEXT NOT NULL REFERENCES jurisdictions (code),
    framework    TEXT NOT NULL,
    rank         INTEGER NOT NULL,
    name_en      TEXT NOT NULL,
    name_zh_hans TEXT NOT NULL,
    name_zh_hant TEXT NOT NULL
);

CREATE TABLE level_comparabilities (
    id            TEXT PRIMARY KEY,
    from_level_id TEXT NOT NULL REFERENCES qualification_levels (id),
    to_level_id   TEXT NOT NULL REFERENCES qualification_levels (id),
    relation      TEXT NOT NULL CHECK (relation IN ('equivalent', 'comparable', 'partial')),
    authority     TEXT NOT NULL,
    source        TEXT,
    note          TEXT
);

CREATE TABLE qualifications (
    id                    TEXT PRIMARY KEY,
    jurisdiction          TEXT NOT NULL REFERENCES jurisdictions (code),
    framework             TEXT NOT NULL,
    level_id              TEXT REFERENCES qualification_levels (id),
    kind                  TEXT NOT NULL CHECK (kind IN ('academic', 'vocational', 'professional')),
    title_en              TEXT NOT NULL,
    title_zh_hans         TEXT NOT NULL,
    title_zh_hant         TEXT NOT NULL,
    awarding_body_en      TEXT NOT NULL,
    awarding_body_zh_hans TEXT NOT NULL,
    awarding_body_zh_hant TEXT NOT NULL,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL
);
CREATE INDEX qualifications_jurisdiction ON qualifications (jurisdiction);

CREATE TABLE equivalences (
    id                    TEXT PRIMARY KEY,
    from_qualification_id TEXT NOT NULL REFERENCES qualifications (id),
    to_qualification_id   TEXT REFERENCES qualifications (id),
    to_jurisdiction       TEXT NOT NULL REFERENCES jurisdictions (code),
    to_level_id           TEXT REFERENCES qualification_levels (id),
    relation              TEXT NOT NULL CHECK (relation IN ('equivalent', 'comparable', 'partial')),
    conditions_en         TEXT,
    conditions_zh_hans    TEXT,
    conditions_zh_hant    TEXT,
    authority             TEXT NOT NULL,
    source                TEXT,
    effective_from        DATE NOT NULL,
    effective_to          DATE,
    verify_before_use     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL,
    -- Equal dates: a rule withdrawn before it came into force.
    CHECK (effective_to IS NULL OR effective_to >= effective_from)
);
CREATE INDEX equivalences_from ON equivalences (from_qualification_id);

CREATE TABLE work_authorization_bases (
    code                TEXT PRIMARY KEY,
    jurisdiction        TEXT NOT NULL REFERENCES jurisdictions (code),
    name_en             TEXT NOT NULL,
    name_zh_hans        TEXT NOT NULL,
    name_zh_hant        TEXT NOT NULL,
    description_en      TEXT NOT NULL,
    description_zh_hans TEXT NOT NULL,
    description_zh_hant TEXT NOT NULL,
    authorizes_work     BOOLEAN NOT NULL,
    requires_job_offer  BOOLEAN NOT NULL,
    employer_sponsored  BOOLEAN NOT NULL,
    time_limited        BOOLEAN NOT NULL,
    source              TEXT NOT NULL
);

CREATE TABLE skill_categories (
    id            TEXT PRIMARY KEY,
    label_en      TEXT NOT NULL,
    label_zh_hans TEXT NOT NULL,
    label_zh_hant TEXT NOT NULL
);

CREATE TABLE skills (
    id            TEXT PRIMARY KEY,
    category_id   TEXT NOT NULL REFERENCES skill_categories (id),
    label_en      TEXT NOT NULL,
    label_zh_hans TEXT NOT NULL,
    label_zh_hant TEXT NOT NULL,
    -- JSON array of strings in any script.
    aliases       TEXT NOT NULL
);

-- Which version of the shipped reference data has been loaded (a fingerprint of the files).
CREATE TABLE seed_state (
    name        TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    applied_at  TIMESTAMP NOT NULL
);

-- Bumped on every registry write, so every node knows when to reload its in-memory snapshot.
CREATE TABLE registry_version (
    id      INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO registry_version (id, version) VALUES (1, 1);

CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    at          TIMESTAMP NOT NULL,
    actor_id    TEXT,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    request_id  TEXT,
    before      TEXT,
    after       TEXT
);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, at);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);
