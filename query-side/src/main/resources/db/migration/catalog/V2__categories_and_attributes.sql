-- The category tree, one row per category. path is the chain of ids from the root down to the category itself,
-- '/<root>/<child>/.../<self>/': the categories under X are those whose path starts with X's path, a range of
-- the index (in byte order, "C", so that a prefix is a range whatever plan a prepared statement gets). A move
-- rewrites the paths of the moved subtree in one statement: categories change at staff pace, product lists are
-- read at shop pace, so the cost sits on the move, not on each list.
CREATE TABLE categories (
    category_id    UUID         NOT NULL,
    name           VARCHAR(200) NOT NULL,
    parent_id      UUID,
    path           TEXT COLLATE "C" NOT NULL,
    depth          INTEGER      NOT NULL,
    version        BIGINT       NOT NULL,
    last_position  BIGINT,
    updated_at     TIMESTAMPTZ  NOT NULL,
    CONSTRAINT categories_pk PRIMARY KEY (category_id)
);
CREATE INDEX categories_path_idx ON categories (path);
CREATE INDEX categories_parent_idx ON categories (parent_id, name);

-- The tree is one aggregate: the sequence number of its last event applied here guards every change, so a
-- redelivered or replayed event changes nothing.
CREATE TABLE category_tree (
    tree_id  UUID   NOT NULL,
    version  BIGINT NOT NULL,
    CONSTRAINT category_tree_pk PRIMARY KEY (tree_id)
);

-- A product's category: no foreign key, as the two are written by different processors that may run apart.
ALTER TABLE products ADD COLUMN category_id UUID;
CREATE INDEX products_category_idx ON products (category_id, product_id);

-- Typed attributes: value is the canonical text of every type; number_value is set for NUMBER ones, so ranges
-- compare numbers, not strings.
CREATE TABLE product_attributes (
    product_id    UUID         NOT NULL,
    name          VARCHAR(64)  NOT NULL,
    type          VARCHAR(16)  NOT NULL,
    value         VARCHAR(200) NOT NULL,
    number_value  NUMERIC(21, 6),
    CONSTRAINT product_attributes_pk PRIMARY KEY (product_id, name),
    CONSTRAINT product_attributes_type_ck CHECK (type IN ('TEXT', 'NUMBER', 'BOOLEAN'))
);
CREATE INDEX product_attributes_value_idx ON product_attributes (name, value, product_id);
CREATE INDEX product_attributes_number_idx ON product_attributes (name, number_value, product_id)
    WHERE number_value IS NOT NULL;
