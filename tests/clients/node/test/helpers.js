// Helpers shared by the Node suite: clients of the official `twilio` package pointed at the emulator,
// and fresh tenants made with the emulator's operator CLI.
//
// The environment comes from tests/clients/run.sh: EMULATOR_URL, TENANT_SID, TENANT_TOKEN, EMULATOR_BIN,
// EMULATOR_CONFIG, EMULATOR_DATABASE_URL, EMULATOR_MAX_SUBACCOUNTS.
"use strict";
require("./loopback-guard");
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const crypto = require("node:crypto");
const twilio = require("twilio");

const REQUIRED = ["EMULATOR_URL", "TENANT_SID", "TENANT_TOKEN", "EMULATOR_BIN", "EMULATOR_CONFIG", "EMULATOR_DATABASE_URL"];
const missing = REQUIRED.filter((name) => !process.env[name]);
if (missing.length > 0) {
  throw new Error(`missing environment: ${missing.join(", ")} (run the suite with: bash tests/clients/run.sh)`);
}
for (const name of ["TWILIO_REGION", "TWILIO_EDGE"]) {
  if (process.env[name]) throw new Error(`${name} is set: the library would rewrite the emulator's hostname`);
}

const SID_RE = /^AC[0-9a-f]{32}$/;
const TOKEN_RE = /^[0-9a-f]{32}$/;
const KEY_SID_RE = /^SK[0-9a-f]{32}$/;
const SECRET_RE = /^[A-Za-z0-9]{32}$/;
const env = (name) => process.env[name];

/** A client of the official library, pointed at the emulator as BEHAVIOUR.md says. */
function makeClient(sid, token) {
  const client = twilio(sid, token);
  client.api.baseUrl = env("EMULATOR_URL");
  return client;
}

/** A client that authenticates with an API key, as KEYS.md says the library does it:
 * twilio(keySid, secret, { accountSid }) sends Basic keySid:secret; accountSid is only in the paths. */
function makeKeyClient(keySid, secret, accountSid) {
  const client = twilio(keySid, secret, { accountSid });
  client.api.baseUrl = env("EMULATOR_URL");
  return client;
}

/** Runs the emulator's operator CLI against the server's database; returns its stdout. */
function cli(...args) {
  return execFileSync(
    env("EMULATOR_BIN"),
    [...args, "--config", env("EMULATOR_CONFIG"), "--database-url", env("EMULATOR_DATABASE_URL")],
    { encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "pipe"] },
  );
}

/** A fresh main account, made with `twilio-emulator accounts create --json`. */
function newTenant(label = "tenant", type = "Full") {
  const friendlyName = `node ${label.slice(0, 20)} ${crypto.randomBytes(4).toString("hex")}`;
  const account = JSON.parse(cli("accounts", "create", "--friendly-name", friendlyName, "--type", type, "--json"));
  const client = makeClient(account.sid, account.auth_token);
  const accounts = client.api.v2010.accounts;
  return {
    sid: account.sid,
    token: account.auth_token,
    friendlyName,
    client,
    accounts,
    sub: (sid) => client.api.v2010.accounts(sid),
    async createSubaccounts(count, prefix = "sub") {
      const created = [];
      for (let i = 0; i < count; i++) {
        created.push(await accounts.create({ friendlyName: `${prefix} ${String(i).padStart(2, "0")}` }));
      }
      return created;
    },
  };
}

/** A Main key, made the only way there is: `twilio-emulator keys create --account SID --main --json`. */
function mainKey(accountSid, friendlyName) {
  const args = ["keys", "create", "--account", accountSid, "--main", "--json"];
  if (friendlyName !== undefined) args.push("--friendly-name", friendlyName);
  return JSON.parse(cli(...args));
}

const url = (path) => env("EMULATOR_URL").replace(/\/+$/, "") + path;
const sids = (records) => records.map((record) => record.sid);

/** The library rejects with twilio.RestException carrying the HTTP status and Twilio's error code. */
async function twilioError(promiseOrFn, status, code) {
  let caught;
  await assert.rejects(promiseOrFn, (error) => {
    caught = error;
    return true;
  });
  assert.ok(caught instanceof twilio.RestException, `expected a RestException, got ${caught && caught.stack}`);
  assert.deepEqual([caught.status, caught.code], [status, code], `${caught.message}`);
  return caught;
}

/** Collects every record of `each` (it resolves when all pages were read). */
async function eachOf(accounts, params) {
  const seen = [];
  await accounts.each(params, (record) => {
    seen.push(record);
  });
  return seen;
}

/** A request to the tenant's control plane (CONTROL.md), plain HTTP (fetch) as its main account, not through
 * the library (Twilio has no such API): GET sends the parameters in the query, other methods as a form. */
async function control(tenant, method, path, params = {}) {
  const query = new URLSearchParams(params);
  const get = method.toUpperCase() === "GET";
  const response = await fetch(url(`/_emulator/v1${path}`) + (get && query.size > 0 ? `?${query}` : ""), {
    method,
    headers: { Authorization: "Basic " + Buffer.from(`${tenant.sid}:${tenant.token}`).toString("base64") },
    body: get ? undefined : query,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : null };
}

/** POST /_emulator/v1/faults: the 201's fault. */
async function armFault(tenant, params) {
  const response = await control(tenant, "POST", "/faults", params);
  assert.equal(response.status, 201, response.text);
  return response.body;
}

/** GET /_emulator/v1/faults: the faults still armed (remaining > 0), oldest first. */
async function armedFaults(tenant) {
  const response = await control(tenant, "GET", "/faults");
  assert.equal(response.status, 200, response.text);
  return response.body.faults;
}

/** The tenant's request journal (newest first) once done(entries) holds. Entries are written off the request
 * path and readable within 1 s (CONTROL.md), so a test polls for them. */
async function journalUntil(tenant, done, filters = {}, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await control(tenant, "GET", "/requests", { PageSize: "1000", ...filters });
    assert.equal(response.status, 200, response.text);
    if (done(response.body.requests) || Date.now() > deadline) return response.body.requests;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

module.exports = {
  control,
  armFault,
  armedFaults,
  journalUntil,
  SID_RE,
  TOKEN_RE,
  KEY_SID_RE,
  SECRET_RE,
  env,
  makeClient,
  makeKeyClient,
  cli,
  mainKey,
  newTenant,
  url,
  sids,
  twilioError,
  eachOf,
  twilio,
};
