-- A registration number is unique among verified employers only: an unverified claim blocks
-- nobody (the real company can still register and be verified), while two verified employers
-- can never share a number (the loser of a race between two verifications gets 409). The table
-- is rebuilt without its UNIQUE constraint (see metadata.toml).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE employers_rebuilt (
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
    updated_at          TIMESTAMP NOT NULL
);
INSERT INTO employers_rebuilt (id, name, jurisdiction, registration_number, verified, verification_note, verified_by, verified_at, created_by, created_at, updated_at)
    SELECT id, name, jurisdiction, registration_number, verified, verification_note, verified_by, verified_at, created_by, created_at, updated_at FROM employers;
DROP TABLE employers;
ALTER TABLE employers_rebuilt RENAME TO employers;
CREATE UNIQUE INDEX employers_verified_registration ON employers (jurisdiction, registration_number) WHERE verified;
CREATE INDEX employers_registration ON employers (jurisdiction, registration_number);
COMMIT;
PRAGMA foreign_keys = ON;
