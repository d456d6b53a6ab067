-- Deleting or locking an account ends every session it has: sign-in cookies and bearer tokens issued before
-- this time (ms since the epoch) are refused. NULL: nothing has ended them.
ALTER TABLE users ADD COLUMN sessions_valid_since BIGINT NULL;

-- Refresh tokens are single-use: each refresh stores its successor in the same family, and presenting a token
-- that was already used revokes the whole family. Only a SHA-256 hash of each token is kept. The table of 0001
-- was never used and had no family, so it is replaced.
DROP TABLE api_refresh_tokens;

CREATE TABLE api_refresh_tokens (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    token_hash CHAR(64) NOT NULL,
    family CHAR(32) NOT NULL,
    security_stamp VARCHAR(256) NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    -- Set when the token is used (or its family revoked); it is kept until it expires to recognise reuse.
    revoked_at BIGINT NULL,
    UNIQUE KEY ux_api_refresh_tokens_hash (token_hash),
    KEY ix_api_refresh_tokens_family (family),
    KEY ix_api_refresh_tokens_user (user_id, expires_at),
    CONSTRAINT fk_api_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
