-- The first answer to each Idempotency-Key, replayed to retries until it expires.
CREATE TABLE idempotent_request (
    idempotency_key VARCHAR(200)  NOT NULL,
    fingerprint     VARCHAR(64)   NOT NULL,
    state           VARCHAR(16)   NOT NULL,
    status          INTEGER,
    content_type    VARCHAR(200),
    location        VARCHAR(2000),
    etag            VARCHAR(200),
    body            BYTEA,
    created_at      TIMESTAMPTZ   NOT NULL,
    expires_at      TIMESTAMPTZ   NOT NULL,
    CONSTRAINT idempotent_request_pk PRIMARY KEY (idempotency_key),
    CONSTRAINT idempotent_request_state_ck CHECK (state IN ('IN_PROGRESS', 'COMPLETED'))
);
CREATE INDEX idempotent_request_expiry_idx ON idempotent_request (expires_at);
