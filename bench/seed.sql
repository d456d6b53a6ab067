-- Bench data, inserted straight into MariaDB by bench/run.sh (far faster than through the app).
-- The script replaces the @@NAME@@ placeholders. User 1 registered through the app; every other user
-- gets a copy of its password hash, so any of them can sign in through the login form with the same
-- password. Ids are explicit so the script knows them without asking.
--   users 1..@@SIGNED@@        the people the load signs in (members of both big rooms)
--   user @@LIST_USER@@              a person in @@LIST@@ direct conversations, with users after it
--   conversation 1             a group with @@SMALL@@ messages
--   conversation 2             a group with @@BIG@@ messages
--   conversations 3..          direct conversations of the signed-in users in pairs (1 with 2, 3 with 4, ...)
--   conversations 1001..       the list person's direct conversations, 3 messages each, all unread
-- Times are milliseconds since the Unix epoch, one message a second, ending now.

SET unique_checks = 0, foreign_key_checks = 0;

INSERT INTO users (id, user_name, normalized_user_name, email, normalized_email, email_confirmed, password_hash,
                   security_stamp, concurrency_stamp, lockout_enabled, display_name, created_at)
SELECT seq, CONCAT('bench', seq, '@bench.test'), UPPER(CONCAT('bench', seq, '@bench.test')),
       CONCAT('bench', seq, '@bench.test'), UPPER(CONCAT('bench', seq, '@bench.test')), 1, '@@HASH@@',
       UPPER(REPLACE(UUID(), '-', '')), UUID(), 1, CONCAT('Bench person ', seq), @@START@@
FROM seq_2_to_@@USERS@@;

INSERT INTO conversations (id, kind, title, direct_key, created_by, created_at, last_activity_at) VALUES
    (1, 'group', 'Ten thousand', NULL, 1, @@START@@, @@START@@),
    (2, 'group', 'One million', NULL, 1, @@START@@, @@START@@);

INSERT INTO conversations (id, kind, title, direct_key, created_by, created_at, last_activity_at)
SELECT 2 + seq, 'direct', NULL, CONCAT(2 * seq - 1, ':', 2 * seq), 2 * seq - 1, @@START@@, @@START@@
FROM seq_1_to_@@PAIRS@@;

INSERT INTO conversations (id, kind, title, direct_key, created_by, created_at, last_activity_at)
SELECT 1000 + seq, 'direct', NULL, CONCAT(@@LIST_USER@@, ':', @@LIST_USER@@ + seq), @@LIST_USER@@ + seq, @@START@@, @@START@@
FROM seq_1_to_@@LIST@@;

INSERT INTO conversation_members (conversation_id, user_id, role, joined_at)
SELECT c.id, u.seq, IF(u.seq = 1, 'owner', 'member'), @@START@@
FROM (SELECT 1 AS id UNION ALL SELECT 2) c CROSS JOIN seq_1_to_@@SIGNED@@ u;

INSERT INTO conversation_members (conversation_id, user_id, role, joined_at)
SELECT 2 + p.seq, 2 * p.seq - s.seq, 'member', @@START@@
FROM seq_1_to_@@PAIRS@@ p CROSS JOIN seq_0_to_1 s;

INSERT INTO conversation_members (conversation_id, user_id, role, joined_at)
SELECT 1000 + l.seq, IF(s.seq = 0, @@LIST_USER@@, @@LIST_USER@@ + l.seq), 'member', @@START@@
FROM seq_1_to_@@LIST@@ l CROSS JOIN seq_0_to_1 s;

-- Every tenth message carries a link, so the message partial's link path is exercised too.
INSERT INTO messages (id, conversation_id, sender_id, kind, body, created_at)
SELECT seq, 1, 1 + seq MOD @@SIGNED@@, 'text',
       CONCAT('Message ', seq, ' in the small room: the quick brown fox jumps over the lazy dog.',
              IF(seq MOD 10 = 0, ' See https://example.test/notes', '')),
       @@NOW@@ - (@@SMALL@@ - seq) * 1000
FROM seq_1_to_@@SMALL@@;

INSERT INTO messages (id, conversation_id, sender_id, kind, body, created_at)
SELECT @@SMALL@@ + seq, 2, 1 + seq MOD @@SIGNED@@, 'text',
       CONCAT('Message ', seq, ' in the big room: the quick brown fox jumps over the lazy dog.',
              IF(seq MOD 10 = 0, ' See https://example.test/notes', '')),
       @@NOW@@ - (@@BIG@@ - seq) * 1000
FROM seq_1_to_@@BIG@@;

INSERT INTO messages (id, conversation_id, sender_id, kind, body, created_at)
SELECT @@SMALL@@ + @@BIG@@ + (p.seq - 1) * 5 + m.seq + 1, 2 + p.seq, 2 * p.seq - m.seq MOD 2, 'text',
       CONCAT('Direct message ', m.seq + 1, ' between a pair.'), @@NOW@@ - (5 - m.seq) * 1000
FROM seq_1_to_@@PAIRS@@ p CROSS JOIN seq_0_to_4 m;

INSERT INTO messages (id, conversation_id, sender_id, kind, body, created_at)
SELECT @@SMALL@@ + @@BIG@@ + @@PAIRS@@ * 5 + (l.seq - 1) * 3 + m.seq + 1, 1000 + l.seq, @@LIST_USER@@ + l.seq, 'text',
       CONCAT('Hello number ', m.seq + 1, ' to the list person.'), @@NOW@@ - (l.seq * 3 + 3 - m.seq) * 1000
FROM seq_1_to_@@LIST@@ l CROSS JOIN seq_0_to_2 m;

UPDATE conversations c
JOIN (SELECT conversation_id, MAX(id) AS last_id, MAX(created_at) AS last_at FROM messages GROUP BY conversation_id) m
  ON m.conversation_id = c.id
SET c.last_message_id = m.last_id, c.last_activity_at = m.last_at;

-- Everything read except the list person's conversations, so opening a window marks nothing read.
UPDATE conversation_members cm JOIN conversations c ON c.id = cm.conversation_id
SET cm.last_read_message_id = c.last_message_id
WHERE cm.conversation_id < 1000;

-- The seeded messages are for paging, polling and lists, not for search (bench/search.sh seeds and indexes its own).
-- Marked as indexed, so an instance started after the seed (the second one of the 20,000-client rows) does not spend
-- its start indexing a million messages' words, as it would for a bulk load of real messages.
UPDATE message_words_progress SET indexed_through = (SELECT MAX(id) FROM messages) WHERE id = 1;

SET unique_checks = 1, foreign_key_checks = 1;
ANALYZE TABLE users, conversations, conversation_members, messages;
