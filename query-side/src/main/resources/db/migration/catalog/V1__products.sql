-- The products read model. product_id is a weak reference target for other domains: nothing here
-- points outside this schema, and nothing outside may point in.
CREATE TABLE products (
    product_id      UUID           NOT NULL,
    sku             VARCHAR(64)    NOT NULL,
    name            VARCHAR(200)   NOT NULL,
    price_amount    NUMERIC(19, 4) NOT NULL,
    price_currency  CHAR(3)        NOT NULL,
    weight_grams    INTEGER        NOT NULL,
    status          VARCHAR(16)    NOT NULL,
    version         BIGINT         NOT NULL,
    last_position   BIGINT,
    updated_at      TIMESTAMPTZ    NOT NULL,
    CONSTRAINT products_pk PRIMARY KEY (product_id),
    CONSTRAINT products_status_ck CHECK (status IN ('ACTIVE', 'DISCONTINUED'))
);
-- Lists filtered by status page through product ids in order.
CREATE INDEX products_status_idx ON products (status, product_id);
