-- Who read or changed whose personal data: one row per access and data subject, written by the audit role, which
-- may add rows and read them but never change or remove one. This schema, the table and the function below belong
-- to the owner role, which runs this migration; ${role} is the audit domain's role.
CREATE TABLE access_entry (
    id            bigserial   PRIMARY KEY,
    at            timestamptz NOT NULL,
    -- the caller's opaque subject id (a token's subject, never an email) and roles
    actor_subject text        NOT NULL,
    actor_roles   text        NOT NULL,
    -- the customer whose data it was
    subject_id    text        NOT NULL,
    operation     text        NOT NULL,
    -- the HTTP status answered, or what a non-HTTP access ended with
    outcome       text        NOT NULL
);

CREATE INDEX access_entry_subject ON access_entry (subject_id, id);
CREATE INDEX access_entry_actor ON access_entry (actor_subject, id);
CREATE INDEX access_entry_at ON access_entry (at);

GRANT USAGE ON SCHEMA audit TO ${role};
GRANT SELECT, INSERT ON access_entry TO ${role};
GRANT USAGE ON SEQUENCE access_entry_id_seq TO ${role};

-- Retention: the only way rows leave. It runs with its owner's rights (SECURITY DEFINER), so the audit role may
-- call it without holding DELETE, and it refuses any cutoff later than a day ago: whoever holds the audit role
-- still cannot erase a fresh trace of what they did.
CREATE FUNCTION remove_entries_before(cutoff timestamptz) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = audit, pg_temp AS $$
DECLARE
    removed bigint;
BEGIN
    IF cutoff IS NULL OR cutoff > now() - interval '1 day' THEN
        RAISE EXCEPTION 'audit entries of the last day are kept: cutoff % is later than %', cutoff,
            now() - interval '1 day' USING ERRCODE = 'insufficient_privilege';
    END IF;
    DELETE FROM audit.access_entry WHERE at < cutoff;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END
$$;

REVOKE ALL ON FUNCTION remove_entries_before(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION remove_entries_before(timestamptz) TO ${role};
