-- API keys of every account, and the balance each main account keeps (KEYS.md).

-- A main account's balance in cents (exact), and its currency; a subaccount draws on its main's.
ALTER TABLE accounts ADD COLUMN balance_cents BIGINT NOT NULL DEFAULT 2000
    CHECK (balance_cents > -100000000000000 AND balance_cents < 100000000000000);
ALTER TABLE accounts ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$');
-- Kept on the account's row so the key cap is one atomic row update, like the subaccount cap.
ALTER TABLE accounts ADD COLUMN key_count BIGINT NOT NULL DEFAULT 0 CHECK (key_count >= 0);
-- What a key's (account, tenant) pair refers to, so a key's tenant is always its account's main.
ALTER TABLE accounts ADD CONSTRAINT accounts_sid_owner UNIQUE (sid, owner_sid);

CREATE TABLE keys (
    sid           TEXT        PRIMARY KEY CHECK (sid ~ '^SK[0-9a-fA-F]{32}$'),
    -- The account in whose Keys list the key was made, and its main account (the tenant).
    account_sid   TEXT        NOT NULL,
    tenant_sid    TEXT        NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
    type          TEXT        NOT NULL CHECK (type IN ('main', 'standard')),
    friendly_name TEXT        CHECK (char_length(friendly_name) BETWEEN 1 AND 64
                                     AND friendly_name !~ '[\x01-\x1f\x7f]'),
    secret_hash   TEXT        NOT NULL CHECK (secret_hash LIKE '$argon2id$%'),
    date_created  TIMESTAMPTZ NOT NULL,
    date_updated  TIMESTAMPTZ NOT NULL,
    CHECK (date_updated >= date_created),
    FOREIGN KEY (account_sid, tenant_sid) REFERENCES accounts (sid, owner_sid) ON DELETE CASCADE
);

-- An account's key list in order; a tenant's keys for reset and snapshots.
CREATE INDEX keys_account_created ON keys (account_sid, date_created, sid);
CREATE INDEX keys_tenant ON keys (tenant_sid);
