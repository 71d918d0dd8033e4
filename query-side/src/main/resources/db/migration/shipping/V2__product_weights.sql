-- The shipping domain's own copy of each product's weight, fed by the catalog's events. last_position
-- is the global position of the event last applied: product events need not come from one aggregate
-- stream, so the position, not a sequence number, decides which of two events is newer.
CREATE TABLE product_weights (
    product_id      UUID         NOT NULL,
    weight_grams    INTEGER      NOT NULL,
    last_position   BIGINT       NOT NULL,
    updated_at      TIMESTAMPTZ  NOT NULL,
    CONSTRAINT product_weights_pk PRIMARY KEY (product_id)
);
