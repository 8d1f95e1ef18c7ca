-- Who watches a run, and what each viewer provably received. One row per live XAgent socket of a run, renewed
-- by its replica's lease (a crashed replica's viewers expire); a viewer that vanished stays as "dropped", and its
-- acked_seq (the last step written before a ping the client answered) is where a client that reconnects without
-- naming its last step resumes. A viewer that left cleanly is deleted, its progress kept in
-- interactions.delivered_seq. Presence here, not in broker messages, decides whether an abandoned run stops.
CREATE TABLE run_viewers (
    viewer_id      VARCHAR(64)              NOT NULL,
    interaction_id VARCHAR(64)              NOT NULL,
    replica_id     VARCHAR(128)             NOT NULL,
    acked_seq      BIGINT                   NOT NULL,
    lease_until    TIMESTAMP WITH TIME ZONE NOT NULL,
    dropped        BOOLEAN                  NOT NULL,
    CONSTRAINT pk_run_viewers PRIMARY KEY (viewer_id)
);

CREATE INDEX ix_run_viewers_interaction ON run_viewers (interaction_id);
CREATE INDEX ix_run_viewers_replica ON run_viewers (replica_id);
