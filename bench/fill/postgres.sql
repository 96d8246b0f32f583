-- Fills a freshly migrated Postgres database whose main accounts were made by
-- `twilio-emulator accounts create` (real argon2id hashes). psql variables: subs.
-- Expects a temporary table bench_tokens (sid, token) with each main account's token.
\set ON_ERROR_STOP on
BEGIN;
-- Subaccounts reuse their tenant's (valid) argon2id hash, so the tenant's token opens them too.
-- Creation instants are a day before the main's, 5.317 ms apart: distinct, with sub-second parts.
INSERT INTO accounts (sid, owner_sid, friendly_name, type, status, auth_token_hash, subaccount_count,
                      date_created, date_updated)
SELECT 'AC' || md5(m.sid || ':' || j), m.sid, 'Bench subaccount ' || j, m.type, 'active', m.auth_token_hash, 0,
       m.date_created - interval '1 day' + j * interval '5317 microseconds',
       m.date_created - interval '1 day' + j * interval '5317 microseconds'
FROM accounts m CROSS JOIN generate_series(1, :subs) AS j
WHERE m.sid = m.owner_sid;
-- Keep the cap counter consistent with the rows.
UPDATE accounts m SET subaccount_count = (SELECT count(*) FROM accounts s WHERE s.owner_sid = m.sid AND s.sid <> m.sid)
WHERE m.sid = m.owner_sid;

-- The baseline's table: the same columns and rows, the token stored as hex SHA-256, only a primary key.
CREATE TABLE baseline_accounts (LIKE accounts INCLUDING DEFAULTS);
INSERT INTO baseline_accounts (sid, owner_sid, friendly_name, type, status, auth_token_hash, subaccount_count,
                               date_created, date_updated)
SELECT a.sid, a.owner_sid, a.friendly_name, a.type, a.status, encode(sha256(convert_to(t.token, 'UTF8')), 'hex'),
       a.subaccount_count, a.date_created, a.date_updated
FROM accounts a JOIN bench_tokens t ON t.sid = a.owner_sid;
ALTER TABLE baseline_accounts ADD PRIMARY KEY (sid);
COMMIT;
-- What autovacuum would have done shortly after a bulk load: statistics and the visibility map.
VACUUM ANALYZE accounts;
VACUUM ANALYZE baseline_accounts;
