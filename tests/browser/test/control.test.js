// The views of the control plane (CONTROL.md): Requests, Faults, Snapshots and Reset. Every test here
// is named "control plane: ..." and skipped with SKIP_CONTROL_PLANE=1.
'use strict';

const assert = require('node:assert/strict');
const {
  VIEWPORTS, controlTest, useBrowser, withPage, newTenant, api, as, signInAs, confirmModal, goTo,
} = require('./helpers');

const holder = useBrowser();

for (const viewport of VIEWPORTS) {
  controlTest(`[${viewport.name}] an API call from outside appears in Requests within 2 s, with its details`, async () => {
    const tenant = newTenant();
    await withPage(holder.browser, viewport, async ({ page }) => {
      await signInAs(page, tenant);
      await goTo(page, 'requests');
      const probe = `probe-${Date.now()}`;
      const answer = await api('GET', `/2010-04-01/Accounts.json?FriendlyName=${probe}`, as(tenant));
      const answered = Date.now();
      assert.equal(answer.status, 200);
      const id = answer.headers.get('twilio-request-id');
      const row = page.locator(`tr[data-id="${id}"]`);
      await row.waitFor({ timeout: 2000 });
      assert.ok(Date.now() - answered <= 2000, `shown ${Date.now() - answered} ms after the answer`);

      const created = await api('POST', '/2010-04-01/Accounts.json', { ...as(tenant), form: { FriendlyName: 'Journal' } });
      const createdRow = page.locator(`tr[data-id="${created.headers.get('twilio-request-id')}"]`);
      await createdRow.waitFor({ timeout: 2000 });
      // Newest first.
      const ids = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.id));
      assert.ok(ids.indexOf(created.headers.get('twilio-request-id')) < ids.indexOf(id));
      await createdRow.locator('button.path').click();
      const details = page.locator('#request-details');
      await details.waitFor();
      const text = await details.textContent();
      for (const part of [created.headers.get('twilio-request-id'), '/2010-04-01/Accounts.json', 'POST', '201', tenant.sid, '"Journal"']) {
        assert.ok(text.includes(part), `details show ${part}: ${text}`);
      }
      await row.locator('button.path').click();
      await details.locator('dd', { hasText: `FriendlyName=${probe}` }).waitFor();
    });
  });

  controlTest(`[${viewport.name}] filter Requests by status class and by method`, async () => {
    const tenant = newTenant();
    await api('GET', `/2010-04-01/Accounts/${tenant.sid}.json`, { user: tenant.sid, secret: 'f'.repeat(32) });
    await api('POST', '/2010-04-01/Accounts.json', { ...as(tenant), form: { FriendlyName: 'Filtered' } });
    await api('GET', `/2010-04-01/Accounts/${tenant.sid}.json`, as(tenant));
    await withPage(holder.browser, viewport, async ({ page }) => {
      await signInAs(page, tenant);
      await goTo(page, 'requests');
      await page.locator('tbody tr').nth(2).waitFor();
      const column = (label) => page.locator(`tbody td[data-label="${label}"]`).allTextContents();

      await page.locator('#requests-status').selectOption('4xx');
      await page.waitForFunction(() => [...document.querySelectorAll('tbody td[data-label="Status"]')]
        .every((cell) => cell.textContent.startsWith('4')) && document.querySelector('tbody tr'));
      assert.ok((await column('Status')).every((status) => status === '401'));

      await page.locator('#requests-status').selectOption('');
      await page.locator('#requests-method').selectOption('POST');
      await page.waitForFunction(() => [...document.querySelectorAll('tbody td[data-label="Method"]')]
        .every((cell) => cell.textContent === 'POST') && document.querySelector('tbody tr'));
      assert.deepEqual(await column('Method'), ['POST']);
    });
  });

  controlTest(`[${viewport.name}] arm a fault: the next API call fails; disarm one`, async () => {
    const tenant = newTenant();
    const path = `/2010-04-01/Accounts/${tenant.sid}.json`;
    await withPage(holder.browser, viewport, async ({ page }) => {
      await signInAs(page, tenant);
      await goTo(page, 'faults');
      await page.locator('#fault-status').selectOption('503');
      await page.locator('#fault-count').fill('1');
      await page.locator('#fault-method').selectOption('GET');
      await page.locator('#fault-path').fill(path);
      await page.getByRole('button', { name: 'Arm fault' }).click();
      const row = page.locator('tbody tr[data-id^="FI"]');
      await row.waitFor();
      assert.match(await row.textContent(), /503/);

      const failed = await api('GET', path, as(tenant));
      assert.equal(failed.status, 503);
      assert.equal(failed.json.code, 20503);
      assert.equal((await api('GET', path, as(tenant))).status, 200, 'only the next call fails');
      await row.waitFor({ state: 'detached', timeout: 4000 });

      await page.locator('#fault-status').selectOption('429');
      await page.locator('#fault-count').fill('5');
      await page.getByRole('button', { name: 'Arm fault' }).click();
      await row.waitFor();
      await row.locator('button[data-action="disarm"]').click();
      await row.waitFor({ state: 'detached' });
      assert.equal((await api('GET', path, as(tenant))).status, 200, 'a disarmed fault takes nothing');
    });
  });

  controlTest(`[${viewport.name}] save a snapshot, reset, restore: the subaccount is back`, async () => {
    const tenant = newTenant();
    const sub = (await api('POST', '/2010-04-01/Accounts.json', { ...as(tenant), form: { FriendlyName: 'Kept' } })).json;
    await withPage(holder.browser, viewport, async ({ page }) => {
      await signInAs(page, tenant);
      await goTo(page, 'snapshots');
      await page.locator('#snapshot-name').fill('before-reset');
      await page.getByRole('button', { name: 'Save snapshot' }).click();
      const snapshot = page.locator('tr[data-name="before-reset"]');
      await snapshot.locator('td[data-label="Subaccounts"]', { hasText: '1' }).waitFor();

      await goTo(page, 'reset');
      await page.locator('#reset-button').click();
      await confirmModal(page);
      await page.locator('.result', { hasText: 'Reset done: 1 subaccounts' }).waitFor();
      const left = (await api('GET', '/2010-04-01/Accounts.json', as(tenant))).json.accounts;
      assert.deepEqual(left.map((account) => account.sid), [tenant.sid]);
      await goTo(page, 'accounts');
      await page.locator(`tr[data-sid="${tenant.sid}"]`).waitFor();
      assert.equal(await page.locator(`tr[data-sid="${sub.sid}"]`).count(), 0);

      await goTo(page, 'snapshots');
      await snapshot.locator('button[data-action="restore"]').click();
      await confirmModal(page);
      await page.locator('#notices', { hasText: 'Restored before-reset' }).waitFor();
      await goTo(page, 'accounts');
      await page.locator(`tr[data-sid="${sub.sid}"] .name`, { hasText: 'Kept' }).waitFor();
      assert.equal((await api('GET', `/2010-04-01/Accounts/${sub.sid}.json`, { user: sub.sid, secret: sub.auth_token })).status, 200);

      await goTo(page, 'snapshots');
      await snapshot.locator('button[data-action="delete"]').click();
      await confirmModal(page);
      await snapshot.waitFor({ state: 'detached' });
    });
  });
}
