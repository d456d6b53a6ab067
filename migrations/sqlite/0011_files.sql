-- Files sent in messages. The bytes live in the file store (Storage:Path), named by their SHA-256, so the same
-- file sent twice is kept once; a row per upload says who may see it (the conversation's members) and how to
-- show it. A video's poster frame is an image like a photo's, under the same membership rule.
CREATE TABLE files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    uploaded_by INTEGER NULL REFERENCES users (id) ON DELETE SET NULL,
    sha256 TEXT NOT NULL,
    -- As the sender's device named it: display text only, never part of a path.
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    -- image, video, audio or file: what the bytes were recognised as.
    kind TEXT NOT NULL,
    byte_count INTEGER NOT NULL,
    width INTEGER NULL,
    height INTEGER NULL,
    length_ms INTEGER NULL,
    poster_image_id INTEGER NULL REFERENCES images (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);

CREATE INDEX ix_files_conversation ON files (conversation_id);
CREATE INDEX ix_files_sha256 ON files (sha256);
CREATE INDEX ix_files_created ON files (created_at);

ALTER TABLE messages ADD COLUMN file_id INTEGER NULL REFERENCES files (id) ON DELETE SET NULL;
CREATE INDEX ix_messages_file ON messages (file_id);

-- The sweep looks for photos no message refers to by their age.
CREATE INDEX ix_images_created ON images (created_at);
CREATE INDEX ix_messages_image ON messages (image_id);
CREATE INDEX ix_files_poster_image ON files (poster_image_id);
