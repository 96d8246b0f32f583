'use strict';
// Pure checks, no I/O: reading Prism's sl-violations, the URI-format tolerance, key-set comparison.
const { KEY_DIFFERENCES, URI_FORMAT } = require('./allowlist');

const LIST_REPRESENTATIONS = new Set(['accountList', 'keyList']);

// The sl-violations header: a JSON array of { location: [...], severity, code?, message }.
function parseViolations(header) {
  if (header === null || header === undefined || header === '') return [];
  const parsed = JSON.parse(header);
  if (!Array.isArray(parsed)) throw new Error('sl-violations is not a JSON array');
  return parsed;
}

function side(v) {
  return Array.isArray(v.location) && v.location.length > 0 ? v.location[0] : 'unknown';
}

function valueAt(body, pathSegments) {
  let cur = body;
  for (const seg of pathSegments) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

// Is this violation exactly the tolerated `format: "uri"` one on a host-relative 2010 path?
function isToleratedUriFormat(v, body, representation) {
  if (v.severity !== 'Error' || v.code !== 'format') return false;
  const loc = v.location;
  if (!Array.isArray(loc) || loc.length < 3 || loc[0] !== 'response' || loc[1] !== 'body') return false;
  const rel = loc.slice(2);
  const field = rel[rel.length - 1];
  const onList = rel.length === 1 && LIST_REPRESENTATIONS.has(representation) && URI_FORMAT.listFields.includes(field);
  const inMap = rel.length >= 2 && rel[rel.length - 2] === URI_FORMAT.mapParent;
  if (!onList && !inMap) return false;
  if (v.message !== `Response body property ${rel.join('.')} must match format "uri"`) return false;
  const value = valueAt(body, rel);
  return typeof value === 'string' && value.startsWith(URI_FORMAT.prefix);
}

// Sort one answer's violations: failures (response-side errors not tolerated), tolerated, and the rest
// (request-side, and response-side warnings), which are printed only.
function classifyViolations(violations, body, representation) {
  const out = { failures: [], tolerated: [], requestSide: [], responseNotes: [] };
  for (const v of violations) {
    const s = side(v);
    if (s === 'request') out.requestSide.push(v);
    else if (s === 'response' && v.severity === 'Error') {
      if (isToleratedUriFormat(v, body, representation)) out.tolerated.push(v);
      else out.failures.push(v);
    } else if (s === 'response') out.responseNotes.push(v);
    else if (v.severity === 'Error') out.failures.push(v); // an error we cannot place: ours until shown otherwise
    else out.responseNotes.push(v);
  }
  return out;
}

// Compare an object's keys with a reference set. -> { problems: [{kind, key}], used: [allowlist entry] }
function compareKeys(representation, obj, refKeys, allowlist = KEY_DIFFERENCES) {
  const problems = [];
  const used = [];
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    return { problems: [{ kind: 'not-an-object', key: '' }], used };
  }
  const actual = new Set(Object.keys(obj));
  const diffs = [];
  for (const k of actual) if (!refKeys.has(k)) diffs.push({ kind: 'extra', key: k });
  for (const k of refKeys) if (!actual.has(k)) diffs.push({ kind: 'missing', key: k });
  for (const d of diffs) {
    const entry = allowlist.find((e) => e.representation === representation && e.key === d.key && e.kind === d.kind);
    if (entry) used.push(entry);
    else problems.push(d);
  }
  return { problems, used };
}

function isDeepStrictEqual(a, b) {
  return require('node:util').isDeepStrictEqual(a, b);
}

module.exports = { parseViolations, side, valueAt, isToleratedUriFormat, classifyViolations, compareKeys, isDeepStrictEqual };
