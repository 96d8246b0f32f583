// The Accounts view: create (token once), suspend, reactivate, rename, close, filters, balance, and
// stored values shown as text.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const {
  VIEWPORTS, useBrowser, withPage, newTenant, api, as, signInAs, confirmModal, goTo,
} = require('./helpers');

const holder = useBrowser();
const MARKUP = '<img src=x onerror=alert(1)>';

async function subaccount(tenant, name, status) {
  const made = (await api('POST', '/2010-04-01/Accounts.json', { ...as(tenant), form: { FriendlyName: name } })).json;
  if (status) await api('POST', `/2010-04-01/Accounts/${made.sid}.json`, { ...as(tenant), form: { Status: status } });
  return made;
}

async function statusOf(tenant, sid) {
  return (await api('GET', `/2010-04-01/Accounts/${sid}.json`, as(tenant))).json.status;
}

for (const viewport of VIEWPORTS) {
  test(`[${viewport.name}] create a subaccount: it is listed and its token is shown once, with a copy button`, async () => {
    const tenant = newTenant();
    await withPage(holder.browser, viewport, async ({ page }) => {
      await signInAs(page, tenant);
      await page.locator('#balance', { hasText: 'Balance 20.00 USD' }).waitFor();
      await page.locator('#new-subaccount-name').fill('Team Blue CI');
      await page.getByRole('button', { name: 'Create subaccount' }).click();
      const once = page.locator('.once');
      await once.waitFor();
      const token = await once.locator('input.secret').inputValue();
      assert.match(token, /^[0-9a-f]{32}$/);
      const listed = (await api('GET', '/2010-04-01/Accounts.json', as(tenant))).json.accounts;
      const made = listed.find((account) => account.friendly_name === 'Team Blue CI');
      assert.ok(made, 'the subaccount exists');
      await page.locator(`tr[data-sid="${made.sid}"] .name`, { hasText: 'Team Blue CI' }).waitFor();
      assert.equal((await api('GET', `/2010-04-01/Accounts/${made.sid}.json`, { user: made.sid, secret: token })).status, 200);

      await once.getByRole('button', { name: 'Copy' }).click();
      await once.locator('.copy-status', { hasText: /Copied|Ctrl\+C/ }).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);
      await once.getByRole('button', { name: 'Done' }).click();
      await once.waitFor({ state: 'detached' });
      await goTo(page, 'keys');
      await goTo(page, 'accounts');
      await page.locator(`tr[data-sid="${made.sid}"]`).waitFor();
      assert.equal((await page.content()).includes(token), false, 'the token is shown once only');
    });
  });

  test(`[${viewport.name}] suspend, reactivate, rename, and close after a confirmation`, async () => {
    const tenant = newTenant();
    const sub = await subaccount(tenant, 'Ops');
    await withPage(holder.browser, viewport, async ({ page }) => {
      await signInAs(page, tenant);
      const row = page.locator(`tr[data-sid="${sub.sid}"]`);
      await row.locator('button[data-action="suspend"]').click();
      await row.locator('.badge', { hasText: 'suspended' }).waitFor();
      assert.equal(await statusOf(tenant, sub.sid), 'suspended');
      await row.locator('button[data-action="reactivate"]').click();
      await row.locator('.badge', { hasText: 'active' }).waitFor();
      assert.equal(await statusOf(tenant, sub.sid), 'active');

      await row.locator('button[data-action="rename"]').click();
      await page.locator('dialog.modal input').fill('Ops renamed');
      await confirmModal(page);
      await row.locator('.name', { hasText: 'Ops renamed' }).waitFor();

      // Cancelling the confirmation changes nothing; confirming closes for good.
      await row.locator('button[data-action="close"]').click();
      await page.locator('dialog.modal').getByRole('button', { name: 'Cancel' }).click();
      await page.locator('dialog.modal').waitFor({ state: 'detached' });
      assert.equal(await statusOf(tenant, sub.sid), 'active');
      await row.locator('button[data-action="close"]').click();
      await confirmModal(page);
      await row.locator('.badge', { hasText: 'closed' }).waitFor();
      assert.equal(await statusOf(tenant, sub.sid), 'closed');
      assert.equal(await row.locator('button[data-action="reactivate"], button[data-action="suspend"]').count(), 0);
    });
  });

  test(`[${viewport.name}] filter the accounts by status and by name`, async () => {
    const tenant = newTenant();
    const alpha = await subaccount(tenant, 'Alpha');
    const beta = await subaccount(tenant, 'Beta', 'suspended');
    await subaccount(tenant, 'Gamma');
    await withPage(holder.browser, viewport, async ({ page }) => {
      await signInAs(page, tenant);
      await page.locator('tbody tr').nth(3).waitFor();
      await page.locator('#accounts-status').selectOption('suspended');
      await page.locator('tbody tr').nth(1).waitFor({ state: 'detached' });
      assert.deepEqual(await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.sid)), [beta.sid]);
      await page.locator('#accounts-status').selectOption('');
      await page.locator('tbody tr').nth(3).waitFor();
      await page.locator('#accounts-name').fill('alp');
      await page.locator('tbody tr').nth(1).waitFor({ state: 'detached' });
      assert.deepEqual(await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.sid)), [alpha.sid]);
    });
  });

  test(`[${viewport.name}] a FriendlyName of markup appears as those characters and runs nothing`, async () => {
    const tenant = newTenant();
    const sub = await subaccount(tenant, MARKUP);
    await api('POST', `/2010-04-01/Accounts/${tenant.sid}/Keys.json`, { ...as(tenant), form: { FriendlyName: MARKUP } });
    await withPage(holder.browser, viewport, async ({ page, seen }) => {
      await signInAs(page, tenant);
      assert.equal(await page.locator(`tr[data-sid="${sub.sid}"] .name`).textContent(), MARKUP);
      // The same name typed into the page: the token box shows it as text too.
      await page.locator('#new-subaccount-name').fill(MARKUP);
      await page.getByRole('button', { name: 'Create subaccount' }).click();
      await page.locator('.once strong', { hasText: MARKUP }).waitFor();
      await page.locator(`tr[data-sid="${sub.sid}"] button[data-action="rename"]`).click();
      assert.equal(await page.locator('dialog.modal input').inputValue(), MARKUP);
      await page.locator('dialog.modal').getByRole('button', { name: 'Cancel' }).click();
      await goTo(page, 'keys');
      await page.locator('tbody .name', { hasText: MARKUP }).waitFor();
      await page.waitForTimeout(300); // time for an image error handler to fire, were there one
      assert.equal(await page.locator('img[src="x"]').count(), 0);
      assert.equal(await page.locator('main img, #notices img, dialog img').count(), 0);
      const toX = seen.requests.filter((url) => new URL(url).pathname.endsWith('/x'));
      assert.deepEqual(toX, [], 'no request for the image');
    });
  });
}
