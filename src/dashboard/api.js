// Talking to the emulator like any other client: the public Twilio API (`/2010-04-01/...`, JSON) and
// the control plane (`/_emulator/v1/...`), with this tab's credentials sent as Basic auth.
//
// Every request goes out with `credentials: 'omit'` and its own Authorization header, so the browser
// neither adds credentials of its own nor asks for any: a 401 reaches this code, never a password dialog.

const STORAGE_KEY = 'twilio-emulator.dashboard.session';
const PAGE_LIMIT = 20; // pages followed for one list, at most (1000 rows a page)

// The server's root, from /_emulator/assets/api.js: the page also works behind a path prefix.
const ROOT = new URL('../../', import.meta.url);

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The credentials live in the tab's sessionStorage only: they survive a reload, never the tab. */
export const session = {
  get() {
    try {
      const value = JSON.parse(sessionStorage.getItem(STORAGE_KEY));
      return value && typeof value.user === 'string' && typeof value.secret === 'string' &&
        typeof value.account === 'string' ? value : null;
    } catch {
      return null;
    }
  },
  set(value) {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
  },
  clear() {
    sessionStorage.removeItem(STORAGE_KEY);
  },
};

function basic(user, secret) {
  let binary = '';
  for (const byte of new TextEncoder().encode(`${user}:${secret}`)) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

function given(entries) {
  return Object.entries(entries ?? {}).filter(([, value]) => value !== '' && value !== null && value !== undefined);
}

/** One request; resolves to the JSON body (null for a 204), rejects with an ApiError. */
export async function request(method, path, { query, form, credentials = session.get() } = {}) {
  if (!credentials) throw new ApiError(401, 20003, 'Not signed in');
  const url = new URL(path.replace(/^\//, ''), ROOT);
  for (const [name, value] of given(query)) url.searchParams.append(name, value);
  const init = {
    method,
    credentials: 'omit',
    mode: 'same-origin',
    cache: 'no-store',
    redirect: 'error',
    referrerPolicy: 'no-referrer',
    headers: { Authorization: basic(credentials.user, credentials.secret), Accept: 'application/json' },
  };
  if (form) init.body = new URLSearchParams(given(form));
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new ApiError(0, null, 'The emulator did not answer: is it still running?');
  }
  const text = await response.text().catch(() => '');
  let body = null;
  if ((response.headers.get('content-type') ?? '').startsWith('application/json') && text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!response.ok) {
    const message = typeof body?.message === 'string' ? body.message : `${response.status} ${response.statusText}`.trim();
    throw new ApiError(response.status, body?.code ?? null, message);
  }
  return response.status === 204 ? null : body;
}

/** Every row of a Twilio list, following `next_page_uri`. */
async function all(path, key, query) {
  let page = await request('GET', path, { query: { PageSize: 1000, ...query } });
  const rows = [...(page?.[key] ?? [])];
  for (let n = 1; page?.next_page_uri && n < PAGE_LIMIT; n += 1) {
    page = await request('GET', page.next_page_uri);
    rows.push(...(page?.[key] ?? []));
  }
  return rows;
}

const account = (sid) => `/2010-04-01/Accounts/${encodeURIComponent(sid)}`;
const control = (path) => `/_emulator/v1/${path}`;

export const api = {
  // Twilio API (BEHAVIOUR.md, KEYS.md)
  account: (sid, credentials) => request('GET', `${account(sid)}.json`, credentials ? { credentials } : {}),
  accounts: (status) => all('/2010-04-01/Accounts.json', 'accounts', { Status: status }),
  createAccount: (friendlyName) => request('POST', '/2010-04-01/Accounts.json', { form: { FriendlyName: friendlyName } }),
  updateAccount: (sid, form) => request('POST', `${account(sid)}.json`, { form }),
  balance: (sid) => request('GET', `${account(sid)}/Balance.json`),
  keys: (sid) => all(`${account(sid)}/Keys.json`, 'keys'),
  createKey: (sid, friendlyName) => request('POST', `${account(sid)}/Keys.json`, { form: { FriendlyName: friendlyName } }),
  deleteKey: (sid, keySid) => request('DELETE', `${account(sid)}/Keys/${encodeURIComponent(keySid)}.json`),

  // The control plane (CONTROL.md)
  requests: (query) => request('GET', control('requests'), { query }),
  clearRequests: () => request('DELETE', control('requests')),
  snapshots: () => request('GET', control('snapshots')),
  saveSnapshot: (name) => request('POST', control('snapshots'), { form: { Name: name } }),
  restoreSnapshot: (name) => request('POST', control(`snapshots/${encodeURIComponent(name)}/restore`)),
  deleteSnapshot: (name) => request('DELETE', control(`snapshots/${encodeURIComponent(name)}`)),
  faults: () => request('GET', control('faults')),
  armFault: (form) => request('POST', control('faults'), { form }),
  disarmFault: (id) => request('DELETE', control(`faults/${encodeURIComponent(id)}`)),
  disarmAll: () => request('DELETE', control('faults')),
  reset: () => request('POST', control('reset')),
};
