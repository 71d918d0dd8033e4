-- A reason is whatever the event says: a customer's is at most 500 characters, but one Orderly writes itself
-- (a saga's refusal naming the failure) may be longer, and a projection must never fail on it.
ALTER TABLE order_status_history ALTER COLUMN reason TYPE TEXT;
