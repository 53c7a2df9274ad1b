-- Fails while two employers share a number: decide which keeps it before going back.
DROP INDEX employers_registration;
DROP INDEX employers_verified_registration;
ALTER TABLE employers ADD CONSTRAINT employers_jurisdiction_registration_number_key UNIQUE (jurisdiction, registration_number);
