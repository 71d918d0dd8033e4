-- Which categories exist, and which category each product is in: the command side's own record, written in the
-- transaction that stores the event, so that a category with products cannot be retired and a product cannot be
-- put in a retired category, whichever of the two commands runs first on whichever node.
CREATE TABLE category (
    category_id UUID NOT NULL,
    CONSTRAINT category_pk PRIMARY KEY (category_id)
);
-- The key reference is the rule: a product's row locks its category's row against removal, and a category's
-- removal fails while a product's row names it.
CREATE TABLE product_category (
    product_id  UUID NOT NULL,
    category_id UUID NOT NULL,
    CONSTRAINT product_category_pk PRIMARY KEY (product_id),
    CONSTRAINT product_category_category_fk FOREIGN KEY (category_id) REFERENCES category (category_id)
);
CREATE INDEX product_category_category_idx ON product_category (category_id);
