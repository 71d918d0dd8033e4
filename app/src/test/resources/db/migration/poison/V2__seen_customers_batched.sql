CREATE TABLE seen_customers_batched (
    customer_id uuid PRIMARY KEY,
    name        text NOT NULL
);
