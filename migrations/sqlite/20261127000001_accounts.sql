-- Accounts of every tenant: a main account owns itself, a subaccount is owned by its main account.
-- Instants are microseconds since the Unix epoch, so ordering and keyset paging are exact.
CREATE TABLE accounts (
    sid              TEXT    PRIMARY KEY NOT NULL
                             CHECK (length(sid) = 34 AND sid GLOB 'AC[0-9a-fA-F]*'
                                    AND substr(sid, 3) NOT GLOB '*[^0-9a-fA-F]*'),
    owner_sid        TEXT    NOT NULL REFERENCES accounts (sid),
    friendly_name    TEXT    NOT NULL CHECK (length(friendly_name) BETWEEN 1 AND 64),
    type             TEXT    NOT NULL CHECK (type IN ('Trial', 'Full')),
    status           TEXT    NOT NULL CHECK (status IN ('active', 'suspended', 'closed')),
    auth_token_hash  TEXT    NOT NULL CHECK (auth_token_hash LIKE '$argon2id$%'),
    subaccount_count INTEGER NOT NULL DEFAULT 0 CHECK (subaccount_count >= 0),
    date_created     INTEGER NOT NULL,
    date_updated     INTEGER NOT NULL,
    CHECK (date_updated >= date_created),
    CHECK (sid = owner_sid OR subaccount_count = 0)
) STRICT;

CREATE INDEX accounts_owner_created ON accounts (owner_sid, date_created, sid);
CREATE INDEX accounts_owner_status_created ON accounts (owner_sid, status, date_created, sid);
CREATE INDEX accounts_owner_friendly_name ON accounts (owner_sid, friendly_name);

-- Closed is final, whatever path a write takes.
CREATE TRIGGER accounts_closed_is_final BEFORE UPDATE OF status ON accounts
    FOR EACH ROW WHEN OLD.status = 'closed' AND NEW.status <> 'closed'
BEGIN
    SELECT RAISE(ABORT, 'account is closed');
END;
