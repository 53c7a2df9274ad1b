-- The marketplace: candidates with what they hold and consent to, employers and their members,
-- jobs, and applications with their history.
CREATE TABLE candidates (
    id                     TEXT PRIMARY KEY,
    user_id                TEXT NOT NULL UNIQUE REFERENCES users (id),
    display_name           TEXT NOT NULL,
    headline               TEXT NOT NULL DEFAULT '',
    summary                TEXT NOT NULL DEFAULT '',
    residence_jurisdiction TEXT NOT NULL REFERENCES jurisdictions (code),
    location_id            TEXT REFERENCES locations (id),
    -- JSON arrays of jurisdiction codes and location ids.
    desired_jurisdictions  TEXT NOT NULL DEFAULT '[]',
    desired_location_ids   TEXT NOT NULL DEFAULT '[]',
    salary_amount          BIGINT,
    salary_currency        TEXT,
    salary_period          TEXT CHECK (salary_period IN ('hour', 'month', 'year')),
    visibility             TEXT NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'employers')),
    erased_at              TIMESTAMP,
    created_at             TIMESTAMP NOT NULL,
    updated_at             TIMESTAMP NOT NULL
);

CREATE TABLE candidate_languages (
    candidate_id TEXT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    code         TEXT NOT NULL,
    level        INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    PRIMARY KEY (candidate_id, code)
);

CREATE TABLE candidate_skills (
    candidate_id TEXT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    skill_id     TEXT NOT NULL REFERENCES skills (id),
    level        INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    years        INTEGER NOT NULL CHECK (years BETWEEN 0 AND 60),
    PRIMARY KEY (candidate_id, skill_id)
);

CREATE TABLE credentials (
    id                TEXT PRIMARY KEY,
    candidate_id      TEXT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    qualification_id  TEXT NOT NULL REFERENCES qualifications (id),
    awarded_on        DATE,
    status            TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'rejected')),
    verification_note TEXT,
    verified_by       TEXT,
    verified_at       TIMESTAMP,
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX credentials_candidate ON credentials (candidate_id);

CREATE TABLE work_authorizations (
    id                TEXT PRIMARY KEY,
    candidate_id      TEXT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    jurisdiction      TEXT NOT NULL REFERENCES jurisdictions (code),
    basis             TEXT NOT NULL REFERENCES work_authorization_bases (code),
    valid_until       DATE,
    status            TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'rejected')),
    verification_note TEXT,
    verified_by       TEXT,
    verified_at       TIMESTAMP,
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX work_authorizations_candidate ON work_authorizations (candidate_id);

-- Never deleted: withdrawal is a state, so the record of what was consented stays.
CREATE TABLE consents (
    id              TEXT PRIMARY KEY,
    candidate_id    TEXT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    purpose         TEXT NOT NULL CHECK (purpose IN ('cross_border_sharing')),
    to_jurisdiction TEXT NOT NULL REFERENCES jurisdictions (code),
    notice_version  TEXT NOT NULL,
    granted_at      TIMESTAMP NOT NULL,
    withdrawn_at    TIMESTAMP
);
CREATE INDEX consents_candidate ON consents (candidate_id, to_jurisdiction);

CREATE TABLE employers (
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    jurisdiction        TEXT NOT NULL REFERENCES jurisdictions (code),
    registration_number TEXT NOT NULL,
    verified            BOOLEAN NOT NULL DEFAULT FALSE,
    verification_note   TEXT,
    verified_by         TEXT,
    verified_at         TIMESTAMP,
    created_by          TEXT NOT NULL REFERENCES users (id),
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    UNIQUE (jurisdiction, registration_number)
);

CREATE TABLE employer_members (
    employer_id TEXT NOT NULL REFERENCES employers (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users (id),
    role        TEXT NOT NULL CHECK (role IN ('owner', 'recruiter')),
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (employer_id, user_id)
);
CREATE INDEX employer_members_user ON employer_members (user_id);

CREATE TABLE employer_invitations (
    id          TEXT PRIMARY KEY,
    employer_id TEXT NOT NULL REFERENCES employers (id) ON DELETE CASCADE,
    email       TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'recruiter')),
    token_hash  TEXT NOT NULL UNIQUE,
    invited_by  TEXT NOT NULL REFERENCES users (id),
    expires_at  TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE jobs (
    id                         TEXT PRIMARY KEY,
    employer_id                TEXT NOT NULL REFERENCES employers (id),
    title                      TEXT NOT NULL,
    description                TEXT NOT NULL,
    location_id                TEXT NOT NULL REFERENCES locations (id),
    employment_type            TEXT NOT NULL CHECK (employment_type IN ('full_time', 'part_time', 'contract', 'internship')),
    salary_min                 BIGINT NOT NULL,
    salary_max                 BIGINT NOT NULL,
    salary_currency            TEXT NOT NULL,
    salary_period              TEXT NOT NULL CHECK (salary_period IN ('hour', 'month', 'year')),
    qualification_id           TEXT REFERENCES qualifications (id),
    qualification_min_level_id TEXT REFERENCES qualification_levels (id),
    sponsorship                BOOLEAN NOT NULL DEFAULT FALSE,
    status                     TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    expires_at                 TIMESTAMP,
    published_at               TIMESTAMP,
    closed_at                  TIMESTAMP,
    created_by                 TEXT NOT NULL REFERENCES users (id),
    created_at                 TIMESTAMP NOT NULL,
    updated_at                 TIMESTAMP NOT NULL,
    CHECK (salary_min <= salary_max)
);
CREATE INDEX jobs_employer ON jobs (employer_id);
CREATE INDEX jobs_status ON jobs (status, published_at);

CREATE TABLE job_skills (
    job_id    TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    skill_id  TEXT NOT NULL REFERENCES skills (id),
    min_level INTEGER NOT NULL CHECK (min_level BETWEEN 1 AND 5),
    required  BOOLEAN NOT NULL,
    PRIMARY KEY (job_id, skill_id)
);

CREATE TABLE job_languages (
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    code   TEXT NOT NULL,
    level  INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    PRIMARY KEY (job_id, code)
);

CREATE TABLE applications (
    id           TEXT PRIMARY KEY,
    job_id       TEXT NOT NULL REFERENCES jobs (id),
    candidate_id TEXT NOT NULL REFERENCES candidates (id),
    cover_letter TEXT,
    status       TEXT NOT NULL CHECK (status IN ('submitted', 'screening', 'interview', 'offer', 'hired', 'rejected', 'withdrawn')),
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (job_id, candidate_id)
);
CREATE INDEX applications_candidate ON applications (candidate_id);

CREATE TABLE application_events (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    from_status    TEXT,
    to_status      TEXT NOT NULL,
    actor_id       TEXT,
    at             TIMESTAMP NOT NULL
);
CREATE INDEX application_events_application ON application_events (application_id, at);
