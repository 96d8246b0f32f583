-- The control-character rule that Postgres checks on friendly_name (U+0001-U+001F, U+007F).
-- SQLite cannot add a CHECK to a table that exists, so triggers hold the same rule.
CREATE TRIGGER accounts_friendly_name_insert BEFORE INSERT ON accounts
    FOR EACH ROW WHEN NEW.friendly_name GLOB ('*[' || char(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'friendly_name must not contain control characters');
END;

CREATE TRIGGER accounts_friendly_name_update BEFORE UPDATE OF friendly_name ON accounts
    FOR EACH ROW WHEN NEW.friendly_name GLOB ('*[' || char(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'friendly_name must not contain control characters');
END;
