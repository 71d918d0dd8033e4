-- Who placed each copied order, so that a return request is refused (as not found) to anyone but that customer
-- and staff. NULL for orders copied before this column existed, until the copy is rebuilt: such an order is
-- then returnable by staff only.
ALTER TABLE order_copies ADD COLUMN customer_id UUID;
