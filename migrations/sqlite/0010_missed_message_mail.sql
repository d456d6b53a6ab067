-- Missed-message mail. last_seen_at: when the person last opened a page of the app (ms since the epoch);
-- missed_mail: 1 while they want the mail; missed_mail_sent_at: when the last one went, so no second one goes
-- before they visit again.
ALTER TABLE users ADD COLUMN last_seen_at INTEGER NULL;
ALTER TABLE users ADD COLUMN missed_mail INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN missed_mail_sent_at INTEGER NULL;

-- A job that only one instance may run at a time holds its lease until expires_at (ms since the epoch).
CREATE TABLE leases (
    name TEXT NOT NULL PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
