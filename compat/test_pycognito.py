"""pycognito's `Cognito` class, unpatched, against the server, the way an application uses it:
`Cognito(pool_id, client_id, ..., boto3_client_kwargs={"endpoint_url": ...})`.

With that endpoint pycognito takes `{endpoint}/{pool_id}` as the pool's URL: it fetches the
signing keys from `{endpoint}/{pool_id}/.well-known/jwks.json` and requires that issuer in
every token, and it verifies (signature, issuer, audience, expiry, token_use) every token it
receives, on sign-in and on renewal. The application's client is unsigned, as public actions
need no AWS credentials; admin calls go through a Cognito object given the server's keys.
(SRP itself, through `AWSSRP`, is in test_srp.py.)
"""

import base64
import json
import time

import jwt
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from pycognito import Cognito
from pycognito.exceptions import TokenVerificationException

from conftest import NO_RETRIES, unique

PASSWORD = "Passw0rd!"
NEW_PASSWORD = "New-Passw0rd"


@pytest.fixture(autouse=True)
def keys_from_the_server(monkeypatch):
    """pycognito reads the JWKS from COGNITO_JWKS when it is set; here it must come from the
    server."""
    monkeypatch.delenv("COGNITO_JWKS", raising=False)


@pytest.fixture
def email_pool(client):
    """A pool that verifies email on sign-up, with a custom attribute."""
    resp = client.create_user_pool(
        PoolName=unique("pycognito-"),
        AutoVerifiedAttributes=["email"],
        Schema=[{"Name": "team", "AttributeDataType": "String", "Mutable": True}],
    )
    pool_id = resp["UserPool"]["Id"]
    yield pool_id
    client.delete_user_pool(UserPoolId=pool_id)


def app_client(client, pool):
    resp = client.create_user_pool_client(
        UserPoolId=pool,
        ClientName=unique("pycognito-"),
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )
    return resp["UserPoolClient"]["ClientId"]


@pytest.fixture
def client_id(client, pool):
    return app_client(client, pool)


def as_app(server, pool, client_id, username=None, **tokens):
    """pycognito as an application holds it: an unsigned client with the endpoint."""
    return Cognito(
        pool,
        client_id,
        username=username,
        botocore_config=NO_RETRIES.merge(Config(signature_version=UNSIGNED)),
        boto3_client_kwargs={"endpoint_url": server.endpoint},
        **tokens,
    )


def as_admin(server, pool, client_id, username=None):
    """pycognito with the server's admin keys, for its admin_* methods."""
    return Cognito(
        pool,
        client_id,
        username=username,
        access_key=server.access_key_id,
        secret_key=server.secret_access_key,
        botocore_config=NO_RETRIES,
        boto3_client_kwargs={"endpoint_url": server.endpoint},
    )


def confirmed_user(client, pool, username, **attributes):
    client.admin_create_user(
        UserPoolId=pool,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
    )
    client.admin_set_user_password(UserPoolId=pool, Username=username, Password=PASSWORD, Permanent=True)


def signed_in(server, pool, client_id, username, password=PASSWORD):
    user = as_app(server, pool, client_id, username)
    user.authenticate(password=password)
    return user


def error_of(excinfo):
    return excinfo.value.response["Error"]["Code"], excinfo.value.response["Error"]["Message"]


def test_authenticate_verifies_the_tokens_with_the_servers_jwks(server, client, pool, client_id):
    confirmed_user(client, pool, "ada", email="ada@example.com", email_verified="true", given_name="Ada")
    user = signed_in(server, pool, client_id, "ada")

    # authenticate() verified both tokens against the keys it fetched from the server.
    assert user.user_pool_url == f"{server.endpoint}/{pool}"
    kids = {key["kid"] for key in user.pool_jwk["keys"]}
    assert jwt.get_unverified_header(user.id_token)["kid"] in kids
    assert jwt.get_unverified_header(user.access_token)["kid"] in kids
    assert user.token_type == "Bearer"
    assert user.refresh_token
    id_claims, access_claims = user.id_claims, user.access_claims
    assert id_claims["token_use"] == "id" and access_claims["token_use"] == "access"
    assert id_claims["iss"] == access_claims["iss"] == f"{server.endpoint}/{pool}"
    assert id_claims["aud"] == client_id and access_claims["client_id"] == client_id
    assert id_claims["cognito:username"] == "ada" and access_claims["username"] == "ada"
    assert id_claims["email"] == "ada@example.com" and id_claims["email_verified"] is True
    assert id_claims["given_name"] == "Ada"
    assert id_claims["sub"] == access_claims["sub"]
    assert id_claims["exp"] > time.time()

    # verify_tokens() on tokens an application kept, in a fresh object that fetches the keys.
    kept = as_app(server, pool, client_id, "ada", id_token=user.id_token, access_token=user.access_token)
    kept.verify_tokens()
    assert kept.id_claims == id_claims

    # A token whose claims were changed after signing does not verify.
    header, payload, signature = user.id_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["cognito:username"] = "mallory"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    forged = as_app(
        server, pool, client_id, "ada", id_token=f"{header}.{forged_payload}.{signature}", access_token=user.access_token
    )
    with pytest.raises(TokenVerificationException):
        forged.verify_tokens()

    # An ID token is not an access token, and the audience is the client's.
    swapped = as_app(server, pool, client_id, "ada", id_token=user.access_token, access_token=user.id_token)
    with pytest.raises(TokenVerificationException):
        swapped.verify_tokens()
    other_client = as_app(
        server, pool, app_client(client, pool), "ada", id_token=user.id_token, access_token=user.access_token
    )
    with pytest.raises(TokenVerificationException):
        other_client.verify_tokens()


def test_a_wrong_password_is_not_authorized(server, client, pool, client_id):
    confirmed_user(client, pool, "bea")
    user = as_app(server, pool, client_id, "bea")
    with pytest.raises(ClientError) as e:
        user.authenticate(password="Wrong-Passw0rd")
    assert error_of(e) == ("NotAuthorizedException", "Incorrect username or password.")
    assert user.access_token is None


def test_renew_access_token(server, client, pool, client_id):
    confirmed_user(client, pool, "cy", email="cy@example.com")
    user = signed_in(server, pool, client_id, "cy")
    first_access, first_id, refresh = user.access_token, user.id_token, user.refresh_token
    first_claims = user.id_claims

    user.renew_access_token()
    # New, verified tokens; the refresh token is kept (Cognito sends no new one).
    assert user.access_token != first_access and user.id_token != first_id
    assert user.refresh_token == refresh
    assert user.access_claims["token_use"] == "access" and user.access_claims["username"] == "cy"
    assert user.id_claims["sub"] == first_claims["sub"]
    assert user.id_claims["email"] == "cy@example.com"
    assert user.id_claims["aud"] == client_id
    assert user.id_claims["auth_time"] == first_claims["auth_time"]
    assert user.id_claims["iat"] >= first_claims["iat"]
    # The new access token works for GetUser.
    profile = user.get_user()
    assert profile._metadata["username"] == "cy"
    assert profile.email == "cy@example.com"

    # check_token(): a fresh token has not expired, and is left alone.
    current = user.access_token
    assert user.check_token() is False
    assert user.access_token == current


def test_check_token_renews_an_expired_access_token(server, client, pool, client_id):
    confirmed_user(client, pool, "dee")
    user = signed_in(server, pool, client_id, "dee")
    # check_token() reads only the `exp` of the access token it holds (it does not verify it): an
    # application that kept a token past its hour holds one whose `exp` has passed.
    header, payload, signature = user.access_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["exp"] = int(time.time()) - 60
    stale = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    held = as_app(
        server, pool, client_id, "dee", access_token=f"{header}.{stale}.{signature}", refresh_token=user.refresh_token
    )
    assert held.check_token() is True
    # It renewed with the refresh token, and verified what the server sent.
    assert held.access_claims["exp"] > time.time()
    assert held.get_user()._metadata["username"] == "dee"


def test_change_password(server, client, pool, client_id):
    confirmed_user(client, pool, "eve")
    user = signed_in(server, pool, client_id, "eve")

    with pytest.raises(ClientError) as e:
        user.change_password("Not-the-Passw0rd", NEW_PASSWORD)
    assert error_of(e) == ("NotAuthorizedException", "Incorrect username or password.")
    with pytest.raises(ClientError) as e:
        user.change_password(PASSWORD, "short")
    assert error_of(e) == ("InvalidPasswordException", "Password does not conform to policy: Password not long enough")

    user.change_password(PASSWORD, NEW_PASSWORD)
    assert user.password == NEW_PASSWORD
    # SRP with the new password works; with the old one it fails.
    again = signed_in(server, pool, client_id, "eve", NEW_PASSWORD)
    assert again.access_claims["username"] == "eve"
    with pytest.raises(ClientError) as e:
        as_app(server, pool, client_id, "eve").authenticate(password=PASSWORD)
    assert error_of(e) == ("NotAuthorizedException", "Incorrect username or password.")


def test_update_profile_and_get_user(server, client, pool, client_id):
    confirmed_user(client, pool, "fay", email="fay@example.com", email_verified="true")
    user = signed_in(server, pool, client_id, "fay")

    user.update_profile({"given_name": "Fay", "family_name": "Wray", "locale": "en-GB"})
    profile = user.get_user()
    assert profile.given_name == "Fay" and profile.family_name == "Wray" and profile.locale == "en-GB"
    assert profile.email == "fay@example.com"
    assert profile.email_verified is True  # "true" read as a bool
    assert profile.sub == user.id_claims["sub"]
    assert profile._metadata["access_token"] == user.access_token
    # attr_map renames attributes both ways.
    mapped = user.get_user(attr_map={"given_name": "first_name"})
    assert mapped.first_name == "Fay"
    user.update_profile({"first_name": "Faye"}, attr_map={"given_name": "first_name"})
    assert user.get_user().given_name == "Faye"
    # UserObj.save() writes its attributes back.
    profile = user.get_user()
    profile.family_name = "Wrey"
    profile.save()
    assert user.get_user().family_name == "Wrey"

    # A new sign-in's ID token carries the attributes.
    renewed = signed_in(server, pool, client_id, "fay")
    assert renewed.id_claims["given_name"] == "Faye" and renewed.id_claims["family_name"] == "Wrey"

    # The admin side, signed with the server's keys.
    admin = as_admin(server, pool, client_id, "fay")
    admin.admin_update_profile({"nickname": "ff"})
    seen = admin.admin_get_user()
    assert seen.nickname == "ff" and seen.given_name == "Faye"
    assert seen._metadata["user_status"] == "CONFIRMED" and seen._metadata["enabled"] is True
    assert [u.username for u in admin.get_users()] == ["fay"]


def test_register_and_confirm_sign_up_with_the_mailed_code(server, client, outbox, email_pool):
    client_id = app_client(client, email_pool)
    user = as_app(server, email_pool, client_id)
    user.set_base_attributes(email="gus@example.com", given_name="Gus")
    user.add_custom_attributes(team="blue")
    resp = user.register("gus", PASSWORD)
    assert resp["UserConfirmed"] is False
    assert resp["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    assert resp["CodeDeliveryDetails"]["AttributeName"] == "email"
    assert user.username == "gus"

    message = [m for m in outbox() if m["pool_id"] == email_pool and m["username"] == "gus"][-1]
    code = next(w for w in message["body"].replace(".", " ").split() if w.isdigit() and len(w) == 6)
    user.confirm_sign_up(code, username="gus")

    user.authenticate(password=PASSWORD)
    assert user.id_claims["email_verified"] is True
    assert user.id_claims["custom:team"] == "blue" and user.id_claims["given_name"] == "Gus"


def test_logout(server, client, pool, client_id):
    confirmed_user(client, pool, "hal")
    user = signed_in(server, pool, client_id, "hal")
    access, refresh = user.access_token, user.refresh_token
    user.logout()
    assert user.access_token is None and user.refresh_token is None and user.id_token is None

    # GlobalSignOut revoked the refresh token and the access tokens it gave.
    kept = as_app(server, pool, client_id, "hal", access_token=access, refresh_token=refresh)
    with pytest.raises(ClientError) as e:
        kept.get_user()
    assert error_of(e) == ("NotAuthorizedException", "Access Token has been revoked")
    with pytest.raises(ClientError) as e:
        kept.renew_access_token()
    assert error_of(e) == ("NotAuthorizedException", "Refresh Token has been revoked")
    # Signing in again works.
    assert signed_in(server, pool, client_id, "hal").access_claims["username"] == "hal"


def test_admin_authenticate(server, client, pool):
    """pycognito's admin_authenticate() uses the legacy flow name ADMIN_NO_SRP_AUTH."""
    resp = client.create_user_pool_client(
        UserPoolId=pool, ClientName=unique("admin-"), ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"]
    )
    client_id = resp["UserPoolClient"]["ClientId"]
    confirmed_user(client, pool, "ida")
    admin = as_admin(server, pool, client_id, "ida")
    admin.admin_authenticate(PASSWORD)
    assert admin.access_claims["username"] == "ida" and admin.id_claims["aud"] == client_id
    with pytest.raises(ClientError) as e:
        admin.admin_authenticate("Wrong-Passw0rd")
    assert error_of(e) == ("NotAuthorizedException", "Incorrect username or password.")


def test_forgot_password_with_the_mailed_code(server, client, outbox, email_pool):
    client_id = app_client(client, email_pool)
    confirmed_user(client, email_pool, "jo", email="jo@example.com", email_verified="true")
    user = as_app(server, email_pool, client_id, "jo")
    user.initiate_forgot_password()
    message = [m for m in outbox() if m["pool_id"] == email_pool and m["username"] == "jo"][-1]
    code = next(w for w in message["body"].replace(".", " ").split() if w.isdigit() and len(w) == 6)
    with pytest.raises(ClientError) as e:
        user.confirm_forgot_password("000000" if code != "000000" else "111111", NEW_PASSWORD)
    assert error_of(e) == ("CodeMismatchException", "Invalid verification code provided, please try again.")
    user.confirm_forgot_password(code, NEW_PASSWORD)
    assert user.password == NEW_PASSWORD
    assert signed_in(server, email_pool, client_id, "jo", NEW_PASSWORD).access_claims["username"] == "jo"


def test_attribute_verification_and_delete_user(server, client, outbox, email_pool):
    client_id = app_client(client, email_pool)
    confirmed_user(client, email_pool, "kim", email="kim@example.com")
    user = signed_in(server, email_pool, client_id, "kim")
    user.send_verification("email")
    message = [m for m in outbox() if m["pool_id"] == email_pool and m["username"] == "kim"][-1]
    code = next(w for w in message["body"].replace(".", " ").split() if w.isdigit() and len(w) == 6)
    user.validate_verification(code, "email")
    assert user.get_user().email_verified is True
    user.delete_user()
    with pytest.raises(ClientError) as e:
        as_app(server, email_pool, client_id, "kim").authenticate(password=PASSWORD)
    assert error_of(e) == ("UserNotFoundException", "User does not exist.")
