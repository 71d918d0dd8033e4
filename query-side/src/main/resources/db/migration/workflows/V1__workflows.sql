-- The workflows read model: each saga's newest published state. business_id is a weak reference (an order
-- or return id, as text): nothing here points outside this schema.
CREATE TABLE workflows (
    workflow_id   UUID         NOT NULL,
    type          VARCHAR(64)  NOT NULL,
    business_id   VARCHAR(64)  NOT NULL,
    status        VARCHAR(24)  NOT NULL,
    current_step  VARCHAR(64),
    deadline      TIMESTAMPTZ,
    revision      BIGINT       NOT NULL,
    last_position BIGINT       NOT NULL,
    updated_at    TIMESTAMPTZ  NOT NULL,
    CONSTRAINT workflows_pk PRIMARY KEY (workflow_id),
    CONSTRAINT workflows_status_ck CHECK (status IN ('RUNNING', 'COMPLETED', 'COMPENSATING', 'COMPENSATED',
                                                     'COMPENSATION_FAILED', 'FAILED'))
);
CREATE INDEX workflows_status_idx ON workflows (status, workflow_id);
CREATE INDEX workflows_business_idx ON workflows (business_id, workflow_id);
-- Stuck sagas: only those still waiting can be, so the index holds just them.
CREATE INDEX workflows_waiting_deadline_idx ON workflows (deadline) WHERE status IN ('RUNNING', 'COMPENSATING');

-- The steps of the newest state, in the saga's order; replaced as a whole with each newer revision.
CREATE TABLE workflow_steps (
    workflow_id UUID          NOT NULL,
    position    INTEGER       NOT NULL,
    name        VARCHAR(64)   NOT NULL,
    status      VARCHAR(16)   NOT NULL,
    started_at  TIMESTAMPTZ   NOT NULL,
    ended_at    TIMESTAMPTZ,
    error       VARCHAR(2000),
    CONSTRAINT workflow_steps_pk PRIMARY KEY (workflow_id, position),
    CONSTRAINT workflow_steps_workflow_fk FOREIGN KEY (workflow_id) REFERENCES workflows (workflow_id)
);
