DROP INDEX employer_invitations_sent;
DELETE FROM employer_invitations WHERE cancelled_at IS NOT NULL;
ALTER TABLE employer_invitations DROP COLUMN cancelled_at;
