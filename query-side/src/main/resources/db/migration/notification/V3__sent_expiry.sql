-- What retention removes: sent notifications by the time they were sent (failed ones, few, use the open index).
CREATE INDEX notifications_sent_idx ON notifications (sent_at) WHERE status = 'SENT';
