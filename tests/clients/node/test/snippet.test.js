// The Node snippet of tests/clients/SNIPPETS.md and of the README's "Use it from your code" is the file this
// test runs, standalone.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { cli } = require("./helpers");

const SNIPPET = path.join(__dirname, "..", "snippet.js");
const SNIPPETS_MD = path.join(__dirname, "..", "..", "SNIPPETS.md");
const README_MD = path.join(__dirname, "..", "..", "..", "..", "README.md");
const codeBlocks = (markdown) => [...markdown.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]);

test("SNIPPETS.md shows snippet.js verbatim", () => {
  const blocks = codeBlocks(fs.readFileSync(SNIPPETS_MD, "utf8"));
  assert.ok(blocks.includes(fs.readFileSync(SNIPPET, "utf8")), "snippet.js is not pasted verbatim in SNIPPETS.md");
});

test("the README's 'Use it from your code' shows snippet.js verbatim", () => {
  const readme = fs.readFileSync(README_MD, "utf8");
  const start = readme.indexOf("\n## Use it from your code\n");
  assert.ok(start >= 0, "the README has no 'Use it from your code' section");
  const end = readme.indexOf("\n## ", start + 1);
  const blocks = codeBlocks(readme.slice(start, end === -1 ? undefined : end));
  assert.ok(blocks.includes(fs.readFileSync(SNIPPET, "utf8")), "snippet.js is not pasted verbatim in the README");
});

test("node snippet.js runs standalone", () => {
  const out = execFileSync(process.execPath, [SNIPPET], { encoding: "utf8", timeout: 120_000, env: process.env });
  const created = /^created (AC[0-9a-f]{32}) active [0-9a-f]{32}$/m.exec(out);
  assert.ok(created, out);
  const subSid = created[1];
  assert.ok(out.includes(`subaccount sees ${subSid}\n`), out);
  assert.match(out, new RegExp(`^listed ${subSid} Snippet subaccount \\(renamed\\)$`, "m"));
  assert.match(out, new RegExp(`^listed ${process.env.TENANT_SID} `, "m"));
  // Key authentication: a Standard key read the Balance, and was deleted after.
  const key = /^key (SK[0-9a-f]{32}) reads balance -?[0-9]+\.[0-9]{2} USD$/m.exec(out);
  assert.ok(key, out);
  const left = JSON.parse(cli("keys", "list", "--account", process.env.TENANT_SID, "--json")).map((k) => k.sid);
  assert.ok(!left.includes(key[1]), "the snippet deletes its key");
  assert.ok(out.trimEnd().endsWith("error 404 20404"), out);
});
