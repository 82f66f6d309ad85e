-- Reports from visitors ("Rapportera fel eller komplettera", src/pages/report.rs): what they
-- say is wrong or missing, about which kommun and programme, for the coordinator's queue
-- (/admin/rapporter). Never published. The e-mail address is personal data: it is set to NULL
-- when the report is handled, and at the latest 12 months after it came; a handled report is
-- deleted 24 months after it was handled (Store::purge_reports).
CREATE TABLE reports (
    id BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    -- The kommunkod and programme slug the report is about (NULL: not about one).
    kommun TEXT,
    programme TEXT,
    -- data (the facts on the pages) | accessibility (the accessibility statement's feedback)
    topic TEXT NOT NULL,
    -- The language of the page it was sent from (sv | en): the language to answer in.
    lang TEXT NOT NULL,
    message TEXT NOT NULL,
    -- A web address or a document's name ('' when none was given).
    source TEXT NOT NULL,
    email TEXT,
    handled_at BIGINT,
    handled_by BIGINT REFERENCES accounts (id),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reports_by_kommun ON reports (kommun, id);
CREATE INDEX reports_waiting ON reports (handled_at, id);
