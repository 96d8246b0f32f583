// Signing in and out: by keyboard alone, with a Main key, refused credentials without a browser dialog.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const {
  URL_BASE, DASHBOARD, VIEWPORTS, useBrowser, withPage, newTenant, mainKey, api, as, signIn, eventually,
} = require('./helpers');

const holder = useBrowser();

/** Records every HTTP auth challenge the browser would answer itself (with a dialog, when headed). */
async function watchAuthPrompts(context, page) {
  const prompts = [];
  const cdp = await context.newCDPSession(page);
  cdp.on('Fetch.requestPaused', (event) => {
    cdp.send('Fetch.continueRequest', { requestId: event.requestId }).catch(() => {});
  });
  cdp.on('Fetch.authRequired', (event) => {
    prompts.push(event.request.url);
    cdp.send('Fetch.continueWithAuth', { requestId: event.requestId, authChallengeResponse: { response: 'CancelAuth' } })
      .catch(() => {});
  });
  await cdp.send('Fetch.enable', { handleAuthRequests: true, patterns: [{ urlPattern: '*' }] });
  return prompts;
}

for (const viewport of VIEWPORTS) {
  test(`[${viewport.name}] sign in by keyboard alone; a reload keeps the session, another tab does not; sign out forgets it`, async () => {
    const tenant = newTenant();
    await withPage(holder.browser, viewport, async ({ context, page }) => {
      await page.goto(DASHBOARD);
      await eventually(() => page.evaluate(() => document.activeElement?.id === 'signin-user'), 3000, 'focus in the SID field');
      await page.keyboard.type(tenant.sid);
      await page.keyboard.press('Tab');
      await page.keyboard.type(tenant.token);
      await page.keyboard.press('Enter');
      await page.locator('#whoami').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#tenant-name').textContent(), tenant.name);
      assert.equal(await page.locator('#tenant-sid').textContent(), tenant.sid);
      await page.locator(`tr[data-sid="${tenant.sid}"]`).waitFor();
      // The tabs work by keyboard too.
      await page.locator('#tabs a[data-view="keys"]').focus();
      await page.keyboard.press('Enter');
      await page.locator('#view h1', { hasText: 'Keys' }).waitFor();

      // Only the tab's sessionStorage holds the credentials: no cookie, nothing in localStorage.
      const stored = await page.evaluate(() => ({
        session: sessionStorage.length, local: localStorage.length, cookie: document.cookie,
      }));
      assert.deepEqual(stored, { session: 1, local: 0, cookie: '' });
      await page.reload();
      await page.locator('#whoami').waitFor({ state: 'visible' });
      const other = await context.newPage();
      await other.goto(DASHBOARD);
      await other.locator('#signin').waitFor({ state: 'visible' });
      await other.close();

      await page.locator('#sign-out').focus();
      await page.keyboard.press('Enter');
      await page.locator('#signin').waitFor({ state: 'visible' });
      assert.equal(await page.evaluate(() => sessionStorage.length), 0);
      assert.equal(await page.locator('#view').textContent(), '');
      await page.reload();
      await page.locator('#signin').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#whoami').isHidden(), true);
    });
  });

  test(`[${viewport.name}] a wrong token shows a message in the page and no browser dialog`, async () => {
    const tenant = newTenant();
    await withPage(holder.browser, viewport, async ({ context, page }) => {
      const prompts = await watchAuthPrompts(context, page);
      await page.goto(DASHBOARD);
      await page.locator('#signin-user').fill(tenant.sid);
      await page.locator('#signin-secret').fill('0'.repeat(32));
      await page.locator('#signin-submit').click();
      await page.locator('#signin-error', { hasText: 'not accepted' }).waitFor();
      assert.equal(await page.locator('#whoami').isHidden(), true);
      assert.equal(await page.evaluate(() => sessionStorage.length), 0);
      assert.deepEqual(prompts, [], 'the browser was asked for credentials');
      // Malformed input is caught before any request.
      await page.locator('#signin-user').fill('not-a-sid');
      await page.locator('#signin-submit').click();
      await page.locator('#signin-error', { hasText: 'Account SID' }).waitFor();

      // The watcher does see a challenge the browser would answer itself: a plain navigation to the API.
      await page.goto(`${URL_BASE}/2010-04-01/Accounts.json`);
      assert.equal(prompts.length, 1, 'the auth-prompt watcher works');
    }, { allow401: true, visitedApi: true });
  });

  test(`[${viewport.name}] a Main key signs in with its AccountSid`, async () => {
    const tenant = newTenant();
    const key = mainKey(tenant.sid);
    await withPage(holder.browser, viewport, async ({ page }) => {
      await page.goto(DASHBOARD);
      assert.equal(await page.locator('#signin-account').isHidden(), true);
      await page.locator('#signin-user').fill(key.sid);
      await page.locator('#signin-account').waitFor({ state: 'visible' });
      await signIn(page, { user: key.sid, secret: key.secret, account: tenant.sid });
      assert.equal(await page.locator('#tenant-sid').textContent(), tenant.sid);
      await page.locator(`tr[data-sid="${tenant.sid}"]`).waitFor();
      await page.locator('#balance', { hasText: 'Balance 20.00 USD' }).waitFor();
      await page.locator('#tabs a[data-view="keys"]').click();
      await page.locator(`tr[data-sid="${key.sid}"]`, { hasText: 'signed in with it' }).waitFor();
    });
  });

  test(`[${viewport.name}] a subaccount's credentials are refused with a message`, async () => {
    const tenant = newTenant();
    const sub = (await api('POST', '/2010-04-01/Accounts.json', { ...as(tenant), form: { FriendlyName: 'Sub' } })).json;
    await withPage(holder.browser, viewport, async ({ page }) => {
      await page.goto(DASHBOARD);
      await page.locator('#signin-user').fill(sub.sid);
      await page.locator('#signin-secret').fill(sub.auth_token);
      await page.locator('#signin-submit').click();
      await page.locator('#signin-error', { hasText: 'is a subaccount' }).waitFor();
      assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    });
  });
}
