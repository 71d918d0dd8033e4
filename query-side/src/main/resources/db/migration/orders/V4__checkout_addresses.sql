-- An order placed from a checkout ships to, and bills, copies of the customer's addresses (JSON of the address),
-- and has a shipping cost that its total includes. The addresses are personal data: readable here for the
-- customer and staff, cleared when the customer is erased (the events keep them sealed). Orders placed directly
-- have none of them.
ALTER TABLE orders ADD COLUMN shipping_address TEXT;
ALTER TABLE orders ADD COLUMN billing_address TEXT;
ALTER TABLE orders ADD COLUMN shipping_cost_amount NUMERIC(19, 4);
ALTER TABLE orders ADD COLUMN shipping_cost_currency CHAR(3);
