-- The sequence number of the last step written to an interaction's live socket, so that a client that
-- reconnects to any replica continues where it left off (XAgent kept a per-row is_send flag instead).
ALTER TABLE interactions ADD COLUMN delivered_seq BIGINT DEFAULT -1 NOT NULL;
