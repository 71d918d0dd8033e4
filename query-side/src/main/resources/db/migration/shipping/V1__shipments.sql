-- The shipments read model. order_id and product_id are weak references: nothing here points outside
-- this schema. weight_grams is the weight copied when the shipment was created, never updated.
CREATE TABLE shipments (
    shipment_id     UUID         NOT NULL,
    order_id        UUID         NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    version         BIGINT       NOT NULL,
    last_position   BIGINT,
    updated_at      TIMESTAMPTZ  NOT NULL,
    CONSTRAINT shipments_pk PRIMARY KEY (shipment_id),
    CONSTRAINT shipments_status_ck CHECK (status IN ('CREATED', 'DISPATCHED', 'DELIVERED'))
);
-- Listing one order's shipments, in id order for the cursor.
CREATE INDEX shipments_order_idx ON shipments (order_id, shipment_id);

CREATE TABLE shipment_items (
    shipment_id     UUID         NOT NULL,
    line_no         INTEGER      NOT NULL,
    product_id      UUID         NOT NULL,
    quantity        INTEGER      NOT NULL,
    weight_grams    INTEGER      NOT NULL,
    CONSTRAINT shipment_items_pk PRIMARY KEY (shipment_id, line_no),
    CONSTRAINT shipment_items_shipment_fk FOREIGN KEY (shipment_id) REFERENCES shipments (shipment_id)
);
