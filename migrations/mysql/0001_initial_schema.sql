-- Times are UTC milliseconds since the Unix epoch (BIGINT) so both engines store them alike.

CREATE TABLE users (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_name VARCHAR(256) NOT NULL,
    normalized_user_name VARCHAR(256) NOT NULL,
    email VARCHAR(256) NULL,
    normalized_email VARCHAR(256) NULL,
    email_confirmed TINYINT(1) NOT NULL DEFAULT 0,
    password_hash VARCHAR(512) NULL,
    security_stamp VARCHAR(256) NULL,
    concurrency_stamp VARCHAR(256) NULL,
    phone_number VARCHAR(64) NULL,
    phone_number_confirmed TINYINT(1) NOT NULL DEFAULT 0,
    two_factor_enabled TINYINT(1) NOT NULL DEFAULT 0,
    lockout_end BIGINT NULL,
    lockout_enabled TINYINT(1) NOT NULL DEFAULT 1,
    access_failed_count INT NOT NULL DEFAULT 0,
    authenticator_key VARCHAR(256) NULL,
    recovery_codes TEXT NULL,
    display_name VARCHAR(100) NOT NULL,
    avatar_image_id BIGINT NULL,
    created_at BIGINT NOT NULL,
    deactivated_at BIGINT NULL,
    UNIQUE KEY ux_users_normalized_user_name (normalized_user_name),
    KEY ix_users_normalized_email (normalized_email),
    KEY ix_users_display_name (display_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE user_logins (
    login_provider VARCHAR(128) NOT NULL,
    provider_key VARCHAR(128) NOT NULL,
    provider_display_name VARCHAR(256) NULL,
    user_id BIGINT NOT NULL,
    PRIMARY KEY (login_provider, provider_key),
    KEY ix_user_logins_user (user_id),
    CONSTRAINT fk_user_logins_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE user_tokens (
    user_id BIGINT NOT NULL,
    login_provider VARCHAR(128) NOT NULL,
    name VARCHAR(128) NOT NULL,
    value TEXT NULL,
    PRIMARY KEY (user_id, login_provider, name),
    CONSTRAINT fk_user_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE user_claims (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    claim_type VARCHAR(256) NOT NULL,
    claim_value TEXT NULL,
    KEY ix_user_claims_user (user_id),
    CONSTRAINT fk_user_claims_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE api_refresh_tokens (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    token_hash CHAR(64) NOT NULL,
    security_stamp VARCHAR(256) NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT NULL,
    UNIQUE KEY ux_api_refresh_tokens_hash (token_hash),
    KEY ix_api_refresh_tokens_user (user_id),
    CONSTRAINT fk_api_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE conversations (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind VARCHAR(8) NOT NULL,
    title VARCHAR(100) NULL,
    -- "smallerUserId:largerUserId" for a direct conversation, so a pair has exactly one.
    direct_key VARCHAR(41) NULL,
    created_by BIGINT NULL,
    created_at BIGINT NOT NULL,
    last_activity_at BIGINT NOT NULL,
    last_message_id BIGINT NULL,
    -- Bumped on every edit, delete or membership change; clients poll with it to learn of changes.
    change_counter BIGINT NOT NULL DEFAULT 0,
    UNIQUE KEY ux_conversations_direct_key (direct_key),
    KEY ix_conversations_last_activity (last_activity_at, id),
    CONSTRAINT fk_conversations_created_by FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE conversation_members (
    conversation_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    role VARCHAR(8) NOT NULL,
    joined_at BIGINT NOT NULL,
    last_read_message_id BIGINT NOT NULL DEFAULT 0,
    hidden TINYINT(1) NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id),
    KEY ix_conversation_members_user (user_id, hidden, conversation_id),
    CONSTRAINT fk_conversation_members_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE,
    CONSTRAINT fk_conversation_members_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE images (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    -- The conversation whose members may see it; NULL for an avatar, which every signed-in user may see.
    conversation_id BIGINT NULL,
    uploaded_by BIGINT NULL,
    created_at BIGINT NOT NULL,
    KEY ix_images_conversation (conversation_id),
    CONSTRAINT fk_images_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE,
    CONSTRAINT fk_images_uploaded_by FOREIGN KEY (uploaded_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE image_variants (
    image_id BIGINT NOT NULL,
    variant VARCHAR(16) NOT NULL,
    content_type VARCHAR(32) NOT NULL,
    width INT NOT NULL,
    height INT NOT NULL,
    byte_count INT NOT NULL,
    content_hash CHAR(64) NOT NULL,
    bytes LONGBLOB NOT NULL,
    PRIMARY KEY (image_id, variant),
    CONSTRAINT fk_image_variants_image FOREIGN KEY (image_id) REFERENCES images (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE users ADD CONSTRAINT fk_users_avatar_image FOREIGN KEY (avatar_image_id) REFERENCES images (id) ON DELETE SET NULL;

CREATE TABLE messages (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    conversation_id BIGINT NOT NULL,
    -- NULL once the sender's account is deleted: the message stays, shown as from "deleted user".
    sender_id BIGINT NULL,
    kind VARCHAR(8) NOT NULL,
    body TEXT NULL,
    client_message_id VARCHAR(64) NULL,
    image_id BIGINT NULL,
    image_alt VARCHAR(500) NULL,
    created_at BIGINT NOT NULL,
    edited_at BIGINT NULL,
    deleted_at BIGINT NULL,
    -- The conversation's change_counter when this message was last edited or deleted.
    change_version BIGINT NOT NULL DEFAULT 0,
    KEY ix_messages_conversation_id (conversation_id, id),
    KEY ix_messages_changes (conversation_id, change_version),
    UNIQUE KEY ux_messages_client_message_id (sender_id, client_message_id),
    CONSTRAINT fk_messages_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE,
    CONSTRAINT fk_messages_sender FOREIGN KEY (sender_id) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT fk_messages_image FOREIGN KEY (image_id) REFERENCES images (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE invites (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    conversation_id BIGINT NOT NULL,
    -- SHA-256 of the token: a leaked database does not leak usable links.
    token_hash CHAR(64) NOT NULL,
    created_by BIGINT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NULL,
    revoked_at BIGINT NULL,
    UNIQUE KEY ux_invites_token_hash (token_hash),
    KEY ix_invites_conversation (conversation_id),
    CONSTRAINT fk_invites_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE,
    CONSTRAINT fk_invites_created_by FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE data_protection_keys (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    friendly_name VARCHAR(256) NOT NULL,
    xml TEXT NOT NULL,
    UNIQUE KEY ux_data_protection_keys_name (friendly_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
