-- One active cross-border consent per candidate, purpose and jurisdiction, by construction: two
-- grants racing each other cannot both land (the loser gets 409 from the unique violation).
CREATE UNIQUE INDEX consents_one_active ON consents (candidate_id, purpose, to_jurisdiction) WHERE withdrawn_at IS NULL;
