-- A client message id is unique per conversation and sender, not per sender: the same id sent to another
-- conversation is a new message there. The sender comes first so the key still serves fk_messages_sender.
ALTER TABLE messages
    ADD UNIQUE KEY ux_messages_conversation_client_message_id (sender_id, conversation_id, client_message_id),
    DROP KEY ux_messages_client_message_id;
