// The Keys view: create (the secret once, and it works), delete, and a subaccount's keys.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { VIEWPORTS, useBrowser, withPage, newTenant, api, as, signInAs, confirmModal, goTo } = require('./helpers');

const holder = useBrowser();

for (const viewport of VIEWPORTS) {
  test(`[${viewport.name}] create a key: its secret is shown once and works; delete it`, async () => {
    const tenant = newTenant();
    await withPage(holder.browser, viewport, async ({ page }) => {
      await signInAs(page, tenant);
      await goTo(page, 'keys');
      await page.locator('#new-key-name').fill('CI key');
      await page.getByRole('button', { name: 'Create key' }).click();
      const once = page.locator('.once');
      await once.waitFor();
      const secret = await once.locator('input.secret').inputValue();
      assert.match(secret, /^[A-Za-z0-9]{32}$/);
      const keys = (await api('GET', `/2010-04-01/Accounts/${tenant.sid}/Keys.json`, as(tenant))).json.keys;
      assert.equal(keys.length, 1);
      const key = keys[0];
      await page.locator(`tr[data-sid="${key.sid}"] .name`, { hasText: 'CI key' }).waitFor();
      // A Standard key reaches the Balance (KEYS.md): the secret shown is the real one.
      const balance = await api('GET', `/2010-04-01/Accounts/${tenant.sid}/Balance.json`, { user: key.sid, secret });
      assert.equal(balance.status, 200);

      await once.getByRole('button', { name: 'Done' }).click();
      await goTo(page, 'accounts');
      await goTo(page, 'keys');
      await page.locator(`tr[data-sid="${key.sid}"]`).waitFor();
      assert.equal((await page.content()).includes(secret), false, 'the secret is shown once only');

      await page.locator(`tr[data-sid="${key.sid}"] button[data-action="delete"]`).click();
      await confirmModal(page);
      await page.locator(`tr[data-sid="${key.sid}"]`).waitFor({ state: 'detached' });
      const after = await api('GET', `/2010-04-01/Accounts/${tenant.sid}/Balance.json`, { user: key.sid, secret });
      assert.equal(after.status, 401);
    });
  });

  test(`[${viewport.name}] the keys of a subaccount, reached from its row`, async () => {
    const tenant = newTenant();
    const sub = (await api('POST', '/2010-04-01/Accounts.json', { ...as(tenant), form: { FriendlyName: 'Worker' } })).json;
    await withPage(holder.browser, viewport, async ({ page }) => {
      await signInAs(page, tenant);
      await page.locator(`tr[data-sid="${sub.sid}"] button[data-action="keys"]`).click();
      await page.locator('#view h1', { hasText: 'Keys' }).waitFor();
      await page.locator(`#keys-account option[value="${sub.sid}"]`).waitFor({ state: 'attached' });
      assert.equal(await page.locator('#keys-account').inputValue(), sub.sid);
      await page.locator('#new-key-name').fill('Worker key');
      await page.getByRole('button', { name: 'Create key' }).click();
      await page.locator('.once').waitFor();
      await page.locator('tbody .name', { hasText: 'Worker key' }).waitFor();
      const keys = (await api('GET', `/2010-04-01/Accounts/${sub.sid}/Keys.json`, as(tenant))).json.keys;
      assert.deepEqual(keys.map((key) => key.friendly_name), ['Worker key']);
    });
  });
}
