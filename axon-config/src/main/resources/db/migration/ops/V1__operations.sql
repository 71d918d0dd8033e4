-- What operators did: replays (who, when, how they ended) and evicted dead letters.
CREATE TABLE replay (
    replay_id       UUID          NOT NULL,
    processor_name  VARCHAR(255)  NOT NULL,
    domain          VARCHAR(64)   NOT NULL,
    requested_by    VARCHAR(255)  NOT NULL,
    node            VARCHAR(255)  NOT NULL,
    started_at      TIMESTAMPTZ   NOT NULL,
    target_position BIGINT        NOT NULL,
    outcome         VARCHAR(16)   NOT NULL,
    ended_at        TIMESTAMPTZ,
    detail          VARCHAR(2000),
    CONSTRAINT replay_pk PRIMARY KEY (replay_id),
    CONSTRAINT replay_outcome_ck CHECK (outcome IN ('RUNNING', 'COMPLETED', 'FAILED'))
);
-- At most one running replay per processor, whichever node asks.
CREATE UNIQUE INDEX replay_one_running_uk ON replay (processor_name) WHERE outcome = 'RUNNING';
CREATE INDEX replay_started_idx ON replay (started_at DESC);

CREATE TABLE dead_letter_eviction (
    dead_letter_id      VARCHAR(255)  NOT NULL,
    processor_name      VARCHAR(255)  NOT NULL,
    domain              VARCHAR(64)   NOT NULL,
    sequence_identifier VARCHAR(255)  NOT NULL,
    event_identifier    VARCHAR(255)  NOT NULL,
    payload_type        VARCHAR(255)  NOT NULL,
    cause               VARCHAR(1023),
    enqueued_at         TIMESTAMPTZ   NOT NULL,
    evicted_by          VARCHAR(255)  NOT NULL,
    evicted_at          TIMESTAMPTZ   NOT NULL,
    CONSTRAINT dead_letter_eviction_pk PRIMARY KEY (dead_letter_id)
);
