-- A notification recorded as PENDING is queued by the database, in the insert that records it. The projection
-- then records with a plain multi-row insert (the driver folds a batch's inserts into one statement), and a
-- redelivered event, whose insert finds the notification already there (ON CONFLICT DO NOTHING inserts no row
-- and fires no row trigger), never queues again a notification that was sent meanwhile.
CREATE FUNCTION queue_recorded_notification() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO notification_queue (notification_id, state, next_attempt_at, recorded_at)
    VALUES (NEW.notification_id, 'PENDING', NEW.recorded_at, NEW.recorded_at)
    ON CONFLICT (notification_id) DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER notifications_queue_recorded
    AFTER INSERT ON notifications
    FOR EACH ROW WHEN (NEW.status = 'PENDING') EXECUTE FUNCTION queue_recorded_notification();
