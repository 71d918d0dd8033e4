-- The shipping domain's own copy of who placed each order, fed by the order domain's OrderPlacedEvent: a
-- shipment knows only its order, and a customer may see only their own orders' shipments. A shipment whose
-- order is not (yet) here has no known owner, so only staff see it.
CREATE TABLE order_owners (
    order_id     UUID  NOT NULL,
    customer_id  UUID  NOT NULL,
    CONSTRAINT order_owners_pk PRIMARY KEY (order_id)
);
-- Listing one customer's shipments.
CREATE INDEX order_owners_customer_idx ON order_owners (customer_id, order_id);
