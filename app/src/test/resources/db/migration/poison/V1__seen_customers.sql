-- A test domain whose projection fails on purpose for some events.
CREATE TABLE seen_customers (
    customer_id UUID NOT NULL,
    name        VARCHAR(200) NOT NULL,
    CONSTRAINT seen_customers_pk PRIMARY KEY (customer_id)
);
