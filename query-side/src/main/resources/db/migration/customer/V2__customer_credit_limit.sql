ALTER TABLE customers ADD COLUMN credit_limit_amount NUMERIC(19, 4);
ALTER TABLE customers ADD COLUMN credit_limit_currency CHAR(3);
