// What every compat/js test file shares: starting Cognate servers of its own, talking to them as a
// plain AWS JSON 1.1 client, and reading the messages they "sent" from /_dev/outbox.
//
// A server is `$COGNATE_BIN` (default target/debug/cognate) in `--dev` mode (any credentials,
// or none, accepted; /_dev/outbox served) on a free loopback port, with a fresh data directory,
// on SQLite, or on the database `$COMPAT_DATABASE_URL` names. `stopAllServers()` (the test
// file's `after` hook) stops the servers the file started, by PID; should the test process die
// some other way, it still takes its servers with it. `COMPAT_KEEP_LOG=1` prints each server's
// log when it stops.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { NonRetryableFetchError } from "aws-jwt-verify/error";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BIN = process.env.COGNATE_BIN || path.join(ROOT, "target", "debug", "cognate");
export const DATABASE_URL = process.env.COMPAT_DATABASE_URL || "";

// --- servers --------------------------------------------------------------------------------

const started = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts a server and waits until /health/ready answers. `publicUrl` sets `--public-url`;
 * `masterKeyFile` shares another server's master key (nodes sharing a database must).
 * Returns `{ endpoint, dir, dataDir, proc, logFile }`.
 */
export async function startServer({ publicUrl, masterKeyFile } = {}) {
  if (!existsSync(BIN)) {
    throw new Error(`${BIN} does not exist: run \`cargo build -p cognate\` first`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), "cognate-js-"));
  const dataDir = path.join(dir, "data");
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const args = ["serve", "--listen", `127.0.0.1:${port}`, "--data-dir", dataDir, "--dev"];
  if (DATABASE_URL) args.push("--database-url", DATABASE_URL);
  if (publicUrl) args.push("--public-url", publicUrl);
  if (masterKeyFile) args.push("--master-key-file", masterKeyFile);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("COGNATE_")));
  env.RUST_LOG ??= "info";
  const logFile = path.join(dir, "server.log");
  const log = openSync(logFile, "w");
  const proc = spawn(BIN, args, { stdio: ["ignore", log, log], env });
  closeSync(log);
  const server = { endpoint, dir, dataDir, proc, logFile };
  started.push(server);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`cognate exited (${proc.exitCode ?? proc.signalCode}):\n${readFileSync(logFile, "utf8")}`);
    }
    try {
      const res = await fetch(`${endpoint}/health/ready`);
      if (res.status === 200) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`cognate was not ready within 60 s:\n${readFileSync(logFile, "utf8")}`);
}

export async function stopServer(server) {
  const { proc } = server;
  if (proc.exitCode === null && proc.signalCode === null) {
    const exited = new Promise((r) => proc.once("exit", r));
    process.kill(proc.pid, "SIGTERM");
    const timer = setTimeout(() => process.kill(proc.pid, "SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }
  if (process.env.COMPAT_KEEP_LOG) console.log(readFileSync(server.logFile, "utf8"));
  rmSync(server.dir, { recursive: true, force: true });
}

/** Stops every server (and wire recorder) this process started (for the `after` hook). */
export async function stopAllServers() {
  for (const recorder of recorders.splice(0)) await recorder.close();
  for (const server of started.splice(0)) await stopServer(server);
}

process.on("exit", () => {
  for (const { proc } of started) {
    if (proc.exitCode === null && proc.signalCode === null) {
      try {
        process.kill(proc.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
});

// --- what a client sends ------------------------------------------------------------------------

const recorders = [];

/**
 * A loopback HTTP relay in front of `server` that writes down every cognito-idp call passing
 * through it: a client given `recorder.endpoint` in place of the server's talks to the server
 * exactly as before (the relay forwards method, headers and body, and hands back status, headers
 * and body unchanged), and the test can see which actions, flows and challenges the client
 * used. Each call is `{ action, request, status, response }` (bodies parsed from JSON), in order.
 */
export async function startWireRecorder(server) {
  const calls = [];
  const relay = http.createServer(async (req, res) => {
    try {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const body = Buffer.concat(chunks);
      const headers = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (!["host", "connection", "content-length", "transfer-encoding"].includes(name)) headers[name] = value;
      }
      const upstream = await fetch(`${server.endpoint}${req.url}`, {
        method: req.method,
        headers,
        body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
      });
      const answer = Buffer.from(await upstream.arrayBuffer());
      const target = String(req.headers["x-amz-target"] ?? "");
      if (target) {
        calls.push({
          action: target.split(".").pop(),
          request: parseJson(body),
          status: upstream.status,
          response: parseJson(answer),
        });
      }
      const out = {};
      upstream.headers.forEach((value, name) => {
        if (!["connection", "content-length", "content-encoding", "transfer-encoding", "keep-alive"].includes(name)) out[name] = value;
      });
      res.writeHead(upstream.status, out);
      res.end(answer);
    } catch (err) {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`wire recorder: ${err}`);
    }
  });
  await new Promise((resolve, reject) => {
    relay.once("error", reject);
    relay.listen(0, "127.0.0.1", resolve);
  });
  const recorder = {
    endpoint: `http://127.0.0.1:${relay.address().port}`,
    calls,
    close: () =>
      new Promise((resolve) => {
        relay.closeAllConnections?.();
        relay.close(() => resolve());
      }),
  };
  recorders.push(recorder);
  return recorder;
}

function parseJson(buffer) {
  const text = buffer.toString("utf8");
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return { raw: text };
  }
}

/**
 * One line per recorded call: the action, with the flow (InitiateAuth), the challenge answered
 * (RespondToAuthChallenge), and the error type of a refused call, e.g.
 * "InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER", "ConfirmDevice",
 * "InitiateAuth USER_SRP_AUTH -> NotAuthorizedException".
 */
export function describeCall({ action, request, status, response }) {
  let line = action;
  if (action === "InitiateAuth" || action === "AdminInitiateAuth") line += ` ${request.AuthFlow}`;
  if (action === "RespondToAuthChallenge" || action === "AdminRespondToAuthChallenge") line += ` ${request.ChallengeName}`;
  if (status !== 200) line += ` -> ${String(response.__type ?? status).split("#").pop()}`;
  return line;
}

// --- the Cognito API, as a plain JSON 1.1 client ------------------------------------------------

/** Error thrown by `cognito()` for a non-200 answer: `name` is the AWS error type. */
export class CognitoApiError extends Error {
  constructor(action, status, body) {
    const type = String(body.__type ?? "").split("#").pop();
    super(`${action} answered ${status} ${type}: ${body.message ?? body.Message ?? ""}`);
    this.name = type || "CognitoApiError";
    this.status = status;
    this.body = body;
  }
}

/**
 * One cognito-idp action, unsigned (the servers run in `--dev` mode, where IAM-authorised
 * actions need no signature either). Resolves to the parsed answer; rejects with a
 * CognitoApiError for any status but 200.
 */
export async function cognito(server, action, body) {
  const res = await fetch(`${server.endpoint}/`, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${action}`,
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) {
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { message: text };
    }
    throw new CognitoApiError(action, res.status, parsed);
  }
  return text ? JSON.parse(text) : {};
}

export async function getJson(url) {
  const res = await fetch(url);
  assert.equal(res.status, 200, `GET ${url}`);
  return res.json();
}

/** A unique suffix for pool names and usernames, so runs sharing a database never collide. */
export function stamp() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
}

// --- the outbox -------------------------------------------------------------------------------

/**
 * The six-digit code in the last message the server "sent" to `username` of `pool` (for
 * `reason`, e.g. "SignUp", when given). Fails the test when there is none.
 */
export async function codeFromOutbox(server, pool, username, reason) {
  const outbox = await getJson(`${server.endpoint}/_dev/outbox`);
  const mail = outbox
    .filter((m) => m.pool_id === pool && m.username === username && (reason === undefined || m.reason === reason))
    .at(-1);
  assert.ok(mail, `no ${reason ?? ""} message for ${username} in the outbox: ${JSON.stringify(outbox)}`);
  const match = mail.body.match(/\b(\d{6})\b/);
  assert.ok(match, `no code in ${JSON.stringify(mail.body)}`);
  return match[1];
}

// --- tokens -----------------------------------------------------------------------------------

/** A JWT's header and payload, not verified. */
export function decodeJwt(jwt) {
  const [h, p] = jwt.split(".");
  return { header: JSON.parse(Buffer.from(h, "base64url")), payload: JSON.parse(Buffer.from(p, "base64url")) };
}

/**
 * An aws-jwt-verify JWKS cache that fetches over plain HTTP. The library's Node.js fetcher speaks
 * HTTPS only (`https.request` refuses `http:` URLs) and these servers listen on plain HTTP; its
 * documented extension point, `new SimpleJwksCache({ fetcher })`, takes a fetcher that does the
 * same GET with Node's own `fetch`. `rewrite` maps the URI asked for to the one fetched; every URI
 * asked for is pushed onto `asked`.
 */
export function httpJwksCache(rewrite = (uri) => uri, asked = []) {
  return new SimpleJwksCache({
    fetcher: {
      async fetch(uri) {
        asked.push(uri);
        const target = rewrite(uri);
        const res = await fetch(target);
        if (res.status !== 200) throw new NonRetryableFetchError(target, `Status code is ${res.status}, expected 200`);
        return res.arrayBuffer();
      },
    },
  });
}
