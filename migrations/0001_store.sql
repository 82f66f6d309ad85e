-- The store: the data set's records with versions, the change log, accounts and sessions.
-- Plain SQL that SQLite and PostgreSQL both read (ids are assigned by the application inside
-- the write transaction; times are Unix seconds).

-- Store-wide values: the revision (bumped by every committed change), where it was seeded from.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Files kept verbatim: dataset.toml, the kommun code list, the boundaries of each region.
CREATE TABLE files (
    name TEXT PRIMARY KEY,
    content TEXT NOT NULL
);

-- One per data file of records (offerings, sambu, …): its header row as in the file.
CREATE TABLE record_tables (
    name TEXT PRIMARY KEY,
    header TEXT NOT NULL
);

-- One row of a data file. `key` is its natural key (e.g. 1498/abc/2024 for an offering) or a
-- number for files without one; `kommun` the kommun it belongs to (NULL: region-wide, samordnare
-- only); `fields` a JSON object column → text, exactly as written back to the file.
CREATE TABLE records (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    kommun TEXT,
    position BIGINT NOT NULL,
    fields TEXT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE INDEX records_in_order ON records (kind, position);
CREATE INDEX records_by_kommun ON records (kommun);

-- A set of changes made together (one form, one "bekräfta alla", one import), in one transaction.
CREATE TABLE changesets (
    id BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    account_id BIGINT,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    comment TEXT NOT NULL,
    undone_by BIGINT
);

-- One record's change: append-only, written in the same transaction as the change.
CREATE TABLE changes (
    id BIGINT PRIMARY KEY,
    changeset_id BIGINT NOT NULL REFERENCES changesets (id),
    at BIGINT NOT NULL,
    account_id BIGINT,
    actor TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_key TEXT NOT NULL,
    kommun TEXT,
    action TEXT NOT NULL,
    source TEXT NOT NULL,
    comment TEXT NOT NULL,
    reverts BIGINT,
    version BIGINT NOT NULL
);
CREATE INDEX changes_by_record ON changes (record_kind, record_key, id);
CREATE INDEX changes_by_kommun ON changes (kommun, id);
CREATE INDEX changes_by_account ON changes (account_id, id);

-- Each field a change touched, old → new (NULL: the record did not exist / was removed).
CREATE TABLE change_fields (
    change_id BIGINT NOT NULL REFERENCES changes (id),
    field TEXT NOT NULL,
    old TEXT,
    new TEXT,
    PRIMARY KEY (change_id, field)
);

CREATE TABLE accounts (
    id BIGINT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('samordnare', 'redaktor')),
    -- Argon2id PHC string; NULL until the invitation is taken up (or for OIDC-only accounts).
    password_hash TEXT,
    -- Base32 TOTP secret, set when enrolment is confirmed with a first code.
    totp_secret TEXT,
    -- The last time step a code was accepted for: a code is good once.
    totp_last_step BIGINT,
    oidc_issuer TEXT,
    oidc_subject TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    UNIQUE (oidc_issuer, oidc_subject)
);

-- The kommuner a redaktör may edit.
CREATE TABLE account_kommuner (
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    kommun TEXT NOT NULL,
    PRIMARY KEY (account_id, kommun)
);

-- Invitation links (token stored as its SHA-256), good once and for a limited time.
CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

-- One-time recovery codes for a lost authenticator (stored as SHA-256).
CREATE TABLE recovery_codes (
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (account_id, code_hash)
);

-- Server-side sessions; the cookie holds a random id, the table its SHA-256. A session exists
-- before sign-in too (it carries the CSRF token of the sign-in form, the OIDC state, the step
-- between password and code), with account_id NULL until signed in.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    account_id BIGINT,
    -- anonymous | second_factor (password checked, code pending) | signed_in
    stage TEXT NOT NULL,
    csrf TEXT NOT NULL,
    -- JSON: OIDC state, nonce, PKCE verifier, where to go after sign-in.
    data TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    signed_in_at BIGINT
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- Personal API tokens for scripts (stored as SHA-256), scoped to the person's role and kommuner.
CREATE TABLE api_tokens (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used BIGINT,
    revoked_at BIGINT
);

-- Security events (sign-in, failures, sign-out, account changes), for the coordinator and audits.
CREATE TABLE security_events (
    id BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    account_id BIGINT,
    event TEXT NOT NULL,
    address TEXT NOT NULL,
    detail TEXT NOT NULL
);
