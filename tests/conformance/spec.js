'use strict';
// Where each JSON representation's reference key set comes from: Twilio's OpenAPI documents in the pinned
// npm package @twilio-alpha/mcp (package.json). The 2010 document is the one Prism validates against.
const fs = require('node:fs');
const path = require('node:path');

const SPEC_DIR = path.join(__dirname, 'node_modules', '@twilio-alpha', 'mcp', 'twilio-oai', 'spec', 'json');
const SPEC_2010 = path.join(SPEC_DIR, 'twilio_api_v2010.json');
// The 2010 document declares no error answers at all (only 2xx), so the error shape's reference is
// Twilio's own error schema from another document of the same package.
const SPEC_ERRORS = path.join(SPEC_DIR, 'twilio_iam_v1.json');

// representation -> where its schema is: an operation's answer in the 2010 document, or a named schema.
// `items`: for a list envelope, the key holding the instances and their representation.
const REPRESENTATIONS = {
  account: { doc: SPEC_2010, operation: 'FetchAccount', status: '200' },
  accountList: { doc: SPEC_2010, operation: 'ListAccount', status: '200', items: ['accounts', 'account'] },
  key: { doc: SPEC_2010, operation: 'FetchKey', status: '200' },
  newKey: { doc: SPEC_2010, operation: 'CreateNewKey', status: '201' },
  keyList: { doc: SPEC_2010, operation: 'ListKey', status: '200', items: ['keys', 'key'] },
  balance: { doc: SPEC_2010, operation: 'FetchBalance', status: '200' },
  error: { doc: SPEC_ERRORS, schema: 'twilio.service_error_response' },
};

const docs = new Map();
function load(file) {
  if (!docs.has(file)) docs.set(file, JSON.parse(fs.readFileSync(file, 'utf8')));
  return docs.get(file);
}

function findOperation(doc, operationId) {
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (op && op.operationId === operationId) return { path: p, method, op };
    }
  }
  throw new Error(`operation ${operationId} is not in the spec`);
}

function deref(doc, schema) {
  let name = null;
  let s = schema;
  for (let i = 0; i < 10 && s && s.$ref; i++) {
    const m = /^#\/components\/schemas\/(.+)$/.exec(s.$ref);
    if (!m) throw new Error(`unsupported $ref ${s.$ref}`);
    name = m[1];
    s = doc.components.schemas[name];
  }
  return { name, schema: s };
}

// -> { keys: Set, source: 'ListAccount 200 (inline ListAccountResponse)', items?: [key, representation] }
function reference(representation) {
  const r = REPRESENTATIONS[representation];
  if (!r) throw new Error(`unknown representation ${representation}`);
  const doc = load(r.doc);
  const file = path.basename(r.doc);
  let resolved;
  let source;
  if (r.schema) {
    resolved = deref(doc, { $ref: `#/components/schemas/${r.schema}` });
    source = `${file} #/components/schemas/${r.schema}`;
  } else {
    const { path: p, method, op } = findOperation(doc, r.operation);
    const content = op.responses[r.status] && op.responses[r.status].content;
    if (!content || !content['application/json']) {
      throw new Error(`${r.operation} has no application/json ${r.status} answer`);
    }
    resolved = deref(doc, content['application/json'].schema);
    const what = resolved.name ? `#/components/schemas/${resolved.name}` : `inline ${resolved.schema.title || 'schema'}`;
    source = `${file} ${r.operation} (${method.toUpperCase()} ${p}) ${r.status}: ${what}`;
  }
  if (!resolved.schema || !resolved.schema.properties) throw new Error(`${source} has no properties`);
  return { keys: new Set(Object.keys(resolved.schema.properties)), source, items: r.items };
}

module.exports = { SPEC_2010, SPEC_ERRORS, REPRESENTATIONS, reference };
