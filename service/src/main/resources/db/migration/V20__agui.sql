-- AG-UI (issue 18). Two side tables of the step log; neither changes what XAgent or /ws viewers read.
--
-- partial_output: a model's output as it streamed, before it became a step (text deltas, tool-call starts and
-- argument fragments, completion ends), coalesced and stored before it is announced (persist, then publish).
-- part is dense per interaction (0, 1, 2, ...); before_seq is the seq of the step it precedes: every part with
-- before_seq = k was stored before step k. Written by the run's lease holder only.
CREATE TABLE partial_output (
    interaction_id VARCHAR(64)              NOT NULL,
    part           BIGINT                   NOT NULL,
    before_seq     BIGINT                   NOT NULL,
    kind           VARCHAR(16)              NOT NULL,
    data           TEXT                     NOT NULL,
    create_time    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_partial_output PRIMARY KEY (interaction_id, part)
);

-- agui_runs: every AG-UI run (a runId a client sent) and the stored run it views: from_seq is the first step of
-- the log that belongs to it (0 for a new run; the step after the interrupt it resumed). runIds are never reused.
CREATE TABLE agui_runs (
    run_id         VARCHAR(256)             NOT NULL,
    thread_id      VARCHAR(256)             NOT NULL,
    interaction_id VARCHAR(64)              NOT NULL,
    user_id        VARCHAR(256)             NOT NULL,
    agent          VARCHAR(128)             NOT NULL,
    from_seq       BIGINT                   NOT NULL,
    create_time    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_agui_runs PRIMARY KEY (run_id)
);

CREATE INDEX ix_agui_runs_thread ON agui_runs (thread_id, create_time);
