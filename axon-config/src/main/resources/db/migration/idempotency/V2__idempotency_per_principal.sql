-- An Idempotency-Key belongs to whoever sent it: another caller's same key is simply a new key, and never
-- replays the first caller's answer. '' is every anonymous caller (whose answers replay only to the same body).
ALTER TABLE idempotent_request ADD COLUMN principal VARCHAR(200) NOT NULL DEFAULT '';
ALTER TABLE idempotent_request DROP CONSTRAINT idempotent_request_pk;
ALTER TABLE idempotent_request ADD CONSTRAINT idempotent_request_pk PRIMARY KEY (principal, idempotency_key);
