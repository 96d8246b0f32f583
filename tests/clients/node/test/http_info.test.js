// The library's *WithHttpInfo methods (status code and headers) and its callback style.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { newTenant, sids } = require("./helpers");

test("WithHttpInfo methods report 201 and 200", async () => {
  const tenant = newTenant("http info");
  const created = await tenant.accounts.createWithHttpInfo({ friendlyName: "with info" });
  assert.equal(created.statusCode, 201);
  assert.match(String(created.headers["content-type"]), /^application\/json/);
  const sub = created.body;
  assert.equal(sub.friendlyName, "with info");

  const fetched = await tenant.sub(sub.sid).fetchWithHttpInfo();
  assert.deepEqual([fetched.statusCode, fetched.body.sid], [200, sub.sid]);
  const updated = await tenant.sub(sub.sid).updateWithHttpInfo({ friendlyName: "with info 2" });
  assert.deepEqual([updated.statusCode, updated.body.friendlyName], [200, "with info 2"]);
  const listed = await tenant.accounts.listWithHttpInfo({ pageSize: 1 });
  assert.equal(listed.statusCode, 200);
  assert.deepEqual(sids(listed.body), [tenant.sid, sub.sid]);
  const page = await tenant.accounts.pageWithHttpInfo({ pageSize: 1 });
  assert.equal(page.statusCode, 200);
  assert.deepEqual(sids(page.body.instances), [tenant.sid]);
});

test("callback style", async () => {
  const tenant = newTenant("callbacks");
  const sub = await new Promise((resolve, reject) =>
    tenant.accounts.create({ friendlyName: "cb" }, (error, account) => (error ? reject(error) : resolve(account))),
  );
  const fetched = await new Promise((resolve, reject) =>
    tenant.sub(sub.sid).fetch((error, account) => (error ? reject(error) : resolve(account))),
  );
  assert.equal(fetched.friendlyName, "cb");
  const listed = await new Promise((resolve, reject) =>
    tenant.accounts.list({ pageSize: 1 }, (error, items) => (error ? reject(error) : resolve(items))),
  );
  assert.deepEqual(sids(listed), [tenant.sid, sub.sid]);
  const error = await new Promise((resolve) => tenant.sub("AC" + "0".repeat(32)).fetch((err) => resolve(err)));
  assert.deepEqual([error.status, error.code], [404, 20404]);
});
