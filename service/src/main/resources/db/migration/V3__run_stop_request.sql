-- A stop asked for by any replica, kept until the run that holds the lease reads it: a stop whose broker
-- notice was lost (Redis down or reconnecting) still ends the run. Claiming the lease clears it.
ALTER TABLE interactions ADD COLUMN stop_requested BOOLEAN DEFAULT FALSE NOT NULL;
