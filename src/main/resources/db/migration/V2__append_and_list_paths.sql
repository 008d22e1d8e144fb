-- A run's last event id is the greatest id of its events: read from them (the primary key's
-- index), no longer written to the run's row with every batch of events.
ALTER TABLE runs DROP COLUMN last_event_id;

-- List pages are newest first. H2 reads an index in its own order only, so an ascending index
-- made every page scan and sort all runs (0.9 s a page with 100 000 runs); descending, a page
-- reads its own rows. PostgreSQL reads either way. With a status, the query orders by
-- (status, seq DESC), which is this index's order, for the same reason.
DROP INDEX runs_seq;
DROP INDEX runs_status_seq;
CREATE UNIQUE INDEX runs_seq ON runs (seq DESC);
CREATE INDEX runs_status_seq ON runs (status, seq DESC);
