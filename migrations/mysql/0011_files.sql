-- Files sent in messages. The bytes live in the file store (Storage:Path), named by their SHA-256, so the same
-- file sent twice is kept once; a row per upload says who may see it (the conversation's members) and how to
-- show it. A video's poster frame is an image like a photo's, under the same membership rule.
CREATE TABLE files (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    conversation_id BIGINT NOT NULL,
    uploaded_by BIGINT NULL,
    sha256 CHAR(64) NOT NULL,
    -- As the sender's device named it: display text only, never part of a path.
    name VARCHAR(255) NOT NULL,
    content_type VARCHAR(127) NOT NULL,
    -- image, video, audio or file: what the bytes were recognised as.
    kind VARCHAR(8) NOT NULL,
    byte_count BIGINT NOT NULL,
    width INT NULL,
    height INT NULL,
    length_ms BIGINT NULL,
    poster_image_id BIGINT NULL,
    created_at BIGINT NOT NULL,
    KEY ix_files_conversation (conversation_id),
    KEY ix_files_sha256 (sha256),
    KEY ix_files_created (created_at),
    CONSTRAINT fk_files_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE,
    CONSTRAINT fk_files_uploaded_by FOREIGN KEY (uploaded_by) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT fk_files_poster_image FOREIGN KEY (poster_image_id) REFERENCES images (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE messages ADD COLUMN file_id BIGINT NULL,
    ADD CONSTRAINT fk_messages_file FOREIGN KEY (file_id) REFERENCES files (id) ON DELETE SET NULL;

-- The sweep looks for photos no message refers to by their age.
CREATE INDEX ix_images_created ON images (created_at);
