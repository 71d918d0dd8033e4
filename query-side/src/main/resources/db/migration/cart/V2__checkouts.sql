-- Checkout sessions. The lines are the cart's as they were when the session started. The addresses are personal
-- data, held readable here as the customer domain holds its address book, and cleared when the customer is
-- erased (the events keep them sealed). cart_id and customer_id are weak references.
CREATE TABLE checkouts (
    checkout_id             UUID           NOT NULL,
    cart_id                 UUID           NOT NULL,
    customer_id             UUID           NOT NULL,
    status                  VARCHAR(16)    NOT NULL,
    items_total_amount      NUMERIC(19, 4) NOT NULL,
    items_total_currency    CHAR(3)        NOT NULL,
    shipping_address        TEXT,
    billing_address         TEXT,
    shipping_method         VARCHAR(40),
    shipping_cost_amount    NUMERIC(19, 4),
    shipping_cost_currency  CHAR(3),
    order_id                UUID,
    failure_reason          TEXT,
    expires_at              TIMESTAMPTZ    NOT NULL,
    version                 BIGINT         NOT NULL,
    CONSTRAINT checkouts_pk PRIMARY KEY (checkout_id),
    CONSTRAINT checkouts_status_ck CHECK (status IN ('OPEN', 'CONFIRMING', 'CONFIRMED', 'FAILED', 'EXPIRED'))
);
CREATE INDEX checkouts_customer_idx ON checkouts (customer_id);

CREATE TABLE checkout_lines (
    checkout_id          UUID           NOT NULL,
    line_no              INTEGER        NOT NULL,
    product_id           UUID           NOT NULL,
    quantity             INTEGER        NOT NULL,
    unit_price_amount    NUMERIC(19, 4) NOT NULL,
    unit_price_currency  CHAR(3)        NOT NULL,
    CONSTRAINT checkout_lines_pk PRIMARY KEY (checkout_id, line_no),
    CONSTRAINT checkout_lines_checkout_fk FOREIGN KEY (checkout_id) REFERENCES checkouts (checkout_id)
);
