-- Axon's JDBC saga store (DomainStore.SAGA_SCHEMA names the columns); the serialized saga is bytea, never oid.
CREATE TABLE saga_entry (
    saga_id         VARCHAR(255) NOT NULL PRIMARY KEY,
    revision        VARCHAR(255),
    saga_type       VARCHAR(255),
    serialized_saga BYTEA
);

CREATE TABLE association_value_entry (
    id                BIGSERIAL PRIMARY KEY,
    association_key   VARCHAR(255),
    association_value VARCHAR(255),
    saga_id           VARCHAR(255),
    saga_type         VARCHAR(255)
);

-- Every event looks its sagas up by (type, key, value); ending a saga deletes by id.
CREATE INDEX association_value_lookup ON association_value_entry (saga_type, association_key, association_value);
CREATE INDEX association_value_saga ON association_value_entry (saga_id, saga_type);
