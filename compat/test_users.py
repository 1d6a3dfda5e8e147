"""Users through boto3, as an administrator: AdminCreateUser, AdminGetUser, AdminDeleteUser,
AdminUpdateUserAttributes, AdminDeleteUserAttributes, AdminDisableUser, AdminEnableUser,
AdminSetUserPassword, AdminResetUserPassword, ListUsers (with Filter)."""

import re

import pytest

TEMP_PASSWORD = "Temp-Passw0rd!"
SUB = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def attrs(items):
    return {a["Name"]: a["Value"] for a in items}


def create(client, pool, username, email=None, **extra):
    attributes = [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}] if email else []
    return client.admin_create_user(
        UserPoolId=pool,
        Username=username,
        UserAttributes=attributes,
        TemporaryPassword=TEMP_PASSWORD,
        MessageAction="SUPPRESS",
        **extra,
    )["User"]


def test_admin_create_user_returns_the_new_user(client, pool):
    user = create(client, pool, "alice", "alice@example.com")
    assert user["Username"] == "alice"
    assert user["Enabled"] is True
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    a = attrs(user["Attributes"])
    assert SUB.match(a["sub"]), a
    assert a["email"] == "alice@example.com"
    assert a["email_verified"] == "true"
    assert user["UserCreateDate"].year >= 2024


def test_admin_create_user_twice_is_username_exists(client, pool):
    create(client, pool, "alice")
    with pytest.raises(client.exceptions.UsernameExistsException) as e:
        create(client, pool, "alice")
    assert e.value.response["Error"]["Message"] == "User account already exists"


def test_admin_create_user_in_an_unknown_pool_is_resource_not_found(client):
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        create(client, "us-east-1_doesNotEx", "alice")


def test_admin_create_user_checks_the_temporary_password_against_the_policy(client, pool):
    with pytest.raises(client.exceptions.InvalidPasswordException):
        client.admin_create_user(UserPoolId=pool, Username="weak", TemporaryPassword="short", MessageAction="SUPPRESS")


def test_admin_get_user_returns_status_and_attributes(client, pool):
    created = create(client, pool, "bob", "bob@example.com")
    got = client.admin_get_user(UserPoolId=pool, Username="bob")
    assert got["Username"] == "bob"
    assert got["Enabled"] is True
    assert got["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert attrs(got["UserAttributes"]) == attrs(created["Attributes"])


def test_admin_get_user_of_an_unknown_user_is_user_not_found(client, pool):
    with pytest.raises(client.exceptions.UserNotFoundException) as e:
        client.admin_get_user(UserPoolId=pool, Username="nobody")
    assert e.value.response["Error"]["Code"] == "UserNotFoundException"
    assert e.value.response["Error"]["Message"] == "User does not exist."


def test_admin_update_and_delete_user_attributes(client, pool):
    create(client, pool, "carol", "carol@example.com")
    client.admin_update_user_attributes(
        UserPoolId=pool,
        Username="carol",
        UserAttributes=[{"Name": "given_name", "Value": "Carol"}, {"Name": "family_name", "Value": "Jones"}],
    )
    a = attrs(client.admin_get_user(UserPoolId=pool, Username="carol")["UserAttributes"])
    assert a["given_name"] == "Carol"
    assert a["family_name"] == "Jones"
    client.admin_delete_user_attributes(UserPoolId=pool, Username="carol", UserAttributeNames=["given_name"])
    a = attrs(client.admin_get_user(UserPoolId=pool, Username="carol")["UserAttributes"])
    assert "given_name" not in a
    assert a["family_name"] == "Jones"


def test_updating_an_unknown_attribute_is_an_invalid_parameter(client, pool):
    create(client, pool, "dave")
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.admin_update_user_attributes(
            UserPoolId=pool, Username="dave", UserAttributes=[{"Name": "custom:nope", "Value": "x"}]
        )


def test_admin_disable_and_enable_user(client, pool):
    create(client, pool, "erin")
    client.admin_disable_user(UserPoolId=pool, Username="erin")
    assert client.admin_get_user(UserPoolId=pool, Username="erin")["Enabled"] is False
    client.admin_enable_user(UserPoolId=pool, Username="erin")
    assert client.admin_get_user(UserPoolId=pool, Username="erin")["Enabled"] is True
    with pytest.raises(client.exceptions.UserNotFoundException):
        client.admin_disable_user(UserPoolId=pool, Username="nobody")


def test_admin_set_user_password(client, pool):
    create(client, pool, "frank")
    client.admin_set_user_password(UserPoolId=pool, Username="frank", Password="Perm-Passw0rd!", Permanent=True)
    assert client.admin_get_user(UserPoolId=pool, Username="frank")["UserStatus"] == "CONFIRMED"
    client.admin_set_user_password(UserPoolId=pool, Username="frank", Password="Next-Passw0rd!", Permanent=False)
    assert client.admin_get_user(UserPoolId=pool, Username="frank")["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    with pytest.raises(client.exceptions.InvalidPasswordException):
        client.admin_set_user_password(UserPoolId=pool, Username="frank", Password="weak", Permanent=True)


def test_admin_reset_user_password_requires_a_new_password(client, pool):
    create(client, pool, "grace", "grace@example.com")
    client.admin_set_user_password(UserPoolId=pool, Username="grace", Password="Perm-Passw0rd!", Permanent=True)
    client.admin_reset_user_password(UserPoolId=pool, Username="grace")
    assert client.admin_get_user(UserPoolId=pool, Username="grace")["UserStatus"] == "RESET_REQUIRED"
    with pytest.raises(client.exceptions.UserNotFoundException):
        client.admin_reset_user_password(UserPoolId=pool, Username="nobody")


def test_admin_delete_user(client, pool):
    create(client, pool, "heidi")
    client.admin_delete_user(UserPoolId=pool, Username="heidi")
    with pytest.raises(client.exceptions.UserNotFoundException):
        client.admin_get_user(UserPoolId=pool, Username="heidi")
    with pytest.raises(client.exceptions.UserNotFoundException):
        client.admin_delete_user(UserPoolId=pool, Username="heidi")


def test_list_users_with_filters(client, pool):
    create(client, pool, "alice", "alice@example.com")
    create(client, pool, "albert", "albert@example.org")
    create(client, pool, "bob", "bob@example.com")
    client.admin_disable_user(UserPoolId=pool, Username="bob")

    every = client.list_users(UserPoolId=pool)["Users"]
    assert sorted(u["Username"] for u in every) == ["albert", "alice", "bob"]

    def names(flt):
        return sorted(u["Username"] for u in client.list_users(UserPoolId=pool, Filter=flt)["Users"])

    assert names('email = "bob@example.com"') == ["bob"]
    assert names('username ^= "al"') == ["albert", "alice"]
    assert names('email ^= "al"') == ["albert", "alice"]
    assert names('status = "Disabled"') == ["bob"]
    assert names('cognito:user_status = "FORCE_CHANGE_PASSWORD"') == ["albert", "alice", "bob"]
    assert names('email = "nobody@example.com"') == []


def test_list_users_attributes_to_get_and_pages(client, pool):
    for name in ["u1", "u2", "u3"]:
        create(client, pool, name, f"{name}@example.com")
    only_email = client.list_users(UserPoolId=pool, AttributesToGet=["email"])["Users"]
    assert all(list(attrs(u["Attributes"])) == ["email"] for u in only_email)

    seen, token = [], None
    while True:
        kwargs = {"UserPoolId": pool, "Limit": 2}
        if token:
            kwargs["PaginationToken"] = token
        resp = client.list_users(**kwargs)
        assert len(resp["Users"]) <= 2
        seen += [u["Username"] for u in resp["Users"]]
        token = resp.get("PaginationToken")
        if not token:
            break
    assert sorted(seen) == ["u1", "u2", "u3"]


def test_list_users_refuses_a_malformed_filter(client, pool):
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.list_users(UserPoolId=pool, Filter="email === bob")


def test_list_users_of_an_unknown_pool_is_resource_not_found(client):
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.list_users(UserPoolId="us-east-1_doesNotEx")
