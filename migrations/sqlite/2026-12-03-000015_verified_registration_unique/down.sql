-- Fails while two employers share a number: decide which keeps it before going back.
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
    updated_at          TIMESTAMP NOT NULL,
    UNIQUE (jurisdiction, registration_number)
);
INSERT INTO employers_rebuilt (id, name, jurisdiction, registration_number, verified, verification_note, verified_by, verified_at, created_by, created_at, updated_at)
    SELECT id, name, jurisdiction, registration_number, verified, verification_note, verified_by, verified_at, created_by, created_at, updated_at FROM employers;
DROP TABLE employers;
ALTER TABLE employers_rebuilt RENAME TO employers;
COMMIT;
PRAGMA foreign_keys = ON;
