-- A run's last event id is the greatest id of its events: read from them (the primary key's
-- index), no longer written to the run's row with every batch of events.
ALTER TABLE runs DROP COLUMN last_event_id;
