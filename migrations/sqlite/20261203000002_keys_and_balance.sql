-- API keys of every account, and the balance each main account keeps (KEYS.md).

-- A main account's balance in cents (exact), and its currency; a subaccount draws on its main's.
ALTER TABLE accounts ADD COLUMN balance_cents INTEGER NOT NULL DEFAULT 2000
    CHECK (balance_cents > -100000000000000 AND balance_cents < 100000000000000);
ALTER TABLE accounts ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD'
    CHECK (length(currency) = 3 AND currency NOT GLOB '*[^A-Z]*');
-- Kept on the account's row so the key cap is one atomic row update, like the subaccount cap.
ALTER TABLE accounts ADD COLUMN key_count INTEGER NOT NULL DEFAULT 0 CHECK (key_count >= 0);
-- What a key's (account, tenant) pair refers to, so a key's tenant is always its account's main.
CREATE UNIQUE INDEX accounts_sid_owner ON accounts (sid, owner_sid);

CREATE TABLE keys (
    sid           TEXT    PRIMARY KEY NOT NULL
                          CHECK (length(sid) = 34 AND sid GLOB 'SK*' AND substr(sid, 3) NOT GLOB '*[^0-9a-fA-F]*'),
    -- The account in whose Keys list the key was made, and its main account (the tenant).
    account_sid   TEXT    NOT NULL,
    tenant_sid    TEXT    NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
    type          TEXT    NOT NULL CHECK (type IN ('main', 'standard')),
    friendly_name TEXT    CHECK (length(friendly_name) BETWEEN 1 AND 64
                                 AND friendly_name NOT GLOB ('*[' || char(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                                     13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
                                     127) || ']*')),
    secret_hash   TEXT    NOT NULL CHECK (secret_hash LIKE '$argon2id$%'),
    date_created  INTEGER NOT NULL,
    date_updated  INTEGER NOT NULL,
    CHECK (date_updated >= date_created),
    FOREIGN KEY (account_sid, tenant_sid) REFERENCES accounts (sid, owner_sid) ON DELETE CASCADE
) STRICT;

CREATE INDEX keys_account_created ON keys (account_sid, date_created, sid);
CREATE INDEX keys_tenant ON keys (tenant_sid);
