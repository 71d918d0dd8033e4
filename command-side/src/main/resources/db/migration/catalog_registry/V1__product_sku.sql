-- Which product holds which SKU (stripped, upper-cased). The primary key is the rule: one product per SKU.
CREATE TABLE product_sku (
    sku        VARCHAR(64) NOT NULL,
    product_id UUID        NOT NULL,
    CONSTRAINT product_sku_pk PRIMARY KEY (sku)
);
CREATE INDEX product_sku_product_idx ON product_sku (product_id);
