'use strict';
// Ways to break an answer, applied by mutator.js between Prism and the emulator (CONFORMANCE_MUTATE=name).
// The self-test runs the sweep once per mutation and passes only when the sweep FAILS with the failure
// named in `expect` (a failure the unmutated sweep does not have), so each check is shown to bite.
//
// apply(body) changes a parsed JSON body in place and returns true when it changed something.
// resource: the cases.js resource whose rows the mutation needs (default 'accounts'); run.sh skips a
// mutation whose resource is not enabled, since its sweep would send no answer to break.

function walk(value, fn) {
  let changed = false;
  if (Array.isArray(value)) {
    for (const v of value) changed = walk(v, fn) || changed;
  } else if (value !== null && typeof value === 'object') {
    changed = fn(value) || changed;
    for (const v of Object.values(value)) changed = walk(v, fn) || changed;
  }
  return changed;
}

const isAccount = (o) => typeof o.sid === 'string' && o.sid.startsWith('AC') && 'subresource_uris' in o;
const isList = (o) => 'first_page_uri' in o && 'page_size' in o;
const isError = (o) => 'code' in o && 'more_info' in o;
const isKey = (o) => typeof o.sid === 'string' && o.sid.startsWith('SK') && 'friendly_name' in o;
const isBalance = (o) => 'account_sid' in o && 'balance' in o && 'currency' in o;

const MUTATIONS = {
  'status-capitalised': {
    describe: 'an account\'s status sent as "Active" instead of "active"',
    apply: (body) => walk(body, (o) => {
      if (!isAccount(o) || typeof o.status !== 'string') return false;
      o.status = o.status.charAt(0).toUpperCase() + o.status.slice(1);
      return true;
    }),
    expect: { kind: 'prism', code: 'enum', locationEndsWith: 'status' },
  },
  'page-size-string': {
    describe: 'a list\'s page_size sent as a string ("50")',
    apply: (body) => walk(body, (o) => {
      if (!isList(o) || typeof o.page_size !== 'number') return false;
      o.page_size = String(o.page_size);
      return true;
    }),
    expect: { kind: 'prism', code: 'type', locationEndsWith: 'page_size' },
  },
  'uri-unrooted': {
    describe: 'a list\'s uri without its /2010-04-01 prefix: the uri-format tolerance must not cover it',
    apply: (body) => walk(body, (o) => {
      if (!isList(o) || typeof o.uri !== 'string') return false;
      o.uri = o.uri.replace(/^\/2010-04-01/, '');
      return true;
    }),
    expect: { kind: 'prism', code: 'format', locationEndsWith: 'uri' },
  },
  'extra-key': {
    describe: 'an account with a key the spec does not have',
    apply: (body) => walk(body, (o) => {
      if (!isAccount(o)) return false;
      o.mutated_extra = 'x';
      return true;
    }),
    expect: { kind: 'keys', representation: 'account', key: 'mutated_extra', keyKind: 'extra' },
  },
  'missing-key': {
    describe: 'an account without owner_account_sid',
    apply: (body) => walk(body, (o) => {
      if (!isAccount(o)) return false;
      delete o.owner_account_sid;
      return true;
    }),
    expect: { kind: 'keys', representation: 'account', key: 'owner_account_sid', keyKind: 'missing' },
  },
  'error-renamed-key': {
    describe: 'an error with moreInfo instead of more_info',
    apply: (body) => walk(body, (o) => {
      if (!isError(o)) return false;
      o.moreInfo = o.more_info;
      delete o.more_info;
      return true;
    }),
    expect: { kind: 'keys', representation: 'error', key: 'more_info', keyKind: 'missing' },
  },
  'key-secret-leaked': {
    resource: 'keys',
    describe: 'a fetched or listed key carrying a secret (KEYS.md: only the 201 of a create has one)',
    apply: (body) => walk(body, (o) => {
      if (!isKey(o) || 'secret' in o) return false;
      o.secret = 'x'.repeat(32);
      return true;
    }),
    expect: { kind: 'keys', representation: 'key', key: 'secret', keyKind: 'extra' },
  },
  'balance-number': {
    resource: 'balance',
    describe: 'a balance sent as a JSON number (20) instead of the decimal string "20.00"',
    apply: (body) => walk(body, (o) => {
      if (!isBalance(o) || typeof o.balance !== 'string') return false;
      o.balance = Number(o.balance);
      return true;
    }),
    expect: { kind: 'prism', code: 'type', locationEndsWith: 'balance' },
  },
};

// Does a failure (as sweep.js records it) match a mutation's `expect`?
function matches(expect, f) {
  if (f.kind !== expect.kind) return false;
  if (expect.kind === 'prism') {
    const loc = (f.location || []).join('.');
    return f.code === expect.code && (loc === expect.locationEndsWith || loc.endsWith(`.${expect.locationEndsWith}`));
  }
  return f.representation === expect.representation && f.key === expect.key && f.keyKind === expect.keyKind;
}

module.exports = { MUTATIONS, matches };
