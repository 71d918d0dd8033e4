-- A second domain, declared only by the schema tests, so that isolation between two domains is tested.
CREATE TABLE probe_items (
    item_id UUID NOT NULL,
    label   VARCHAR(100) NOT NULL,
    CONSTRAINT probe_items_pk PRIMARY KEY (item_id)
);
