-- Administrators: the first account is one, and so is the oldest active account of an existing installation.
ALTER TABLE users ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0;
UPDATE users SET is_admin = 1 WHERE id = (SELECT MIN(id) FROM users WHERE deactivated_at IS NULL);

-- Who may join, as an administrator set it (one row). registration_mode NULL: Accounts:RegistrationMode from the
-- configuration applies. allowed_email_domains: lower-case domains, one per line; NULL or empty: any. join_code: the
-- secret part of the join link while the mode is "invite" (NULL: no link made yet).
CREATE TABLE account_settings (
    id INTEGER NOT NULL PRIMARY KEY,
    registration_mode TEXT NULL,
    allowed_email_domains TEXT NULL,
    join_code TEXT NULL,
    updated_at INTEGER NULL
);
INSERT INTO account_settings (id) VALUES (1);

-- What administrators did. The names are copied as they were, so an entry still reads the same after an account is
-- renamed or deleted.
CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at INTEGER NOT NULL,
    actor_id INTEGER NULL,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    subject_user_id INTEGER NULL,
    subject_name TEXT NULL,
    detail TEXT NULL,
    CONSTRAINT fk_audit_events_actor FOREIGN KEY (actor_id) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT fk_audit_events_subject FOREIGN KEY (subject_user_id) REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX ix_audit_events_occurred ON audit_events (occurred_at, id);
