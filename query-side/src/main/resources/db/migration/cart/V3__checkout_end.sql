-- When a session ended (confirmed, failed or expired): retention removes the abandoned ones (failed or expired) once
-- orderly.retention.abandoned-carts has passed since, with their copies of the customer's addresses.
ALTER TABLE checkouts ADD COLUMN ended_at TIMESTAMPTZ;
CREATE INDEX checkouts_abandoned_idx ON checkouts (ended_at) WHERE status IN ('FAILED', 'EXPIRED');
