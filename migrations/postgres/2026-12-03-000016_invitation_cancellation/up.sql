-- A cancelled or replaced invitation is kept, marked, instead of deleted: the daily invitation
-- limit counts every invitation sent, so cancelling one does not give its email back.
ALTER TABLE employer_invitations ADD COLUMN cancelled_at TIMESTAMP;
CREATE INDEX employer_invitations_sent ON employer_invitations (employer_id, created_at);
