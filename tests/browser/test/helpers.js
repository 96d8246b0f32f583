// Shared by the browser tests: Debian's Chromium through playwright-core, a fresh tenant per test,
// and the checks every test ends with (no other origin, no console error, no dialog).
'use strict';

const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { test, before, after } = require('node:test');
const { chromium } = require('playwright-core');

const URL_BASE = required('EMULATOR_URL');
const ORIGIN = new URL(URL_BASE).origin;
const DASHBOARD = `${URL_BASE}/_emulator/`;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Chromium's own connections (updates, sync, field trials...) are refused by a closed network, and
// would be requests to another origin besides: the flags below switch them off.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];
// The only console line allowed, and only where a test expects a 401: Chromium's own report of it.
const EXPECTED_401 = /^Failed to load resource: the server responded with a status of 401 \(Unauthorized\)$/;
// After a test navigates the tab to a raw API answer, Chromium may fetch /favicon.ico for it (the API
// has none, as Twilio's has none), and logs the 404 without naming the URL.
const FAVICON_404 = /^Failed to load resource: the server responded with a status of 404 \(Not Found\)$/;
const WITHOUT_CONTROL_PLANE = process.env.SKIP_CONTROL_PLANE === '1';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite with tests/browser/run.sh`);
  return value;
}

/** A test that needs the control plane (`/_emulator/v1/`): named so, and skipped with SKIP_CONTROL_PLANE=1. */
function controlTest(name, options, fn) {
  if (typeof options === 'function') [options, fn] = [{}, options];
  test(`control plane: ${name}`, WITHOUT_CONTROL_PLANE ? { ...options, skip: 'SKIP_CONTROL_PLANE=1' } : options, fn);
}

/** One browser per test file; Playwright gives it a fresh --user-data-dir under TMPDIR (run.sh's scratch dir). */
function useBrowser() {
  const holder = {};
  before(async () => {
    holder.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
  });
  after(async () => {
    await holder.browser?.close();
  });
  return holder;
}

/**
 * A new context and tab, watched: every request's origin, 404 answers, console errors, uncaught
 * errors and JavaScript dialogs are recorded, and `finish()` asserts there were none (but the 401
 * lines a test says it expects, and the favicon 404 of a raw API answer the test visited).
 */
async function openPage(browser, viewport = VIEWPORTS[0]) {
  const context = await browser.newContext({
    viewport: { width: viewport.width, height: viewport.height },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  context.setDefaultTimeout(5_000);
  const page = await context.newPage();
  const seen = { requests: [], consoleErrors: [], pageErrors: [], dialogs: [], notFound: [] };
  context.on('request', (request) => seen.requests.push(request.url()));
  context.on('response', (response) => {
    if (response.status() === 404) seen.notFound.push(new URL(response.url()).pathname);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') seen.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => seen.pageErrors.push(String(error)));
  page.on('dialog', (dialog) => {
    seen.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  const finish = async ({ allow401 = false, visitedApi = false } = {}) => {
    await context.close().catch(() => {});
    const foreign = seen.requests.filter((url) => !url.startsWith(`${ORIGIN}/`));
    assert.deepEqual(foreign, [], 'the page requested another origin');
    assert.deepEqual(seen.pageErrors, [], 'uncaught errors in the page');
    assert.deepEqual(seen.dialogs, [], 'the page opened a JavaScript dialog');
    // A 404 the page itself asked for is always an error; only the browser's own favicon fetch is not.
    assert.deepEqual(seen.notFound.filter((path) => path !== '/favicon.ico'), [], 'requests answered 404');
    const errors = seen.consoleErrors.filter(
      (text) => !(allow401 && EXPECTED_401.test(text)) && !(visitedApi && FAVICON_404.test(text)),
    );
    assert.deepEqual(errors, [], 'console errors');
  };
  return { context, page, seen, finish };
}

/** Runs `body` with a watched page and checks the page's record afterwards (also when `body` failed). */
async function withPage(browser, viewport, body, options) {
  const opened = await openPage(browser, viewport);
  try {
    await body(opened);
  } catch (error) {
    await opened.context.close().catch(() => {});
    // What the page said often explains a timeout better than the timeout does.
    const notes = [...opened.seen.pageErrors, ...opened.seen.consoleErrors, ...opened.seen.dialogs];
    if (notes.length) {
      const note = `\n  the page reported:\n    ${notes.join('\n    ')}`;
      error.message += note;
      error.stack = `${error.stack ?? ''}${note}`;
    }
    throw error;
  }
  await opened.finish(options);
}

function cli(...args) {
  const bin = required('EMULATOR_BIN');
  const common = ['--config', required('EMULATOR_CONFIG'), '--database-url', required('EMULATOR_DATABASE_URL')];
  return JSON.parse(execFileSync(bin, [...args, ...common], { encoding: 'utf8', timeout: 20_000 }));
}

let tenants = 0;
/** A main account of its own for each test, made the operator's way: tests never see each other's data. */
function newTenant(label) {
  tenants += 1;
  const account = cli('accounts', 'create', '--friendly-name', label ?? `Browser test ${tenants}`, '--json');
  return { sid: account.sid, token: account.auth_token, name: account.friendly_name };
}

function mainKey(accountSid) {
  const key = cli('keys', 'create', '--account', accountSid, '--main', '--json');
  return { sid: key.sid, secret: key.secret };
}

/** A request from outside the page (this process), like the tenant's application. */
async function api(method, path, { user, secret, form } = {}) {
  const headers = {};
  if (user) headers.Authorization = `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
  const init = { method, headers, redirect: 'manual', signal: AbortSignal.timeout(10_000) };
  if (form) init.body = new URLSearchParams(form);
  const response = await fetch(`${URL_BASE}${path}`, init);
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

const as = (tenant) => ({ user: tenant.sid, secret: tenant.token });

/** Signs in through the form; `account` only with a key. */
async function signIn(page, { user, secret, account }) {
  await page.goto(DASHBOARD);
  await page.locator('#signin-user').fill(user);
  await page.locator('#signin-secret').fill(secret);
  if (account) await page.locator('#signin-account').fill(account);
  await page.locator('#signin-submit').click();
  await page.locator('#whoami').waitFor({ state: 'visible' });
}

async function signInAs(page, tenant) {
  await signIn(page, { user: tenant.sid, secret: tenant.token });
  await page.locator(`tr[data-sid="${tenant.sid}"]`).waitFor();
}

/** Clicks the confirming button of the page's own modal dialog. */
async function confirmModal(page) {
  const dialog = page.locator('dialog.modal');
  await dialog.waitFor();
  await dialog.locator('button[value="ok"]').click();
  await dialog.waitFor({ state: 'detached' });
}

async function goTo(page, view) {
  await page.locator(`#tabs a[data-view="${view}"]`).click();
  await page.locator('#view h1').filter({ hasText: new RegExp(`^${view}$`, 'i') }).waitFor();
}

/** Polls `probe` until it returns a truthy value, for at most `ms`. */
async function eventually(probe, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

module.exports = {
  URL_BASE, DASHBOARD, VIEWPORTS, WITHOUT_CONTROL_PLANE, SCREENSHOTS: process.env.SCREENSHOT_DIR || '',
  controlTest, useBrowser, openPage, withPage, newTenant, mainKey, api, as, signIn, signInAs, confirmModal, goTo, eventually,
};
