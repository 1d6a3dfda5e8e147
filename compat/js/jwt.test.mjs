// Cognate's ID and access tokens verified by aws-jwt-verify, the JWT library AWS publishes for
// Cognito: `JwtRsaVerifier` (since 5.0 an alias of `JwtVerifier`) against the pool's issuer and
// JWKS, and `CognitoJwtVerifier`, which takes only a pool id and derives Cognito's own issuer
// (`https://cognito-idp.{region}.amazonaws.com/{poolId}`) from it, against a second server whose
// `--public-url` makes that the issuer.
//
// The test starts its servers itself (server.mjs: `$COGNATE_BIN`, default target/debug/cognate,
// in `--dev` mode on free loopback ports, each with a fresh data directory, on SQLite, or on the
// database `$COMPAT_DATABASE_URL` names). It gets its tokens over the JSON 1.1 API as any client
// would (SignUp, the code from /_dev/outbox, ConfirmSignUp, InitiateAuth), and kills the servers
// it started, by PID, at the end.
//
// One adaptation, and only in how the JWKS is fetched: aws-jwt-verify's Node.js fetcher speaks
// HTTPS only (`https.request` refuses `http:` URLs), and these servers listen on plain HTTP. The
// library's documented extension point, `new SimpleJwksCache({ fetcher })`, takes a fetcher that
// does the same GET with Node's own `fetch` (server.mjs's `httpJwksCache`). Everything else —
// choosing the JWK by `kid`, the signature, `iss`, `aud`, `exp`, `token_use`, `client_id`,
// `scope` — is the library's own.

import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";

import { CognitoJwtVerifier, JwtRsaVerifier, JwtVerifier } from "aws-jwt-verify";
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  JwtBaseError,
  JwtInvalidAudienceError,
  JwtInvalidIssuerError,
  JwtInvalidScopeError,
  JwtInvalidSignatureError,
  KidNotFoundInJwksError,
  ParameterValidationError,
} from "aws-jwt-verify/error";

import { codeFromOutbox, cognito, decodeJwt as decode, getJson, httpJwksCache, startServer, stopAllServers } from "./server.mjs";

const COGNITO_ISSUER_BASE = "https://cognito-idp.us-east-1.amazonaws.com";
const PASSWORD = "Correct-Horse-1";
const FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];
const SCOPE = "aws.cognito.signin.user.admin";

// --- set-up helpers ---------------------------------------------------------------------------

async function createPoolAndClients(server, name, clientCount = 1) {
  const pool = (await cognito(server, "CreateUserPool", { PoolName: name, AutoVerifiedAttributes: ["email"] })).UserPool.Id;
  const clients = [];
  for (let i = 0; i < clientCount; i++) {
    const c = await cognito(server, "CreateUserPoolClient", {
      UserPoolId: pool,
      ClientName: `${name}-${i}`,
      ExplicitAuthFlows: FLOWS,
    });
    clients.push(c.UserPoolClient.ClientId);
  }
  return { pool, clients };
}

async function passwordSignIn(server, clientId, username, password) {
  const resp = await cognito(server, "InitiateAuth", {
    ClientId: clientId,
    AuthFlow: "USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });
  assert.ok(resp.AuthenticationResult, `no tokens: ${JSON.stringify(resp)}`);
  return resp.AuthenticationResult;
}

/** A user who signed up and confirmed with the emailed code, as an app's user does. */
async function signedUpUser(server, pool, clientId, username) {
  await cognito(server, "SignUp", {
    ClientId: clientId,
    Username: username,
    Password: PASSWORD,
    UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
  });
  const code = await codeFromOutbox(server, pool, username, "SignUp");
  await cognito(server, "ConfirmSignUp", { ClientId: clientId, Username: username, ConfirmationCode: code });
  return passwordSignIn(server, clientId, username, PASSWORD);
}

/** A user an administrator created with a permanent password. */
async function adminCreatedUser(server, pool, clientId, username) {
  await cognito(server, "AdminCreateUser", {
    UserPoolId: pool,
    Username: username,
    MessageAction: "SUPPRESS",
    UserAttributes: [
      { Name: "email", Value: `${username}@example.com` },
      { Name: "email_verified", Value: "true" },
    ],
  });
  await cognito(server, "AdminSetUserPassword", { UserPoolId: pool, Username: username, Password: PASSWORD, Permanent: true });
  return passwordSignIn(server, clientId, username, PASSWORD);
}

// --- aws-jwt-verify plumbing ------------------------------------------------------------------

function verifierFor(server, pool, properties) {
  const issuer = `${server.endpoint}/${pool}`;
  return JwtRsaVerifier.create({ issuer, jwksUri: `${issuer}/.well-known/jwks.json`, ...properties }, { jwksCache: httpJwksCache() });
}

function b64(obj) {
  return Buffer.from(JSON.stringify(obj)).toString("base64url");
}

// --- set-up -----------------------------------------------------------------------------------

let A; // a server with the default public URL: issuers are http://127.0.0.1:{port}/{poolId}
let B; // a server whose public URL is Cognito's: issuers are https://cognito-idp.us-east-1.amazonaws.com/{poolId}
let one; // pool one on A: two app clients, a user who signed up
let two; // pool two on A: one client, a user an administrator created
let cog; // a pool on B

before(async () => {
  A = await startServer();
  B = await startServer({ publicUrl: COGNITO_ISSUER_BASE, masterKeyFile: path.join(A.dataDir, "master.key") });
  const stamp = Date.now().toString(36);

  one = await createPoolAndClients(A, `js-one-${stamp}`, 2);
  one.tokens = await signedUpUser(A, one.pool, one.clients[0], "alice");

  two = await createPoolAndClients(A, `js-two-${stamp}`);
  two.tokens = await adminCreatedUser(A, two.pool, two.clients[0], "bob");

  cog = await createPoolAndClients(B, `js-cognito-${stamp}`, 2);
  cog.tokens = await adminCreatedUser(B, cog.pool, cog.clients[0], "carol");
});

after(stopAllServers);

// --- JwtRsaVerifier ---------------------------------------------------------------------------

test("JwtRsaVerifier is aws-jwt-verify's generic JwtVerifier", () => {
  assert.equal(JwtRsaVerifier, JwtVerifier);
});

test("the ID token verifies against the pool's issuer and JWKS, with the client as audience", async () => {
  const verifier = verifierFor(A, one.pool, { audience: one.clients[0] });
  const payload = await verifier.verify(one.tokens.IdToken);
  assert.equal(payload.iss, `${A.endpoint}/${one.pool}`);
  assert.equal(payload.aud, one.clients[0]);
  assert.equal(payload.token_use, "id");
  assert.equal(payload["cognito:username"], "alice");
  assert.equal(payload.email, "alice@example.com");
  assert.equal(payload.email_verified, true);
  assert.match(payload.sub, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.ok(payload.exp > Date.now() / 1000 && payload.iat <= Date.now() / 1000 + 5);
  // The JWKS is now cached: the synchronous API verifies too.
  assert.equal(verifier.verifySync(one.tokens.IdToken).sub, payload.sub);
});

test("the access token verifies (no aud: audience null, client_id and scope checked)", async () => {
  const verifier = verifierFor(A, one.pool, {
    audience: null,
    scope: SCOPE,
    customJwtCheck: ({ payload }) => {
      assert.equal(payload.token_use, "access");
      assert.equal(payload.client_id, one.clients[0]);
    },
  });
  const payload = await verifier.verify(one.tokens.AccessToken);
  assert.equal(payload.username, "alice");
  assert.equal(payload.aud, undefined);
  assert.equal(payload.sub, decode(one.tokens.IdToken).payload.sub);
  // A scope the token does not have is refused.
  await assert.rejects(verifier.verify(one.tokens.AccessToken, { scope: "openid", audience: null }), JwtInvalidScopeError);
});

test("tokens from REFRESH_TOKEN_AUTH verify as well", async () => {
  const refreshed = (
    await cognito(A, "InitiateAuth", {
      ClientId: one.clients[0],
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: one.tokens.RefreshToken },
    })
  ).AuthenticationResult;
  const idPayload = await verifierFor(A, one.pool, { audience: one.clients[0] }).verify(refreshed.IdToken);
  const accessPayload = await verifierFor(A, one.pool, { audience: null, scope: SCOPE }).verify(refreshed.AccessToken);
  assert.equal(idPayload["cognito:username"], "alice");
  assert.equal(accessPayload.client_id, one.clients[0]);
});

test("a verifier built from the discovery document verifies the tokens", async () => {
  const discovery = await getJson(`${A.endpoint}/${one.pool}/.well-known/openid-configuration`);
  assert.equal(discovery.issuer, `${A.endpoint}/${one.pool}`);
  assert.equal(discovery.jwks_uri, `${A.endpoint}/${one.pool}/.well-known/jwks.json`);
  const verifier = JwtRsaVerifier.create(
    { issuer: discovery.issuer, jwksUri: discovery.jwks_uri, audience: one.clients[0] },
    { jwksCache: httpJwksCache() },
  );
  await verifier.verify(one.tokens.IdToken);
  // Without jwksUri the library's default, `${issuer}/.well-known/jwks.json`, is the same place.
  await JwtRsaVerifier.create({ issuer: discovery.issuer, audience: one.clients[0] }, { jwksCache: httpJwksCache() }).verify(one.tokens.IdToken);
});

test("a tampered token is rejected", async () => {
  const verifier = verifierFor(A, one.pool, { audience: one.clients[0] });
  await verifier.verify(one.tokens.IdToken); // the untouched token passes
  const [h, p, s] = one.tokens.IdToken.split(".");
  const { header, payload } = decode(one.tokens.IdToken);

  // Claims changed, signature kept.
  const escalated = [h, b64({ ...payload, "cognito:username": "admin", "cognito:groups": ["admins"] }), s].join(".");
  await assert.rejects(verifier.verify(escalated), JwtInvalidSignatureError);
  const longer = [h, b64({ ...payload, exp: payload.exp + 86_400 }), s].join(".");
  await assert.rejects(verifier.verify(longer), JwtInvalidSignatureError);

  // Signature changed.
  const sig = Buffer.from(s, "base64url");
  sig[sig.length - 1] ^= 0x01;
  await assert.rejects(verifier.verify([h, p, sig.toString("base64url")].join(".")), JwtInvalidSignatureError);

  // No signature at all, or a symmetric algorithm in place of RS256.
  await assert.rejects(verifier.verify([b64({ ...header, alg: "none" }), p, ""].join(".")), JwtBaseError);
  await assert.rejects(verifier.verify([b64({ ...header, alg: "HS256" }), p, s].join(".")), JwtBaseError);

  // A kid the pool never published.
  await assert.rejects(verifier.verify([b64({ ...header, kid: "not-a-key-of-this-pool" }), p, s].join(".")), KidNotFoundInJwksError);
});

test("a token from another pool is rejected", async () => {
  const foreign = two.tokens.IdToken;
  // Genuine, for its own pool.
  await verifierFor(A, two.pool, { audience: two.clients[0] }).verify(foreign);

  // Each pool signs with its own key: pool one's verifier does not find the token's kid in
  // pool one's JWKS, whatever audience it is told to expect.
  const keysOfOne = (await getJson(`${A.endpoint}/${one.pool}/.well-known/jwks.json`)).keys.map((k) => k.kid);
  assert.ok(!keysOfOne.includes(decode(foreign).header.kid), "pools one and two share a signing key");
  await assert.rejects(verifierFor(A, one.pool, { audience: two.clients[0] }).verify(foreign), KidNotFoundInJwksError);

  // And the issuer is checked on its own: a verifier that expects pool one's issuer refuses the
  // token even when it is handed pool two's keys, with which the signature is good.
  const issuerOne = JwtRsaVerifier.create(
    { issuer: `${A.endpoint}/${one.pool}`, audience: two.clients[0], jwksUri: `${A.endpoint}/${two.pool}/.well-known/jwks.json` },
    { jwksCache: httpJwksCache() },
  );
  await assert.rejects(issuerOne.verify(foreign), JwtInvalidIssuerError);

  // Nor does rewriting its issuer to pool one's help.
  const [h, , s] = foreign.split(".");
  const forged = [h, b64({ ...decode(foreign).payload, iss: `${A.endpoint}/${one.pool}`, aud: one.clients[0] }), s].join(".");
  await assert.rejects(verifierFor(A, one.pool, { audience: one.clients[0] }).verify(forged), JwtBaseError);
});

test("an ID token issued to another app client is rejected", async () => {
  const verifier = verifierFor(A, one.pool, { audience: one.clients[1] });
  await assert.rejects(verifier.verify(one.tokens.IdToken), JwtInvalidAudienceError);
});

// --- CognitoJwtVerifier -------------------------------------------------------------------------

// CognitoJwtVerifier takes no issuer or jwksUri: it derives both from the pool id
// (https://cognito-idp.us-east-1.amazonaws.com/{poolId}[/.well-known/jwks.json]). Server B is
// started with that as its public URL, so its tokens carry Cognito's issuer; the fetcher sends
// the library's JWKS request for that URI to server B instead.
function cognitoVerifier(properties, asked = []) {
  return CognitoJwtVerifier.create(
    { userPoolId: cog.pool, ...properties },
    { jwksCache: httpJwksCache((uri) => uri.replace(COGNITO_ISSUER_BASE, B.endpoint), asked) },
  );
}

test("CognitoJwtVerifier verifies ID and access tokens issued as https://cognito-idp.{region}.amazonaws.com/{poolId}", async () => {
  const asked = [];
  const idPayload = await cognitoVerifier({ tokenUse: "id", clientId: cog.clients[0] }, asked).verify(cog.tokens.IdToken);
  assert.equal(idPayload.iss, `${COGNITO_ISSUER_BASE}/${cog.pool}`);
  assert.equal(idPayload["cognito:username"], "carol");
  const accessPayload = await cognitoVerifier({ tokenUse: "access", clientId: cog.clients[0], scope: SCOPE }, asked).verify(cog.tokens.AccessToken);
  assert.equal(accessPayload.client_id, cog.clients[0]);
  assert.deepEqual([...new Set(asked)], [`${COGNITO_ISSUER_BASE}/${cog.pool}/.well-known/jwks.json`]);
  // tokenUse null takes either kind.
  const either = cognitoVerifier({ tokenUse: null, clientId: cog.clients[0] });
  await either.verify(cog.tokens.IdToken);
  await either.verify(cog.tokens.AccessToken);
});

test("CognitoJwtVerifier refuses the wrong token_use, the wrong client and another issuer", async () => {
  await assert.rejects(cognitoVerifier({ tokenUse: "access", clientId: cog.clients[0] }).verify(cog.tokens.IdToken), CognitoJwtInvalidTokenUseError);
  await assert.rejects(cognitoVerifier({ tokenUse: "id", clientId: cog.clients[0] }).verify(cog.tokens.AccessToken), CognitoJwtInvalidTokenUseError);
  await assert.rejects(cognitoVerifier({ tokenUse: "id", clientId: cog.clients[1] }).verify(cog.tokens.IdToken), CognitoJwtInvalidClientIdError);
  await assert.rejects(cognitoVerifier({ tokenUse: "access", clientId: cog.clients[1] }).verify(cog.tokens.AccessToken), CognitoJwtInvalidClientIdError);
  // Server A's tokens (issuer http://127.0.0.1:…) are not this pool's: the verifier knows no
  // such issuer.
  await assert.rejects(
    cognitoVerifier({ tokenUse: "id", clientId: null }).verify(one.tokens.IdToken),
    (err) => err instanceof ParameterValidationError && /issuer not configured/.test(err.message),
  );
});
