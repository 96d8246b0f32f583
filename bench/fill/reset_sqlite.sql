-- The control-plane tenant of the benchmark: :subs subaccounts with one Standard key each, reusing
-- the tenant's argon2id hash. Parameters: :subs, :tenant.
.bail on
BEGIN IMMEDIATE;
WITH RECURSIVE n(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM n WHERE j < :subs)
INSERT INTO accounts (sid, owner_sid, friendly_name, type, status, auth_token_hash, date_created, date_updated)
SELECT 'AC' || lower(hex(randomblob(16))), m.sid, 'Reset subaccount ' || n.j, m.type, 'active', m.auth_token_hash,
       m.date_created + n.j * 1000, m.date_created + n.j * 1000
FROM accounts AS m, n
WHERE m.sid = :tenant;
INSERT INTO keys (sid, account_sid, tenant_sid, type, friendly_name, secret_hash, date_created, date_updated)
SELECT 'SK' || lower(hex(randomblob(16))), s.sid, s.owner_sid, 'standard', 'Reset key', s.auth_token_hash,
       s.date_created, s.date_created
FROM accounts AS s WHERE s.owner_sid = :tenant AND s.sid <> s.owner_sid;
UPDATE accounts SET key_count = 1 WHERE owner_sid = :tenant AND sid <> owner_sid;
UPDATE accounts SET subaccount_count = :subs WHERE sid = :tenant;
COMMIT;
ANALYZE;
