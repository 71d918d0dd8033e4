-- The customers read model. customer_id is a weak reference target for other domains: nothing here
-- points outside this schema, and nothing outside may point in.
CREATE TABLE customers (
    customer_id     UUID         NOT NULL,
    email           VARCHAR(254) NOT NULL,
    name            VARCHAR(200) NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    version         BIGINT       NOT NULL,
    last_position   BIGINT,
    updated_at      TIMESTAMPTZ  NOT NULL,
    CONSTRAINT customers_pk PRIMARY KEY (customer_id),
    CONSTRAINT customers_status_ck CHECK (status IN ('ACTIVE', 'DEACTIVATED'))
);
