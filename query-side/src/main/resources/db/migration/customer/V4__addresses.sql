-- A customer's address book. The addresses are personal data, held readable here as the customers' emails and
-- names are, and deleted when the customer is erased. Keyed by customer and address together, so that every read
-- names the owner; nothing here points outside this schema.
CREATE TABLE customer_addresses (
    customer_id     UUID         NOT NULL,
    address_id      UUID         NOT NULL,
    recipient_name  VARCHAR(200) NOT NULL,
    line1           VARCHAR(200) NOT NULL,
    line2           VARCHAR(200),
    postal_code     VARCHAR(16)  NOT NULL,
    city            VARCHAR(100) NOT NULL,
    region          VARCHAR(100),
    country         CHAR(2)      NOT NULL,
    phone           VARCHAR(32),
    -- the customer's version that added it: the address book lists addresses in the order they were added
    added_version   BIGINT       NOT NULL,
    updated_at      TIMESTAMPTZ  NOT NULL,
    CONSTRAINT customer_addresses_pk PRIMARY KEY (customer_id, address_id)
);
-- The defaults are the customer's, one of each at most; an id here always names a row of customer_addresses,
-- since the projection clears it in the statement that removes the address.
ALTER TABLE customers ADD COLUMN default_shipping_address_id UUID;
ALTER TABLE customers ADD COLUMN default_billing_address_id UUID;
