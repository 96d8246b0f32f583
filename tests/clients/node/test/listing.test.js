// List, filters, paging (each / list / page / nextPage / previousPage / getPage) through twilio-node.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { makeClient, newTenant, sids, twilioError, eachOf, url } = require("./helpers");

const SUBACCOUNTS = 8; // with the main account, 9 accounts: 5 pages of 2, more than three pages

const chunks = (items, size) => {
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

test("list without filters: main, then subaccounts in creation order", async () => {
  const tenant = newTenant("list");
  const created = await tenant.createSubaccounts(3);
  const listed = await tenant.accounts.list();
  assert.deepEqual(sids(listed), [tenant.sid, ...sids(created)]);
  assert.ok(listed.every((a) => a.authToken === "redacted"));
  assert.ok(listed.every((a) => a.ownerAccountSid === tenant.sid));
});

test("list with filters", async () => {
  const tenant = newTenant("filters");
  const alpha = await tenant.accounts.create({ friendlyName: "alpha" });
  const beta = await tenant.accounts.create({ friendlyName: "beta" });
  const alphaToo = await tenant.accounts.create({ friendlyName: "alpha" });
  await tenant.sub(beta.sid).update({ status: "suspended" });
  await tenant.sub(alphaToo.sid).update({ status: "closed" });

  const list = async (params) => sids(await tenant.accounts.list(params));
  assert.deepEqual(await list({ friendlyName: "alpha" }), [alpha.sid, alphaToo.sid]);
  assert.deepEqual(await list({ friendlyName: "Alpha" }), [], "exact and case-sensitive");
  assert.deepEqual(await list({ friendlyName: "alph" }), [], "no prefix match");
  assert.deepEqual(await list({ status: "suspended" }), [beta.sid]);
  assert.deepEqual(await list({ status: "closed" }), [alphaToo.sid]);
  assert.deepEqual(await list({ status: "active" }), [tenant.sid, alpha.sid]);
  assert.deepEqual(await list({ friendlyName: "alpha", status: "active" }), [alpha.sid]);
  assert.deepEqual(await list({ friendlyName: "beta", status: "active" }), []);
  assert.deepEqual(await list({ friendlyName: tenant.friendlyName }), [tenant.sid]);
  assert.deepEqual(sids(await eachOf(tenant.accounts, { friendlyName: "alpha", pageSize: 1 })), [alpha.sid, alphaToo.sid]);
});

test("each with pageSize 2 sees every account once, in order", async () => {
  const tenant = newTenant("each");
  const created = await tenant.createSubaccounts(SUBACCOUNTS);
  const expected = [tenant.sid, ...sids(created)];

  const streamed = sids(await eachOf(tenant.accounts, { pageSize: 2 }));
  assert.deepEqual(streamed, expected);
  assert.equal(new Set(streamed).size, SUBACCOUNTS + 1);

  assert.deepEqual(sids(await tenant.accounts.list({ pageSize: 2 })), expected);
  assert.deepEqual(sids(await tenant.accounts.list({ pageSize: 1000 })), expected);
  assert.deepEqual(sids(await tenant.accounts.list()), expected);
});

test("pages forward and back", async () => {
  const tenant = newTenant("pages");
  const created = await tenant.createSubaccounts(SUBACCOUNTS);
  const expected = [tenant.sid, ...sids(created)];

  const pages = [];
  let page = await tenant.accounts.page({ pageSize: 2 });
  let last = page;
  for (let i = 0; i < 20 && page; i++) {
    // bounded: 5 pages expected
    pages.push(sids(page.instances));
    last = page;
    page = await page.nextPage();
  }
  assert.deepEqual(pages, chunks(expected, 2));
  assert.equal(pages.length, 5);

  // And back from the last page, with the library's previousPage (PageToken=PB...).
  const backwards = [];
  page = last;
  for (let i = 0; i < 20 && page; i++) {
    backwards.push(sids(page.instances));
    page = await page.previousPage();
  }
  assert.deepEqual(backwards, [...pages].reverse());

  // getPage with a URL the API gave; pageNumber without a token is an offset.
  const first = await tenant.accounts.page({ pageSize: 2 });
  assert.deepEqual(sids((await tenant.accounts.getPage(first.nextPageUrl)).instances), expected.slice(2, 4));
  assert.deepEqual(sids((await tenant.accounts.page({ pageSize: 2, pageNumber: 3 })).instances), expected.slice(6, 8));
  const past = await tenant.accounts.page({ pageSize: 2, pageNumber: 9 });
  assert.deepEqual(past.instances, [], "past the end: empty page");
  assert.equal(past.nextPageUrl, undefined);
});

test("a page token survives changes to that account", async () => {
  const tenant = newTenant("token stable");
  const created = await tenant.createSubaccounts(5);
  const first = await tenant.accounts.page({ pageSize: 2 });
  assert.deepEqual(sids(first.instances), [tenant.sid, created[0].sid]);
  await tenant.sub(created[0].sid).update({ friendlyName: "renamed after paging", status: "suspended" });
  assert.deepEqual(sids((await first.nextPage()).instances), [created[1].sid, created[2].sid]);
});

test("list and each with limit", async () => {
  const tenant = newTenant("limit");
  const created = await tenant.createSubaccounts(SUBACCOUNTS);
  const expected = [tenant.sid, ...sids(created)];
  assert.deepEqual(sids(await tenant.accounts.list({ limit: 3 })), expected.slice(0, 3));
  assert.deepEqual(sids(await tenant.accounts.list({ limit: 5, pageSize: 2 })), expected.slice(0, 5));
  assert.deepEqual(sids(await tenant.accounts.list({ limit: 1 })), expected.slice(0, 1));
  assert.deepEqual(sids(await eachOf(tenant.accounts, { limit: 4, pageSize: 3 })), expected.slice(0, 4));
  assert.deepEqual(sids(await tenant.accounts.list({ limit: 100 })), expected);
});

test("a tenant's list shows no other tenant", async () => {
  const tenant = newTenant("mine");
  const other = newTenant("other");
  const otherSub = await other.accounts.create({ friendlyName: "shared name" });
  const mine = await tenant.accounts.create({ friendlyName: "shared name" });
  assert.deepEqual(sids(await tenant.accounts.list()), [tenant.sid, mine.sid]);
  assert.deepEqual(sids(await tenant.accounts.list({ friendlyName: "shared name" })), [mine.sid]);
  assert.deepEqual(sids(await other.accounts.list({ friendlyName: "shared name" })), [otherSub.sid]);
});

test("PageToken errors: 400 / 21481", async () => {
  const tenant = newTenant("token errors");
  const other = newTenant("other");
  const sub = await tenant.accounts.create({ friendlyName: "token" });
  await twilioError(tenant.accounts.page({ pageToken: "garbage" }), 400, 21481);
  await twilioError(tenant.accounts.page({ pageToken: "PA" }), 400, 21481);
  await twilioError(tenant.accounts.page({ pageToken: "PA" + other.sid }), 400, 21481); // another tenant's account
  await twilioError(tenant.accounts.page({ pageToken: "PB" + "AC" + "0".repeat(32) }), 400, 21481); // no such account
  // A subaccount cannot page from its main account's position.
  const subAccounts = makeClient(sub.sid, sub.authToken).api.v2010.accounts;
  await twilioError(subAccounts.page({ pageToken: "PA" + tenant.sid }), 400, 21481);
  // list() and each() reject the same way.
  await twilioError(tenant.accounts.list({ pageToken: "garbage" }), 400, 21481);
  // A valid one works.
  assert.deepEqual(sids((await tenant.accounts.page({ pageToken: "PA" + tenant.sid, pageSize: 5 })).instances), [sub.sid]);
});

test("list parameter errors: 400 / 20001", async () => {
  const tenant = newTenant("param errors");
  await twilioError(tenant.accounts.list({ status: "bogus" }), 400, 20001);
  await twilioError(tenant.accounts.list({ friendlyName: "" }), 400, 20001);
  await twilioError(tenant.accounts.page({ pageSize: 0 }), 400, 20001);
  await twilioError(tenant.accounts.page({ pageNumber: -1 }), 400, 20001);
  await twilioError(tenant.accounts.list({ friendlyName: "x".repeat(65) }), 400, 20001);
});

test("page sizes above 1000 are served as 1000", async () => {
  // BEHAVIOUR.md, List: both libraries send PageSize=limit for list({ limit }), so a large value is served
  // as 1000 rather than refused.
  const tenant = newTenant("page size cap");
  const sub = await tenant.accounts.create({ friendlyName: "only child" });
  assert.deepEqual(sids((await tenant.accounts.page({ pageSize: 1001 })).instances), [tenant.sid, sub.sid]);
  const raw = await tenant.client.request({ method: "get", uri: url("/2010-04-01/Accounts.json?PageSize=1001") });
  const body = typeof raw.body === "string" ? JSON.parse(raw.body) : raw.body;
  assert.deepEqual([body.page_size, body.first_page_uri], [1000, "/2010-04-01/Accounts.json?Page=0&PageSize=1000"]);
  assert.deepEqual(sids(await tenant.accounts.list({ limit: 2000 })), [tenant.sid, sub.sid]);
});
