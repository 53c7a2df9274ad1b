DROP INDEX consents_one_active;
