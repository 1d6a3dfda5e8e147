"""Remembered devices with boto3 and pycognito's own device code, unpatched: pycognito's
`generate_hash_device` makes the verifier that boto3's ConfirmDevice sends, `AWSSRP` signs in
through DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER with it, and the Admin* device actions
manage what the user confirmed."""

import base64
import datetime
import json

import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP, generate_hash_device

from conftest import make_client, unique

PASSWORD = "Passw0rd!"
NO_SUCH_DEVICE = "us-east-1_00000000-0000-4000-8000-000000000000"


@pytest.fixture
def app(server):
    """What an application holds: an unsigned client (public actions need no credentials)."""
    return make_client(server, config=Config(signature_version=UNSIGNED))


@pytest.fixture
def tracked_pool(client):
    """A pool that remembers every confirmed device, deleted after the test."""
    resp = client.create_user_pool(
        PoolName=unique("compat-devices-"),
        DeviceConfiguration={
            "ChallengeRequiredOnNewDevice": False,
            "DeviceOnlyRememberedOnUserPrompt": False,
        },
    )
    pool_id = resp["UserPool"]["Id"]
    yield pool_id
    client.delete_user_pool(UserPoolId=pool_id)


@pytest.fixture
def client_id(client, tracked_pool):
    resp = client.create_user_pool_client(
        UserPoolId=tracked_pool,
        ClientName=unique("devices-"),
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )
    return resp["UserPoolClient"]["ClientId"]


def confirmed_user(client, pool, username):
    client.admin_create_user(UserPoolId=pool, Username=username, MessageAction="SUPPRESS")
    client.admin_set_user_password(UserPoolId=pool, Username=username, Password=PASSWORD, Permanent=True)


def claims(jwt: str) -> dict:
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def attributes(device: dict) -> dict:
    return {a["Name"]: a["Value"] for a in device["DeviceAttributes"]}


def error_of(call):
    with pytest.raises(ClientError) as e:
        call()
    return e.value.response["Error"]


def remember(app, tracked_pool, client_id, username):
    """Signs in with pycognito's SRP and confirms the new device as pycognito would; returns
    the device (key, group key, device password) and the sign-in's result."""
    srp = AWSSRP(username=username, password=PASSWORD, pool_id=tracked_pool, client_id=client_id, client=app)
    result = srp.authenticate_user()["AuthenticationResult"]
    metadata = result["NewDeviceMetadata"]
    device_password, config = generate_hash_device(metadata["DeviceGroupKey"], metadata["DeviceKey"])
    resp = app.confirm_device(
        AccessToken=result["AccessToken"],
        DeviceKey=metadata["DeviceKey"],
        DeviceSecretVerifierConfig=config,
        DeviceName="compat-laptop",
    )
    assert resp["UserConfirmationNecessary"] is False
    return (metadata["DeviceKey"], metadata["DeviceGroupKey"], device_password), result


def test_pycognito_signs_in_with_a_remembered_device(client, app, tracked_pool, client_id):
    confirmed_user(client, tracked_pool, "ada")
    (key, group, device_password), first = remember(app, tracked_pool, client_id, "ada")
    assert claims(first["AccessToken"])["device_key"] == key

    srp = AWSSRP(
        username="ada",
        password=PASSWORD,
        pool_id=tracked_pool,
        client_id=client_id,
        client=app,
        device_key=key,
        device_group_key=group,
        device_password=device_password,
    )
    result = srp.authenticate_user()["AuthenticationResult"]
    assert "NewDeviceMetadata" not in result
    assert claims(result["AccessToken"])["device_key"] == key

    # The refresh token is the device's: it refreshes with its DEVICE_KEY only.
    renewed = app.initiate_auth(
        AuthFlow="REFRESH_TOKEN_AUTH",
        ClientId=client_id,
        AuthParameters={"REFRESH_TOKEN": result["RefreshToken"], "DEVICE_KEY": key},
    )
    assert claims(renewed["AuthenticationResult"]["AccessToken"])["device_key"] == key
    err = error_of(
        lambda: app.initiate_auth(
            AuthFlow="REFRESH_TOKEN_AUTH",
            ClientId=client_id,
            AuthParameters={"REFRESH_TOKEN": result["RefreshToken"]},
        )
    )
    assert (err["Code"], err["Message"]) == ("NotAuthorizedException", "Invalid Refresh Token.")

    # A device secret that is not the device's does not sign in.
    wrong = AWSSRP(
        username="ada",
        password=PASSWORD,
        pool_id=tracked_pool,
        client_id=client_id,
        client=app,
        device_key=key,
        device_group_key=group,
        device_password="not-the-device-password",
    )
    assert error_of(wrong.authenticate_user)["Code"] == "NotAuthorizedException"


def test_admins_see_update_and_forget_a_users_devices(client, app, tracked_pool, client_id):
    confirmed_user(client, tracked_pool, "bea")
    (key, group, device_password), result = remember(app, tracked_pool, client_id, "bea")

    devices = client.admin_list_devices(UserPoolId=tracked_pool, Username="bea")["Devices"]
    assert [d["DeviceKey"] for d in devices] == [key]
    attrs = attributes(devices[0])
    assert attrs["device_name"] == "compat-laptop"
    assert attrs["device_status"] == "valid"
    assert attrs["dev:device_remembered_status"] == "remembered"
    # boto3 reads the dates as datetimes.
    for name in ("DeviceCreateDate", "DeviceLastModifiedDate", "DeviceLastAuthenticatedDate"):
        assert isinstance(devices[0][name], datetime.datetime), name

    client.admin_update_device_status(
        UserPoolId=tracked_pool, Username="bea", DeviceKey=key, DeviceRememberedStatus="not_remembered"
    )
    device = client.admin_get_device(UserPoolId=tracked_pool, Username="bea", DeviceKey=key)["Device"]
    assert attributes(device)["dev:device_remembered_status"] == "not_remembered"
    # The user sees the same device with their access token.
    mine = app.get_device(AccessToken=result["AccessToken"], DeviceKey=key)["Device"]
    assert mine["DeviceKey"] == key
    assert attributes(mine) == attributes(device)

    client.admin_forget_device(UserPoolId=tracked_pool, Username="bea", DeviceKey=key)
    err = error_of(lambda: client.admin_get_device(UserPoolId=tracked_pool, Username="bea", DeviceKey=key))
    assert (err["Code"], err["Message"]) == ("ResourceNotFoundException", "Device does not exist.")
    assert client.admin_list_devices(UserPoolId=tracked_pool, Username="bea")["Devices"] == []
    # A forgotten device no longer signs in: the answer on which SDKs drop it.
    forgotten = AWSSRP(
        username="bea",
        password=PASSWORD,
        pool_id=tracked_pool,
        client_id=client_id,
        client=app,
        device_key=key,
        device_group_key=group,
        device_password=device_password,
    )
    err = error_of(forgotten.authenticate_user)
    assert (err["Code"], err["Message"]) == ("ResourceNotFoundException", "Device does not exist.")


def test_admin_device_actions_refuse_what_aws_refuses(client, tracked_pool):
    confirmed_user(client, tracked_pool, "cy")
    err = error_of(lambda: client.admin_list_devices(UserPoolId=tracked_pool, Username="cy", Limit=61))
    assert err["Code"] == "InvalidParameterException"
    assert "less than or equal to 60" in err["Message"]
    err = error_of(lambda: client.admin_get_device(UserPoolId=tracked_pool, Username="cy", DeviceKey="not a key"))
    assert err["Code"] == "InvalidParameterException"
    err = error_of(lambda: client.admin_get_device(UserPoolId=tracked_pool, Username="nobody", DeviceKey=NO_SUCH_DEVICE))
    assert err["Code"] == "UserNotFoundException"
    err = error_of(lambda: client.admin_forget_device(UserPoolId=tracked_pool, Username="cy", DeviceKey=NO_SUCH_DEVICE))
    assert (err["Code"], err["Message"]) == ("ResourceNotFoundException", "Device does not exist.")
    err = error_of(
        lambda: client.admin_update_device_status(
            UserPoolId=tracked_pool, Username="cy", DeviceKey=NO_SUCH_DEVICE, DeviceRememberedStatus="remembered"
        )
    )
    assert err["Code"] == "ResourceNotFoundException"
    # Admin actions need IAM.
    anonymous = make_client_unsigned(client)
    err = error_of(lambda: anonymous.admin_list_devices(UserPoolId=tracked_pool, Username="cy"))
    assert err["Code"] != "InvalidParameterException"


def make_client_unsigned(signed):
    """An unsigned client to the same endpoint as `signed`."""
    import boto3

    return boto3.session.Session().client(
        "cognito-idp",
        endpoint_url=signed.meta.endpoint_url,
        region_name=signed.meta.region_name,
        config=Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1, "mode": "standard"}),
    )
