// amazon-cognito-identity-js, unchanged, against Cognate: the library's own CognitoUserPool and
// CognitoUser, with `endpoint` set to the server, doing what an application does with them —
// sign-up and confirmation, SRP sign-in (USER_SRP_AUTH, the library's default), sessions and
// refresh, attributes, password change, sign-out, and remembered devices (ConfirmDevice after
// the first sign-in, DEVICE_SRP_AUTH on the next).
//
// The only things the test gives the library are what its API takes: the pool id, client id and
// endpoint, and a `Storage` object (its documented option; an in-memory one per test, so every
// test starts with nothing cached — in Node the default is a store shared by the whole process).
// Codes come from the server's /_dev/outbox; the pools are made with plain JSON 1.1 calls
// (server.mjs), as an administrator would. The library's endpoint is a loopback relay in front of
// the server that writes down the calls passing through (server.mjs's startWireRecorder), so the
// tests can check on the wire which flow and challenges the library went through.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import {
  AuthenticationDetails,
  CognitoRefreshToken,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
} from "amazon-cognito-identity-js";

import { codeFromOutbox, cognito, describeCall, startServer, startWireRecorder, stamp, stopAllServers } from "./server.mjs";

const PASSWORD = "Correct-Horse-1";
const NEW_PASSWORD = "Battery-Staple-2";
const SCOPE = "aws.cognito.signin.user.admin";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// --- the library's callbacks as promises ----------------------------------------------------

/** What the library's `Storage` option takes: setItem, getItem, removeItem, clear. */
class MemoryStore {
  constructor() {
    this.items = new Map();
  }
  setItem(key, value) {
    this.items.set(key, String(value));
    return this.items.get(key);
  }
  getItem(key) {
    return this.items.has(key) ? this.items.get(key) : null;
  }
  removeItem(key) {
    return this.items.delete(key);
  }
  clear() {
    this.items.clear();
  }
}

/** Node-style `(err, result)` callback API → promise. */
function nodeCallback(fn) {
  return new Promise((resolve, reject) => fn((err, result) => (err ? reject(err) : resolve(result))));
}

/** `{ onSuccess, onFailure }` callback API → promise. */
function successFailure(fn) {
  return new Promise((resolve, reject) => fn({ onSuccess: resolve, onFailure: reject }));
}

/**
 * user.authenticateUser → `{ session, userConfirmationNecessary }`. Every challenge the library
 * can hand back instead of a session is a failure here: none of these pools asks for one.
 */
function authenticate(user, password) {
  const details = new AuthenticationDetails({ Username: user.getUsername(), Password: password });
  return new Promise((resolve, reject) => {
    const unexpected = (name) => (...args) => reject(new Error(`unexpected ${name} callback: ${JSON.stringify(args)}`));
    user.authenticateUser(details, {
      onSuccess: (session, userConfirmationNecessary) => resolve({ session, userConfirmationNecessary }),
      onFailure: reject,
      newPasswordRequired: unexpected("newPasswordRequired"),
      mfaRequired: unexpected("mfaRequired"),
      totpRequired: unexpected("totpRequired"),
      customChallenge: unexpected("customChallenge"),
      mfaSetup: unexpected("mfaSetup"),
      selectMFAType: unexpected("selectMFAType"),
    });
  });
}

/** Asserts `promise` rejects with the Cognito error `name` (the library sets both name and code). */
async function rejectsWith(promise, name, message) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.code, name, `expected ${name}, got ${err.code}: ${err.message}`);
    assert.equal(err.name, name);
    if (message !== undefined) assert.match(err.message, message);
    return true;
  });
}

// --- set-up -----------------------------------------------------------------------------------

let server;
let wire; // the relay the library talks through

/** A pool and an app client that allows SRP and refresh only (no password flow to fall back on). */
async function createPool(extra = {}) {
  const pool = (
    await cognito(server, "CreateUserPool", { PoolName: `identity-js-${stamp()}`, AutoVerifiedAttributes: ["email"], ...extra })
  ).UserPool;
  const client = (
    await cognito(server, "CreateUserPoolClient", {
      UserPoolId: pool.Id,
      ClientName: "identity-js",
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    })
  ).UserPoolClient;
  return { poolId: pool.Id, clientId: client.ClientId };
}

/** The library's view of a pool, with storage of its own. */
function userPool({ poolId, clientId }, storage = new MemoryStore()) {
  return new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${wire.endpoint}/`, Storage: storage });
}

function cognitoUser(pool, username) {
  return new CognitoUser({ Username: username, Pool: pool, Storage: pool.storage });
}

function emailAttribute(username) {
  return new CognitoUserAttribute({ Name: "email", Value: `${username}@example.com` });
}

/** A user who signed up and confirmed with the emailed code, both through the library. */
async function confirmedUser(pool, prefix = "user") {
  const username = `${prefix}-${stamp()}`;
  const { user } = await nodeCallback((cb) => pool.signUp(username, PASSWORD, [emailAttribute(username)], null, cb));
  const code = await codeFromOutbox(server, pool.getUserPoolId(), username, "SignUp");
  assert.equal(await nodeCallback((cb) => user.confirmRegistration(code, true, cb)), "SUCCESS");
  return username;
}

/** A fresh library pool (empty storage) and a confirmed user signed in on it. */
async function signedIn(ids, prefix) {
  const pool = userPool(ids);
  const username = await confirmedUser(pool, prefix);
  const user = cognitoUser(pool, username);
  const { session } = await authenticate(user, PASSWORD);
  return { pool, username, user, session };
}

before(async () => {
  server = await startServer();
  wire = await startWireRecorder(server);
});

after(stopAllServers);

// --- sign-up, sign-in, sessions ---------------------------------------------------------------

// The tests are independent (each has its own user and storage) and mostly wait: the library
// retries a refused refresh for about six seconds before it reports the error. They run together.
describe("amazon-cognito-identity-js: user pool", { concurrency: true }, () => {
  let ids;
  before(async () => {
    ids = await createPool();
  });

  test("signUp, then confirmRegistration with the code from the email", async () => {
    const pool = userPool(ids);
    const username = `signup-${stamp()}`;
    const result = await nodeCallback((cb) => pool.signUp(username, PASSWORD, [emailAttribute(username)], null, cb));
    assert.equal(result.userConfirmed, false);
    assert.match(result.userSub, UUID);
    assert.equal(result.codeDeliveryDetails.DeliveryMedium, "EMAIL");
    assert.equal(result.codeDeliveryDetails.AttributeName, "email");
    assert.equal(result.user.getUsername(), username);

    // Not confirmed yet: the library's SRP sign-in is refused.
    await rejectsWith(authenticate(cognitoUser(pool, username), PASSWORD), "UserNotConfirmedException");
    // A wrong code is refused.
    const code = await codeFromOutbox(server, ids.poolId, username, "SignUp");
    const wrong = code === "000000" ? "111111" : "000000";
    await rejectsWith(nodeCallback((cb) => result.user.confirmRegistration(wrong, true, cb)), "CodeMismatchException");

    assert.equal(await nodeCallback((cb) => result.user.confirmRegistration(code, true, cb)), "SUCCESS");
    const admin = await cognito(server, "AdminGetUser", { UserPoolId: ids.poolId, Username: username });
    assert.equal(admin.UserStatus, "CONFIRMED");
    assert.deepEqual(admin.UserAttributes.find((a) => a.Name === "email_verified"), { Name: "email_verified", Value: "true" });
    assert.equal(admin.UserAttributes.find((a) => a.Name === "sub").Value, result.userSub);
  });

  test("authenticateUser signs in with USER_SRP_AUTH and returns a valid session", async () => {
    const pool = userPool(ids);
    const username = await confirmedUser(pool, "srp");
    const user = cognitoUser(pool, username);
    assert.equal(user.getAuthenticationFlowType(), "USER_SRP_AUTH");
    const { session, userConfirmationNecessary } = await authenticate(user, PASSWORD);
    assert.equal(userConfirmationNecessary, undefined);
    assert.equal(session.isValid(), true);
    // On the wire: SRP, and no password sent.
    const calls = wire.calls.filter(
      (c) => c.request.AuthParameters?.USERNAME === username || c.request.ChallengeResponses?.USERNAME === username,
    );
    assert.deepEqual(calls.map(describeCall), ["InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER"]);
    assert.ok(!JSON.stringify(calls.map((c) => c.request)).includes(PASSWORD), "the password went over the wire");

    const id = session.getIdToken().decodePayload();
    assert.equal(id.token_use, "id");
    assert.equal(id["cognito:username"], username);
    assert.equal(id.email, `${username}@example.com`);
    assert.equal(id.email_verified, true);
    assert.equal(id.aud, ids.clientId);
    assert.equal(id.iss, `${server.endpoint}/${ids.poolId}`);
    assert.match(id.sub, UUID);
    const access = session.getAccessToken().decodePayload();
    assert.equal(access.token_use, "access");
    assert.equal(access.username, username);
    assert.equal(access.client_id, ids.clientId);
    assert.equal(access.scope, SCOPE);
    assert.equal(access.sub, id.sub);
    assert.ok(session.getAccessToken().getExpiration() > Date.now() / 1000);
    assert.ok(session.getRefreshToken().getToken().length > 0);

    // The library keeps the session where getCurrentUser/getSession look for it.
    const current = pool.getCurrentUser();
    assert.equal(current.getUsername(), username);
    const cached = await nodeCallback((cb) => current.getSession(cb));
    assert.equal(cached.getAccessToken().getJwtToken(), session.getAccessToken().getJwtToken());
  });

  test("a wrong password is refused with NotAuthorizedException", async () => {
    const pool = userPool(ids);
    const username = await confirmedUser(pool, "wrong");
    const user = cognitoUser(pool, username);
    await rejectsWith(authenticate(user, "Not-The-Password-9"), "NotAuthorizedException", /Incorrect username or password/);
    assert.equal(pool.getCurrentUser(), null);
    // The right one still works afterwards.
    const { session } = await authenticate(cognitoUser(pool, username), PASSWORD);
    assert.equal(session.isValid(), true);
  });

  test("refreshSession gets new tokens with REFRESH_TOKEN_AUTH; getSession uses them", async () => {
    const { pool, username, session } = await signedIn(ids, "refresh");
    const before = session.getAccessToken().decodePayload();
    const user = pool.getCurrentUser();
    const refreshed = await nodeCallback((cb) => user.refreshSession(session.getRefreshToken(), cb));
    assert.equal(refreshed.isValid(), true);
    const access = refreshed.getAccessToken().decodePayload();
    assert.notEqual(refreshed.getAccessToken().getJwtToken(), session.getAccessToken().getJwtToken());
    assert.notEqual(access.jti, before.jti);
    assert.equal(access.username, username);
    assert.equal(access.sub, before.sub);
    assert.equal(access.client_id, ids.clientId);
    assert.equal(refreshed.getIdToken().decodePayload()["cognito:username"], username);
    // Cognito returns no new refresh token unless rotation is on; the library keeps the old one.
    assert.equal(refreshed.getRefreshToken().getToken(), session.getRefreshToken().getToken());

    // getSession from a new CognitoUser reads back the refreshed tokens, and they work.
    const again = await nodeCallback((cb) => pool.getCurrentUser().getSession(cb));
    assert.equal(again.getAccessToken().getJwtToken(), refreshed.getAccessToken().getJwtToken());
    const attributes = await nodeCallback((cb) => user.getUserAttributes(cb));
    assert.equal(attributes.find((a) => a.getName() === "email").getValue(), `${username}@example.com`);
  });

  test("updateAttributes, then getUserAttributes; a changed email is verified with its code", async () => {
    const { user, username } = await signedIn(ids, "attrs");
    const result = await nodeCallback((cb) =>
      user.updateAttributes(
        [new CognitoUserAttribute({ Name: "given_name", Value: "Alice" }), new CognitoUserAttribute({ Name: "family_name", Value: "Liddell" })],
        cb,
      ),
    );
    assert.equal(result, "SUCCESS");
    let attributes = Object.fromEntries((await nodeCallback((cb) => user.getUserAttributes(cb))).map((a) => [a.getName(), a.getValue()]));
    assert.equal(attributes.given_name, "Alice");
    assert.equal(attributes.family_name, "Liddell");
    assert.equal(attributes.email, `${username}@example.com`);
    assert.match(attributes.sub, UUID);

    // A new email address needs verifying (the pool auto-verifies email): a code is sent to it.
    const email = `${username}+new@example.com`;
    await nodeCallback((cb) => user.updateAttributes([new CognitoUserAttribute({ Name: "email", Value: email })], cb));
    attributes = Object.fromEntries((await nodeCallback((cb) => user.getUserAttributes(cb))).map((a) => [a.getName(), a.getValue()]));
    assert.equal(attributes.email, email);
    assert.equal(attributes.email_verified, "false");
    const code = await codeFromOutbox(server, ids.poolId, username, "UpdateUserAttribute");
    assert.equal(await successFailure((cb) => user.verifyAttribute("email", code, cb)), "SUCCESS");
    attributes = Object.fromEntries((await nodeCallback((cb) => user.getUserAttributes(cb))).map((a) => [a.getName(), a.getValue()]));
    assert.equal(attributes.email_verified, "true");
  });

  test("changePassword: the old password stops working, the new one signs in", async () => {
    const { pool, user, username } = await signedIn(ids, "chpw");
    // The wrong current password is refused.
    await rejectsWith(nodeCallback((cb) => user.changePassword("Not-The-Password-9", NEW_PASSWORD, cb)), "NotAuthorizedException");
    assert.equal(await nodeCallback((cb) => user.changePassword(PASSWORD, NEW_PASSWORD, cb)), "SUCCESS");
    await rejectsWith(authenticate(cognitoUser(pool, username), PASSWORD), "NotAuthorizedException");
    const { session } = await authenticate(cognitoUser(pool, username), NEW_PASSWORD);
    assert.equal(session.getIdToken().decodePayload()["cognito:username"], username);
  });

  test("signOut revokes the refresh token and clears the stored session", async () => {
    const { pool, user, session } = await signedIn(ids, "signout");
    // The access token names the refresh token it came from, which makes the library revoke it.
    assert.ok(session.getAccessToken().decodePayload().origin_jti, "no origin_jti: the library would not revoke");
    await nodeCallback((cb) => user.signOut((err) => cb(err, "done")));
    assert.equal(pool.getCurrentUser(), null);
    assert.equal(pool.storage.items.size, 0, `left in storage: ${[...pool.storage.items.keys()]}`);

    // The revoked refresh token is refused (RevokeToken, then REFRESH_TOKEN_AUTH).
    const other = cognitoUser(userPool(ids), user.getUsername());
    await rejectsWith(nodeCallback((cb) => other.refreshSession(session.getRefreshToken(), cb)), "NotAuthorizedException");
    // And so is the access token that came with it.
    await assert.rejects(cognito(server, "GetUser", { AccessToken: session.getAccessToken().getJwtToken() }), { name: "NotAuthorizedException" });
  });

  test("signOut without a callback only forgets the session locally", async () => {
    const { pool, user, session } = await signedIn(ids, "local");
    user.signOut();
    assert.equal(pool.getCurrentUser(), null);
    // Nothing was revoked: the refresh token still works.
    const other = cognitoUser(userPool(ids), user.getUsername());
    const refreshed = await nodeCallback((cb) => other.refreshSession(new CognitoRefreshToken({ RefreshToken: session.getRefreshToken().getToken() }), cb));
    assert.equal(refreshed.isValid(), true);
  });

  test("globalSignOut: refresh and access tokens are refused afterwards", async () => {
    const { pool, user, session } = await signedIn(ids, "global");
    assert.equal(await successFailure((cb) => user.globalSignOut(cb)), "SUCCESS");
    assert.equal(pool.getCurrentUser(), null);
    const other = cognitoUser(userPool(ids), user.getUsername());
    await rejectsWith(nodeCallback((cb) => other.refreshSession(session.getRefreshToken(), cb)), "NotAuthorizedException");
    await assert.rejects(cognito(server, "GetUser", { AccessToken: session.getAccessToken().getJwtToken() }), { name: "NotAuthorizedException" });
  });
});

// --- remembered devices -----------------------------------------------------------------------

describe("amazon-cognito-identity-js: remembered devices", () => {
  let ids;
  before(async () => {
    ids = await createPool({ DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false } });
  });

  /** The calls the library made while `fn` ran (these tests run one at a time). */
  async function callsDuring(fn) {
    const start = wire.calls.length;
    const result = await fn();
    return { result, calls: wire.calls.slice(start) };
  }

  /** The user's devices, as the server lists them (ListDevices). */
  async function listDevices(user) {
    return (await successFailure((cb) => user.listDevices(10, null, cb))).Devices;
  }

  /** The one device the server knows for the user, which must be the one the library keeps. */
  async function theDevice(user) {
    const devices = await listDevices(user);
    assert.equal(devices.length, 1, `expected one device (confirmed by the library after NewDeviceMetadata), got ${JSON.stringify(devices)}`);
    const current = (await successFailure((cb) => user.getDevice(cb))).Device; // GetDevice with the library's own key
    assert.equal(current.DeviceKey, devices[0].DeviceKey);
    return current;
  }

  test("first sign-in: the library confirms the new device, which is remembered and listed", async () => {
    const pool = userPool(ids);
    const username = await confirmedUser(pool, "device");
    const user = cognitoUser(pool, username);
    const { result, calls } = await callsDuring(() => authenticate(user, PASSWORD));
    const { session, userConfirmationNecessary } = result;
    assert.equal(session.isValid(), true);
    // The tokens came with NewDeviceMetadata, and the library confirmed that device.
    assert.deepEqual(calls.map(describeCall), ["InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER", "ConfirmDevice"]);
    const metadata = calls[1].response.AuthenticationResult?.NewDeviceMetadata;
    assert.ok(metadata?.DeviceKey && metadata?.DeviceGroupKey, `no NewDeviceMetadata: ${JSON.stringify(calls[1].response)}`);
    assert.equal(calls[2].request.DeviceKey, metadata.DeviceKey);
    // DeviceOnlyRememberedOnUserPrompt false: ConfirmDevice says no user confirmation is needed.
    assert.equal(calls[2].response.UserConfirmationNecessary, false);
    assert.equal(userConfirmationNecessary, undefined);

    const device = await theDevice(user);
    assert.equal(device.DeviceKey, metadata.DeviceKey);
    assert.match(device.DeviceKey, /^[\w-]+_[0-9a-f-]+$/); // DeviceKeyType's pattern
    const attributes = Object.fromEntries(device.DeviceAttributes.map((a) => [a.Name, a.Value]));
    // The DeviceName identity-js confirms a device with: the user agent, "nodejs" where Node has
    // no `navigator` (before Node 21).
    assert.equal(attributes.device_name, typeof navigator === "undefined" ? "nodejs" : navigator.userAgent);

    assert.equal(await successFailure((cb) => user.setDeviceStatusRemembered(cb)), "SUCCESS");
    assert.deepEqual(
      (await listDevices(user)).map((d) => d.DeviceKey),
      [device.DeviceKey],
    );
  });

  test("the next sign-in from the remembered device goes through DEVICE_SRP_AUTH; forgetDevice ends it", async () => {
    const pool = userPool(ids);
    const username = await confirmedUser(pool, "device2");
    const first = cognitoUser(pool, username);
    await authenticate(first, PASSWORD);
    const deviceKey = (await theDevice(first)).DeviceKey;
    assert.equal(await successFailure((cb) => first.setDeviceStatusRemembered(cb)), "SUCCESS");
    first.signOut(); // local only: the device key and its secret stay in storage, as in a browser

    // A new CognitoUser on the same storage: the library answers PASSWORD_VERIFIER with its
    // DEVICE_KEY, the server asks for DEVICE_SRP_AUTH, the library proves the device secret
    // (DEVICE_PASSWORD_VERIFIER) and gets tokens bound to the device.
    const second = cognitoUser(pool, username);
    const { result, calls } = await callsDuring(() => authenticate(second, PASSWORD));
    assert.deepEqual(calls.map(describeCall), [
      "InitiateAuth USER_SRP_AUTH",
      "RespondToAuthChallenge PASSWORD_VERIFIER",
      "RespondToAuthChallenge DEVICE_SRP_AUTH",
      "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER",
    ]);
    assert.equal(calls[1].request.ChallengeResponses.DEVICE_KEY, deviceKey);
    assert.equal(calls[1].response.ChallengeName, "DEVICE_SRP_AUTH");
    assert.equal(calls[2].response.ChallengeName, "DEVICE_PASSWORD_VERIFIER");
    assert.equal(calls[3].response.AuthenticationResult.NewDeviceMetadata, undefined);
    const { session } = result;
    const access = session.getAccessToken().decodePayload();
    assert.equal(access.device_key, deviceKey, `access token claims: ${JSON.stringify(access)}`);
    assert.equal(access.username, username);
    // No new device was made for it.
    assert.deepEqual(
      (await listDevices(second)).map((d) => d.DeviceKey),
      [deviceKey],
    );
    // The library refreshes with the device's key (REFRESH_TOKEN_AUTH, DEVICE_KEY); the new
    // access token is still the device's.
    const refreshed = await callsDuring(() => nodeCallback((cb) => second.refreshSession(session.getRefreshToken(), cb)));
    assert.deepEqual(refreshed.calls.map(describeCall), ["InitiateAuth REFRESH_TOKEN_AUTH"]);
    assert.equal(refreshed.calls[0].request.AuthParameters.DEVICE_KEY, deviceKey);
    assert.equal(refreshed.result.getAccessToken().decodePayload().device_key, deviceKey);

    // forgetDevice: the server no longer lists it, and the library dropped its key.
    assert.equal(await successFailure((cb) => second.forgetDevice(cb)), "SUCCESS");
    assert.deepEqual(await listDevices(second), []);
    second.signOut();

    // The next sign-in is from a new device again: a different key, confirmed by the library.
    const third = cognitoUser(pool, username);
    const { result: next, calls: thirdCalls } = await callsDuring(() => authenticate(third, PASSWORD));
    assert.deepEqual(thirdCalls.map(describeCall), ["InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER", "ConfirmDevice"]);
    const newKey = (await theDevice(third)).DeviceKey;
    assert.notEqual(newKey, deviceKey);
    assert.notEqual(next.session.getAccessToken().decodePayload().device_key, deviceKey);
  });
});
