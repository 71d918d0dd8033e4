-- An erased customer keeps their row (orders refer to them by id), without personal data.
ALTER TABLE customers DROP CONSTRAINT customers_status_ck;
ALTER TABLE customers ADD CONSTRAINT customers_status_ck CHECK (status IN ('ACTIVE', 'DEACTIVATED', 'ERASED'));
