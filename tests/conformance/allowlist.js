'use strict';
// The deliberate differences from Twilio's OpenAPI spec, each with its reason. Nothing else is tolerated.
// Keep the README's "Fidelity notes" in step with this file.

// Keys of a JSON representation that differ from its spec schema's properties (spec.js says which schema).
//   kind 'extra': we send a key the schema lacks; 'missing': the schema has a key we never send.
const KEY_DIFFERENCES = [
  { representation: 'accountList', key: 'total', kind: 'extra',
    reason: 'the 2010-04-01 list figure (BEHAVIOUR.md, List; the original documentation\'s `total`); '
      + 'the modern schema dropped the totals, the helper libraries read it as paging metadata' },
  { representation: 'accountList', key: 'num_pages', kind: 'extra',
    reason: 'the 2010-04-01 list figure (BEHAVIOUR.md, List; `numpages` in the original documentation); '
      + 'absent from the modern schema' },
  { representation: 'accountList', key: 'last_page_uri', kind: 'extra',
    reason: 'the 2010-04-01 paging link (BEHAVIOUR.md, List; `lastpageuri` in the original documentation); '
      + 'absent from the modern schema' },
];

// Prism's `format: "uri"` check wants an absolute URI; Twilio sends host-relative paths in these fields
// (the spec's own examples and descriptions say "relative to https://api.twilio.com"). Tolerated only
// for exactly this violation, on these fields, when the value is a path under /2010-04-01/.
const URI_FORMAT = {
  // top-level keys of a list envelope
  listFields: ['uri', 'first_page_uri', 'next_page_uri', 'previous_page_uri', 'last_page_uri'],
  // any key of a `subresource_uris` object (the schema types it `format: uri-map`, which Prism ignores today)
  mapParent: 'subresource_uris',
  prefix: '/2010-04-01/',
  reason: 'Twilio sends paging and resource URIs as paths relative to https://api.twilio.com; '
    + 'the spec types them `format: uri` (absolute)',
};

module.exports = { KEY_DIFFERENCES, URI_FORMAT };
