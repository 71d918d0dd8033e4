-- The payments read model. order_id is a weak reference: nothing here points outside this schema.
-- Amounts keep their currency beside them; refunded is the total of every refund so far.
CREATE TABLE payments (
    payment_id      UUID          NOT NULL,
    order_id        UUID          NOT NULL,
    amount          NUMERIC(19,4) NOT NULL,
    currency        VARCHAR(3)    NOT NULL,
    refunded        NUMERIC(19,4) NOT NULL,
    status          VARCHAR(24)   NOT NULL,
    version         BIGINT        NOT NULL,
    last_position   BIGINT,
    updated_at      TIMESTAMPTZ   NOT NULL,
    CONSTRAINT payments_pk PRIMARY KEY (payment_id),
    CONSTRAINT payments_status_ck CHECK (status IN ('AUTHORIZATION_PENDING', 'AUTHORIZED', 'DECLINED', 'CAPTURED',
                                                    'VOIDED', 'REFUNDED', 'PARTIALLY_REFUNDED'))
);
-- Listing one order's payments, in id order for the cursor.
CREATE INDEX payments_order_idx ON payments (order_id, payment_id);
