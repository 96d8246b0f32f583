'use strict';
// Unit tests of check.js: the tolerance must stay as narrow as allowlist.js says. No server needed.
const test = require('node:test');
const assert = require('node:assert');
const { isToleratedUriFormat, classifyViolations, compareKeys } = require('./check');
const { KEY_DIFFERENCES } = require('./allowlist');
const { reference, REPRESENTATIONS } = require('./spec');

const uriViolation = (field) => ({
  location: ['response', 'body', field],
  severity: 'Error',
  code: 'format',
  message: `Response body property ${field} must match format "uri"`,
});
const list = {
  uri: '/2010-04-01/Accounts.json',
  first_page_uri: '/2010-04-01/Accounts.json?Page=0&PageSize=50',
  next_page_uri: '/Accounts.json?Page=1',
  previous_page_uri: 'https://api.twilio.com/2010-04-01/Accounts.json',
};

test('a host-relative /2010-04-01/ paging URI on a list is tolerated', () => {
  assert.ok(isToleratedUriFormat(uriViolation('uri'), list, 'accountList'));
  assert.ok(isToleratedUriFormat(uriViolation('first_page_uri'), list, 'accountList'));
});

test('a relative URI outside /2010-04-01/ is not tolerated', () => {
  assert.ok(!isToleratedUriFormat(uriViolation('next_page_uri'), list, 'accountList'));
});

test('a field that is not a paging URI, or not on a list, is not tolerated', () => {
  const body = { ...list, friendly_name: '/2010-04-01/x' };
  assert.ok(!isToleratedUriFormat(uriViolation('friendly_name'), body, 'accountList'));
  assert.ok(!isToleratedUriFormat(uriViolation('uri'), list, 'account'));
});

test('another code, severity or message on the same field is not tolerated', () => {
  assert.ok(!isToleratedUriFormat({ ...uriViolation('uri'), code: 'type' }, list, 'accountList'));
  assert.ok(!isToleratedUriFormat({ ...uriViolation('uri'), message: 'Response body property uri must be string' }, list, 'accountList'));
  const notError = { ...uriViolation('uri'), severity: 'Warning' };
  assert.ok(!isToleratedUriFormat(notError, list, 'accountList'));
});

test('subresource_uris entries are tolerated only with a /2010-04-01/ path', () => {
  const body = { subresource_uris: { calls: '/2010-04-01/Accounts/AC1/Calls.json', bad: 'Calls.json' } };
  const v = (k) => ({ location: ['response', 'body', 'subresource_uris', k], severity: 'Error', code: 'format',
    message: `Response body property subresource_uris.${k} must match format "uri"` });
  assert.ok(isToleratedUriFormat(v('calls'), body, 'account'));
  assert.ok(!isToleratedUriFormat(v('bad'), body, 'account'));
});

test('request-side violations and response warnings never fail; other response errors do', () => {
  const out = classifyViolations([
    { location: ['request', 'query', 'pagesize'], severity: 'Error', code: 'minimum', message: 'x' },
    { location: ['response'], severity: 'Warning', message: 'Unable to match the returned status code' },
    { location: ['response', 'body', 'first_page_uri'], severity: 'Error', code: 'type', message: 'Response body property first_page_uri must be string' },
    uriViolation('uri'),
  ], { ...list, first_page_uri: null }, 'accountList');
  assert.strictEqual(out.requestSide.length, 1);
  assert.strictEqual(out.responseNotes.length, 1);
  assert.strictEqual(out.tolerated.length, 1);
  assert.deepStrictEqual(out.failures.map((f) => f.code), ['type']);
});

test('key comparison: allowlisted differences pass, others fail', () => {
  const ref = new Set(['a', 'b']);
  const allow = [{ representation: 'r', key: 'c', kind: 'extra', reason: 'because' }];
  const ok = compareKeys('r', { a: 1, b: 2, c: 3 }, ref, allow);
  assert.deepStrictEqual(ok.problems, []);
  assert.strictEqual(ok.used.length, 1);
  const bad = compareKeys('r', { a: 1, d: 4 }, ref, allow);
  assert.deepStrictEqual(bad.problems, [{ kind: 'extra', key: 'd' }, { kind: 'missing', key: 'b' }]);
  assert.deepStrictEqual(compareKeys('other', { a: 1, b: 2, c: 3 }, ref, allow).problems, [{ kind: 'extra', key: 'c' }]);
});

test('every representation resolves to a schema in the pinned spec, and every allowlist entry names one', () => {
  for (const r of Object.keys(REPRESENTATIONS)) assert.ok(reference(r).keys.size > 0, r);
  for (const e of KEY_DIFFERENCES) {
    assert.ok(REPRESENTATIONS[e.representation], e.representation);
    const keys = reference(e.representation).keys;
    assert.strictEqual(keys.has(e.key), e.kind === 'missing', `${e.representation} ${e.key}`);
    assert.ok(e.reason && e.reason.length > 10);
  }
});

test('the sweep table is well formed, disabled rows included', () => {
  const { cases, credentials } = require('./cases');
  const spec = require(require('./spec').SPEC_2010);
  const operations = [];
  for (const [p, item] of Object.entries(spec.paths)) {
    const re = new RegExp(`^${p.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    for (const m of Object.keys(item)) if (item[m] && item[m].operationId) operations.push({ re, method: m.toUpperCase() });
  }
  const known = new Set(['MainSid', 'MainToken']);
  const ids = new Set();
  for (const c of cases) {
    assert.ok(!ids.has(c.id), `duplicate id ${c.id}`);
    ids.add(c.id);
    for (const r of [].concat(c.resource)) assert.ok(['accounts', 'keys', 'balance'].includes(r), `${c.id}: resource ${r}`);
    assert.ok(credentials[c.as], `${c.id}: credential ${c.as}`);
    assert.ok(Number.isInteger(c.expect), `${c.id}: expect`);
    if (c.representation) assert.ok(REPRESENTATIONS[c.representation], `${c.id}: representation ${c.representation}`);
    if (c.expect >= 400) assert.strictEqual(c.representation, 'error', `${c.id}: an error row checks the error shape`);
    const used = JSON.stringify([c.path, c.form, c.fields, credentials[c.as]]).match(/\{[A-Za-z0-9]+\}/g) || [];
    for (const u of used) assert.ok(known.has(u.slice(1, -1)), `${c.id}: ${u} is not saved by an earlier row`);
    for (const name of Object.keys(c.save || {})) known.add(name);
    const inSpec = c.inSpec !== undefined ? c.inSpec : c.expect >= 200 && c.expect < 300;
    if (inSpec && !/^\{[A-Za-z0-9]+\}$/.test(c.path)) {
      const p = c.path.split('?')[0].replace(/\{([A-Za-z0-9]+)\}/g, '$1');
      assert.ok(operations.some((o) => o.method === c.method && o.re.test(p)), `${c.id}: ${c.method} ${p} is no operation of the spec`);
    }
  }
});
