-- A test domain whose projection fails for one customer with their email in the exception.
CREATE TABLE leaky_seen (customer_id uuid PRIMARY KEY);
