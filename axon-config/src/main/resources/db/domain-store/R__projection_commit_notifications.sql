-- Every change of a processor's token sends NOTIFY orderly_projection_commits with the processor's name
-- (ProjectionCommitNotifications): PostgreSQL delivers it when, and only if, the transaction commits, so a node
-- that wakes on it sees the processor's batch and token. Each transaction of a processor stores its token, so one
-- trigger here tells of every commit, within the statement that stores the token rather than in a round trip of
-- its own. Repeatable: it is applied again whenever this text changes, after the versioned migrations.
CREATE OR REPLACE FUNCTION notify_projection_commit() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('orderly_projection_commits', NEW.processor_name);
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS token_entry_commit_notification ON token_entry;
CREATE TRIGGER token_entry_commit_notification
    AFTER INSERT OR UPDATE ON token_entry
    FOR EACH ROW EXECUTE FUNCTION notify_projection_commit();
