"""The whole life of a user, as an application drives it through boto3: sign-up, confirmation
with the code from the (outbox) email, sign-in, refresh, GetUser, ChangePassword, forgotten
password, GlobalSignOut and RevokeToken, and the NEW_PASSWORD_REQUIRED challenge of a user an
administrator created.

The public actions go through a client that never signs (`signature_version=UNSIGNED`): a
browser or mobile app holds no AWS credentials. Pool and app-client set-up goes through the
signed admin client. Codes and temporary passwords are read from `GET /_dev/outbox` (the server
runs with `--outbox`), as a user reads them from their mail. The last test runs README.md's
"Sign-up and sign-in" section with the AWS CLI.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from botocore import UNSIGNED
from botocore.config import Config

from conftest import ROOT, make_client, unique

PASSWORD = "Correct-Horse-1"
NEW_PASSWORD = "Battery-Staple-2"
RESET_PASSWORD = "Reset-Passw0rd-3"
TEMP_PASSWORD = "Temp-Passw0rd!"
CODE = re.compile(r"\b(\d{6})\b")
USER_FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


# --- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture(scope="module")
def public(server):
    """A client that never signs (`signature_version=UNSIGNED`): what an app in the field has."""
    return make_client(server, config=Config(signature_version=UNSIGNED))


@pytest.fixture
def app(client):
    """A pool that verifies email on sign-up, with a public app client (no secret) and a
    confidential one (with a secret), both allowing USER_PASSWORD_AUTH and refresh."""
    pool_id = client.create_user_pool(PoolName=unique("lifecycle-"), AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    public_client = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="spa", ExplicitAuthFlows=USER_FLOWS
    )["UserPoolClient"]
    confidential = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="backend", ExplicitAuthFlows=USER_FLOWS, GenerateSecret=True
    )["UserPoolClient"]
    yield {
        "pool": pool_id,
        "client_id": public_client["ClientId"],
        "secret_client_id": confidential["ClientId"],
        "secret": confidential["ClientSecret"],
    }
    try:
        client.delete_user_pool(UserPoolId=pool_id)
    except client.exceptions.ClientError:
        pass


def secret_hash(username: str, client_id: str, secret: str) -> str:
    """Cognito's SECRET_HASH: Base64(HMAC-SHA256(client secret, username + client id))."""
    mac = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def messages_to(outbox, pool: str, username: str, reason: str | None = None) -> list[dict]:
    return [
        m
        for m in outbox()
        if m["pool_id"] == pool and m["username"] == username and (reason is None or m["reason"] == reason)
    ]


def last_code(outbox, pool: str, username: str, reason: str, count: int = 1) -> str:
    """The code in the newest message of `reason` to the user, checking that exactly `count`
    such messages were sent so far (so a test never reads a stale code)."""
    sent = messages_to(outbox, pool, username, reason)
    assert len(sent) == count, f"expected {count} {reason} message(s) to {username}, outbox has: {sent}"
    match = CODE.search(sent[-1]["body"])
    assert match, sent[-1]
    return match.group(1)


def sign_up(public, app, username: str, email: str, password: str = PASSWORD) -> dict:
    return public.sign_up(
        ClientId=app["client_id"],
        Username=username,
        Password=password,
        UserAttributes=[{"Name": "email", "Value": email}],
    )


def sign_up_confirmed(public, outbox, app, username: str, email: str, password: str = PASSWORD) -> None:
    sign_up(public, app, username, email, password)
    code = last_code(outbox, app["pool"], username, "SignUp")
    public.confirm_sign_up(ClientId=app["client_id"], Username=username, ConfirmationCode=code)


def password_sign_in(public, app, username: str, password: str) -> dict:
    resp = public.initiate_auth(
        ClientId=app["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )
    assert "ChallengeName" not in resp, resp
    return resp["AuthenticationResult"]


def refresh(public, app, refresh_token: str) -> dict:
    return public.initiate_auth(
        ClientId=app["client_id"],
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": refresh_token},
    )["AuthenticationResult"]


def claims(jwt: str) -> dict:
    """The payload of a JWT, unverified (the JS suite verifies signatures with aws-jwt-verify)."""
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def header(jwt: str) -> dict:
    part = jwt.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def error(excinfo) -> tuple[str, str]:
    err = excinfo.value.response["Error"]
    return err["Code"], err["Message"]


def attrs(items) -> dict:
    return {a["Name"]: a["Value"] for a in items}


# --- the whole life -------------------------------------------------------------------------


def test_the_whole_life_of_a_user(server, client, public, outbox, app):
    pool, client_id = app["pool"], app["client_id"]

    # Sign-up: unconfirmed, a code on its way to the (masked) email address.
    signed_up = sign_up(public, app, "alice", "alice@example.com")
    assert signed_up["UserConfirmed"] is False
    assert re.fullmatch(r"[0-9a-f-]{36}", signed_up["UserSub"]), signed_up
    assert signed_up["CodeDeliveryDetails"] == {
        "Destination": "a***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    [mail] = messages_to(outbox, pool, "alice", "SignUp")
    assert mail["channel"] == "email"
    assert mail["recipient"] == "alice@example.com"
    assert client.admin_get_user(UserPoolId=pool, Username="alice")["UserStatus"] == "UNCONFIRMED"

    # An unconfirmed user cannot sign in, even with the right password.
    with pytest.raises(public.exceptions.UserNotConfirmedException) as e:
        password_sign_in(public, app, "alice", PASSWORD)
    assert error(e) == ("UserNotConfirmedException", "User is not confirmed.")

    # Confirm with the code from the email.
    code = last_code(outbox, pool, "alice", "SignUp")
    public.confirm_sign_up(ClientId=client_id, Username="alice", ConfirmationCode=code)
    user = client.admin_get_user(UserPoolId=pool, Username="alice")
    assert user["UserStatus"] == "CONFIRMED"
    assert attrs(user["UserAttributes"])["email_verified"] == "true"

    # Sign in: three tokens, the JWTs with Cognito's claims.
    tokens = password_sign_in(public, app, "alice", PASSWORD)
    assert tokens["TokenType"] == "Bearer"
    assert tokens["ExpiresIn"] == 3600
    issuer = f"{server.endpoint}/{pool}"
    id_claims, access_claims = claims(tokens["IdToken"]), claims(tokens["AccessToken"])
    assert id_claims["iss"] == issuer and access_claims["iss"] == issuer
    assert id_claims["token_use"] == "id" and access_claims["token_use"] == "access"
    assert id_claims["aud"] == client_id and access_claims["client_id"] == client_id
    assert id_claims["sub"] == signed_up["UserSub"] == access_claims["sub"]
    assert id_claims["cognito:username"] == "alice" and access_claims["username"] == "alice"
    assert id_claims["email"] == "alice@example.com" and id_claims["email_verified"] is True
    assert access_claims["scope"] == "aws.cognito.signin.user.admin"
    assert header(tokens["IdToken"])["alg"] == "RS256"
    with urllib.request.urlopen(f"{issuer}/.well-known/jwks.json", timeout=10) as resp:
        kids = {k["kid"] for k in json.load(resp)["keys"]}
    assert header(tokens["IdToken"])["kid"] in kids and header(tokens["AccessToken"])["kid"] in kids

    # Refresh: new ID and access tokens, no new refresh token.
    refreshed = refresh(public, app, tokens["RefreshToken"])
    assert "RefreshToken" not in refreshed
    assert claims(refreshed["AccessToken"])["sub"] == signed_up["UserSub"]
    assert claims(refreshed["IdToken"])["aud"] == client_id

    # GetUser with the access token.
    me = public.get_user(AccessToken=refreshed["AccessToken"])
    assert me["Username"] == "alice"
    assert attrs(me["UserAttributes"])["email"] == "alice@example.com"

    # ChangePassword: the old password is refused afterwards, the new one works.
    with pytest.raises(public.exceptions.NotAuthorizedException):
        public.change_password(PreviousPassword="Not-The-Passw0rd", ProposedPassword=NEW_PASSWORD, AccessToken=tokens["AccessToken"])
    public.change_password(PreviousPassword=PASSWORD, ProposedPassword=NEW_PASSWORD, AccessToken=tokens["AccessToken"])
    with pytest.raises(public.exceptions.NotAuthorizedException) as e:
        password_sign_in(public, app, "alice", PASSWORD)
    assert error(e) == ("NotAuthorizedException", "Incorrect username or password.")
    password_sign_in(public, app, "alice", NEW_PASSWORD)

    # Forgot password: a code by email, then a new password with it.
    forgot = public.forgot_password(ClientId=client_id, Username="alice")
    assert forgot["CodeDeliveryDetails"] == {
        "Destination": "a***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    code = last_code(outbox, pool, "alice", "ForgotPassword")
    public.confirm_forgot_password(ClientId=client_id, Username="alice", ConfirmationCode=code, Password=RESET_PASSWORD)
    for old in (PASSWORD, NEW_PASSWORD):
        with pytest.raises(public.exceptions.NotAuthorizedException):
            password_sign_in(public, app, "alice", old)
    # The code was single use.
    with pytest.raises((public.exceptions.CodeMismatchException, public.exceptions.ExpiredCodeException)):
        public.confirm_forgot_password(ClientId=client_id, Username="alice", ConfirmationCode=code, Password="Another-Passw0rd-4")
    tokens = password_sign_in(public, app, "alice", RESET_PASSWORD)
    second_device = password_sign_in(public, app, "alice", RESET_PASSWORD)
    assert public.get_user(AccessToken=tokens["AccessToken"])["Username"] == "alice"

    # GlobalSignOut: every refresh token of the user, and every access token they issued, is dead.
    public.global_sign_out(AccessToken=tokens["AccessToken"])
    for t in (tokens, second_device):
        with pytest.raises(public.exceptions.NotAuthorizedException) as e:
            refresh(public, app, t["RefreshToken"])
        assert error(e) == ("NotAuthorizedException", "Refresh Token has been revoked")
        with pytest.raises(public.exceptions.NotAuthorizedException) as e:
            public.get_user(AccessToken=t["AccessToken"])
        assert error(e) == ("NotAuthorizedException", "Access Token has been revoked")

    # Signing in again works: sign-out ends sessions, not the account.
    fresh = password_sign_in(public, app, "alice", RESET_PASSWORD)
    assert public.get_user(AccessToken=fresh["AccessToken"])["Username"] == "alice"


def test_the_whole_life_through_a_client_with_a_secret(client, public, outbox, app):
    pool, cid, secret = app["pool"], app["secret_client_id"], app["secret"]

    def sh(username):
        return secret_hash(username, cid, secret)

    # Without SECRET_HASH, or with a wrong one, a client with a secret refuses.
    with pytest.raises(public.exceptions.NotAuthorizedException):
        public.sign_up(ClientId=cid, Username="bob", Password=PASSWORD, UserAttributes=[{"Name": "email", "Value": "bob@example.com"}])
    with pytest.raises(public.exceptions.NotAuthorizedException) as e:
        public.sign_up(
            ClientId=cid,
            Username="bob",
            Password=PASSWORD,
            SecretHash=secret_hash("bob", cid, "not-the-secret"),
            UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
        )
    assert error(e) == ("NotAuthorizedException", f"Unable to verify secret hash for client {cid}")
    with pytest.raises(client.exceptions.UserNotFoundException):
        client.admin_get_user(UserPoolId=pool, Username="bob")

    public.sign_up(
        ClientId=cid,
        Username="bob",
        Password=PASSWORD,
        SecretHash=sh("bob"),
        UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
    )
    code = last_code(outbox, pool, "bob", "SignUp")
    with pytest.raises(public.exceptions.NotAuthorizedException):
        public.confirm_sign_up(ClientId=cid, Username="bob", ConfirmationCode=code)
    public.confirm_sign_up(ClientId=cid, Username="bob", ConfirmationCode=code, SecretHash=sh("bob"))

    with pytest.raises(public.exceptions.NotAuthorizedException):
        public.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "bob", "PASSWORD": PASSWORD})
    with pytest.raises(public.exceptions.NotAuthorizedException) as e:
        public.initiate_auth(
            ClientId=cid,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "bob", "PASSWORD": PASSWORD, "SECRET_HASH": sh("alice")},
        )
    assert error(e) == ("NotAuthorizedException", f"Unable to verify secret hash for client {cid}")
    tokens = public.initiate_auth(
        ClientId=cid,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "bob", "PASSWORD": PASSWORD, "SECRET_HASH": sh("bob")},
    )["AuthenticationResult"]
    assert claims(tokens["IdToken"])["aud"] == cid

    # Refresh needs the SECRET_HASH too (over the username).
    with pytest.raises(public.exceptions.NotAuthorizedException):
        public.initiate_auth(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})
    refreshed = public.initiate_auth(
        ClientId=cid,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"], "SECRET_HASH": sh("bob")},
    )["AuthenticationResult"]
    assert claims(refreshed["AccessToken"])["client_id"] == cid

    # A refresh token is bound to its client: the public client cannot use it.
    with pytest.raises(public.exceptions.NotAuthorizedException):
        refresh(public, app, tokens["RefreshToken"])

    # Forgot/confirm password with SECRET_HASH.
    with pytest.raises(public.exceptions.NotAuthorizedException):
        public.forgot_password(ClientId=cid, Username="bob")
    public.forgot_password(ClientId=cid, Username="bob", SecretHash=sh("bob"))
    code = last_code(outbox, pool, "bob", "ForgotPassword")
    public.confirm_forgot_password(ClientId=cid, Username="bob", ConfirmationCode=code, Password=NEW_PASSWORD, SecretHash=sh("bob"))
    public.initiate_auth(
        ClientId=cid,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "bob", "PASSWORD": NEW_PASSWORD, "SECRET_HASH": sh("bob")},
    )


# --- codes ----------------------------------------------------------------------------------


def test_a_wrong_sign_up_code_is_code_mismatch(client, public, outbox, app):
    sign_up(public, app, "carol", "carol@example.com")
    code = last_code(outbox, app["pool"], "carol", "SignUp")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(public.exceptions.CodeMismatchException) as e:
        public.confirm_sign_up(ClientId=app["client_id"], Username="carol", ConfirmationCode=wrong)
    assert error(e) == ("CodeMismatchException", "Invalid verification code provided, please try again.")
    assert client.admin_get_user(UserPoolId=app["pool"], Username="carol")["UserStatus"] == "UNCONFIRMED"
    # The right code still works after one wrong guess.
    public.confirm_sign_up(ClientId=app["client_id"], Username="carol", ConfirmationCode=code)
    assert client.admin_get_user(UserPoolId=app["pool"], Username="carol")["UserStatus"] == "CONFIRMED"


def test_resend_confirmation_code_sends_a_new_code_that_confirms(client, public, outbox, app):
    sign_up(public, app, "dave", "dave@example.com")
    first = last_code(outbox, app["pool"], "dave", "SignUp")
    resent = public.resend_confirmation_code(ClientId=app["client_id"], Username="dave")
    assert resent["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    code = last_code(outbox, app["pool"], "dave", "ResendCode")
    if code != first:
        with pytest.raises((public.exceptions.CodeMismatchException, public.exceptions.ExpiredCodeException)):
            public.confirm_sign_up(ClientId=app["client_id"], Username="dave", ConfirmationCode=first)
    public.confirm_sign_up(ClientId=app["client_id"], Username="dave", ConfirmationCode=code)
    password_sign_in(public, app, "dave", PASSWORD)


def test_a_wrong_forgot_password_code_is_code_mismatch(public, outbox, app):
    sign_up_confirmed(public, outbox, app, "erin", "erin@example.com")
    public.forgot_password(ClientId=app["client_id"], Username="erin")
    code = last_code(outbox, app["pool"], "erin", "ForgotPassword")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(public.exceptions.CodeMismatchException) as e:
        public.confirm_forgot_password(ClientId=app["client_id"], Username="erin", ConfirmationCode=wrong, Password=NEW_PASSWORD)
    assert error(e) == ("CodeMismatchException", "Invalid verification code provided, please try again.")
    # The password did not change.
    with pytest.raises(public.exceptions.NotAuthorizedException):
        password_sign_in(public, app, "erin", NEW_PASSWORD)
    password_sign_in(public, app, "erin", PASSWORD)


def test_sign_up_refuses_a_taken_username_and_a_weak_password(public, outbox, app):
    sign_up_confirmed(public, outbox, app, "frank", "frank@example.com")
    with pytest.raises(public.exceptions.UsernameExistsException) as e:
        sign_up(public, app, "frank", "other@example.com")
    assert error(e) == ("UsernameExistsException", "User already exists")
    with pytest.raises(public.exceptions.InvalidPasswordException):
        sign_up(public, app, "grace", "grace@example.com", password="short")


def test_a_wrong_password_is_not_authorized(public, outbox, app):
    sign_up_confirmed(public, outbox, app, "heidi", "heidi@example.com")
    with pytest.raises(public.exceptions.NotAuthorizedException) as e:
        password_sign_in(public, app, "heidi", "Wrong-Passw0rd-9")
    assert error(e) == ("NotAuthorizedException", "Incorrect username or password.")


# --- administrator-created users --------------------------------------------------------------


def test_an_admin_created_user_sets_a_new_password_through_the_challenge(client, public, app):
    pool, client_id = app["pool"], app["client_id"]
    client.admin_create_user(
        UserPoolId=pool,
        Username="ivan",
        TemporaryPassword=TEMP_PASSWORD,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "ivan@example.com"}, {"Name": "email_verified", "Value": "true"}],
    )
    challenge = public.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ivan", "PASSWORD": TEMP_PASSWORD},
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert challenge["Session"]
    assert "AuthenticationResult" not in challenge
    params = challenge["ChallengeParameters"]
    assert params["USER_ID_FOR_SRP"] == "ivan"
    assert json.loads(params["requiredAttributes"]) == []
    assert json.loads(params["userAttributes"])["email"] == "ivan@example.com"

    # A password the policy refuses is InvalidPasswordException.
    with pytest.raises(public.exceptions.InvalidPasswordException):
        public.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=challenge["Session"],
            ChallengeResponses={"USERNAME": "ivan", "NEW_PASSWORD": "weak"},
        )
    # Start over (Cognito lets a client retry within a session, but a fresh one is always fine).
    challenge = public.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ivan", "PASSWORD": TEMP_PASSWORD},
    )
    done = public.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "ivan", "NEW_PASSWORD": NEW_PASSWORD},
    )
    tokens = done["AuthenticationResult"]
    assert claims(tokens["IdToken"])["cognito:username"] == "ivan"
    assert public.get_user(AccessToken=tokens["AccessToken"])["Username"] == "ivan"
    assert client.admin_get_user(UserPoolId=pool, Username="ivan")["UserStatus"] == "CONFIRMED"

    # The session was single use, and the temporary password is gone.
    with pytest.raises(public.exceptions.NotAuthorizedException):
        public.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=challenge["Session"],
            ChallengeResponses={"USERNAME": "ivan", "NEW_PASSWORD": "Yet-Another-Passw0rd-5"},
        )
    with pytest.raises(public.exceptions.NotAuthorizedException):
        password_sign_in(public, app, "ivan", TEMP_PASSWORD)
    password_sign_in(public, app, "ivan", NEW_PASSWORD)


def test_an_invited_user_signs_in_with_the_temporary_password_from_the_invitation(client, public, outbox, app):
    pool, client_id = app["pool"], app["client_id"]
    client.admin_create_user(
        UserPoolId=pool,
        Username="judy",
        DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[{"Name": "email", "Value": "judy@example.com"}, {"Name": "email_verified", "Value": "true"}],
    )
    [invitation] = messages_to(outbox, pool, "judy", "AdminCreateUser")
    assert invitation["channel"] == "email" and invitation["recipient"] == "judy@example.com"
    match = re.search(r"temporary password is (\S+)\.$", invitation["body"])
    assert match, invitation
    temporary = match.group(1)
    challenge = public.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "judy", "PASSWORD": temporary},
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    done = public.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "judy", "NEW_PASSWORD": NEW_PASSWORD},
    )
    assert "AccessToken" in done["AuthenticationResult"]


# --- revocation -------------------------------------------------------------------------------


def test_revoke_token_kills_one_refresh_token_and_its_access_tokens(public, outbox, app):
    sign_up_confirmed(public, outbox, app, "mallory", "mallory@example.com")
    laptop = password_sign_in(public, app, "mallory", PASSWORD)
    phone = password_sign_in(public, app, "mallory", PASSWORD)
    from_refresh = refresh(public, app, laptop["RefreshToken"])

    public.revoke_token(Token=laptop["RefreshToken"], ClientId=app["client_id"])

    with pytest.raises(public.exceptions.NotAuthorizedException) as e:
        refresh(public, app, laptop["RefreshToken"])
    assert error(e) == ("NotAuthorizedException", "Refresh Token has been revoked")
    for access in (laptop["AccessToken"], from_refresh["AccessToken"]):
        with pytest.raises(public.exceptions.NotAuthorizedException) as e:
            public.get_user(AccessToken=access)
        assert error(e) == ("NotAuthorizedException", "Access Token has been revoked")

    # The other session is untouched.
    assert public.get_user(AccessToken=phone["AccessToken"])["Username"] == "mallory"
    refresh(public, app, phone["RefreshToken"])


def test_revoke_token_needs_the_client_that_got_the_token(public, outbox, app):
    sign_up_confirmed(public, outbox, app, "niaj", "niaj@example.com")
    tokens = password_sign_in(public, app, "niaj", PASSWORD)
    cid, secret = app["secret_client_id"], app["secret"]
    # Another client of the same pool, even proving its own secret, cannot revoke it: whether it
    # is told so (an error) or not, the token still works afterwards.
    try:
        public.revoke_token(Token=tokens["RefreshToken"], ClientId=cid, ClientSecret=secret)
    except public.exceptions.ClientError:
        pass
    refreshed = refresh(public, app, tokens["RefreshToken"])
    assert public.get_user(AccessToken=refreshed["AccessToken"])["Username"] == "niaj"
    assert public.get_user(AccessToken=tokens["AccessToken"])["Username"] == "niaj"


# --- attributes -------------------------------------------------------------------------------


def test_a_changed_email_is_verified_with_the_code_sent_to_it(client, public, outbox, app):
    pool = app["pool"]
    sign_up_confirmed(public, outbox, app, "olivia", "olivia@example.com")
    tokens = password_sign_in(public, app, "olivia", PASSWORD)
    updated = public.update_user_attributes(
        AccessToken=tokens["AccessToken"],
        UserAttributes=[{"Name": "email", "Value": "olivia@example.org"}, {"Name": "given_name", "Value": "Olivia"}],
    )
    [details] = updated["CodeDeliveryDetailsList"]
    assert details["AttributeName"] == "email" and details["DeliveryMedium"] == "EMAIL"
    code = last_code(outbox, pool, "olivia", "UpdateUserAttribute")
    assert messages_to(outbox, pool, "olivia", "UpdateUserAttribute")[-1]["recipient"] == "olivia@example.org"

    me = attrs(public.get_user(AccessToken=tokens["AccessToken"])["UserAttributes"])
    assert me["given_name"] == "Olivia"
    assert me["email"] == "olivia@example.org" and me["email_verified"] == "false"

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(public.exceptions.CodeMismatchException):
        public.verify_user_attribute(AccessToken=tokens["AccessToken"], AttributeName="email", Code=wrong)
    public.verify_user_attribute(AccessToken=tokens["AccessToken"], AttributeName="email", Code=code)
    me = attrs(client.admin_get_user(UserPoolId=pool, Username="olivia")["UserAttributes"])
    assert me["email"] == "olivia@example.org" and me["email_verified"] == "true"


# --- the README -------------------------------------------------------------------------------


def readme_section(heading: str) -> str:
    """The ```bash blocks of README.md's `## {heading}` section, in order, as one script."""
    script, inside, block = [], False, False
    for line in (ROOT / "README.md").read_text().splitlines():
        if line.startswith("## "):
            inside = line == f"## {heading}"
            continue
        if inside and re.fullmatch(r"```bash\s*", line):
            block = True
        elif inside and block and re.fullmatch(r"```\s*", line):
            block = False
            script.append("")
        elif inside and block:
            script.append(line)
    return "\n".join(script)


def test_the_readme_sign_up_section_runs_as_written(server, tmp_path):
    script = readme_section("Sign-up and sign-in")
    assert "sign-up" in script and "initiate-auth" in script, "README.md has no sign-up section to run"
    # Not in the README: check that it did what it says.
    script += """
: "---- checking the section's result"
test "$(aws --endpoint-url "$COGNATE" cognito-idp admin-get-user --user-pool-id "$POOL_ID" \\
  --username carol --query UserStatus --output text)" = CONFIRMED
test -n "$ID_TOKEN" && test -n "$ACCESS_TOKEN" && test -n "$REFRESH_TOKEN"
if out=$(aws --endpoint-url "$COGNATE" --no-sign-request cognito-idp get-user \\
  --access-token "$ACCESS_TOKEN" 2>&1); then exit 1; fi
grep -q 'Access Token has been revoked' <<<"$out"
"""
    (tmp_path / "section.sh").write_text(script)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "COGNATE"))}
    env.update(
        COGNATE=server.endpoint,
        AWS_SHARED_CREDENTIALS_FILE=str(server.credentials_file),
        AWS_CONFIG_FILE=os.devnull,
        AWS_PROFILE="cognate",
        AWS_REGION="us-east-1",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_MAX_ATTEMPTS="1",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    proc = subprocess.run(
        ["bash", "-euo", "pipefail", "-x", str(tmp_path / "section.sh")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert proc.returncode == 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
