DROP TABLE mail_outbox;
DROP TABLE login_throttles;
DROP TABLE refresh_tokens;
DROP TABLE user_tokens;
DROP TABLE users;
