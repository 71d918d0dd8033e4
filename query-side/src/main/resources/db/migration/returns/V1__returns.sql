-- The returns read model. order_id and product_id are weak references: nothing here points outside this schema.
CREATE TABLE returns (
    return_id         UUID           NOT NULL,
    order_id          UUID           NOT NULL,
    status            VARCHAR(16)    NOT NULL,
    reason            VARCHAR(500)   NOT NULL,
    refund_amount     NUMERIC(19, 4),
    refund_currency   CHAR(3),
    rejection_reason  TEXT,
    version           BIGINT         NOT NULL,
    updated_at        TIMESTAMPTZ    NOT NULL,
    CONSTRAINT returns_pk PRIMARY KEY (return_id),
    CONSTRAINT returns_status_ck CHECK (status IN ('REQUESTED', 'APPROVED', 'RECEIVED', 'REFUNDED', 'REJECTED'))
);
-- Listing one order's returns, in id order for the cursor.
CREATE INDEX returns_order_idx ON returns (order_id, return_id);

CREATE TABLE return_lines (
    return_id            UUID           NOT NULL,
    line_no              INTEGER        NOT NULL,
    product_id           UUID           NOT NULL,
    quantity             INTEGER        NOT NULL,
    unit_price_amount    NUMERIC(19, 4),
    unit_price_currency  CHAR(3),
    CONSTRAINT return_lines_pk PRIMARY KEY (return_id, line_no),
    CONSTRAINT return_lines_return_fk FOREIGN KEY (return_id) REFERENCES returns (return_id)
);

-- The returns domain's own copy of each order, fed by the order domain's events: what a return request is
-- decided on. delivered_at is the delivery event's time.
CREATE TABLE order_copies (
    order_id       UUID         NOT NULL,
    status         VARCHAR(16)  NOT NULL,
    delivered_at   TIMESTAMPTZ,
    version        BIGINT       NOT NULL,
    CONSTRAINT order_copies_pk PRIMARY KEY (order_id)
);

-- Each order line with its unit price snapshotted at placement.
CREATE TABLE order_copy_lines (
    order_id             UUID           NOT NULL,
    product_id           UUID           NOT NULL,
    quantity             INTEGER        NOT NULL,
    unit_price_amount    NUMERIC(19, 4) NOT NULL,
    unit_price_currency  CHAR(3)        NOT NULL,
    CONSTRAINT order_copy_lines_pk PRIMARY KEY (order_id, product_id),
    CONSTRAINT order_copy_lines_order_fk FOREIGN KEY (order_id) REFERENCES order_copies (order_id)
);

-- Units that approved returns claim, per order and product; a return withdrawn or rejected gives them back.
CREATE TABLE return_claims (
    return_id    UUID     NOT NULL,
    order_id     UUID     NOT NULL,
    product_id   UUID     NOT NULL,
    quantity     INTEGER  NOT NULL,
    CONSTRAINT return_claims_pk PRIMARY KEY (return_id, product_id)
);
CREATE INDEX return_claims_order_idx ON return_claims (order_id, product_id);
