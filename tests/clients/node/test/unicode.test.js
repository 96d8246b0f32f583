// FriendlyName values that need encoding survive create, fetch, update and the list filter.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { newTenant, sids, twilioError, eachOf } = require("./helpers");

const NAMES = [
  "two  spaces and trailing ",
  "a+b=c plus",
  "Tom & Jerry; x=1&y=2",
  "<b>not markup</b> & \"quotes\" 'single'",
  "Crème brûlée à Zürich, ñandú, Ærøskøbing",
  "emoji 😀🚀👩‍💻 ok",
  "literal %20 and %2B and %",
  "日本語のアカウント",
];

for (const name of NAMES) {
  test(`FriendlyName round trip: ${JSON.stringify(name)}`, async () => {
    const tenant = newTenant("unicode");
    const sub = await tenant.accounts.create({ friendlyName: name });
    assert.equal(sub.friendlyName, name);
    assert.equal((await tenant.sub(sub.sid).fetch()).friendlyName, name);
    assert.deepEqual(sids(await tenant.accounts.list({ friendlyName: name })), [sub.sid]);

    const renamed = `${name} ✓ (2)`;
    assert.equal((await tenant.sub(sub.sid).update({ friendlyName: renamed })).friendlyName, renamed);
    assert.equal((await tenant.sub(sub.sid).fetch()).friendlyName, renamed);
    assert.deepEqual(sids(await tenant.accounts.list({ friendlyName: renamed })), [sub.sid]);
    assert.deepEqual(await tenant.accounts.list({ friendlyName: name }), []);
    const all = await eachOf(tenant.accounts, { pageSize: 2 });
    assert.deepEqual(all.map((a) => a.friendlyName), [tenant.friendlyName, renamed]);
  });
}

test("64 characters, not bytes nor UTF-16 units", async () => {
  const tenant = newTenant("64 chars");
  const name = "😀".repeat(64); // 128 UTF-16 code units, 256 bytes: still 64 characters
  const sub = await tenant.accounts.create({ friendlyName: name });
  assert.equal(sub.friendlyName, name);
  assert.deepEqual(sids(await tenant.accounts.list({ friendlyName: name })), [sub.sid]);
  assert.equal((await tenant.sub(sub.sid).update({ friendlyName: "é".repeat(64) })).friendlyName, "é".repeat(64));
  await twilioError(tenant.accounts.create({ friendlyName: "😀".repeat(65) }), 400, 20001);
  await twilioError(tenant.sub(sub.sid).update({ friendlyName: "é".repeat(65) }), 400, 20001);
});
