-- The workflows domain's own copy of who each workflow is about: a workflow names only its order or return, and a
-- customer's data export must find the workflows of their orders and returns (a step's error may quote the reason
-- a customer typed when cancelling). Fed by the order domain's OrderPlacedEvent and the returns domain's
-- ReturnRequestedEvent in the workflows processor; filled for workflows recorded before these tables existed once
-- that processor is replayed.
CREATE TABLE order_owners (
    order_id     UUID  NOT NULL,
    customer_id  UUID  NOT NULL,
    CONSTRAINT order_owners_pk PRIMARY KEY (order_id)
);
CREATE INDEX order_owners_customer_idx ON order_owners (customer_id, order_id);

-- Each return's order, so that a return's workflow leads to the customer through order_owners whichever event
-- the processor's segments handle first.
CREATE TABLE return_orders (
    return_id  UUID  NOT NULL,
    order_id   UUID  NOT NULL,
    CONSTRAINT return_orders_pk PRIMARY KEY (return_id)
);
CREATE INDEX return_orders_order_idx ON return_orders (order_id);
