-- Stock per product. product_id refers to the catalog by value only: no foreign key leaves this schema.
-- The check restates the inventory item's invariant, so a projection bug fails loudly instead of
-- showing stock that does not exist.
CREATE TABLE stock_levels (
    product_id      UUID        NOT NULL,
    on_hand         INTEGER     NOT NULL,
    reserved        INTEGER     NOT NULL,
    version         BIGINT      NOT NULL,
    last_position   BIGINT,
    updated_at      TIMESTAMPTZ NOT NULL,
    CONSTRAINT stock_levels_pk PRIMARY KEY (product_id),
    CONSTRAINT stock_levels_quantities_ck CHECK (reserved >= 0 AND reserved <= on_hand)
);
