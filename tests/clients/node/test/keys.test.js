// API keys, key authentication and Balance (KEYS.md) through the official twilio-node library.
//
// The library's calls: twilio(keySid, secret, { accountSid }) for key authentication;
// api.v2010.accounts(sid).newKeys.create (CreateNewKey), .keys.list / .keys.each / .keys.page (ListKey),
// .keys(sid).fetch / .update / .remove (FetchKey, UpdateKey, DeleteKey), .balance.fetch (FetchBalance);
// api.v2010.account is the same for the client's own accountSid.
// Every test makes its own tenant with the operator CLI.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const {
  SID_RE,
  KEY_SID_RE,
  SECRET_RE,
  makeClient,
  makeKeyClient,
  cli,
  mainKey,
  newTenant,
  sids,
  twilioError,
  url,
} = require("./helpers");

test("a Main key from the CLI acts as its main account", async () => {
  const tenant = newTenant("main key");
  const made = mainKey(tenant.sid, "Ops main key");
  assert.match(made.sid, KEY_SID_RE);
  assert.match(made.secret, SECRET_RE);
  assert.deepEqual([made.type, made.friendly_name], ["main", "Ops main key"]);

  const client = makeKeyClient(made.sid, made.secret, tenant.sid);
  // Fetch the account: as its AuthToken would, token redacted.
  const me = await client.api.v2010.account.fetch();
  assert.deepEqual([me.sid, me.friendlyName, me.authToken], [tenant.sid, tenant.friendlyName, "redacted"]);
  assert.equal((await client.api.v2010.accounts(tenant.sid).fetch()).sid, tenant.sid);
  // List and create subaccounts.
  assert.deepEqual(sids(await client.api.v2010.accounts.list()), [tenant.sid]);
  const sub = await client.api.v2010.accounts.create({ friendlyName: "Made with a Main key" });
  assert.match(sub.sid, SID_RE);
  assert.equal(sub.ownerAccountSid, tenant.sid);
  assert.deepEqual(sids(await client.api.v2010.accounts.list()), [tenant.sid, sub.sid]);
  assert.equal((await client.api.v2010.accounts(sub.sid).fetch()).friendlyName, "Made with a Main key");
  const renamed = await client.api.v2010.accounts(sub.sid).update({ friendlyName: "Renamed by key" });
  assert.equal(renamed.friendlyName, "Renamed by key");
  // The subaccount's token (shown once, in the 201) works.
  assert.equal((await makeClient(sub.sid, sub.authToken).api.v2010.account.fetch()).sid, sub.sid);
  // Its own Keys and Balance, as the AuthToken.
  assert.ok(sids(await client.api.v2010.account.keys.list()).includes(made.sid));
  assert.equal((await client.api.v2010.account.balance.fetch()).balance, "20.00");
  // A 404 for a SID outside its reach, as the AuthToken gets.
  await twilioError(client.api.v2010.accounts("AC" + "0".repeat(32)).fetch(), 404, 20404);
  // But not a subaccount's Keys or Balance (KEYS.md, "Who reaches what").
  await twilioError(client.api.v2010.accounts(sub.sid).balance.fetch(), 401, 20003);
  await twilioError(client.api.v2010.accounts(sub.sid).newKeys.create({ friendlyName: "not for a main key" }), 401, 20003);
  await twilioError(client.api.v2010.accounts(sub.sid).keys.list(), 401, 20003);

  // The operator's listing shows its type, never a secret.
  const listed = JSON.parse(cli("keys", "list", "--account", tenant.sid, "--json"));
  assert.deepEqual(listed.map((k) => [k.sid, k.type]), [[made.sid, "main"]]);
  assert.ok(!("secret" in listed[0]));
});

test("a Main key of a subaccount acts as that subaccount", async () => {
  const tenant = newTenant("sub main key");
  const sub = await tenant.accounts.create({ friendlyName: "Child" });
  const made = mainKey(sub.sid);
  assert.equal(made.friendly_name, null);
  const client = makeKeyClient(made.sid, made.secret, sub.sid);
  assert.equal((await client.api.v2010.account.fetch()).sid, sub.sid);
  assert.deepEqual(sids(await client.api.v2010.accounts.list()), [sub.sid]);
  await twilioError(client.api.v2010.accounts(tenant.sid).fetch(), 401, 20003);
  await twilioError(client.api.v2010.accounts(tenant.sid).balance.fetch(), 401, 20003);
});

test("create a Standard key through the library", async () => {
  const tenant = newTenant("create key");
  const before = Math.floor(Date.now() / 1000) * 1000;
  const key = await tenant.sub(tenant.sid).newKeys.create({ friendlyName: "CI deploys" });
  assert.match(key.sid, KEY_SID_RE);
  assert.match(key.secret, SECRET_RE, "32 alphanumerics, shown once");
  assert.equal(key.friendlyName, "CI deploys");
  assert.ok(key.dateCreated instanceof Date && !Number.isNaN(key.dateCreated.getTime()), "RFC 2822 date the library parses");
  assert.ok(before <= key.dateCreated.getTime() && key.dateCreated.getTime() <= Date.now());
  assert.equal(key.dateUpdated.getTime(), key.dateCreated.getTime());

  const unnamed = await tenant.client.api.v2010.account.newKeys.create(); // the client's own account
  assert.match(unnamed.sid, KEY_SID_RE);
  assert.match(unnamed.secret, SECRET_RE);
  assert.equal(unnamed.friendlyName, null);
  assert.notEqual(unnamed.secret, key.secret);

  const kinds = Object.fromEntries(JSON.parse(cli("keys", "list", "--account", tenant.sid, "--json")).map((k) => [k.sid, k.type]));
  assert.deepEqual(kinds, { [key.sid]: "standard", [unnamed.sid]: "standard" }, "keys made through the API are Standard");

  await twilioError(tenant.sub(tenant.sid).newKeys.create({ friendlyName: "" }), 400, 20001);
  await twilioError(tenant.sub(tenant.sid).newKeys.create({ friendlyName: "x".repeat(65) }), 400, 20001);
});

test("a Standard key reads the Balance and nothing else", async () => {
  const tenant = newTenant("standard key");
  const key = await tenant.sub(tenant.sid).newKeys.create({ friendlyName: "Balance reader" });
  const client = makeKeyClient(key.sid, key.secret, tenant.sid);

  const balance = await client.api.v2010.account.balance.fetch();
  assert.deepEqual([balance.accountSid, balance.balance, balance.currency], [tenant.sid, "20.00", "USD"]);
  assert.equal((await client.api.v2010.accounts(tenant.sid).balance.fetch()).balance, "20.00");

  // The Accounts resource and Keys: 401 / 20003.
  await twilioError(client.api.v2010.accounts(tenant.sid).fetch(), 401, 20003);
  await twilioError(client.api.v2010.account.update({ friendlyName: "nope" }), 401, 20003);
  await twilioError(client.api.v2010.accounts.create({ friendlyName: "nope" }), 401, 20003);
  await twilioError(client.api.v2010.accounts.list(), 401, 20003);
  await twilioError(client.api.v2010.account.keys.list(), 401, 20003);
  await twilioError(client.api.v2010.account.keys(key.sid).fetch(), 401, 20003);
  await twilioError(client.api.v2010.account.newKeys.create({ friendlyName: "nope" }), 401, 20003);
  // A wrong secret: the same 401 as for a bad AuthToken.
  await twilioError(makeKeyClient(key.sid, "x".repeat(32), tenant.sid).api.v2010.account.balance.fetch(), 401, 20003);
  // The operator changes the figure; the next request shows it.
  cli("accounts", "set-balance", tenant.sid, "12.3");
  assert.equal((await client.api.v2010.account.balance.fetch()).balance, "12.30");
});

test("list, fetch, update and delete keys", async () => {
  const tenant = newTenant("key lifecycle");
  const keys = tenant.sub(tenant.sid).keys;
  const newKeys = tenant.sub(tenant.sid).newKeys;
  const first = await newKeys.create({ friendlyName: "first" });
  const second = await newKeys.create({ friendlyName: "second" });
  const third = await newKeys.create();

  // List, in creation order; the library follows next_page_uri across pages of 1.
  const listed = await keys.list();
  assert.deepEqual(
    listed.map((k) => [k.sid, k.friendlyName]),
    [[first.sid, "first"], [second.sid, "second"], [third.sid, null]],
  );
  // The secret is in the 201 alone: the raw list and fetch carry none.
  const raw = await tenant.client.request({ method: "get", uri: url(`/2010-04-01/Accounts/${tenant.sid}/Keys.json`) });
  const body = typeof raw.body === "string" ? JSON.parse(raw.body) : raw.body;
  assert.deepEqual(body.keys.map((k) => Object.keys(k)), Array(3).fill(["sid", "friendly_name", "date_created", "date_updated"]));
  const rawFetch = await tenant.client.request({ method: "get", uri: url(`/2010-04-01/Accounts/${tenant.sid}/Keys/${first.sid}.json`) });
  const fetchedBody = typeof rawFetch.body === "string" ? JSON.parse(rawFetch.body) : rawFetch.body;
  assert.deepEqual(Object.keys(fetchedBody), ["sid", "friendly_name", "date_created", "date_updated"]);
  const seen = [];
  await keys.each({ pageSize: 1 }, (k) => {
    seen.push(k.sid);
  });
  assert.deepEqual(seen, [first.sid, second.sid, third.sid]);
  assert.deepEqual(sids(await keys.list({ limit: 2 })), [first.sid, second.sid]);
  const page = await keys.page({ pageSize: 2 });
  assert.deepEqual(sids(page.instances), [first.sid, second.sid]);
  assert.deepEqual(sids((await page.nextPage()).instances), [third.sid]);

  // Fetch and update.
  const fetched = await keys(second.sid).fetch();
  assert.deepEqual([fetched.sid, fetched.friendlyName], [second.sid, "second"]);
  assert.equal(fetched.dateCreated.getTime(), second.dateCreated.getTime());
  const renamed = await keys(second.sid).update({ friendlyName: "second, renamed" });
  assert.deepEqual([renamed.sid, renamed.friendlyName], [second.sid, "second, renamed"]);
  assert.ok(renamed.dateUpdated.getTime() >= renamed.dateCreated.getTime());
  assert.equal((await keys(second.sid).fetch()).friendlyName, "second, renamed");
  assert.equal((await keys(third.sid).update()).friendlyName, null, "nothing recognised: unchanged");
  await twilioError(keys(second.sid).update({ friendlyName: "" }), 400, 20001);

  // Delete: the key works until then, and not on the very next call.
  const client = makeKeyClient(first.sid, first.secret, tenant.sid);
  assert.equal((await client.api.v2010.account.balance.fetch()).accountSid, tenant.sid);
  assert.equal(await keys(first.sid).remove(), true);
  await twilioError(client.api.v2010.account.balance.fetch(), 401, 20003);
  await twilioError(keys(first.sid).fetch(), 404, 20404);
  await twilioError(keys(first.sid).remove(), 404, 20404);
  assert.deepEqual(sids(await keys.list()), [second.sid, third.sid]);
  // The other keys still work.
  const still = await makeKeyClient(second.sid, second.secret, tenant.sid).api.v2010.account.balance.fetch();
  assert.equal(still.balance, "20.00");

  // A key of another tenant, or no key at all: 404.
  const other = newTenant("other");
  const theirs = await other.sub(other.sid).newKeys.create({ friendlyName: "theirs" });
  await twilioError(keys(theirs.sid).fetch(), 404, 20404);
  await twilioError(keys("SK" + "0".repeat(32)).fetch(), 404, 20404);
  assert.equal((await other.sub(other.sid).keys(theirs.sid).fetch()).friendlyName, "theirs");
});

test("a Standard key of a subaccount reads the subaccount's Balance", async () => {
  const tenant = newTenant("sub balance");
  const sub = await tenant.accounts.create({ friendlyName: "Spender" });
  const subClient = makeClient(sub.sid, sub.authToken);
  const own = await subClient.api.v2010.account.newKeys.create({ friendlyName: "made by the subaccount" });
  const byMain = await tenant.sub(sub.sid).newKeys.create({ friendlyName: "made by the main account" });
  assert.deepEqual(sids(await subClient.api.v2010.account.keys.list()), [own.sid, byMain.sid]);
  assert.deepEqual(sids(await tenant.sub(tenant.sid).keys.list()), [], "the main account's own list is apart");

  for (const key of [own, byMain]) {
    const client = makeKeyClient(key.sid, key.secret, sub.sid);
    const balance = await client.api.v2010.account.balance.fetch();
    // The main's figure, under the subaccount's own SID.
    assert.deepEqual([balance.accountSid, balance.balance, balance.currency], [sub.sid, "20.00", "USD"]);
    await twilioError(client.api.v2010.accounts(tenant.sid).balance.fetch(), 401, 20003);
    await twilioError(client.api.v2010.account.fetch(), 401, 20003);
  }

  // The subaccount draws on its main's balance: the operator sets the main's, the subaccount shows it.
  cli("accounts", "set-balance", tenant.sid, "7");
  const client = makeKeyClient(own.sid, own.secret, sub.sid);
  assert.equal((await client.api.v2010.account.balance.fetch()).balance, "7.00");
  assert.equal((await tenant.sub(tenant.sid).balance.fetch()).balance, "7.00");
  // The subaccount cannot reach its main's keys.
  await twilioError(subClient.api.v2010.accounts(tenant.sid).keys.list(), 401, 20003);
});
