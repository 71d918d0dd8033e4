-- Zero-downtime rebuilds of a domain's read schema: who started one, when, how far it got and how it ended.
CREATE TABLE rebuild (
    rebuild_id      UUID          NOT NULL,
    domain          VARCHAR(64)   NOT NULL,
    processors      VARCHAR(2000) NOT NULL,
    requested_by    VARCHAR(255)  NOT NULL,
    node            VARCHAR(255)  NOT NULL,
    started_at      TIMESTAMPTZ   NOT NULL,
    target_position BIGINT        NOT NULL,
    phase           VARCHAR(16)   NOT NULL,
    outcome         VARCHAR(16)   NOT NULL,
    position        BIGINT        NOT NULL DEFAULT -1,
    -- Kept current by the node running the rebuild; a RUNNING record without it for long was abandoned.
    heartbeat_at    TIMESTAMPTZ   NOT NULL DEFAULT now(),
    ended_at        TIMESTAMPTZ,
    detail          VARCHAR(2000),
    CONSTRAINT rebuild_pk PRIMARY KEY (rebuild_id),
    CONSTRAINT rebuild_outcome_ck CHECK (outcome IN ('RUNNING', 'COMPLETED', 'FAILED')),
    CONSTRAINT rebuild_phase_ck CHECK (phase IN ('PREPARING', 'BUILDING', 'SWAPPING', 'DONE'))
);
-- At most one running rebuild per domain, whichever node asks.
CREATE UNIQUE INDEX rebuild_one_running_uk ON rebuild (domain) WHERE outcome = 'RUNNING';
CREATE INDEX rebuild_started_idx ON rebuild (started_at DESC);
