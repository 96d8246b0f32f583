'use strict';
// A tiny HTTP proxy that breaks the emulator's JSON answers on purpose, to show the checks catch it.
//   node mutator.js --upstream http://127.0.0.1:PORT --mutation status-capitalised
// Listens on a free 127.0.0.1 port and prints "mutator listening on http://127.0.0.1:PORT".
// Requests go upstream unchanged; a JSON answer is parsed, mutated (mutations.js) and re-sent with
// an `x-conformance-mutation` header when something changed.
const http = require('node:http');
const { MUTATIONS } = require('./mutations');

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const upstream = new URL(arg('upstream') || '');
const name = arg('mutation');
const mutation = MUTATIONS[name];
if (!mutation) {
  console.error(`mutator: unknown mutation ${JSON.stringify(name)}; known: ${Object.keys(MUTATIONS).join(', ')}`);
  process.exit(2);
}
if (upstream.hostname !== '127.0.0.1') {
  console.error('mutator: the upstream must be on 127.0.0.1');
  process.exit(2);
}

const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k)) headers[k] = v;
    headers.host = upstream.host;
    if (body.length > 0) headers['content-length'] = String(body.length);
    const up = http.request({
      host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, timeout: 10000,
    }, (upRes) => {
      const parts = [];
      upRes.on('data', (c) => parts.push(c));
      upRes.on('end', () => {
        let out = Buffer.concat(parts);
        const outHeaders = {};
        for (const [k, v] of Object.entries(upRes.headers)) if (!HOP.has(k)) outHeaders[k] = v;
        if (/^application\/json/i.test(upRes.headers['content-type'] || '') && out.length > 0) {
          try {
            const parsed = JSON.parse(out.toString('utf8'));
            if (mutation.apply(parsed)) {
              out = Buffer.from(JSON.stringify(parsed), 'utf8');
              outHeaders['x-conformance-mutation'] = name;
            }
          } catch (e) {
            // not JSON after all: pass it through untouched
          }
        }
        outHeaders['content-length'] = String(out.length);
        res.writeHead(upRes.statusCode, outHeaders);
        res.end(out);
      });
    });
    up.on('timeout', () => up.destroy(new Error('upstream timed out')));
    up.on('error', (e) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`mutator: ${e.message}\n`);
    });
    up.end(body);
  });
});

server.listen(0, '127.0.0.1', () => {
  console.log(`mutator listening on http://127.0.0.1:${server.address().port} (mutation ${name}: ${mutation.describe})`);
});
// Prism keeps connections alive: do not wait for them.
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
