-- The notification domain's copies of other domains' data, taken from their events: nothing here
-- points outside this schema. last_position is the global index of the last event applied, which
-- makes a redelivered or replayed event a no-op.
CREATE TABLE customer_contacts (
    customer_id     UUID         NOT NULL,
    email           VARCHAR(254) NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    last_position   BIGINT       NOT NULL,
    CONSTRAINT customer_contacts_pk PRIMARY KEY (customer_id),
    CONSTRAINT customer_contacts_status_ck CHECK (status IN ('ACTIVE', 'DEACTIVATED'))
);

-- Lets a shipment, which names only its order, find the customer to notify.
CREATE TABLE order_customers (
    order_id        UUID         NOT NULL,
    customer_id     UUID         NOT NULL,
    last_position   BIGINT       NOT NULL,
    CONSTRAINT order_customers_pk PRIMARY KEY (order_id)
);

-- One row per notification to send, and its delivery state. notification_id is derived from the
-- source event's id and the type, so recording the same event twice inserts nothing.
-- customer_id and recipient may be null at recording time, when the copies above lag behind; the
-- dispatcher resolves them at send time.
CREATE TABLE notifications (
    notification_id UUID          NOT NULL,
    source_event_id VARCHAR(255)  NOT NULL,
    type            VARCHAR(32)   NOT NULL,
    customer_id     UUID,
    order_id        UUID,
    shipment_id     UUID,
    recipient       VARCHAR(254),
    detail          TEXT,
    status          VARCHAR(16)   NOT NULL,
    attempts        INTEGER       NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ   NOT NULL,
    last_error      VARCHAR(1000),
    created_at      TIMESTAMPTZ   NOT NULL,
    recorded_at     TIMESTAMPTZ   NOT NULL,
    sent_at         TIMESTAMPTZ,
    CONSTRAINT notifications_pk PRIMARY KEY (notification_id),
    CONSTRAINT notifications_type_ck
        CHECK (type IN ('CUSTOMER_WELCOME', 'ORDER_CONFIRMED', 'ORDER_REJECTED', 'SHIPMENT_DISPATCHED')),
    CONSTRAINT notifications_status_ck CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
    CONSTRAINT notifications_sent_ck CHECK ((status = 'SENT') = (sent_at IS NOT NULL))
);

-- What the dispatcher polls.
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status = 'PENDING';
-- What metrics and health count; sent rows, the vast majority, stay out of it.
CREATE INDEX notifications_open_idx ON notifications (status, recorded_at) WHERE status IN ('PENDING', 'FAILED');
-- The list, in creation order, for everyone or for one customer.
CREATE INDEX notifications_created_idx ON notifications (created_at, notification_id);
CREATE INDEX notifications_customer_idx ON notifications (customer_id, created_at, notification_id);
