-- The contact copy guards its updates with the customer's sequence number, not the global position
-- (see orders V2__copy_versions.sql for why).
ALTER TABLE customer_contacts ADD COLUMN version BIGINT NOT NULL DEFAULT -1;
