-- Runs and their events. The same SQL runs on H2 (the embedded default) and PostgreSQL.
-- Times are epoch milliseconds (UTC); JSON is kept as the text clients receive.

CREATE TABLE runs (
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  id VARCHAR(64) NOT NULL,
  status VARCHAR(16) NOT NULL,
  responder VARCHAR(64) NOT NULL,
  created_at BIGINT NOT NULL,
  completed_at BIGINT,
  last_event_id BIGINT NOT NULL,
  -- the run as of its last run.* event (created, in progress, ended); last_event_id is the column's
  run_json VARCHAR NOT NULL,
  -- the Idempotency-Key of the request that created it, and the SHA-256 of that request's body
  idempotency_key VARCHAR(255),
  body_sha256 VARCHAR(64),
  CONSTRAINT runs_pk PRIMARY KEY (id)
);

-- list paging, newest first, optionally by status
CREATE UNIQUE INDEX runs_seq ON runs (seq);
CREATE INDEX runs_status_seq ON runs (status, seq);
-- the retention sweep
CREATE INDEX runs_completed_at ON runs (completed_at);
CREATE UNIQUE INDEX runs_idempotency_key ON runs (idempotency_key);

CREATE TABLE run_events (
  run_id VARCHAR(64) NOT NULL,
  id BIGINT NOT NULL,
  type VARCHAR(64) NOT NULL,
  -- the envelope exactly as it goes out in an SSE data line
  json VARCHAR NOT NULL,
  idempotency_key VARCHAR(255),
  body_sha256 VARCHAR(64),
  CONSTRAINT run_events_pk PRIMARY KEY (run_id, id),
  CONSTRAINT run_events_run FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX run_events_idempotency_key ON run_events (run_id, idempotency_key);
