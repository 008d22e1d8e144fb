-- Identity: every run belongs to the subject of the token that created it. Runs made with identity
-- off have no owner (NULL): once identity is on, only administrators see them.
ALTER TABLE runs ADD COLUMN owner VARCHAR(255);
-- The SHA-256 (hex) of an external run's producer token; the token itself is never stored. A
-- producer's post finds its run by it.
ALTER TABLE runs ADD COLUMN producer_token_sha256 VARCHAR(64);
CREATE UNIQUE INDEX runs_producer_token ON runs (producer_token_sha256);

-- A user's list pages: the owner's runs newest first, optionally by status. Descending, and the
-- queries order by exactly these columns, for the reason V2 gives (H2 reads an index in its own
-- order only), so a page reads its own rows and not every run of the table or of the owner.
CREATE INDEX runs_owner_seq ON runs (owner, seq DESC);
CREATE INDEX runs_owner_status_seq ON runs (owner, status, seq DESC);
