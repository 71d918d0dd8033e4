-- The customer an answer concerns (the caller, the customer in the path, or the one a sign-up created), so that
-- their erasure deletes every answer that could hold their personal data.
ALTER TABLE idempotent_request ADD COLUMN subject_id VARCHAR(200);
CREATE INDEX idempotent_request_subject_idx ON idempotent_request (subject_id);
