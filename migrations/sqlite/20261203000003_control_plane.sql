-- The tenant's control plane (CONTROL.md): snapshots, the request journal and armed faults.
-- Every table carries its tenant's main SID (tenant_sid) and leads its keys with it.

CREATE TABLE snapshots (
    tenant_sid    TEXT    NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
    name          TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 64 AND name NOT GLOB '*[^A-Za-z0-9._-]*'),
    date_created  INTEGER NOT NULL,
    friendly_name TEXT    NOT NULL,
    balance_cents INTEGER NOT NULL,
    subaccounts   INTEGER NOT NULL CHECK (subaccounts >= 0),
    keys          INTEGER NOT NULL CHECK (keys >= 0),
    PRIMARY KEY (tenant_sid, name)
) STRICT;

CREATE TABLE snapshot_accounts (
    tenant_sid      TEXT    NOT NULL,
    snapshot        TEXT    NOT NULL,
    sid             TEXT    NOT NULL,
    friendly_name   TEXT    NOT NULL,
    type            TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    auth_token_hash TEXT    NOT NULL,
    date_created    INTEGER NOT NULL,
    date_updated    INTEGER NOT NULL,
    PRIMARY KEY (tenant_sid, snapshot, sid),
    FOREIGN KEY (tenant_sid, snapshot) REFERENCES snapshots (tenant_sid, name) ON DELETE CASCADE
) STRICT;

CREATE TABLE snapshot_keys (
    tenant_sid    TEXT    NOT NULL,
    snapshot      TEXT    NOT NULL,
    sid           TEXT    NOT NULL,
    account_sid   TEXT    NOT NULL,
    type          TEXT    NOT NULL,
    friendly_name TEXT,
    secret_hash   TEXT    NOT NULL,
    date_created  INTEGER NOT NULL,
    date_updated  INTEGER NOT NULL,
    PRIMARY KEY (tenant_sid, snapshot, sid),
    FOREIGN KEY (tenant_sid, snapshot) REFERENCES snapshots (tenant_sid, name) ON DELETE CASCADE
) STRICT;

-- id alone orders insertion (SQLite's rowid); the key leads with the tenant as on Postgres.
CREATE TABLE journal (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_sid  TEXT    NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
    request_id  TEXT    NOT NULL,
    date        INTEGER NOT NULL,
    method      TEXT    NOT NULL,
    path        TEXT    NOT NULL,
    query       TEXT,
    params      TEXT    NOT NULL,
    status      INTEGER NOT NULL,
    code        INTEGER,
    latency_us  INTEGER NOT NULL,
    credential  TEXT    NOT NULL,
    fault       TEXT
) STRICT;
CREATE INDEX journal_tenant_date ON journal (tenant_sid, date, id);

-- Whether the tenant has an armed fault, kept exact by every statement that arms, spends or disarms one.
ALTER TABLE accounts ADD COLUMN faults_armed INTEGER NOT NULL DEFAULT 0 CHECK (faults_armed IN (0, 1));

CREATE TABLE faults (
    tenant_sid   TEXT    NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
    id           TEXT    NOT NULL CHECK (length(id) = 34 AND id GLOB 'FI*' AND substr(id, 3) NOT GLOB '*[^0-9a-f]*'),
    status       INTEGER CHECK (status IN (429, 500, 502, 503, 504)),
    code         INTEGER CHECK (code BETWEEN 1 AND 99999),
    count        INTEGER NOT NULL CHECK (count BETWEEN 1 AND 10000),
    remaining    INTEGER NOT NULL CHECK (remaining BETWEEN 0 AND count),
    method       TEXT    CHECK (method IN ('GET', 'POST')),
    path         TEXT,
    delay_ms     INTEGER NOT NULL CHECK (delay_ms BETWEEN 0 AND 30000),
    date_created INTEGER NOT NULL,
    PRIMARY KEY (tenant_sid, id),
    CHECK (status IS NOT NULL OR delay_ms > 0)
) STRICT;
CREATE INDEX faults_armed ON faults (tenant_sid, date_created, id) WHERE remaining > 0;
