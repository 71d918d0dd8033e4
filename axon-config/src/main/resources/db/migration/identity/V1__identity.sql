-- The embedded issuer's identity store: who may log in, and the key tokens are signed with.
-- Nothing here derives from events, and no event carries any of it.

-- One row per login: a customer (subject = the customer id, login = their email, lower-cased) or a named
-- account of staff or operators (subject = login = the account name). Passwords only as adaptive hashes.
CREATE TABLE account (
    subject        VARCHAR(64)  NOT NULL,
    login          VARCHAR(320) NOT NULL,
    password_hash  VARCHAR(200) NOT NULL,
    roles          VARCHAR(100) NOT NULL,
    customer_id    UUID,
    enabled        BOOLEAN      NOT NULL DEFAULT TRUE,
    -- the sequence number of the customer event that last changed login or enabled; guards replays
    event_version  BIGINT       NOT NULL DEFAULT -1,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT account_pk PRIMARY KEY (subject)
);
CREATE UNIQUE INDEX account_login_uk ON account (login);

-- The issuer's signing keys (RSA, PKCS#8 and X.509, base64). The newest signs; all are published, so a token
-- signed before a rotation stays valid until it expires.
CREATE TABLE signing_key (
    key_id       VARCHAR(64) NOT NULL,
    private_key  TEXT        NOT NULL,
    public_key   TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT signing_key_pk PRIMARY KEY (key_id)
);
