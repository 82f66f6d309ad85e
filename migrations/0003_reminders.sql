-- E-mail reminders of facts that kan vara inaktuella (src/reminders.rs): whether a person asked
-- for them (off until they do), and when the last one was sent (Unix seconds), so that nobody
-- gets more than one per 30 days, whichever process sends it.
CREATE TABLE reminders (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id),
    wanted BIGINT NOT NULL DEFAULT 0,
    last_sent BIGINT
);
