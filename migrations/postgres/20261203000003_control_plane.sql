-- The tenant's control plane (CONTROL.md): snapshots, the request journal and armed faults.
-- Every table carries its tenant's main SID (tenant_sid) and leads its keys with it, so the schema can be
-- distributed by tenant (e.g. Citus, with tenant_sid as the distribution column).

CREATE TABLE snapshots (
    tenant_sid    TEXT        NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
    name          TEXT        NOT NULL CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    date_created  TIMESTAMPTZ NOT NULL,
    -- The main account's own values that a restore brings back.
    friendly_name TEXT        NOT NULL,
    balance_cents BIGINT      NOT NULL,
    subaccounts   BIGINT      NOT NULL CHECK (subaccounts >= 0),
    keys          BIGINT      NOT NULL CHECK (keys >= 0),
    PRIMARY KEY (tenant_sid, name)
);

CREATE TABLE snapshot_accounts (
    tenant_sid      TEXT        NOT NULL,
    snapshot        TEXT        NOT NULL,
    sid             TEXT        NOT NULL,
    friendly_name   TEXT        NOT NULL,
    type            TEXT        NOT NULL,
    status          TEXT        NOT NULL,
    auth_token_hash TEXT        NOT NULL,
    date_created    TIMESTAMPTZ NOT NULL,
    date_updated    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_sid, snapshot, sid),
    FOREIGN KEY (tenant_sid, snapshot) REFERENCES snapshots (tenant_sid, name) ON DELETE CASCADE
);

CREATE TABLE snapshot_keys (
    tenant_sid    TEXT        NOT NULL,
    snapshot      TEXT        NOT NULL,
    sid           TEXT        NOT NULL,
    account_sid   TEXT        NOT NULL,
    type          TEXT        NOT NULL,
    friendly_name TEXT,
    secret_hash   TEXT        NOT NULL,
    date_created  TIMESTAMPTZ NOT NULL,
    date_updated  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_sid, snapshot, sid),
    FOREIGN KEY (tenant_sid, snapshot) REFERENCES snapshots (tenant_sid, name) ON DELETE CASCADE
);

CREATE TABLE journal (
    tenant_sid  TEXT        NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
    id          BIGINT      GENERATED ALWAYS AS IDENTITY,
    request_id  TEXT        NOT NULL,
    date        TIMESTAMPTZ NOT NULL,
    method      TEXT        NOT NULL,
    path        TEXT        NOT NULL,
    query       TEXT,
    -- The form body as a JSON object of arrays, secrets already redacted.
    params      TEXT        NOT NULL,
    status      BIGINT      NOT NULL,
    code        BIGINT,
    latency_us  BIGINT      NOT NULL,
    credential  TEXT        NOT NULL,
    fault       TEXT,
    -- Newest first, per tenant; the same order prunes the oldest. One index for both.
    PRIMARY KEY (tenant_sid, date, id)
);

-- Whether the tenant has an armed fault, kept exact by every statement that arms, spends or disarms
-- one (each locks the main account's row first): the one statement every request starts with reads
-- it, so a tenant without faults pays nothing for them.
ALTER TABLE accounts ADD COLUMN faults_armed BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE faults (
    tenant_sid   TEXT        NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
    id           TEXT        NOT NULL CHECK (id ~ '^FI[0-9a-f]{32}$'),
    status       BIGINT      CHECK (status IN (429, 500, 502, 503, 504)),
    code         BIGINT      CHECK (code BETWEEN 1 AND 99999),
    count        BIGINT      NOT NULL CHECK (count BETWEEN 1 AND 10000),
    remaining    BIGINT      NOT NULL CHECK (remaining BETWEEN 0 AND count),
    method       TEXT        CHECK (method IN ('GET', 'POST')),
    path         TEXT,
    delay_ms     BIGINT      NOT NULL CHECK (delay_ms BETWEEN 0 AND 30000),
    date_created TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_sid, id),
    CHECK (status IS NOT NULL OR delay_ms > 0)
);
-- The armed faults of a tenant, oldest first: what a request of a tenant with faults reads.
CREATE INDEX faults_armed ON faults (tenant_sid, date_created, id) WHERE remaining > 0;
