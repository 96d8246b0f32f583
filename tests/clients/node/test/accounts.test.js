// Create, fetch, update and status changes through the official twilio-node library.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { SID_RE, TOKEN_RE, makeClient, cli, newTenant, url, twilioError, twilio } = require("./helpers");

const DEFAULT_NAME_RE = /^SubAccount Created at (\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}) (am|pm)$/;
const SUBRESOURCES = [
  "available_phone_numbers",
  "calls",
  "conferences",
  "incoming_phone_numbers",
  "notifications",
  "outgoing_caller_ids",
  "recordings",
  "sandbox",
  "sms_messages",
  "transcriptions",
];

function assertSubresourceUris(account) {
  assert.deepEqual(Object.keys(account.subresourceUris).sort(), [...SUBRESOURCES].sort());
  for (const uri of Object.values(account.subresourceUris)) {
    assert.ok(uri.startsWith(`/2010-04-01/Accounts/${account.sid}/`) && uri.endsWith(".json"), uri);
  }
}

test("create with FriendlyName, and its token authenticates a new client", async () => {
  const tenant = newTenant("create");
  const sub = await tenant.accounts.create({ friendlyName: "Team A" });
  assert.match(sub.sid, SID_RE);
  assert.equal(sub.friendlyName, "Team A");
  assert.equal(sub.status, "active");
  assert.equal(sub.type, "Full");
  assert.equal(sub.ownerAccountSid, tenant.sid);
  assert.match(sub.authToken, TOKEN_RE, "the 201 carries the plaintext token once");
  assert.equal(sub.uri, `/2010-04-01/Accounts/${sub.sid}.json`);
  assert.ok(sub.dateCreated instanceof Date && !Number.isNaN(sub.dateCreated.getTime()), "RFC 2822 date the library parses");
  assert.ok(sub.dateUpdated instanceof Date && !Number.isNaN(sub.dateUpdated.getTime()));
  assert.ok(Math.abs(Date.now() - sub.dateCreated.getTime()) < 300_000);
  assertSubresourceUris(sub);

  const subClient = makeClient(sub.sid, sub.authToken);
  const me = await subClient.api.v2010.accounts(sub.sid).fetch();
  assert.equal(me.sid, sub.sid);
  assert.equal(me.friendlyName, "Team A");
  assert.equal(me.authToken, "redacted");
});

test("create without FriendlyName gets the default name", async () => {
  const tenant = newTenant("default name");
  const before = Math.floor(Date.now() / 60_000) * 60_000;
  const sub = await tenant.accounts.create();
  const after = Date.now();
  const match = DEFAULT_NAME_RE.exec(sub.friendlyName);
  assert.ok(match, sub.friendlyName);
  const [, day, hour, minute, meridian] = match;
  assert.equal(meridian, Number(hour) >= 12 ? "pm" : "am", "24-hour clock, meridian from the hour");
  const stamp = Date.parse(`${day}T${hour}:${minute}:00Z`);
  assert.ok(before <= stamp && stamp <= after, "UTC time of creation");
  assert.match(sub.authToken, TOKEN_RE);
  assert.equal((await makeClient(sub.sid, sub.authToken).api.v2010.accounts(sub.sid).fetch()).sid, sub.sid);

  // An empty options object is the same call.
  assert.match((await tenant.accounts.create({})).friendlyName, DEFAULT_NAME_RE);
});

test("a subaccount inherits the Type of its main account", async () => {
  const trial = newTenant("trial", "Trial");
  assert.equal((await trial.sub(trial.sid).fetch()).type, "Trial");
  assert.equal((await trial.accounts.create({ friendlyName: "Trial child" })).type, "Trial");
});

test("fetch the main account and a subaccount", async () => {
  const tenant = newTenant("fetch");
  const main = await tenant.sub(tenant.sid).fetch();
  assert.equal(main.sid, tenant.sid);
  assert.equal(main.friendlyName, tenant.friendlyName);
  assert.equal(main.ownerAccountSid, tenant.sid, "a main account's owner is itself");
  assert.equal(main.authToken, "redacted");
  assert.equal(main.status, "active");
  assertSubresourceUris(main);

  const sub = await tenant.accounts.create({ friendlyName: "Fetched" });
  const fetched = await tenant.sub(sub.sid).fetch();
  assert.deepEqual(
    [fetched.sid, fetched.friendlyName, fetched.status, fetched.ownerAccountSid, fetched.authToken],
    [sub.sid, "Fetched", "active", tenant.sid, "redacted"],
  );
  assert.equal(fetched.dateCreated.getTime(), sub.dateCreated.getTime());
});

test("update FriendlyName", async () => {
  const tenant = newTenant("update");
  const sub = await tenant.accounts.create({ friendlyName: "Before" });
  const updated = await tenant.sub(sub.sid).update({ friendlyName: "After" });
  assert.equal(updated.sid, sub.sid);
  assert.equal(updated.friendlyName, "After");
  assert.equal(updated.status, "active");
  assert.equal(updated.authToken, "redacted");
  assert.ok(updated.dateUpdated.getTime() >= sub.dateUpdated.getTime());
  assert.equal((await tenant.sub(sub.sid).fetch()).friendlyName, "After");

  // The main account may rename itself (only its Status is off limits).
  assert.equal((await tenant.sub(tenant.sid).update({ friendlyName: "Main renamed" })).friendlyName, "Main renamed");

  // Through the instance object of the library too.
  const instance = await tenant.sub(sub.sid).fetch();
  assert.equal((await instance.update({ friendlyName: "Via instance" })).friendlyName, "Via instance");

  // An update with no parameter returns the account unchanged.
  const same = await tenant.sub(sub.sid).update({});
  assert.deepEqual([same.friendlyName, same.status], ["Via instance", "active"]);
});

test("PUT updates like POST", async () => {
  const tenant = newTenant("put");
  const sub = await tenant.accounts.create({ friendlyName: "Put me" });
  const response = await tenant.client.request({
    method: "put",
    uri: url(`/2010-04-01/Accounts/${sub.sid}.json`),
    data: { FriendlyName: "Put done" },
  });
  assert.equal(response.statusCode, 200, JSON.stringify(response.body));
  assert.equal((await tenant.sub(sub.sid).fetch()).friendlyName, "Put done");
});

test("suspend, reactivate, close", async () => {
  const tenant = newTenant("lifecycle");
  const sub = await tenant.accounts.create({ friendlyName: "Lifecycle" });
  const own = makeClient(sub.sid, sub.authToken).api.v2010.accounts(sub.sid);
  assert.equal((await own.fetch()).status, "active");

  assert.equal((await tenant.sub(sub.sid).update({ status: "suspended" })).status, "suspended");
  assert.equal((await tenant.sub(sub.sid).fetch()).status, "suspended");
  await twilioError(own.fetch(), 401, 20003); // a suspended account cannot authenticate

  assert.equal((await tenant.sub(sub.sid).update({ status: "active" })).status, "active");
  assert.equal((await own.fetch()).status, "active");

  assert.equal((await tenant.sub(sub.sid).update({ status: "closed" })).status, "closed");
  await twilioError(own.fetch(), 401, 20003);

  // closed is final, but its FriendlyName may still change.
  await twilioError(tenant.sub(sub.sid).update({ status: "active" }), 400, 21479);
  const renamed = await tenant.sub(sub.sid).update({ friendlyName: "Closed but renamed" });
  assert.deepEqual([renamed.friendlyName, renamed.status], ["Closed but renamed", "closed"]);
});

test("close at once, and suspended then closed", async () => {
  const tenant = newTenant("close");
  const direct = await tenant.accounts.create({ friendlyName: "Closed at once" });
  assert.equal((await tenant.sub(direct.sid).update({ status: "closed" })).status, "closed");
  const suspended = await tenant.accounts.create({ friendlyName: "Suspended then closed" });
  assert.equal((await tenant.sub(suspended.sid).update({ status: "suspended" })).status, "suspended");
  assert.equal((await tenant.sub(suspended.sid).update({ status: "closed" })).status, "closed");
});

test("a subaccount sees only itself", async () => {
  const tenant = newTenant("visibility");
  const first = await tenant.accounts.create({ friendlyName: "First" });
  const second = await tenant.accounts.create({ friendlyName: "Second" });
  const accounts = makeClient(first.sid, first.authToken).api.v2010.accounts;

  const listed = await accounts.list();
  assert.deepEqual(listed.map((a) => a.sid), [first.sid]);
  assert.equal(listed[0].authToken, "redacted");
  const streamed = [];
  await accounts.each({ pageSize: 1 }, (a) => streamed.push(a.sid));
  assert.deepEqual(streamed, [first.sid]);

  await twilioError(accounts(tenant.sid).fetch(), 401, 20003); // its own main account
  await twilioError(accounts(second.sid).fetch(), 401, 20003); // a sibling
  await twilioError(accounts("AC" + "0".repeat(32)).fetch(), 401, 20003); // unknown
  await twilioError(accounts(second.sid).update({ friendlyName: "Hijacked" }), 401, 20003);
  assert.equal((await tenant.sub(second.sid).fetch()).friendlyName, "Second");

  // It may rename itself.
  assert.equal((await accounts(first.sid).update({ friendlyName: "First renamed" })).friendlyName, "First renamed");
});

test("suspending the main account locks out its subaccounts", async () => {
  const tenant = newTenant("main suspended");
  const sub = await tenant.accounts.create({ friendlyName: "Child" });
  const own = makeClient(sub.sid, sub.authToken).api.v2010.accounts(sub.sid);
  assert.equal((await own.fetch()).sid, sub.sid);

  cli("accounts", "set-status", tenant.sid, "suspended"); // the operator's command
  await twilioError(tenant.sub(tenant.sid).fetch(), 401, 20003);
  await twilioError(own.fetch(), 401, 20003);

  cli("accounts", "set-status", tenant.sid, "active");
  assert.equal((await own.fetch()).sid, sub.sid);
});

test("library shortcuts and the accountSid option", async () => {
  const tenant = newTenant("shortcuts");
  // client.api.accounts / client.api.account are shortcuts to v2010; account is the client's own account.
  assert.equal((await tenant.client.api.account.fetch()).sid, tenant.sid);
  const sub = await tenant.client.api.accounts.create({ friendlyName: "Shortcut" });
  assert.deepEqual((await tenant.client.api.accounts.list()).map((a) => a.sid), [tenant.sid, sub.sid]);

  // Main credentials acting on a subaccount: twilio(mainSid, mainToken, { accountSid: subSid }).
  const acting = twilio(tenant.sid, tenant.token, { accountSid: sub.sid });
  acting.api.baseUrl = process.env.EMULATOR_URL;
  assert.equal((await acting.api.account.fetch()).sid, sub.sid);
  assert.equal((await acting.api.account.update({ friendlyName: "Renamed by main" })).friendlyName, "Renamed by main");
  assert.equal((await acting.api.account.update({ status: "suspended" })).status, "suspended");

  // A subaccount's own client: client.api.account is itself.
  const own = makeClient(sub.sid, sub.authToken);
  await twilioError(own.api.account.fetch(), 401, 20003); // suspended above
  await tenant.sub(sub.sid).update({ status: "active" });
  assert.equal((await own.api.account.fetch()).friendlyName, "Renamed by main");
});
