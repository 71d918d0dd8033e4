-- The nodes of the cluster: one row per running node, kept current by the node's heartbeat. A node is live while
-- its heartbeat is recent; a node that stops deletes its row, a killed one leaves it to age out.
CREATE TABLE cluster_node (
    node_id      VARCHAR(255)  NOT NULL,
    role         VARCHAR(16)   NOT NULL,
    -- The event processors running on the node at its last heartbeat: the nodes a processor's segments are shared by.
    processors   TEXT[]        NOT NULL DEFAULT '{}',
    started_at   TIMESTAMPTZ   NOT NULL,
    heartbeat_at TIMESTAMPTZ   NOT NULL,
    CONSTRAINT cluster_node_pk PRIMARY KEY (node_id),
    CONSTRAINT cluster_node_role_ck CHECK (role IN ('all-in-one', 'command-side', 'query-side'))
);

-- Periodic work that runs once per cluster: the node that moves due_at forward (one atomic statement) runs it.
CREATE TABLE cluster_schedule (
    job        VARCHAR(64)   NOT NULL,
    due_at     TIMESTAMPTZ   NOT NULL,
    node_id    VARCHAR(255)  NOT NULL,
    started_at TIMESTAMPTZ   NOT NULL,
    CONSTRAINT cluster_schedule_pk PRIMARY KEY (job)
);
