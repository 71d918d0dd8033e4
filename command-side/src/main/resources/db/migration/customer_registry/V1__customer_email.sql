-- Which customer holds which email. The primary key is the rule: one customer per email.
CREATE TABLE customer_email (
    email       VARCHAR(254) NOT NULL,
    customer_id UUID         NOT NULL,
    CONSTRAINT customer_email_pk PRIMARY KEY (email)
);
CREATE INDEX customer_email_customer_idx ON customer_email (customer_id);
