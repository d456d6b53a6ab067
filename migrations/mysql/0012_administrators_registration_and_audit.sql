-- Administrators: the first account is one, and so is the oldest active account of an existing installation.
ALTER TABLE users ADD COLUMN is_admin TINYINT(1) NOT NULL DEFAULT 0;
UPDATE users SET is_admin = 1 WHERE deactivated_at IS NULL ORDER BY id LIMIT 1;

-- Who may join, as an administrator set it (one row). registration_mode NULL: Accounts:RegistrationMode from the configuration
-- applies. allowed_email_domains: lower-case domains, one per line; NULL or empty: any. join_code: the secret part
-- of the join link while the mode is "invite" (NULL: no link made yet).
CREATE TABLE account_settings (
    id INT NOT NULL PRIMARY KEY,
    registration_mode VARCHAR(8) NULL,
    allowed_email_domains TEXT NULL,
    join_code VARCHAR(64) NULL,
    updated_at BIGINT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO account_settings (id) VALUES (1);

-- What administrators did. The names are copied as they were, so an entry still reads the same after an account is
-- renamed or deleted.
CREATE TABLE audit_events (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    occurred_at BIGINT NOT NULL,
    actor_id BIGINT NULL,
    actor_name VARCHAR(100) NOT NULL,
    action VARCHAR(32) NOT NULL,
    subject_user_id BIGINT NULL,
    subject_name VARCHAR(256) NULL,
    detail VARCHAR(500) NULL,
    KEY ix_audit_events_occurred (occurred_at, id),
    CONSTRAINT fk_audit_events_actor FOREIGN KEY (actor_id) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT fk_audit_events_subject FOREIGN KEY (subject_user_id) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
