-- A client message id is unique per conversation and sender, not per sender: the same id sent to another
-- conversation is a new message there.
CREATE UNIQUE INDEX ux_messages_conversation_client_message_id ON messages (sender_id, conversation_id, client_message_id);
DROP INDEX ux_messages_client_message_id;
