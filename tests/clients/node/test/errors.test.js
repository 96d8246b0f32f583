// Every 4xx of BEHAVIOUR.md, as twilio-node's RestException (status and code properties).
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { makeClient, newTenant, url, twilioError } = require("./helpers");

test("401: wrong token and unknown SID", async () => {
  const tenant = newTenant("401");
  const wrong = makeClient(tenant.sid, "f".repeat(32));
  const wrongToken = await twilioError(wrong.api.v2010.accounts(tenant.sid).fetch(), 401, 20003);
  const unknownSid = "AC" + "1".repeat(32);
  const unknown = makeClient(unknownSid, tenant.token);
  const unknownError = await twilioError(unknown.api.v2010.accounts(unknownSid).fetch(), 401, 20003);
  assert.equal(wrongToken.message, unknownError.message, "an unknown SID and a wrong token look the same");
  assert.equal(wrongToken.moreInfo, "https://www.twilio.com/docs/errors/20003");
  await twilioError(wrong.api.v2010.accounts.create({ friendlyName: "nope" }), 401, 20003);
  await twilioError(wrong.api.v2010.accounts(tenant.sid).update({ friendlyName: "nope" }), 401, 20003);
  await twilioError(wrong.api.v2010.accounts.list(), 401, 20003);
  // The raw answer carries the Basic challenge.
  const response = await wrong.request({ method: "get", uri: url("/2010-04-01/Accounts.json") });
  assert.equal(response.statusCode, 401);
  assert.equal(response.headers["www-authenticate"], 'Basic realm="Twilio API"');
});

test("404: a SID the main account cannot reach", async () => {
  const tenant = newTenant("404");
  const error = await twilioError(tenant.sub("AC" + "0".repeat(32)).fetch(), 404, 20404);
  assert.equal(error.message, `The requested resource /2010-04-01/Accounts/AC${"0".repeat(32)}.json was not found`);
  assert.equal(error.moreInfo, "https://www.twilio.com/docs/errors/20404");
  // Another tenant's account: the same 404, nothing leaks.
  const other = newTenant("other");
  const otherSub = await other.accounts.create({ friendlyName: "theirs" });
  await twilioError(tenant.sub(other.sid).fetch(), 404, 20404);
  await twilioError(tenant.sub(otherSub.sid).fetch(), 404, 20404);
  await twilioError(tenant.sub(otherSub.sid).update({ friendlyName: "mine now" }), 404, 20404);
  await twilioError(tenant.sub("not-a-sid").fetch(), 404, 20404);
  assert.equal((await other.sub(otherSub.sid).fetch()).friendlyName, "theirs");
});

test("405 through the raw request method", async () => {
  const tenant = newTenant("405 raw");
  const sub = await tenant.accounts.create({ friendlyName: "not deletable" });
  let response = await tenant.client.request({ method: "delete", uri: url(`/2010-04-01/Accounts/${sub.sid}.json`) });
  assert.equal(response.statusCode, 405);
  assert.equal(response.headers.allow, "GET, POST, PUT");
  response = await tenant.client.request({ method: "delete", uri: url("/2010-04-01/Accounts.json") });
  assert.equal(response.statusCode, 405);
  assert.equal(response.headers.allow, "GET, POST");
  response = await tenant.client.request({ method: "put", uri: url("/2010-04-01/Accounts.json"), data: { FriendlyName: "x" } });
  assert.equal(response.statusCode, 405);
  assert.equal(response.headers.allow, "GET, POST");
  assert.equal((await tenant.sub(sub.sid).fetch()).status, "active");
});

test("405 as the library's exception", async () => {
  const tenant = newTenant("405 exception");
  const sub = await tenant.accounts.create({ friendlyName: "not deletable" });
  const version = tenant.client.api.v2010;
  await twilioError(version.remove({ method: "delete", uri: `/Accounts/${sub.sid}.json` }), 405, 20004);
  await twilioError(version.remove({ method: "delete", uri: "/Accounts.json" }), 405, 20004);
});

test("20001: FriendlyName rules", async () => {
  const tenant = newTenant("20001");
  let error = await twilioError(tenant.accounts.create({ friendlyName: "" }), 400, 20001);
  assert.match(error.message, /FriendlyName/, "the message names the parameter");
  await twilioError(tenant.accounts.create({ friendlyName: "x".repeat(65) }), 400, 20001);
  await twilioError(tenant.accounts.create({ friendlyName: "tab\there" }), 400, 20001);
  const sub = await tenant.accounts.create({ friendlyName: "y".repeat(64) });
  assert.equal(sub.friendlyName, "y".repeat(64));
  error = await twilioError(tenant.sub(sub.sid).update({ friendlyName: "" }), 400, 20001);
  assert.match(error.message, /FriendlyName/);
  await twilioError(tenant.sub(sub.sid).update({ friendlyName: "z".repeat(65) }), 400, 20001);
  await twilioError(tenant.sub(sub.sid).update({ friendlyName: "line\nbreak" }), 400, 20001);
  assert.equal((await tenant.sub(sub.sid).fetch()).friendlyName, "y".repeat(64));
});

test("20403: a subaccount sends Status for itself", async () => {
  const tenant = newTenant("20403");
  const sub = await tenant.accounts.create({ friendlyName: "self-service" });
  const own = makeClient(sub.sid, sub.authToken).api.v2010.accounts(sub.sid);
  for (const status of ["suspended", "closed", "active", "bogus"]) {
    await twilioError(own.update({ status }), 403, 20403);
  }
  assert.equal((await tenant.sub(sub.sid).fetch()).status, "active");
});

test("21477: Status on a main account", async () => {
  const tenant = newTenant("21477");
  for (const status of ["suspended", "closed", "active"]) {
    await twilioError(tenant.sub(tenant.sid).update({ status }), 400, 21477);
  }
  assert.equal((await tenant.sub(tenant.sid).fetch()).status, "active");
});

test("21479: closed is final", async () => {
  const tenant = newTenant("21479");
  const sub = await tenant.accounts.create({ friendlyName: "closing" });
  await tenant.sub(sub.sid).update({ status: "closed" });
  for (const status of ["active", "suspended", "closed"]) {
    await twilioError(tenant.sub(sub.sid).update({ status }), 400, 21479);
  }
  assert.equal((await tenant.sub(sub.sid).fetch()).status, "closed");
});

test("21475: unknown Status", async () => {
  const tenant = newTenant("21475");
  const sub = await tenant.accounts.create({ friendlyName: "status" });
  for (const status of ["bogus", "Active", "open"]) {
    await twilioError(tenant.sub(sub.sid).update({ status }), 400, 21475);
  }
  assert.equal((await tenant.sub(sub.sid).fetch()).status, "active");
});

test("21101: a subaccount cannot create", async () => {
  const tenant = newTenant("21101");
  const sub = await tenant.accounts.create({ friendlyName: "parent?" });
  await twilioError(makeClient(sub.sid, sub.authToken).api.v2010.accounts.create({ friendlyName: "grandchild" }), 400, 21101);
  assert.deepEqual((await tenant.accounts.list()).map((a) => a.sid), [tenant.sid, sub.sid]);
});

test("21480: subaccount cap", async () => {
  // run.sh starts the server with TWILIO_EMULATOR_MAX_SUBACCOUNTS=$EMULATOR_MAX_SUBACCOUNTS (small);
  // a dedicated tenant fills up to the cap, and the next create is refused.
  const cap = Number(process.env.EMULATOR_MAX_SUBACCOUNTS || 0);
  assert.ok(cap > 0 && cap <= 50, "EMULATOR_MAX_SUBACCOUNTS must be set (1..50) to the server's cap: run tests/clients/run.sh");
  const capped = newTenant("cap");
  let created = 0;
  let refusal;
  for (let i = 0; i <= cap; i++) {
    // bounded
    try {
      await capped.accounts.create({ friendlyName: `cap ${i}` });
      created++;
    } catch (error) {
      refusal = error;
      break;
    }
  }
  assert.equal(created, cap);
  await twilioError(Promise.reject(refusal), 400, 21480);
  assert.equal((await capped.accounts.list()).length, cap + 1);
  // Another tenant is not affected by this one's cap.
  assert.equal((await newTenant("uncapped").accounts.create({ friendlyName: "free" })).status, "active");
});
