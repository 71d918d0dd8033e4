-- A node that replays or rebuilds a processor holds it: every other node stops its own instance of that
-- processor (releasing its segments) and keeps it stopped while the hold lasts. The holder renews the hold
-- while it works; one its node stopped renewing (the node died) lapses at expires_at.
CREATE TABLE processor_hold (
    processor_name VARCHAR(255)  NOT NULL,
    node           VARCHAR(255)  NOT NULL,
    purpose        VARCHAR(255)  NOT NULL,
    acquired_at    TIMESTAMPTZ   NOT NULL DEFAULT now(),
    expires_at     TIMESTAMPTZ   NOT NULL,
    CONSTRAINT processor_hold_pk PRIMARY KEY (processor_name)
);

-- Which nodes a replay or rebuild waited for: the ones still holding segments, then the ones that released.
ALTER TABLE replay ADD COLUMN waiting_for VARCHAR(2000);
ALTER TABLE replay ADD COLUMN released_by VARCHAR(2000);
ALTER TABLE rebuild ADD COLUMN waiting_for VARCHAR(2000);
ALTER TABLE rebuild ADD COLUMN released_by VARCHAR(2000);
