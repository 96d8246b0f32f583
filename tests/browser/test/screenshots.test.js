// The README's pictures: the Accounts and Requests views at 1280x800, written to SCREENSHOT_DIR
// (run.sh sets it to docs/screenshots on its first backend).
'use strict';

const path = require('node:path');
const { test } = require('node:test');
const {
  VIEWPORTS, SCREENSHOTS, controlTest, useBrowser, withPage, newTenant, api, as, signInAs, goTo,
} = require('./helpers');

const holder = useBrowser();
const skip = SCREENSHOTS ? {} : { skip: 'SCREENSHOT_DIR is not set' };

async function fixture() {
  const tenant = newTenant('Team Blue');
  const made = {};
  for (const [name, status] of [['CI runner', null], ['Staging', null], ['Load test', 'suspended'], ['Old sandbox', 'closed']]) {
    made[name] = (await api('POST', '/2010-04-01/Accounts.json', { ...as(tenant), form: { FriendlyName: name } })).json;
    if (status) await api('POST', `/2010-04-01/Accounts/${made[name].sid}.json`, { ...as(tenant), form: { Status: status } });
  }
  return { tenant, made };
}

test('screenshot of the Accounts view', skip, async () => {
  const { tenant } = await fixture();
  await withPage(holder.browser, VIEWPORTS[0], async ({ page }) => {
    await signInAs(page, tenant);
    await page.locator('tbody tr').nth(4).waitFor();
    await page.locator('#balance', { hasText: 'Balance' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'accounts.png') });
  });
});

controlTest('screenshot of the Requests view', skip, async () => {
  const { tenant, made } = await fixture();
  await api('GET', `/2010-04-01/Accounts/${made['CI runner'].sid}.json`, as(tenant));
  await api('GET', `/2010-04-01/Accounts/${tenant.sid}.json`, { user: tenant.sid, secret: '0'.repeat(32) });
  await api('POST', `/2010-04-01/Accounts/${made.Staging.sid}.json`, { ...as(tenant), form: { FriendlyName: 'Staging EU' } });
  await withPage(holder.browser, VIEWPORTS[0], async ({ page }) => {
    await signInAs(page, tenant);
    await goTo(page, 'requests');
    const rows = page.locator('tbody tr');
    await rows.nth(5).waitFor();
    await page.locator('tbody tr', { hasText: 'POST' }).first().locator('button.path').click();
    await page.locator('#request-details').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'requests.png') });
  });
});
