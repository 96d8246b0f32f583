// Every connection a test opens goes to this machine's loopback: a client that someone forgot to point at
// the emulator fails here at once instead of reaching out to api.twilio.com. (Wraps net.Socket#connect only;
// the twilio package itself is used as installed.)
"use strict";
const net = require("node:net");

const LOOPBACK = (host) =>
  host === undefined || host === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(host) || host === "::1" || host === "[::1]";

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  let host;
  if (first && typeof first === "object") host = first.path ? undefined : first.host;
  else if (typeof first === "number" || /^\d+$/.test(String(first))) host = typeof args[1] === "string" ? args[1] : undefined;
  if (!LOOPBACK(host)) {
    throw new Error(`test tried to connect to ${host}: only 127.0.0.1 is allowed (set client.api.baseUrl)`);
  }
  return connect.apply(this, args);
};
