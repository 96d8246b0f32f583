-- Fills a freshly migrated SQLite database whose main accounts were made by
-- `twilio-emulator accounts create` (real argon2id hashes). Parameter: :subs.
.bail on
BEGIN IMMEDIATE;
-- Subaccounts reuse their tenant's (valid) argon2id hash, so the tenant's token opens them too.
-- Creation instants (microseconds) are a day before the main's, 5.317 ms apart.
WITH RECURSIVE n(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM n WHERE j < :subs)
INSERT INTO accounts (sid, owner_sid, friendly_name, type, status, auth_token_hash, subaccount_count,
                      date_created, date_updated)
SELECT 'AC' || lower(hex(randomblob(16))), m.sid, 'Bench subaccount ' || n.j, m.type, 'active',
       m.auth_token_hash, 0, m.date_created - 86400000000 + n.j * 5317, m.date_created - 86400000000 + n.j * 5317
FROM accounts AS m, n
WHERE m.sid = m.owner_sid;
UPDATE accounts SET subaccount_count = (SELECT count(*) FROM accounts AS s WHERE s.owner_sid = accounts.sid AND s.sid <> accounts.sid)
WHERE sid = owner_sid;
COMMIT;
ANALYZE;
