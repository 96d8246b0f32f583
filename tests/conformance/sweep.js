'use strict';
// Sends the sweep (cases.js) through Prism's validating proxy and checks every answer:
//   - its status (and Twilio error code) is the one the row expects;
//   - Prism's sl-violations header has no response-side violation of severity Error, except the
//     tolerated `format: "uri"` on host-relative paths (allowlist.js); request-side ones are printed;
//   - its JSON keys are the spec schema's properties, but for the allowlisted differences (allowlist.js);
//   - the few fields a row pins have those values.
//
//   CONFORMANCE_TENANT_SID=AC... CONFORMANCE_TENANT_TOKEN=... \
//     node sweep.js --proxy http://127.0.0.1:PORT [--label sqlite] [--report out.json] [--expect-mutation NAME]
//
// Exit 0 when every check passed. With --expect-mutation NAME (the self-test) the meaning flips: exit 0
// only when the sweep failed with the failure that mutation must cause (mutations.js).
const fs = require('node:fs');
const { ENABLED, credentials, cases } = require('./cases');
const { reference } = require('./spec');
const { KEY_DIFFERENCES } = require('./allowlist');
const { parseViolations, classifyViolations, compareKeys, valueAt, isDeepStrictEqual } = require('./check');
const { MUTATIONS, matches } = require('./mutations');

const REQUEST_TIMEOUT_MS = 15000;

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const proxy = arg('proxy');
const label = arg('label') || 'sweep';
const reportFile = arg('report');
const expectMutation = arg('expect-mutation');
if (!proxy || !/^http:\/\/127\.0\.0\.1:\d+$/.test(proxy)) {
  console.error('sweep.js: --proxy http://127.0.0.1:PORT is required');
  process.exit(2);
}
if (expectMutation && !MUTATIONS[expectMutation]) {
  console.error(`sweep.js: unknown mutation ${expectMutation}`);
  process.exit(2);
}
const vars = {
  MainSid: process.env.CONFORMANCE_TENANT_SID,
  MainToken: process.env.CONFORMANCE_TENANT_TOKEN,
};
if (!vars.MainSid || !vars.MainToken) {
  console.error('sweep.js: CONFORMANCE_TENANT_SID and CONFORMANCE_TENANT_TOKEN are required');
  process.exit(2);
}
const enabled = new Set(
  (process.env.CONFORMANCE_RESOURCES ? process.env.CONFORMANCE_RESOURCES.split(',') : ENABLED)
    .map((s) => s.trim()).filter(Boolean),
);

const ids = new Set();
for (const c of cases) {
  if (ids.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
  ids.add(c.id);
}

// {Name} -> saved value; an unknown name is an error (an earlier row did not save it).
function expand(template) {
  return template.replace(/\{([A-Za-z0-9]+)\}/g, (_, name) => {
    if (vars[name] === undefined || vars[name] === null) throw new Error(`{${name}} has no value (an earlier row failed?)`);
    return String(vars[name]);
  });
}
function expandDeep(v) {
  if (typeof v === 'string') return expand(v);
  if (Array.isArray(v)) return v.map(expandDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expandDeep(x)]));
  return v;
}

const refs = new Map();
function ref(representation) {
  if (!refs.has(representation)) refs.set(representation, reference(representation));
  return refs.get(representation);
}

const failures = []; // { case, kind, ...details, message }
const allowlistUsed = new Map(); // entry -> count
const seenRepresentations = new Set();
const toleratedByField = new Map();
let requestSideCount = 0;
let mutatedAnswers = 0;
let ran = 0;
const skipped = [];

function fail(c, kind, details, message) {
  failures.push({ case: c.id, kind, ...details, message });
}

function checkKeys(c, representation, obj, where) {
  const r = ref(representation);
  seenRepresentations.add(representation);
  const { problems, used } = compareKeys(representation, obj, r.keys);
  for (const e of used) allowlistUsed.set(e, (allowlistUsed.get(e) || 0) + 1);
  for (const p of problems) {
    fail(c, 'keys', { representation, key: p.key, keyKind: p.kind },
      `${where}: key ${JSON.stringify(p.key)} ${p.kind === 'extra' ? 'is not in' : 'is missing; it is in'} ${r.source}`);
  }
  if (r.items && obj && Array.isArray(obj[r.items[0]])) {
    obj[r.items[0]].forEach((item, i) => checkKeys(c, r.items[1], item, `${where}.${r.items[0]}[${i}]`));
  }
}

async function runCase(c) {
  const method = c.method;
  const path = expand(c.path);
  const cred = credentials[c.as];
  if (!cred) throw new Error(`unknown credential ${c.as}`);
  const [user, pass] = cred.map(expand);
  const headers = { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` };
  let body;
  if (c.form !== undefined) {
    const pairs = Array.isArray(c.form) ? c.form : Object.entries(c.form);
    body = new URLSearchParams(pairs.map(([k, v]) => [k, expand(String(v))])).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  const res = await fetch(proxy + path, {
    method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  if (res.headers.get('x-conformance-mutation')) mutatedAnswers++;
  const before = failures.length;
  const notes = [];

  if (res.status !== c.expect) fail(c, 'status', {}, `status ${res.status}, expected ${c.expect}: ${text.slice(0, 300)}`);

  let json;
  if (c.representation) {
    const ct = res.headers.get('content-type') || '';
    if (!/^application\/json\b/i.test(ct)) fail(c, 'content-type', {}, `content-type ${JSON.stringify(ct)}, expected application/json`);
    try {
      json = JSON.parse(text);
    } catch (e) {
      fail(c, 'body', {}, `body is not JSON: ${text.slice(0, 200)}`);
    }
  } else if (text.length > 0 && c.expect === 204) {
    fail(c, 'body', {}, `a 204 with a body: ${text.slice(0, 200)}`);
  }

  // Prism's verdict
  let violations = [];
  try {
    violations = parseViolations(res.headers.get('sl-violations'));
  } catch (e) {
    fail(c, 'prism-header', {}, `unreadable sl-violations header: ${e.message}`);
  }
  const v = classifyViolations(violations, json, c.representation);
  for (const x of v.failures) {
    fail(c, 'prism', { location: x.location, code: x.code, severity: x.severity }, `${(x.location || []).join('.')} [${x.code || ''}] ${x.message}`);
  }
  for (const x of v.tolerated) {
    const field = x.location.slice(2).join('.');
    toleratedByField.set(field, (toleratedByField.get(field) || 0) + 1);
  }
  for (const x of v.requestSide) {
    requestSideCount++;
    notes.push(`request-side (not ours): ${x.severity} ${x.message}`);
  }
  for (const x of v.responseNotes) notes.push(`response-side ${x.severity}: ${x.message}`);
  const inSpec = c.inSpec !== undefined ? c.inSpec : c.expect >= 200 && c.expect < 300;
  if (inSpec && violations.some((x) => x.message === 'Selected route not found')) {
    fail(c, 'route', {}, `Prism matched no operation of the spec for ${method} ${c.path}: the answer went unchecked`);
  }

  // Keys against the spec's schema, then the pinned fields
  if (json !== undefined && c.representation && res.status === c.expect) checkKeys(c, c.representation, json, 'body');
  if (json !== undefined && c.code !== undefined && json.code !== c.code) {
    fail(c, 'code', {}, `code ${JSON.stringify(json.code)}, expected ${c.code}: ${json.message}`);
  }
  if (json !== undefined && c.fields) {
    for (const [k, want] of Object.entries(expandDeep(c.fields))) {
      const got = valueAt(json, k.split('.'));
      if (!isDeepStrictEqual(got, want)) {
        fail(c, 'fields', { key: k }, `${k} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
      }
    }
  }
  if (json !== undefined && c.save) {
    for (const [name, p] of Object.entries(c.save)) vars[name] = valueAt(json, p.split('.'));
  }

  const ok = failures.length === before;
  const tol = v.tolerated.length ? ` (${v.tolerated.length} tolerated uri format)` : '';
  console.log(`[${label}] ${ok ? 'ok  ' : 'FAIL'} ${String(res.status).padEnd(3)} ${method.padEnd(6)} ${c.path}  as ${c.as}  ${c.id}${tol}`);
  for (const n of notes) console.log(`             ${n}`);
  if (!ok) {
    console.log(`             sent: ${method} ${path}${body !== undefined ? ` body ${body.slice(0, 120)}` : ''}`);
    for (const f of failures.slice(before)) console.log(`             - ${f.kind}: ${f.message}`);
  }
}

async function main() {
  for (const c of cases) {
    const resources = Array.isArray(c.resource) ? c.resource : [c.resource];
    if (!resources.every((r) => enabled.has(r))) {
      skipped.push(c);
      continue;
    }
    ran++;
    try {
      await runCase(c);
    } catch (e) {
      fail(c, 'request', {}, e.message);
      console.log(`[${label}] FAIL ${c.method} ${c.path}  as ${c.as}  ${c.id}\n             - ${e.message}`);
    }
  }

  // An allowlist entry for a representation we saw but never needed is stale: the README would lie.
  for (const e of KEY_DIFFERENCES) {
    if (seenRepresentations.has(e.representation) && !allowlistUsed.has(e)) {
      failures.push({ case: '(allowlist)', kind: 'allowlist-stale', message: `${e.representation}: ${e.kind} ${e.key} is allowlisted but never seen; remove it (and its README line)` });
    }
  }

  console.log(`\n[${label}] ${ran} requests, ${skipped.length} rows off (resources not enabled: ${[...new Set(skipped.flatMap((c) => [].concat(c.resource)).filter((r) => !enabled.has(r)))].join(', ') || 'none'})`);
  console.log(`[${label}] key sets compared with:`);
  for (const r of [...seenRepresentations].sort()) console.log(`    ${r.padEnd(12)} ${ref(r).source}`);
  console.log(`[${label}] allowlisted key differences used:`);
  if (allowlistUsed.size === 0) console.log('    none');
  for (const [e, n] of allowlistUsed) console.log(`    ${e.representation}: ${e.kind} ${e.key} (${n}x): ${e.reason}`);
  console.log(`[${label}] tolerated format "uri" violations (host-relative /2010-04-01/ paths): ${[...toleratedByField].map(([f, n]) => `${f} ${n}x`).join(', ') || 'none'}`);
  console.log(`[${label}] request-side violations (printed above, not failures): ${requestSideCount}`);
  if (mutatedAnswers) console.log(`[${label}] answers changed by the mutator: ${mutatedAnswers}`);

  if (reportFile) fs.writeFileSync(reportFile, JSON.stringify({ label, ran, failures }, null, 2));

  if (expectMutation) {
    const m = MUTATIONS[expectMutation];
    const hit = failures.find((f) => matches(m.expect, f));
    if (mutatedAnswers === 0) {
      console.log(`[${label}] SELF-TEST FAILED: mutation ${expectMutation} changed no answer`);
      return 1;
    }
    if (!hit) {
      console.log(`[${label}] SELF-TEST FAILED: the sweep did not catch mutation ${expectMutation} (${m.describe}); `
        + `${failures.length} unrelated failure(s)`);
      return 1;
    }
    console.log(`[${label}] self-test ok: mutation ${expectMutation} (${m.describe}) made the sweep fail: `
      + `${hit.case}: ${hit.kind}: ${hit.message}`);
    return 0;
  }
  if (failures.length) {
    console.log(`[${label}] FAILED: ${failures.length} failure(s) in ${new Set(failures.map((f) => f.case)).size} case(s):`);
    for (const f of failures) console.log(`    ${f.case}: ${f.kind}: ${f.message}`);
    return 1;
  }
  if (ran === 0) {
    console.log(`[${label}] FAILED: no request was sent`);
    return 1;
  }
  console.log(`[${label}] passed: every answer matches the spec but for the allowlist`);
  return 0;
}

main().then((rc) => process.exit(rc), (e) => {
  console.error(e);
  process.exit(1);
});
