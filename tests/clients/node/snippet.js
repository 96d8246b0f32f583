// The official twilio package, unmodified, against the emulator.
//   npm install twilio
//   EMULATOR_URL=http://127.0.0.1:8080 TENANT_SID=AC... TENANT_TOKEN=... node snippet.js
// (The defaults below are the sandbox tenant that the default config seeds.)
const twilio = require("twilio");

const url = process.env.EMULATOR_URL || "http://127.0.0.1:8080";
const sid = process.env.TENANT_SID || "ACdeadbeefdeadbeefdeadbeefdeadbeef";
const token = process.env.TENANT_TOKEN || "0123456789abcdef0123456789abcdef";

async function main() {
  const client = twilio(sid, token);
  client.api.baseUrl = url; // the one line that points the library at the emulator

  // Create a subaccount: its authToken is shown once, here.
  const sub = await client.api.v2010.accounts.create({ friendlyName: "Snippet subaccount" });
  console.log("created", sub.sid, sub.status, sub.authToken);

  // Rename, suspend and reactivate it as the main account.
  await client.api.v2010.accounts(sub.sid).update({ friendlyName: "Snippet subaccount (renamed)" });
  await client.api.v2010.accounts(sub.sid).update({ status: "suspended" });
  await client.api.v2010.accounts(sub.sid).update({ status: "active" });

  // The subaccount's own credentials work, and see only itself.
  const subClient = twilio(sub.sid, sub.authToken);
  subClient.api.baseUrl = url;
  const seen = await subClient.api.v2010.accounts.list();
  console.log("subaccount sees", seen.map((account) => account.sid).join(","));

  // List (the library follows next_page_uri across pages of 2).
  await client.api.v2010.accounts.each({ status: "active", pageSize: 2 }, (account) => {
    console.log("listed", account.sid, account.friendlyName);
  });

  // API keys: create a Standard key (its secret is shown once, here), then authenticate with the key's SID
  // and secret, naming the account: twilio(keySid, secret, { accountSid }).
  const key = await client.api.v2010.account.newKeys.create({ friendlyName: "Snippet key" });
  const keyClient = twilio(key.sid, key.secret, { accountSid: sid });
  keyClient.api.baseUrl = url;
  const balance = await keyClient.api.v2010.account.balance.fetch();
  console.log("key", key.sid, "reads balance", balance.balance, balance.currency);
  await client.api.v2010.account.keys(key.sid).remove(); // revoked from the next request on

  // Errors are RestException with the HTTP status and Twilio's code.
  try {
    await client.api.v2010.accounts("AC00000000000000000000000000000000").fetch();
  } catch (error) {
    console.log("error", error.status, error.code);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
