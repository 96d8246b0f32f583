// Faults armed through the tenant's control plane (CONTROL.md), as the official twilio-node library sees them:
// the same exceptions as Twilio's own 429 and 5xx answers would raise.
//
// Each test arms a fault with plain HTTP (helpers.armFault, fetch) and then makes the call that the fault takes
// through the library. Every test makes its own tenant with the operator CLI.
//
// What twilio-node 6.3.1 does with a 429 and its `Retry-After: 1` (read in lib/base/RequestClient.js):
// - By default nothing: autoRetry is false, so a 429 is one request and the promise rejects at once with
//   twilio.RestException { status: 429, code: 20429, message, moreInfo, details }. Nothing reads Retry-After.
// - Opt-in twilio(sid, token, { autoRetry: true }) adds an axios interceptor that retries a 429, whatever the
//   method (a create too), at most maxRetries times (default 3), after a full-jitter exponential backoff
//   (random up to min(maxRetryDelay = 3000, 100 * 2^n) ms), ignoring Retry-After. It never retries a 5xx.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const {
  env,
  makeClient,
  newTenant,
  sids,
  twilio,
  twilioError,
  url,
  control,
  armFault,
  armedFaults,
  journalUntil,
} = require("./helpers");

const FAULT_ID_RE = /^FI[0-9a-f]{32}$/;
const remaining = async (tenant) => (await armedFaults(tenant)).map((fault) => fault.remaining);

test("a 429 fault rejects with RestException, status 429, code 20429", async () => {
  const tenant = newTenant("429");
  const fault = await armFault(tenant, { Status: "429", Count: "2" });
  assert.match(fault.id, FAULT_ID_RE);
  const { status, code, count, method, path, delay_ms } = fault;
  assert.deepEqual(
    { status, code, count, remaining: fault.remaining, method, path, delay_ms },
    { status: 429, code: 20429, count: 2, remaining: 2, method: null, path: null, delay_ms: 0 },
  );

  const error = await twilioError(tenant.sub(tenant.sid).fetch(), 429, 20429);
  assert.equal(error.constructor, twilio.RestException, "Twilio's legacy error shape, not TwilioServiceException");
  assert.equal(error.moreInfo, "https://www.twilio.com/docs/errors/20429");
  assert.equal(typeof error.message, "string");
  // By default the library does not retry: the fault took exactly one request.
  assert.deepEqual(await remaining(tenant), [1]);

  // Retry-After: 1 is on the raw answer (the exception has no headers); it takes the fault's last count.
  const raw = await tenant.client.request({ method: "get", uri: url(`/2010-04-01/Accounts/${tenant.sid}.json`) });
  assert.deepEqual([raw.statusCode, raw.headers["retry-after"]], [429, "1"]);
  const body = typeof raw.body === "string" ? JSON.parse(raw.body) : raw.body;
  assert.deepEqual([body.code, body.status], [20429, 429]);
  assert.deepEqual(await armedFaults(tenant), []);
  assert.equal((await tenant.sub(tenant.sid).fetch()).sid, tenant.sid, "the fault is spent");
});

test("a 429 fault takes a list or a create too", async () => {
  const tenant = newTenant("429 list create");
  await armFault(tenant, { Status: "429" });
  await twilioError(tenant.accounts.list(), 429, 20429);
  await armFault(tenant, { Status: "429" });
  await twilioError(tenant.accounts.create({ friendlyName: "not made" }), 429, 20429);
  assert.deepEqual(sids(await tenant.accounts.list()), [tenant.sid], "a faulted create writes nothing");
});

test("a 503 fault rejects with status 503, code 20503, for this tenant only", async () => {
  const tenant = newTenant("503");
  const sub = await tenant.accounts.create({ friendlyName: "child" });
  const other = newTenant("other");
  const fault = await armFault(tenant, { Status: "503", Count: "2" });
  assert.deepEqual([fault.status, fault.code], [503, 20503]);

  // Another tenant's requests never meet it.
  assert.equal((await other.sub(other.sid).fetch()).sid, other.sid);
  const error = await twilioError(tenant.sub(sub.sid).update({ friendlyName: "not renamed" }), 503, 20503);
  assert.equal(error.constructor, twilio.RestException);
  // A subaccount's credentials are the tenant's too.
  await twilioError(makeClient(sub.sid, sub.authToken).api.v2010.account.fetch(), 503, 20503);
  assert.deepEqual(await armedFaults(tenant), []);
  assert.equal((await tenant.sub(sub.sid).fetch()).friendlyName, "child");
});

test("a fault on POST /2010-04-01/Accounts fails two creates and leaves fetches alone", async () => {
  const tenant = newTenant("post fault");
  const fault = await armFault(tenant, { Status: "500", Method: "POST", Path: "/2010-04-01/Accounts", Count: "2" });
  assert.deepEqual([fault.code, fault.method, fault.path], [20500, "POST", "/2010-04-01/Accounts"]);

  assert.equal((await tenant.sub(tenant.sid).fetch()).sid, tenant.sid, "a GET is left alone");
  assert.deepEqual(sids(await tenant.accounts.list()), [tenant.sid]);
  await twilioError(tenant.accounts.create({ friendlyName: "first try" }), 500, 20500);
  assert.equal((await tenant.sub(tenant.sid).fetch()).sid, tenant.sid);
  assert.deepEqual(await remaining(tenant), [1]);
  await twilioError(tenant.accounts.create({ friendlyName: "second try" }), 500, 20500);
  assert.deepEqual(await armedFaults(tenant), []);
  const sub = await tenant.accounts.create({ friendlyName: "third try" });
  assert.deepEqual(
    (await tenant.accounts.list()).map((a) => [a.sid, a.friendlyName]),
    [[tenant.sid, tenant.friendlyName], [sub.sid, "third try"]],
  );

  // The journal agrees: two creates answered by the fault, then the third, created.
  const creates = (entries) => entries.filter((e) => e.path === "/2010-04-01/Accounts.json");
  const entries = creates(await journalUntil(tenant, (es) => creates(es).length >= 3, { Method: "POST" }));
  assert.deepEqual(
    entries.map((e) => [e.status, e.code, e.fault]),
    [[201, null, null], [500, 20500, fault.id], [500, 20500, fault.id]],
  );
  assert.deepEqual(entries[0].params, { FriendlyName: ["third try"] });
});

test("opt-in autoRetry retries a 429 (GET or POST) up to 3 times without waiting for Retry-After", async () => {
  const tenant = newTenant("auto retry");
  const client = twilio(tenant.sid, tenant.token, { autoRetry: true });
  client.api.baseUrl = env("EMULATOR_URL");

  await armFault(tenant, { Status: "429", Count: "2" });
  const started = Date.now();
  assert.equal((await client.api.v2010.account.fetch()).sid, tenant.sid, "two 429s, then the answer");
  assert.ok(Date.now() - started < 2000, "backoff of at most 200 + 400 ms, not Retry-After's 1 s each");
  assert.deepEqual(await armedFaults(tenant), []);

  await armFault(tenant, { Status: "429", Count: "5" });
  await twilioError(client.api.v2010.account.fetch(), 429, 20429);
  assert.deepEqual(await remaining(tenant), [1], "one request and 3 retries, then rejected");
  assert.equal((await control(tenant, "DELETE", "/faults")).status, 204);

  await armFault(tenant, { Status: "429" });
  const sub = await client.api.v2010.accounts.create({ friendlyName: "retried" });
  assert.deepEqual(sids(await client.api.v2010.accounts.list()), [tenant.sid, sub.sid], "a POST is retried too");
  await armFault(tenant, { Status: "503" });
  await twilioError(client.api.v2010.account.fetch(), 503, 20503);
  assert.deepEqual(await armedFaults(tenant), [], "a 503 is not retried");
});
