-- The control-plane tenant of the benchmark: :subs subaccounts with one Standard key each, reusing
-- the tenant's argon2id hash. psql variables: subs, tenant.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO accounts (sid, owner_sid, friendly_name, type, status, auth_token_hash, date_created, date_updated)
SELECT 'AC' || md5(m.sid || ':' || j), m.sid, 'Reset subaccount ' || j, m.type, 'active', m.auth_token_hash,
       m.date_created + j * interval '1 millisecond', m.date_created + j * interval '1 millisecond'
FROM accounts m CROSS JOIN generate_series(1, :subs) AS j
WHERE m.sid = :'tenant';
INSERT INTO keys (sid, account_sid, tenant_sid, type, friendly_name, secret_hash, date_created, date_updated)
SELECT 'SK' || md5(s.sid), s.sid, s.owner_sid, 'standard', 'Reset key', s.auth_token_hash, s.date_created, s.date_created
FROM accounts s WHERE s.owner_sid = :'tenant' AND s.sid <> s.owner_sid;
UPDATE accounts SET key_count = 1 WHERE owner_sid = :'tenant' AND sid <> owner_sid;
UPDATE accounts SET subaccount_count = :subs WHERE sid = :'tenant';
COMMIT;
VACUUM ANALYZE accounts;
VACUUM ANALYZE keys;
