-- The orders read model, and the order domain's cached copies of the customers and products it needs.
-- customer_id and product_id are weak references: ids only, never foreign keys to other schemas.
CREATE TABLE orders (
    order_id       UUID          NOT NULL,
    customer_id    UUID          NOT NULL,
    status         VARCHAR(16)   NOT NULL,
    total_amount   NUMERIC(19,4) NOT NULL,
    total_currency CHAR(3)       NOT NULL,
    version        BIGINT        NOT NULL,
    placed_at      TIMESTAMPTZ   NOT NULL,
    CONSTRAINT orders_pk PRIMARY KEY (order_id)
);
CREATE INDEX orders_customer_idx ON orders (customer_id, order_id);
CREATE INDEX orders_status_idx ON orders (status, order_id);

CREATE TABLE order_lines (
    order_id            UUID          NOT NULL,
    line_no             INTEGER       NOT NULL,
    product_id          UUID          NOT NULL,
    product_name        VARCHAR(200)  NOT NULL,
    quantity            INTEGER       NOT NULL,
    unit_price_amount   NUMERIC(19,4) NOT NULL,
    unit_price_currency CHAR(3)       NOT NULL,
    CONSTRAINT order_lines_pk PRIMARY KEY (order_id, line_no),
    CONSTRAINT order_lines_order_fk FOREIGN KEY (order_id) REFERENCES orders (order_id)
);

CREATE TABLE order_status_history (
    order_id UUID         NOT NULL,
    sequence BIGINT       NOT NULL,
    status   VARCHAR(16)  NOT NULL,
    at       TIMESTAMPTZ  NOT NULL,
    reason   VARCHAR(500),
    CONSTRAINT order_status_history_pk PRIMARY KEY (order_id, sequence),
    CONSTRAINT order_status_history_order_fk FOREIGN KEY (order_id) REFERENCES orders (order_id)
);

-- Cached copies. last_position is the global index of the last event applied: a copy only moves forward.
CREATE TABLE customer_copies (
    customer_id           UUID          NOT NULL,
    email                 VARCHAR(254)  NOT NULL,
    status                VARCHAR(16)   NOT NULL,
    credit_limit_amount   NUMERIC(19,4),
    credit_limit_currency CHAR(3),
    last_position         BIGINT        NOT NULL,
    CONSTRAINT customer_copies_pk PRIMARY KEY (customer_id)
);

CREATE TABLE product_copies (
    product_id     UUID          NOT NULL,
    name           VARCHAR(200)  NOT NULL,
    price_amount   NUMERIC(19,4) NOT NULL,
    price_currency CHAR(3)       NOT NULL,
    status         VARCHAR(16)   NOT NULL,
    last_position  BIGINT        NOT NULL,
    CONSTRAINT product_copies_pk PRIMARY KEY (product_id)
);
