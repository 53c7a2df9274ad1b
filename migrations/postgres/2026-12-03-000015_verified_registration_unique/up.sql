-- A registration number is unique among verified employers only: an unverified claim blocks
-- nobody (the real company can still register and be verified), while two verified employers
-- can never share a number (the loser of a race between two verifications gets 409).
ALTER TABLE employers DROP CONSTRAINT employers_jurisdiction_registration_number_key;
CREATE UNIQUE INDEX employers_verified_registration ON employers (jurisdiction, registration_number) WHERE verified;
CREATE INDEX employers_registration ON employers (jurisdiction, registration_number);
