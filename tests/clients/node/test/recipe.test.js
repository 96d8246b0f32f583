// CI recipe: build the fixture once, save it as a snapshot, restore it before each test.
//   npm install twilio
//   EMULATOR_URL=http://127.0.0.1:8080 TENANT_SID=AC... TENANT_TOKEN=... node --test recipe.test.js
// (The defaults below are the sandbox tenant that the default config seeds.)
const { before, beforeEach, test } = require("node:test");
const assert = require("node:assert/strict");
const twilio = require("twilio");

const url = process.env.EMULATOR_URL || "http://127.0.0.1:8080";
const sid = process.env.TENANT_SID || "ACdeadbeefdeadbeefdeadbeefdeadbeef";
const token = process.env.TENANT_TOKEN || "0123456789abcdef0123456789abcdef";

const client = twilio(sid, token);
client.api.baseUrl = url;

// POST to the tenant's control plane, as its main account.
async function control(path, params = {}) {
  const response = await fetch(`${url}/_emulator/v1${path}`, {
    method: "POST",
    headers: { Authorization: "Basic " + Buffer.from(`${sid}:${token}`).toString("base64") },
    body: new URLSearchParams(params),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const fixture = { accounts: [sid], keys: [] };

// Once: an empty tenant, then two subaccounts and a Standard key, saved as "fixture".
before(async () => {
  await control("/reset");
  for (const friendlyName of ["Alpha", "Beta"]) {
    fixture.accounts.push((await client.api.v2010.accounts.create({ friendlyName })).sid);
  }
  fixture.keys.push((await client.api.v2010.account.newKeys.create({ friendlyName: "CI key" })).sid);
  await control("/snapshots", { Name: "fixture" });
});

// Before each test: the tenant is exactly the fixture again.
beforeEach(() => control("/snapshots/fixture/restore"));

// Each test changes the tenant, and each starts from the same fixture.
async function assertIsTheFixture() {
  const accounts = await client.api.v2010.accounts.list();
  assert.deepEqual(accounts.map((a) => [a.sid, a.status]), fixture.accounts.map((s) => [s, "active"]));
  assert.deepEqual((await client.api.v2010.account.keys.list()).map((k) => k.sid), fixture.keys);
}

test("create subaccounts", async () => {
  await assertIsTheFixture();
  for (let i = 0; i < 3; i++) await client.api.v2010.accounts.create({ friendlyName: `Extra ${i}` });
  assert.equal((await client.api.v2010.accounts.list()).length, 6);
});

test("close a subaccount", async () => {
  await assertIsTheFixture();
  const alpha = fixture.accounts[1];
  assert.equal((await client.api.v2010.accounts(alpha).update({ status: "closed" })).status, "closed");
});

test("delete the key", async () => {
  await assertIsTheFixture();
  assert.equal(await client.api.v2010.account.keys(fixture.keys[0]).remove(), true);
  assert.deepEqual(await client.api.v2010.account.keys.list(), []);
});
