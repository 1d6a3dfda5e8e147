// Amplify JavaScript v6 (aws-amplify), unchanged, in Node against Cognate: Amplify.configure with
// the pool, the app client and `userPoolEndpoint` set to the server, then the Auth category's
// own functions — signUp, confirmSignUp, signIn (SRP, Amplify's default), fetchAuthSession,
// getCurrentUser, fetchUserAttributes, updateUserAttributes, signOut.
//
// Storage: Node has no `window.localStorage`, so Amplify's default token store (`defaultStorage`)
// falls back to an in-memory store, one for the whole process. Each test gives the token provider
// a new in-memory store of its own (`cognitoUserPoolsTokenProvider.setKeyValueStorage`, Amplify's
// documented way to choose where tokens live) and checks it starts signed out.
//
// Codes come from the server's /_dev/outbox; the pool is made with plain JSON 1.1 calls
// (server.mjs), as an administrator would. Amplify's `userPoolEndpoint` is a loopback relay in
// front of the server that writes down the calls passing through (server.mjs's
// startWireRecorder), so the tests can check on the wire what Amplify did.

import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";

import { Amplify } from "aws-amplify";
import {
  confirmSignUp,
  fetchAuthSession,
  fetchUserAttributes,
  getCurrentUser,
  signIn,
  signOut,
  signUp,
  updateUserAttributes,
} from "aws-amplify/auth";
import { cognitoUserPoolsTokenProvider } from "aws-amplify/auth/cognito";
import { ConsoleLogger } from "aws-amplify/utils";
import { JwtRsaVerifier } from "aws-jwt-verify";

import { codeFromOutbox, cognito, describeCall, httpJwksCache, startServer, startWireRecorder, stamp, stopAllServers } from "./server.mjs";

const PASSWORD = "Correct-Horse-1";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Amplify warns on every configure that a custom endpoint is set; that is the point here.
ConsoleLogger.LOG_LEVEL = "ERROR";

/** Amplify's KeyValueStorageInterface (asynchronous setItem, getItem, removeItem, clear). */
class MemoryKeyValueStore {
  constructor() {
    this.items = new Map();
  }
  async setItem(key, value) {
    this.items.set(key, value);
  }
  async getItem(key) {
    return this.items.has(key) ? this.items.get(key) : null;
  }
  async removeItem(key) {
    this.items.delete(key);
  }
  async clear() {
    this.items.clear();
  }
}

let server;
let wire; // the relay Amplify talks through
let poolId;
let clientId;
let store;

async function refreshWith(refreshToken) {
  return cognito(server, "InitiateAuth", {
    ClientId: clientId,
    AuthFlow: "REFRESH_TOKEN_AUTH",
    AuthParameters: { REFRESH_TOKEN: refreshToken },
  });
}

/** Signs a user up and confirms them, both through Amplify. */
async function confirmedUser(prefix) {
  const username = `${prefix}-${stamp()}`;
  const result = await signUp({ username, password: PASSWORD, options: { userAttributes: { email: `${username}@example.com` } } });
  assert.equal(result.nextStep.signUpStep, "CONFIRM_SIGN_UP");
  const confirmationCode = await codeFromOutbox(server, poolId, username, "SignUp");
  const confirmed = await confirmSignUp({ username, confirmationCode });
  assert.equal(confirmed.isSignUpComplete, true);
  return username;
}

/** The calls Amplify made while `fn` ran (the tests run one at a time). */
async function callsDuring(fn) {
  const start = wire.calls.length;
  const result = await fn();
  return { result, calls: wire.calls.slice(start).map(describeCall) };
}

async function signedIn(prefix) {
  const username = await confirmedUser(prefix);
  const { result, calls } = await callsDuring(() => signIn({ username, password: PASSWORD }));
  assert.deepEqual(result, { isSignedIn: true, nextStep: { signInStep: "DONE" } });
  // Amplify's default sign-in is SRP.
  assert.deepEqual(calls, ["InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER"]);
  return username;
}

async function assertSignedOut() {
  await assert.rejects(getCurrentUser(), { name: "UserUnAuthenticatedException" });
  const session = await fetchAuthSession();
  assert.equal(session.tokens, undefined);
}

before(async () => {
  server = await startServer();
  wire = await startWireRecorder(server);
  poolId = (await cognito(server, "CreateUserPool", { PoolName: `amplify-${stamp()}`, AutoVerifiedAttributes: ["email"] })).UserPool.Id;
  clientId = (
    await cognito(server, "CreateUserPoolClient", {
      UserPoolId: poolId,
      ClientName: "amplify",
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    })
  ).UserPoolClient.ClientId;
});

after(stopAllServers);

describe("aws-amplify v6 Auth against a Cognate user pool", () => {
  beforeEach(async () => {
    Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: wire.endpoint } } });
    store = new MemoryKeyValueStore();
    cognitoUserPoolsTokenProvider.setKeyValueStorage(store);
    await assertSignedOut();
  });

  test("signUp, then confirmSignUp with the code from the email", async () => {
    const username = `signup-${stamp()}`;
    const result = await signUp({ username, password: PASSWORD, options: { userAttributes: { email: `${username}@example.com` } } });
    assert.equal(result.isSignUpComplete, false);
    assert.match(result.userId, UUID);
    assert.equal(result.nextStep.signUpStep, "CONFIRM_SIGN_UP");
    assert.equal(result.nextStep.codeDeliveryDetails.deliveryMedium, "EMAIL");
    assert.equal(result.nextStep.codeDeliveryDetails.attributeName, "email");

    // Before confirmation, sign-in says the user must confirm first.
    const early = await signIn({ username, password: PASSWORD });
    assert.equal(early.isSignedIn, false);
    assert.equal(early.nextStep.signInStep, "CONFIRM_SIGN_UP");

    const confirmationCode = await codeFromOutbox(server, poolId, username, "SignUp");
    const wrong = confirmationCode === "000000" ? "111111" : "000000";
    await assert.rejects(confirmSignUp({ username, confirmationCode: wrong }), { name: "CodeMismatchException" });
    const confirmed = await confirmSignUp({ username, confirmationCode });
    assert.deepEqual(confirmed, { isSignUpComplete: true, nextStep: { signUpStep: "DONE" } });

    const admin = await cognito(server, "AdminGetUser", { UserPoolId: poolId, Username: username });
    assert.equal(admin.UserStatus, "CONFIRMED");
    assert.equal(admin.UserAttributes.find((a) => a.Name === "sub").Value, result.userId);
  });

  test("signIn (SRP), fetchAuthSession's tokens and their claims, getCurrentUser, fetchUserAttributes", async () => {
    const username = await signedIn("signin");

    const { tokens, userSub } = await fetchAuthSession();
    assert.ok(tokens?.idToken && tokens?.accessToken, "no tokens in the session");
    const id = tokens.idToken.payload;
    // The ID token verifies against the pool's JWKS, with the app client as audience.
    const issuer = `${server.endpoint}/${poolId}`;
    const verified = await JwtRsaVerifier.create(
      { issuer, audience: clientId, jwksUri: `${issuer}/.well-known/jwks.json` },
      { jwksCache: httpJwksCache() },
    ).verify(tokens.idToken.toString());
    assert.deepEqual(verified, id);
    assert.equal(id.token_use, "id");
    assert.equal(id.iss, issuer);
    assert.equal(id.aud, clientId);
    assert.equal(id["cognito:username"], username);
    assert.equal(id.email, `${username}@example.com`);
    assert.equal(id.email_verified, true);
    assert.match(id.sub, UUID);
    assert.ok(id.exp > Date.now() / 1000);
    assert.ok(Math.abs(id.auth_time - Date.now() / 1000) < 300);
    const access = tokens.accessToken.payload;
    assert.equal(access.token_use, "access");
    assert.equal(access.client_id, clientId);
    assert.equal(access.username, username);
    assert.equal(access.sub, id.sub);
    assert.equal(userSub, id.sub);

    const user = await getCurrentUser();
    assert.equal(user.username, username);
    assert.equal(user.userId, id.sub);
    assert.deepEqual(user.signInDetails, { loginId: username, authFlowType: "USER_SRP_AUTH" });

    const attributes = await fetchUserAttributes();
    assert.equal(attributes.email, `${username}@example.com`);
    assert.equal(attributes.email_verified, "true");
    assert.equal(attributes.sub, id.sub);

    // The tokens live in the store this test gave Amplify.
    assert.ok([...store.items.values()].includes(tokens.accessToken.toString()));
  });

  test("a wrong password: signIn rejects with NotAuthorizedException", async () => {
    const username = await confirmedUser("wrong");
    await assert.rejects(signIn({ username, password: "Not-The-Password-9" }), (err) => {
      assert.equal(err.name, "NotAuthorizedException");
      assert.match(err.message, /Incorrect username or password/);
      return true;
    });
    await assertSignedOut();
  });

  test("fetchAuthSession({ forceRefresh: true }) refreshes the tokens (GetTokensFromRefreshToken)", async () => {
    const username = await signedIn("refresh");
    const before = (await fetchAuthSession()).tokens;
    const { result, calls } = await callsDuring(() => fetchAuthSession({ forceRefresh: true }));
    assert.deepEqual(calls, ["GetTokensFromRefreshToken"]);
    const after = result.tokens;
    assert.notEqual(after.accessToken.toString(), before.accessToken.toString());
    assert.notEqual(after.accessToken.payload.jti, before.accessToken.payload.jti);
    assert.equal(after.accessToken.payload.username, username);
    assert.equal(after.idToken.payload["cognito:username"], username);
    // The refreshed access token works.
    assert.equal((await fetchUserAttributes()).email, `${username}@example.com`);
  });

  test("updateUserAttributes, then fetchUserAttributes", async () => {
    await signedIn("attrs");
    const result = await updateUserAttributes({ userAttributes: { given_name: "Alice", family_name: "Liddell" } });
    assert.equal(result.given_name.isUpdated, true);
    assert.equal(result.family_name.isUpdated, true);
    const attributes = await fetchUserAttributes();
    assert.equal(attributes.given_name, "Alice");
    assert.equal(attributes.family_name, "Liddell");
  });

  test("signOut revokes the refresh token and forgets the tokens", async () => {
    await signedIn("signout");
    const { tokens } = await fetchAuthSession();
    const refreshToken = [...store.items.entries()].find(([k]) => k.endsWith(".refreshToken"))?.[1];
    assert.ok(refreshToken, `no refresh token stored: ${[...store.items.keys()]}`);
    assert.ok(tokens.accessToken.payload.origin_jti, "no origin_jti: Amplify would not revoke");
    // The refresh token works until signOut.
    assert.ok((await refreshWith(refreshToken)).AuthenticationResult.AccessToken);

    const { calls } = await callsDuring(() => signOut());
    assert.deepEqual(calls, ["RevokeToken"]);
    await assertSignedOut();
    // Amplify's signOut ignores a failed RevokeToken, so look at the server: the refresh token and
    // the access token are refused.
    await assert.rejects(refreshWith(refreshToken), { name: "NotAuthorizedException" });
    await assert.rejects(cognito(server, "GetUser", { AccessToken: tokens.accessToken.toString() }), { name: "NotAuthorizedException" });
  });

  test("signOut({ global: true }) signs out everywhere", async () => {
    await signedIn("global");
    const { tokens } = await fetchAuthSession();
    const refreshToken = [...store.items.entries()].find(([k]) => k.endsWith(".refreshToken"))?.[1];
    assert.ok(refreshToken);
    const { calls } = await callsDuring(() => signOut({ global: true }));
    assert.deepEqual(calls, ["GlobalSignOut"]);
    await assertSignedOut();
    await assert.rejects(refreshWith(refreshToken), { name: "NotAuthorizedException" });
    await assert.rejects(cognito(server, "GetUser", { AccessToken: tokens.accessToken.toString() }), { name: "NotAuthorizedException" });
  });
});
