-- A notification recorded as PENDING is queued by the database, in the insert that records it. The projection
-- then records with a plain multi-row insert (the driver folds a batch's inserts into one statement), and a
-- redelivered event, whose insert finds the notification already there (ON CONFLICT DO NOTHING inserts no row),
-- never queues again a notification that was sent meanwhile. One trigger per statement, over the rows that
-- statement inserted, so a batch of notifications is queued by one insert too.
CREATE FUNCTION queue_recorded_notifications() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO notification_queue (notification_id, state, next_attempt_at, recorded_at)
    SELECT notification_id, 'PENDING', recorded_at, recorded_at FROM recorded WHERE status = 'PENDING'
    ON CONFLICT (notification_id) DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER notifications_queue_recorded
    AFTER INSERT ON notifications
    REFERENCING NEW TABLE AS recorded
    FOR EACH STATEMENT EXECUTE FUNCTION queue_recorded_notifications();
