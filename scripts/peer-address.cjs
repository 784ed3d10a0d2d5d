// Preloaded into the Next.js server process (`node --require`, set by scripts/dev.ts and
// scripts/start.ts through NODE_OPTIONS). Next.js route handlers never see the socket, and Next only
// fills X-Forwarded-For when a request lacks it, so a client could name any address it likes. This
// stamps every incoming request with the socket's peer address in `x-flowgate-peer`, overwriting
// whatever the client sent; lib/security/client-ip.ts reads it for per-address rate limits.
"use strict";
const http = require("node:http");
const https = require("node:https");

function stamp(Server) {
  const emit = Server.prototype.emit;
  Server.prototype.emit = function (event, req, ...rest) {
    if (event === "request" && req && req.headers) {
      req.headers["x-flowgate-peer"] = (req.socket && req.socket.remoteAddress) || "unknown";
    }
    return emit.call(this, event, req, ...rest);
  };
}
stamp(http.Server);
stamp(https.Server);
