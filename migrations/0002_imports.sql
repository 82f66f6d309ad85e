-- Imports: each uploaded file as it came, with what the coordinator chose, kept until it is
-- applied or replaced, so the preview and the apply read the same bytes (and the history can
-- say which file a changeset came from).
CREATE TABLE imports (
    id BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    content BLOB NOT NULL,
    shape TEXT NOT NULL,
    -- JSON: the round, source, date, column mapping and settled disagreements.
    settings TEXT NOT NULL,
    -- The changeset it was applied as (NULL: not applied).
    changeset_id BIGINT
);

-- Named column mappings, reused for the next file of the same survey tool.
CREATE TABLE import_profiles (
    name TEXT PRIMARY KEY,
    shape TEXT NOT NULL,
    -- JSON: normalised header -> target.
    mapping TEXT NOT NULL,
    account_id BIGINT,
    at BIGINT NOT NULL
);
