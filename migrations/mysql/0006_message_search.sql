-- Full-text search over what people wrote. InnoDB keeps a FULLTEXT index in step with the column by itself: an
-- edit replaces the words, and a delete sets body to NULL, which removes them. Building it indexes every
-- existing message. Words shorter than innodb_ft_min_token_size (3 by default) are not indexed; stopwords are
-- turned off for this index so that words such as "about" or "when" can be found.
SET SESSION innodb_ft_enable_stopword = OFF;
ALTER TABLE messages ADD FULLTEXT INDEX ft_messages_body (body);
SET SESSION innodb_ft_enable_stopword = ON;
