-- A modification's journal entry keeps the fields it changed, with their values before
-- and after (JSON), instead of the whole record twice; creations and deletions keep the
-- record in after_json / before_json as before.
ALTER TABLE journal ADD COLUMN diff_json TEXT;
