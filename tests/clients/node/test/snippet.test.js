// The Node snippet of tests/clients/SNIPPETS.md and of the README's "Use it from your code" is the file this
// test runs, standalone; the Node CI recipe of the README's "Control plane" is recipe.test.js, which the suite
// runs, and which runs here too with its sandbox defaults.
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
const RECIPE = path.join(__dirname, "recipe.test.js");
// The sandbox tenant of config/default.toml: the recipe's defaults.
const SANDBOX_SID = "ACdeadbeefdeadbeefdeadbeefdeadbeef";
const SANDBOX_TOKEN = "0123456789abcdef0123456789abcdef";

/** The README's section under `## title`, up to the next `## ` heading. */
function readmeSection(title) {
  const readme = fs.readFileSync(README_MD, "utf8");
  const start = readme.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `the README has no '${title}' section`);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

test("SNIPPETS.md shows snippet.js verbatim", () => {
  const blocks = codeBlocks(fs.readFileSync(SNIPPETS_MD, "utf8"));
  assert.ok(blocks.includes(fs.readFileSync(SNIPPET, "utf8")), "snippet.js is not pasted verbatim in SNIPPETS.md");
});

test("the README's 'Use it from your code' shows snippet.js verbatim", () => {
  const blocks = codeBlocks(readmeSection("Use it from your code"));
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

test("the README's 'Control plane' shows recipe.test.js verbatim", () => {
  const blocks = codeBlocks(readmeSection("Control plane"));
  assert.ok(blocks.includes(fs.readFileSync(RECIPE, "utf8")), "recipe.test.js is not pasted verbatim in the README");
});

test("recipe.test.js runs unmodified with its sandbox defaults", () => {
  // The run's server seeds no tenant: make the sandbox tenant as config/default.toml seeds it (idempotent).
  cli("accounts", "create", "--friendly-name", "Sandbox", "--sid", SANDBOX_SID, "--auth-token", SANDBOX_TOKEN);
  const env = { ...process.env };
  delete env.TENANT_SID;
  delete env.TENANT_TOKEN;
  delete env.NODE_TEST_CONTEXT; // a test runner of its own, not a child of this one
  const out = execFileSync(process.execPath, ["--test", "--test-reporter=tap", RECIPE], {
    encoding: "utf8",
    timeout: 120_000,
    env,
  });
  assert.match(out, /^# pass 3$/m, out);
  assert.match(out, /^# fail 0$/m, out);
  const snapshots = JSON.parse(cli("tenant", "snapshot", "list", SANDBOX_SID, "--json")).snapshots;
  assert.ok(snapshots.some((s) => s.name === "fixture"), JSON.stringify(snapshots));
});
