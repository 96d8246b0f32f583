// The Node snippet of tests/clients/SNIPPETS.md is the file this test runs, standalone.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const SNIPPET = path.join(__dirname, "..", "snippet.js");
const SNIPPETS_MD = path.join(__dirname, "..", "..", "SNIPPETS.md");

test("SNIPPETS.md shows snippet.js verbatim", () => {
  const markdown = fs.readFileSync(SNIPPETS_MD, "utf8");
  const blocks = [...markdown.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.includes(fs.readFileSync(SNIPPET, "utf8")), "snippet.js is not pasted verbatim in SNIPPETS.md");
});

test("node snippet.js runs standalone", () => {
  const out = execFileSync(process.execPath, [SNIPPET], { encoding: "utf8", timeout: 120_000, env: process.env });
  const created = /^created (AC[0-9a-f]{32}) active [0-9a-f]{32}$/m.exec(out);
  assert.ok(created, out);
  const subSid = created[1];
  assert.ok(out.includes(`subaccount sees ${subSid}\n`), out);
  assert.match(out, new RegExp(`^listed ${subSid} Snippet subaccount \\(renamed\\)$`, "m"));
  assert.match(out, new RegExp(`^listed ${process.env.TENANT_SID} `, "m"));
  assert.ok(out.trimEnd().endsWith("error 404 20404"), out);
});
