-- The data keys of data subjects (customers), each wrapped by a master key that never enters the database.
-- Deleting a subject's row is its erasure: every value sealed with the key becomes unreadable, in the event
-- store, in backups and in every copy alike.
CREATE TABLE subject_key (
    subject_id    text        PRIMARY KEY,
    master_key_id text        NOT NULL,
    wrapped_key   bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Who was erased (ids only, no personal data): a key is never created again for them, and the list is what an
-- operator re-applies after restoring a backup taken before an erasure.
CREATE TABLE erased_subject (
    subject_id text        PRIMARY KEY,
    erased_at  timestamptz NOT NULL DEFAULT now()
);
