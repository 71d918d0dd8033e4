-- The cart read model. customer_id and product_id are weak references: nothing here points outside this schema.
-- expires_at is when an ACTIVE cart expires unless it changes; updated_at is the time of its latest event (for an
-- EXPIRED cart, when it expired), which retention measures its age from.
CREATE TABLE carts (
    cart_id      UUID         NOT NULL,
    customer_id  UUID         NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    expires_at   TIMESTAMPTZ  NOT NULL,
    version      BIGINT       NOT NULL,
    updated_at   TIMESTAMPTZ  NOT NULL,
    CONSTRAINT carts_pk PRIMARY KEY (cart_id),
    CONSTRAINT carts_status_ck CHECK (status IN ('ACTIVE', 'EXPIRED', 'CHECKED_OUT'))
);
CREATE INDEX carts_customer_idx ON carts (customer_id, status);
-- Retention looks for EXPIRED carts by age.
CREATE INDEX carts_expired_idx ON carts (updated_at) WHERE status = 'EXPIRED';

-- Each line with the price it had when last added; added_version orders the lines as they were added.
CREATE TABLE cart_lines (
    cart_id               UUID           NOT NULL,
    product_id            UUID           NOT NULL,
    quantity              INTEGER        NOT NULL,
    added_price_amount    NUMERIC(19, 4) NOT NULL,
    added_price_currency  CHAR(3)        NOT NULL,
    added_version         BIGINT         NOT NULL,
    CONSTRAINT cart_lines_pk PRIMARY KEY (cart_id, product_id),
    CONSTRAINT cart_lines_cart_fk FOREIGN KEY (cart_id) REFERENCES carts (cart_id),
    CONSTRAINT cart_lines_quantity_ck CHECK (quantity >= 1)
);

-- Every cart a customer opened, kept when retention removes the cart itself: their count is the ordinal of the
-- customer's next cart, from which its id is derived.
CREATE TABLE cart_owners (
    cart_id      UUID  NOT NULL,
    customer_id  UUID  NOT NULL,
    CONSTRAINT cart_owners_pk PRIMARY KEY (cart_id)
);
CREATE INDEX cart_owners_customer_idx ON cart_owners (customer_id);

-- The cart domain's copy of the catalog, fed by the catalog's events: the current name and price each line shows,
-- and what adding a product is decided on. version is the product's sequence number, which guards every update;
-- last_position the global index of the last event applied, which freshness is measured against.
CREATE TABLE product_copies (
    product_id      UUID           NOT NULL,
    name            VARCHAR(200)   NOT NULL,
    price_amount    NUMERIC(19, 4) NOT NULL,
    price_currency  CHAR(3)        NOT NULL,
    status          VARCHAR(16)    NOT NULL,
    last_position   BIGINT         NOT NULL,
    version         BIGINT         NOT NULL,
    CONSTRAINT product_copies_pk PRIMARY KEY (product_id)
);

-- The cart domain's copy of inventory, fed by the inventory's events: a line asking for more than on_hand less
-- reserved is flagged. version is the inventory item's sequence number.
CREATE TABLE stock_copies (
    product_id     UUID     NOT NULL,
    on_hand        INTEGER  NOT NULL,
    reserved       INTEGER  NOT NULL,
    last_position  BIGINT   NOT NULL,
    version        BIGINT   NOT NULL,
    CONSTRAINT stock_copies_pk PRIMARY KEY (product_id)
);
