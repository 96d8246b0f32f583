-- Accounts of every tenant: a main account owns itself, a subaccount is owned by its main account.
CREATE TABLE accounts (
    sid              TEXT        PRIMARY KEY CHECK (sid ~ '^AC[0-9a-fA-F]{32}$'),
    owner_sid        TEXT        NOT NULL REFERENCES accounts (sid),
    friendly_name    TEXT        NOT NULL CHECK (char_length(friendly_name) BETWEEN 1 AND 64
                                                 AND friendly_name !~ '[\x01-\x1f\x7f]'),
    type             TEXT        NOT NULL CHECK (type IN ('Trial', 'Full')),
    status           TEXT        NOT NULL CHECK (status IN ('active', 'suspended', 'closed')),
    auth_token_hash  TEXT        NOT NULL CHECK (auth_token_hash LIKE '$argon2id$%'),
    -- Kept on the main account so the subaccount cap is one atomic row update.
    subaccount_count INTEGER     NOT NULL DEFAULT 0 CHECK (subaccount_count >= 0),
    date_created     TIMESTAMPTZ NOT NULL,
    date_updated     TIMESTAMPTZ NOT NULL,
    CHECK (date_updated >= date_created),
    CHECK (sid = owner_sid OR subaccount_count = 0)
);

-- List order within a tenant, and the count for total/numpages (index-only).
CREATE INDEX accounts_owner_created ON accounts (owner_sid, date_created, sid);
CREATE INDEX accounts_owner_status_created ON accounts (owner_sid, status, date_created, sid);
CREATE INDEX accounts_owner_friendly_name ON accounts (owner_sid, friendly_name);

-- Closed is final, whatever path a write takes.
CREATE FUNCTION accounts_closed_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'closed' AND NEW.status <> 'closed' THEN
        RAISE EXCEPTION 'account % is closed', OLD.sid USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER accounts_closed_is_final BEFORE UPDATE OF status ON accounts
    FOR EACH ROW EXECUTE FUNCTION accounts_closed_is_final();
