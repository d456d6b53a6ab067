-- Times are UTC milliseconds since the Unix epoch (INTEGER) so both engines store them alike.

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_name TEXT NOT NULL,
    normalized_user_name TEXT NOT NULL,
    email TEXT NULL,
    normalized_email TEXT NULL,
    email_confirmed INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT NULL,
    security_stamp TEXT NULL,
    concurrency_stamp TEXT NULL,
    phone_number TEXT NULL,
    phone_number_confirmed INTEGER NOT NULL DEFAULT 0,
    two_factor_enabled INTEGER NOT NULL DEFAULT 0,
    lockout_end INTEGER NULL,
    lockout_enabled INTEGER NOT NULL DEFAULT 1,
    access_failed_count INTEGER NOT NULL DEFAULT 0,
    authenticator_key TEXT NULL,
    recovery_codes TEXT NULL,
    display_name TEXT NOT NULL,
    avatar_image_id INTEGER NULL REFERENCES images (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    deactivated_at INTEGER NULL
);
CREATE UNIQUE INDEX ux_users_normalized_user_name ON users (normalized_user_name);
CREATE INDEX ix_users_normalized_email ON users (normalized_email);
CREATE INDEX ix_users_display_name ON users (display_name);

CREATE TABLE user_logins (
    login_provider TEXT NOT NULL,
    provider_key TEXT NOT NULL,
    provider_display_name TEXT NULL,
    user_id INTEGER NOT NULL,
    PRIMARY KEY (login_provider, provider_key),
    CONSTRAINT fk_user_logins_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX ix_user_logins_user ON user_logins (user_id);

CREATE TABLE user_tokens (
    user_id INTEGER NOT NULL,
    login_provider TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NULL,
    PRIMARY KEY (user_id, login_provider, name),
    CONSTRAINT fk_user_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);


CREATE TABLE user_claims (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    claim_type TEXT NOT NULL,
    claim_value TEXT NULL,
    CONSTRAINT fk_user_claims_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX ix_user_claims_user ON user_claims (user_id);

CREATE TABLE api_refresh_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    token_hash TEXT NOT NULL,
    security_stamp TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER NULL,
    CONSTRAINT fk_api_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX ux_api_refresh_tokens_hash ON api_refresh_tokens (token_hash);
CREATE INDEX ix_api_refresh_tokens_user ON api_refresh_tokens (user_id);

CREATE TABLE conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    title TEXT NULL,
    -- "smallerUserId:largerUserId" for a direct conversation, so a pair has exactly one.
    direct_key TEXT NULL,
    created_by INTEGER NULL,
    created_at INTEGER NOT NULL,
    last_activity_at INTEGER NOT NULL,
    last_message_id INTEGER NULL,
    -- Bumped on every edit, delete or membership change; clients poll with it to learn of changes.
    change_counter INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT fk_conversations_created_by FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX ux_conversations_direct_key ON conversations (direct_key);
CREATE INDEX ix_conversations_last_activity ON conversations (last_activity_at, id);

CREATE TABLE conversation_members (
    conversation_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    role TEXT NOT NULL,
    joined_at INTEGER NOT NULL,
    last_read_message_id INTEGER NOT NULL DEFAULT 0,
    hidden INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id),
    CONSTRAINT fk_conversation_members_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE,
    CONSTRAINT fk_conversation_members_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX ix_conversation_members_user ON conversation_members (user_id, hidden, conversation_id);

CREATE TABLE images (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The conversation whose members may see it; NULL for an avatar, which every signed-in user may see.
    conversation_id INTEGER NULL,
    uploaded_by INTEGER NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT fk_images_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE,
    CONSTRAINT fk_images_uploaded_by FOREIGN KEY (uploaded_by) REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX ix_images_conversation ON images (conversation_id);

CREATE TABLE image_variants (
    image_id INTEGER NOT NULL,
    variant TEXT NOT NULL,
    content_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    byte_count INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (image_id, variant),
    CONSTRAINT fk_image_variants_image FOREIGN KEY (image_id) REFERENCES images (id) ON DELETE CASCADE
);


CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL,
    -- NULL once the sender's account is deleted: the message stays, shown as from "deleted user".
    sender_id INTEGER NULL,
    kind TEXT NOT NULL,
    body TEXT NULL,
    client_message_id TEXT NULL,
    image_id INTEGER NULL,
    image_alt TEXT NULL,
    created_at INTEGER NOT NULL,
    edited_at INTEGER NULL,
    deleted_at INTEGER NULL,
    -- The conversation's change_counter when this message was last edited or deleted.
    change_version INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT fk_messages_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE,
    CONSTRAINT fk_messages_sender FOREIGN KEY (sender_id) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT fk_messages_image FOREIGN KEY (image_id) REFERENCES images (id) ON DELETE SET NULL
);
CREATE INDEX ix_messages_conversation_id ON messages (conversation_id, id);
CREATE INDEX ix_messages_changes ON messages (conversation_id, change_version);
CREATE UNIQUE INDEX ux_messages_client_message_id ON messages (sender_id, client_message_id);

CREATE TABLE invites (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL,
    -- SHA-256 of the token: a leaked database does not leak usable links.
    token_hash TEXT NOT NULL,
    created_by INTEGER NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NULL,
    revoked_at INTEGER NULL,
    CONSTRAINT fk_invites_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE,
    CONSTRAINT fk_invites_created_by FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX ux_invites_token_hash ON invites (token_hash);
CREATE INDEX ix_invites_conversation ON invites (conversation_id);

CREATE TABLE data_protection_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    friendly_name TEXT NOT NULL,
    xml TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_data_protection_keys_name ON data_protection_keys (friendly_name);
