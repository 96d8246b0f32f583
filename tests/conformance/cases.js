'use strict';
// The sweep: every request sweep.js sends through Prism, in order, against a fresh tenant.
//
// A row:
//   id              unique name, printed
//   resource        'accounts' | 'keys' | 'balance', or a list (the row runs only when all are enabled)
//   method, path    path is a template: {Name} is a value saved by an earlier row (or MainSid/MainToken)
//   form            form body (POST/PUT): an object, or a list of [name, value] pairs to repeat a name
//   as              which credential (see `credentials` below)
//   expect          the HTTP status; `code` the Twilio error code, for errors
//   representation  which JSON shape the body is (see spec.js): its keys are compared with the spec's
//   inSpec          false when the spec has no operation for method+path (Prism then checks nothing;
//                   the key comparison still runs). Default true for 2xx rows.
//   fields          exact values some body fields must have (the few rules the spec cannot express)
//   save            { Name: 'dotted.path' }: remember a body value for later rows
//
// A resource's rows run when ENABLED lists it (CONFORMANCE_RESOURCES=a,b overrides it for a one-off run):
// rows for a resource the emulator does not serve yet can be written first and turned on with it. See the
// README.

const ENABLED = ['accounts', 'keys', 'balance'];

const credentials = {
  main: ['{MainSid}', '{MainToken}'],
  sub: ['{SubSid}', '{SubToken}'],
  wrong: ['{MainSid}', 'ffffffffffffffffffffffffffffffff'],
  key: ['{KeySid}', '{KeySecret}'], // a Standard key of the main account (keys rows)
};

const A = '/2010-04-01/Accounts';
const UNKNOWN_AC = 'ACffffffffffffffffffffffffffffffff';
const UNKNOWN_SK = 'SKffffffffffffffffffffffffffffffff';
// The links of a list that fits on page 0 (default PageSize). BEHAVIOUR.md, List: first and last page
// links are the Page=0 link also for an EMPTY list (the rows at the top; the emulator sent null before).
const onePageLinks = (path, query) => ({
  first_page_uri: `${path}?${query}Page=0&PageSize=50`,
  last_page_uri: `${path}?${query}Page=0&PageSize=50`,
  previous_page_uri: null,
  next_page_uri: null,
});

const cases = [
  // --- Accounts: empty lists first, while the tenant is fresh --------------------------------------
  { id: 'accounts/list/empty-status-closed', resource: 'accounts', method: 'GET', path: `${A}.json?Status=closed`,
    as: 'main', expect: 200, representation: 'accountList',
    fields: { accounts: [], total: 0, ...onePageLinks(`${A}.json`, 'Status=closed&') } },
  { id: 'accounts/list/empty-friendly-name', resource: 'accounts', method: 'GET', path: `${A}.json?FriendlyName=Nobody`,
    as: 'main', expect: 200, representation: 'accountList',
    fields: { accounts: [], total: 0, ...onePageLinks(`${A}.json`, 'FriendlyName=Nobody&') } },

  // --- Accounts: fetch, create, update ---------------------------------------------------------------
  { id: 'accounts/fetch/main', resource: 'accounts', method: 'GET', path: `${A}/{MainSid}.json`,
    as: 'main', expect: 200, representation: 'account' },
  { id: 'accounts/create/named', resource: 'accounts', method: 'POST', path: `${A}.json`,
    form: { FriendlyName: 'Conformance Sub A' }, as: 'main', expect: 201, representation: 'account',
    save: { SubSid: 'sid', SubToken: 'auth_token' } },
  { id: 'accounts/create/named-b', resource: 'accounts', method: 'POST', path: `${A}.json`,
    form: { FriendlyName: 'Conformance Sub B' }, as: 'main', expect: 201, representation: 'account',
    save: { SubBSid: 'sid' } },
  { id: 'accounts/create/default-name', resource: 'accounts', method: 'POST', path: `${A}.json`,
    as: 'main', expect: 201, representation: 'account', save: { SubCSid: 'sid' } },
  { id: 'accounts/fetch/sub-as-main', resource: 'accounts', method: 'GET', path: `${A}/{SubSid}.json`,
    as: 'main', expect: 200, representation: 'account' },
  { id: 'accounts/fetch/sub-as-itself', resource: 'accounts', method: 'GET', path: `${A}/{SubSid}.json`,
    as: 'sub', expect: 200, representation: 'account' },
  { id: 'accounts/update/friendly-name', resource: 'accounts', method: 'POST', path: `${A}/{SubSid}.json`,
    form: { FriendlyName: 'Conformance Sub A renamed' }, as: 'main', expect: 200, representation: 'account' },
  { id: 'accounts/update/friendly-name-main', resource: 'accounts', method: 'POST', path: `${A}/{MainSid}.json`,
    form: { FriendlyName: 'Conformance main' }, as: 'main', expect: 200, representation: 'account' },
  { id: 'accounts/update/friendly-name-by-sub', resource: 'accounts', method: 'POST', path: `${A}/{SubSid}.json`,
    form: { FriendlyName: 'Conformance Sub A' }, as: 'sub', expect: 200, representation: 'account' },
  { id: 'accounts/update/put', resource: 'accounts', method: 'PUT', path: `${A}/{SubCSid}.json`,
    form: { FriendlyName: 'Conformance Sub C' }, as: 'main', expect: 200, representation: 'account',
    inSpec: false },
  { id: 'accounts/update/nothing-recognised', resource: 'accounts', method: 'POST', path: `${A}/{SubSid}.json`,
    form: { Unknown: 'ignored' }, as: 'main', expect: 200, representation: 'account' },
  { id: 'accounts/update/status-suspended', resource: 'accounts', method: 'POST', path: `${A}/{SubBSid}.json`,
    form: { Status: 'suspended' }, as: 'main', expect: 200, representation: 'account',
    fields: { status: 'suspended' } },
  { id: 'accounts/list/status-suspended', resource: 'accounts', method: 'GET', path: `${A}.json?Status=suspended`,
    as: 'main', expect: 200, representation: 'accountList', fields: { total: 1 } },
  { id: 'accounts/update/status-active', resource: 'accounts', method: 'POST', path: `${A}/{SubBSid}.json`,
    form: { Status: 'active' }, as: 'main', expect: 200, representation: 'account', fields: { status: 'active' } },

  // --- Accounts: lists (4 accounts: main, A, B, C) -------------------------------------------------
  { id: 'accounts/list/bare', resource: 'accounts', method: 'GET', path: `${A}.json`,
    as: 'main', expect: 200, representation: 'accountList', fields: { total: 4 } },
  { id: 'accounts/list/friendly-name', resource: 'accounts', method: 'GET', path: `${A}.json?FriendlyName=Conformance+Sub+B`,
    as: 'main', expect: 200, representation: 'accountList', fields: { total: 1 } },
  { id: 'accounts/list/status-active', resource: 'accounts', method: 'GET', path: `${A}.json?Status=active`,
    as: 'main', expect: 200, representation: 'accountList', fields: { total: 4 } },
  { id: 'accounts/list/both-filters-paged', resource: 'accounts', method: 'GET',
    path: `${A}.json?FriendlyName=Conformance+Sub+B&Status=active&PageSize=1`,
    as: 'main', expect: 200, representation: 'accountList', fields: { total: 1 } },
  { id: 'accounts/list/as-sub', resource: 'accounts', method: 'GET', path: `${A}.json`,
    as: 'sub', expect: 200, representation: 'accountList', fields: { total: 1 } },
  { id: 'accounts/list/page-first', resource: 'accounts', method: 'GET', path: `${A}.json?PageSize=1`,
    as: 'main', expect: 200, representation: 'accountList', fields: { page: 0, previous_page_uri: null },
    save: { Next1: 'next_page_uri', LastPage: 'last_page_uri' } },
  { id: 'accounts/list/page-middle', resource: 'accounts', method: 'GET', path: '{Next1}',
    as: 'main', expect: 200, representation: 'accountList', fields: { page: 1 },
    save: { Prev1: 'previous_page_uri', Next2: 'next_page_uri' } },
  { id: 'accounts/list/page-middle-next', resource: 'accounts', method: 'GET', path: '{Next2}',
    as: 'main', expect: 200, representation: 'accountList', fields: { page: 2 } },
  { id: 'accounts/list/page-previous', resource: 'accounts', method: 'GET', path: '{Prev1}',
    as: 'main', expect: 200, representation: 'accountList', fields: { page: 0 } },
  { id: 'accounts/list/page-by-number', resource: 'accounts', method: 'GET', path: `${A}.json?Page=2&PageSize=1`,
    as: 'main', expect: 200, representation: 'accountList', fields: { page: 2 } },
  { id: 'accounts/list/page-last', resource: 'accounts', method: 'GET', path: '{LastPage}',
    as: 'main', expect: 200, representation: 'accountList', fields: { page: 3, next_page_uri: null } },
  { id: 'accounts/list/page-past-end', resource: 'accounts', method: 'GET', path: `${A}.json?Page=9&PageSize=1`,
    as: 'main', expect: 200, representation: 'accountList', fields: { accounts: [], next_page_uri: null } },

  // --- Accounts: close (final) -------------------------------------------------------------------------
  { id: 'accounts/update/status-closed', resource: 'accounts', method: 'POST', path: `${A}/{SubBSid}.json`,
    form: { Status: 'closed' }, as: 'main', expect: 200, representation: 'account', fields: { status: 'closed' } },
  { id: 'accounts/list/status-closed', resource: 'accounts', method: 'GET', path: `${A}.json?Status=closed`,
    as: 'main', expect: 200, representation: 'accountList',
    // the links the empty list at the top must give, here on a one-page list
    fields: { total: 1, ...onePageLinks(`${A}.json`, 'Status=closed&') } },
  { id: 'accounts/update/friendly-name-closed', resource: 'accounts', method: 'POST', path: `${A}/{SubBSid}.json`,
    form: { FriendlyName: 'Conformance Sub B closed' }, as: 'main', expect: 200, representation: 'account' },

  // --- Accounts: bad input ---------------------------------------------------------------------------------
  { id: 'accounts/update/status-bogus', resource: 'accounts', method: 'POST', path: `${A}/{SubSid}.json`,
    form: { Status: 'bogus' }, as: 'main', expect: 400, code: 21475, representation: 'error' },
  { id: 'accounts/update/status-on-main', resource: 'accounts', method: 'POST', path: `${A}/{MainSid}.json`,
    form: { Status: 'active' }, as: 'main', expect: 400, code: 21477, representation: 'error' },
  { id: 'accounts/update/status-of-closed', resource: 'accounts', method: 'POST', path: `${A}/{SubBSid}.json`,
    form: { Status: 'active' }, as: 'main', expect: 400, code: 21479, representation: 'error' },
  { id: 'accounts/update/status-by-sub', resource: 'accounts', method: 'POST', path: `${A}/{SubSid}.json`,
    form: { Status: 'active' }, as: 'sub', expect: 403, code: 20403, representation: 'error' },
  { id: 'accounts/update/repeated-parameter', resource: 'accounts', method: 'POST', path: `${A}/{SubSid}.json`,
    form: [['FriendlyName', 'one'], ['FriendlyName', 'two']], as: 'main', expect: 400, code: 20001,
    representation: 'error' },
  { id: 'accounts/update/friendly-name-empty', resource: 'accounts', method: 'POST', path: `${A}/{SubSid}.json`,
    form: { FriendlyName: '' }, as: 'main', expect: 400, code: 20001, representation: 'error' },
  { id: 'accounts/create/friendly-name-too-long', resource: 'accounts', method: 'POST', path: `${A}.json`,
    form: { FriendlyName: 'x'.repeat(65) }, as: 'main', expect: 400, code: 20001, representation: 'error' },
  { id: 'accounts/create/by-sub', resource: 'accounts', method: 'POST', path: `${A}.json`,
    as: 'sub', expect: 400, code: 21101, representation: 'error' },
  { id: 'accounts/list/status-bogus', resource: 'accounts', method: 'GET', path: `${A}.json?Status=bogus`,
    as: 'main', expect: 400, code: 20001, representation: 'error' },
  { id: 'accounts/list/page-size-zero', resource: 'accounts', method: 'GET', path: `${A}.json?PageSize=0`,
    as: 'main', expect: 400, code: 20001, representation: 'error' },
  { id: 'accounts/list/page-negative', resource: 'accounts', method: 'GET', path: `${A}.json?Page=-1`,
    as: 'main', expect: 400, code: 20001, representation: 'error' },
  { id: 'accounts/list/page-token-bad', resource: 'accounts', method: 'GET', path: `${A}.json?PageToken=bogus`,
    as: 'main', expect: 400, code: 21481, representation: 'error' },
  { id: 'accounts/list/repeated-parameter', resource: 'accounts', method: 'GET', path: `${A}.json?Status=active&Status=active`,
    as: 'main', expect: 400, code: 20001, representation: 'error' },

  // --- Accounts: errors ----------------------------------------------------------------------------------
  { id: 'auth/wrong-token-list', resource: 'accounts', method: 'GET', path: `${A}.json`,
    as: 'wrong', expect: 401, code: 20003, representation: 'error' },
  { id: 'auth/wrong-token-fetch', resource: 'accounts', method: 'GET', path: `${A}/{MainSid}.json`,
    as: 'wrong', expect: 401, code: 20003, representation: 'error' },
  { id: 'accounts/fetch/main-as-sub', resource: 'accounts', method: 'GET', path: `${A}/{MainSid}.json`,
    as: 'sub', expect: 401, code: 20003, representation: 'error' },
  { id: 'accounts/fetch/unknown-as-main', resource: 'accounts', method: 'GET', path: `${A}/${UNKNOWN_AC}.json`,
    as: 'main', expect: 404, code: 20404, representation: 'error' },
  { id: 'accounts/fetch/malformed-sid-as-main', resource: 'accounts', method: 'GET', path: `${A}/ACnot-a-sid.json`,
    as: 'main', expect: 404, code: 20404, representation: 'error' },
  { id: 'paths/unknown-subresource', resource: 'accounts', method: 'GET', path: `${A}/{MainSid}/Nothing.json`,
    as: 'main', expect: 404, code: 20404, representation: 'error' },
  { id: 'accounts/delete-instance', resource: 'accounts', method: 'DELETE', path: `${A}/{SubSid}.json`,
    as: 'main', expect: 405, code: 20004, representation: 'error' },
  { id: 'accounts/delete-list', resource: 'accounts', method: 'DELETE', path: `${A}.json`,
    as: 'main', expect: 405, code: 20004, representation: 'error' },

  // --- Keys (KEYS.md) -------------------------------------------------------------------------------------
  { id: 'keys/list/empty', resource: 'keys', method: 'GET', path: `${A}/{SubSid}/Keys.json`,
    as: 'main', expect: 200, representation: 'keyList',
    fields: { keys: [], first_page_uri: `${A}/{SubSid}/Keys.json?Page=0&PageSize=50`,
      previous_page_uri: null, next_page_uri: null } },
  { id: 'keys/create/named', resource: 'keys', method: 'POST', path: `${A}/{MainSid}/Keys.json`,
    form: { FriendlyName: 'Conformance key' }, as: 'main', expect: 201, representation: 'newKey',
    save: { KeySid: 'sid', KeySecret: 'secret' } },
  { id: 'keys/create/unnamed', resource: 'keys', method: 'POST', path: `${A}/{MainSid}/Keys.json`,
    as: 'main', expect: 201, representation: 'newKey', fields: { friendly_name: null }, save: { Key2Sid: 'sid' } },
  { id: 'keys/create/by-sub', resource: 'keys', method: 'POST', path: `${A}/{SubSid}/Keys.json`,
    form: { FriendlyName: 'Conformance sub key' }, as: 'sub', expect: 201, representation: 'newKey' },
  { id: 'keys/fetch', resource: 'keys', method: 'GET', path: `${A}/{MainSid}/Keys/{KeySid}.json`,
    as: 'main', expect: 200, representation: 'key' },
  { id: 'keys/update/friendly-name', resource: 'keys', method: 'POST', path: `${A}/{MainSid}/Keys/{KeySid}.json`,
    form: { FriendlyName: 'Conformance key renamed' }, as: 'main', expect: 200, representation: 'key' },
  { id: 'keys/list/bare', resource: 'keys', method: 'GET', path: `${A}/{MainSid}/Keys.json`,
    as: 'main', expect: 200, representation: 'keyList' },
  { id: 'keys/list/page-first', resource: 'keys', method: 'GET', path: `${A}/{MainSid}/Keys.json?PageSize=1`,
    as: 'main', expect: 200, representation: 'keyList', fields: { page: 0, previous_page_uri: null },
    save: { KeyNext1: 'next_page_uri' } },
  { id: 'keys/list/page-last', resource: 'keys', method: 'GET', path: '{KeyNext1}',
    as: 'main', expect: 200, representation: 'keyList', fields: { page: 1, next_page_uri: null },
    save: { KeyPrev1: 'previous_page_uri' } },
  { id: 'keys/list/page-previous', resource: 'keys', method: 'GET', path: '{KeyPrev1}',
    as: 'main', expect: 200, representation: 'keyList', fields: { page: 0 } },
  { id: 'keys/list/as-sub', resource: 'keys', method: 'GET', path: `${A}/{SubSid}/Keys.json`,
    as: 'sub', expect: 200, representation: 'keyList' },
  { id: 'keys/list/page-token-bad', resource: 'keys', method: 'GET', path: `${A}/{MainSid}/Keys.json?PageToken=bogus`,
    as: 'main', expect: 400, code: 21481, representation: 'error' },
  { id: 'keys/create/repeated-parameter', resource: 'keys', method: 'POST', path: `${A}/{MainSid}/Keys.json`,
    form: [['FriendlyName', 'one'], ['FriendlyName', 'two']], as: 'main', expect: 400, code: 20001,
    representation: 'error' },
  { id: 'keys/fetch/unknown', resource: 'keys', method: 'GET', path: `${A}/{MainSid}/Keys/${UNKNOWN_SK}.json`,
    as: 'main', expect: 404, code: 20404, representation: 'error' },
  { id: 'keys/auth/standard-key-on-accounts', resource: 'keys', method: 'GET', path: `${A}/{MainSid}.json`,
    as: 'key', expect: 401, code: 20003, representation: 'error' },
  { id: 'keys/delete-list', resource: 'keys', method: 'DELETE', path: `${A}/{MainSid}/Keys.json`,
    as: 'main', expect: 405, code: 20004, representation: 'error' },
  { id: 'keys/delete', resource: 'keys', method: 'DELETE', path: `${A}/{MainSid}/Keys/{Key2Sid}.json`,
    as: 'main', expect: 204 },
  { id: 'keys/fetch/deleted', resource: 'keys', method: 'GET', path: `${A}/{MainSid}/Keys/{Key2Sid}.json`,
    as: 'main', expect: 404, code: 20404, representation: 'error' },

  // --- Balance (KEYS.md): a decimal string with two places; a subaccount shows its main's figure ---------
  { id: 'balance/main', resource: 'balance', method: 'GET', path: `${A}/{MainSid}/Balance.json`,
    as: 'main', expect: 200, representation: 'balance',
    fields: { account_sid: '{MainSid}', balance: '20.00', currency: 'USD' } },
  { id: 'balance/sub-as-main', resource: 'balance', method: 'GET', path: `${A}/{SubSid}/Balance.json`,
    as: 'main', expect: 200, representation: 'balance',
    fields: { account_sid: '{SubSid}', balance: '20.00', currency: 'USD' } },
  { id: 'balance/sub-as-itself', resource: 'balance', method: 'GET', path: `${A}/{SubSid}/Balance.json`,
    as: 'sub', expect: 200, representation: 'balance', fields: { account_sid: '{SubSid}', balance: '20.00' } },
  { id: 'balance/standard-key', resource: ['keys', 'balance'], method: 'GET', path: `${A}/{MainSid}/Balance.json`,
    as: 'key', expect: 200, representation: 'balance', fields: { account_sid: '{MainSid}' } },
  { id: 'balance/post', resource: 'balance', method: 'POST', path: `${A}/{MainSid}/Balance.json`,
    as: 'main', expect: 405, code: 20004, representation: 'error' },
  { id: 'balance/unknown-as-main', resource: 'balance', method: 'GET', path: `${A}/${UNKNOWN_AC}/Balance.json`,
    as: 'main', expect: 404, code: 20404, representation: 'error' },
];

module.exports = { ENABLED, credentials, cases };
