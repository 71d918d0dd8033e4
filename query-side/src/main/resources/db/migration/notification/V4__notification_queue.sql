-- Sending a notification changes its row once (status, attempts, sent_at, and the customer and recipient
-- resolved at send time). That change is cheap only as a HOT update: PostgreSQL then writes the new version
-- on the same page and inserts into no index. Two conditions make an update HOT: it changes no indexed column
-- (a column in a partial index's predicate counts as indexed), and the page has room for the new version.
--
-- So the notification's record keeps only indexes on what the dispatcher never changes (the key, created_at
-- for the list and retention, customer_id for one customer's list, which changes only when it was unknown at
-- recording time), and what the dispatcher searches for lives in a small table of its own below.

-- The notifications not sent yet: what the dispatcher polls and the monitoring counts. A row lives from the
-- recording until the notification is sent, or, when it is given up on (FAILED), until retention removes it.
-- next_attempt_at is when a PENDING notification is due, or when a FAILED one's last attempt was due.
CREATE TABLE notification_queue (
    notification_id UUID         NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    next_attempt_at TIMESTAMPTZ  NOT NULL,
    recorded_at     TIMESTAMPTZ  NOT NULL,
    CONSTRAINT notification_queue_pk PRIMARY KEY (notification_id),
    CONSTRAINT notification_queue_notification_fk FOREIGN KEY (notification_id)
        REFERENCES notifications (notification_id) ON DELETE CASCADE,
    CONSTRAINT notification_queue_state_ck CHECK (state IN ('PENDING', 'FAILED'))
);

-- What the dispatcher polls. Sent rows leave the table, so it stays as small as the backlog.
CREATE INDEX notification_queue_due_idx ON notification_queue (next_attempt_at) WHERE state = 'PENDING';

INSERT INTO notification_queue (notification_id, state, next_attempt_at, recorded_at)
SELECT notification_id, status, next_attempt_at, recorded_at
  FROM notifications
 WHERE status IN ('PENDING', 'FAILED');

-- Each of these indexes a column the dispatcher changes (status in their predicates, next_attempt_at,
-- sent_at): with any of them, no send is a HOT update. Polling, counting and retention no longer need them.
DROP INDEX notifications_due_idx;
DROP INDEX notifications_open_idx;
DROP INDEX notifications_sent_idx;

-- When a notification is due is the queue's to know.
ALTER TABLE notifications DROP COLUMN next_attempt_at;

-- Room for HOT updates. A row is recorded once and updated once when sent, and rows recorded together (one
-- page) are sent together, by one dispatcher batch in one transaction, while the old versions are still
-- visible and cannot be pruned: the page must hold a second version of every row on it, so inserts fill it
-- half. The heap is about twice the size of its live rows, which the list never scans (it reads by index);
-- the indexes are not affected. Higher fill factors make only a fraction of the sends HOT (measured: 85 %
-- fill, about a quarter of them). Pages written before this migration keep their fill.
ALTER TABLE notifications SET (fillfactor = 50);
