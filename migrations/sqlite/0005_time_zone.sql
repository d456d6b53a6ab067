-- The IANA time zone (such as Europe/Paris) that pages rendered without JavaScript show times in; NULL until the
-- person picks one, and then App:DefaultTimeZone applies.
ALTER TABLE users ADD COLUMN time_zone TEXT NULL;
