-- Full-text search over what people wrote. The index holds the text of every text message that is not deleted;
-- system messages and deleted text are never in it. Triggers keep it in step inside the same transaction as the
-- write that changed the message, so a send, an edit, a delete, or a conversation removed with its messages
-- (foreign key cascade) cannot leave old words searchable. Porter stems English words ("meeting" finds "meetings").
CREATE VIRTUAL TABLE messages_fts USING fts5(
    body,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

INSERT INTO messages_fts (rowid, body)
SELECT id, body FROM messages WHERE kind = 'text' AND deleted_at IS NULL AND body IS NOT NULL;

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
WHEN new.kind = 'text' AND new.deleted_at IS NULL AND new.body IS NOT NULL
BEGIN
    INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;

-- An external-content index forgets a row only when told the exact text it indexed.
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
WHEN old.kind = 'text' AND old.deleted_at IS NULL AND old.body IS NOT NULL
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;

CREATE TRIGGER messages_fts_update AFTER UPDATE OF body, kind, deleted_at ON messages
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body)
    SELECT 'delete', old.id, old.body WHERE old.kind = 'text' AND old.deleted_at IS NULL AND old.body IS NOT NULL;
    INSERT INTO messages_fts (rowid, body)
    SELECT new.id, new.body WHERE new.kind = 'text' AND new.deleted_at IS NULL AND new.body IS NOT NULL;
END;
