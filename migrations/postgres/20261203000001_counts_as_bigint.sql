-- Counts are read as 64-bit integers on both backends (SQLite's INTEGER already is one).
ALTER TABLE accounts ALTER COLUMN subaccount_count TYPE BIGINT;
