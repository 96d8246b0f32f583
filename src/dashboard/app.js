// The shell: sign-in and sign-out, the header (tenant and balance), the tabs, and the view shown.
import { api, session, ApiError } from './api.js';
import { h, clear } from './dom.js';
import accounts from './accounts.js';
import keys from './keys.js';
import requests from './requests.js';
import snapshots from './snapshots.js';
import faults from './faults.js';
import reset from './reset.js';

const VIEWS = { accounts, keys, requests, snapshots, faults, reset };
const SID = /^AC[0-9a-f]{32}$/i;
const KEY_SID = /^SK[0-9a-f]{32}$/i;
const NOTICE_MS = 6000;

const $ = (id) => document.getElementById(id);
let current = null; // { name, arg, unmount }
let main = null; // the signed-in main account, as the API returns it

// --- notices ---------------------------------------------------------------------------------------

function notify(message, kind = 'ok') {
  const notice = h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : null },
    h('span', {}, message),
    h('button', { type: 'button', class: 'link', 'aria-label': 'Dismiss', onclick: () => notice.remove() }, '×'));
  $('notices').append(notice);
  if (kind !== 'error') setTimeout(() => notice.remove(), NOTICE_MS);
}

function clearNotices() {
  clear($('notices'));
}

/** What a view does with a failed request: a 401 mid-session means the credentials may have gone. */
async function fail(error) {
  if (error instanceof ApiError && error.status === 401) {
    const stillValid = await api.account(session.get()?.account ?? '').then(() => true, (e) => e.status !== 401);
    if (!stillValid) {
      signOut('Your credentials are no longer accepted (deleted, rotated or suspended). Sign in again.');
      return;
    }
  }
  notify(error instanceof ApiError ? describe(error) : String(error?.message ?? error), 'error');
}

function describe(error) {
  if (error.status === 0) return error.message;
  if (error.status === 404 && error.code === null) return `Not available on this server (${error.message}).`;
  return error.code ? `${error.message} (${error.status} / ${error.code})` : error.message;
}

// --- header and balance ----------------------------------------------------------------------------

async function refreshBalance() {
  if (!main) return;
  try {
    const balance = await api.balance(main.sid);
    $('balance').textContent = `Balance ${balance.balance} ${balance.currency}`;
  } catch {
    $('balance').textContent = 'Balance unavailable';
  }
}

async function refreshTenant() {
  if (!main) return;
  try {
    main = await api.account(main.sid);
    $('tenant-name').textContent = main.friendly_name;
  } catch (error) {
    await fail(error);
  }
}

// --- views -----------------------------------------------------------------------------------------

const context = {
  notify,
  fail,
  refreshBalance,
  refreshTenant,
  get main() {
    return main;
  },
  get session() {
    return session.get();
  },
  go(name, arg) {
    location.hash = arg ? `${name}/${arg}` : name;
  },
  signOut,
};

function route() {
  if (!main) return;
  const [name, arg] = location.hash.replace(/^#/, '').split('/');
  const view = VIEWS[name] ? name : 'accounts';
  current?.unmount?.();
  clearNotices();
  const root = clear($('view'));
  for (const tab of $('tabs').querySelectorAll('a')) {
    if (tab.dataset.view === view) tab.setAttribute('aria-current', 'page');
    else tab.removeAttribute('aria-current');
  }
  document.title = `${VIEWS[view].title} · Twilio emulator`;
  current = { name: view, unmount: VIEWS[view].mount(root, context, arg) };
  refreshBalance();
}

// --- sign-in and sign-out --------------------------------------------------------------------------

function showSignIn(message = '') {
  $('whoami').hidden = true;
  $('tabs').hidden = true;
  clear($('view'));
  $('signin').hidden = false;
  $('signin-error').textContent = message;
  $('signin-user').focus();
}

function signOut(message = '') {
  current?.unmount?.();
  current = null;
  main = null;
  session.clear();
  clearNotices();
  $('signin-form').reset();
  toggleAccountField();
  document.title = 'Twilio emulator dashboard';
  showSignIn(message);
}

function toggleAccountField() {
  const isKey = /^SK/i.test($('signin-user').value.trim());
  $('signin-account-row').hidden = !isKey;
  $('signin-account').required = isKey;
}

function signInProblem(user, secret, account) {
  if (!SID.test(user) && !KEY_SID.test(user)) {
    return 'Enter an Account SID (AC followed by 32 hex digits) or an API key SID (SK…).';
  }
  if (!secret) return 'Enter the AuthToken, or the key\'s secret.';
  if (KEY_SID.test(user) && !SID.test(account)) return 'With a key, also enter the SID of the account the key belongs to (AC…).';
  return null;
}

async function onSignIn(event) {
  event.preventDefault();
  const user = $('signin-user').value.trim();
  const secret = $('signin-secret').value;
  const isKey = KEY_SID.test(user);
  const account = isKey ? $('signin-account').value.trim() : user;
  const problem = signInProblem(user, secret, account);
  const error = $('signin-error');
  error.textContent = problem ?? '';
  if (problem) return;
  const button = $('signin-submit');
  button.disabled = true;
  button.textContent = 'Signing in…';
  const credentials = { user, secret, account, kind: isKey ? 'key' : 'token' };
  try {
    const found = await api.account(account, credentials);
    if (found.owner_account_sid && found.owner_account_sid !== found.sid) {
      error.textContent = `${found.sid} is a subaccount. The dashboard needs the main account's credentials ` +
        `(its main account is ${found.owner_account_sid}).`;
      return;
    }
    session.set({ ...credentials, account: found.sid });
    $('signin-form').reset();
    enter(found);
  } catch (failure) {
    error.textContent = failure.status === 401
      ? 'Those credentials were not accepted. Check the SID and the token or secret (a Standard key cannot ' +
        'sign in here: use the AuthToken or a Main key).'
      : failure.status === 404
        ? `That key cannot reach ${account}: give the SID of the main account the key belongs to.`
        : failure.message;
    $('signin-secret').select();
  } finally {
    button.disabled = false;
    button.textContent = 'Sign in';
  }
}

function enter(account) {
  main = account;
  $('signin').hidden = true;
  $('whoami').hidden = false;
  $('tabs').hidden = false;
  $('tenant-name').textContent = account.friendly_name;
  $('tenant-sid').textContent = account.sid;
  const via = session.get()?.kind === 'key' ? `signed in with key ${session.get().user}` : 'signed in with the AuthToken';
  $('tenant-sid').title = via;
  route();
  $('view').querySelector('h1')?.focus();
}

/** A reload of the tab: the session is still in sessionStorage, check it is still good. */
async function resume() {
  const saved = session.get();
  if (!saved) {
    showSignIn();
    return;
  }
  try {
    enter(await api.account(saved.account));
  } catch (failure) {
    if (failure.status === 401) signOut('Your credentials are no longer accepted. Sign in again.');
    else showSignIn(failure.message);
  }
}

$('signin-form').addEventListener('submit', onSignIn);
$('signin-user').addEventListener('input', toggleAccountField);
$('sign-out').addEventListener('click', () => signOut());
window.addEventListener('hashchange', route);
resume();
