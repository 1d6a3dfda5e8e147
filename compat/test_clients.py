"""App clients through boto3: CreateUserPoolClient, DescribeUserPoolClient,
UpdateUserPoolClient, DeleteUserPoolClient, ListUserPoolClients."""

import re

import pytest

CLIENT_ID = re.compile(r"^[a-z0-9]{26}$")


def test_create_returns_the_client_with_cognito_defaults(client, pool):
    created = client.create_user_pool_client(
        UserPoolId=pool,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    assert CLIENT_ID.match(created["ClientId"]), created["ClientId"]
    assert created["ClientName"] == "web"
    assert created["UserPoolId"] == pool
    assert "ClientSecret" not in created
    assert sorted(created["ExplicitAuthFlows"]) == ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]
    # Defaults from the API reference (UserPoolClientType).
    assert created["RefreshTokenValidity"] == 30
    assert created["AuthSessionValidity"] == 3
    assert created["EnableTokenRevocation"] is True
    assert created["AllowedOAuthFlowsUserPoolClient"] is False
    assert created["CreationDate"].year >= 2024


def test_generate_secret_returns_a_secret_and_describe_repeats_it(client, pool):
    created = client.create_user_pool_client(UserPoolId=pool, ClientName="backend", GenerateSecret=True)[
        "UserPoolClient"
    ]
    assert created["ClientSecret"]
    described = client.describe_user_pool_client(UserPoolId=pool, ClientId=created["ClientId"])["UserPoolClient"]
    assert described["ClientSecret"] == created["ClientSecret"]
    assert described["ClientName"] == "backend"


def test_describe_of_an_unknown_client_is_resource_not_found(client, pool):
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_user_pool_client(UserPoolId=pool, ClientId="doesnotexist0000000000000a")


def test_create_in_an_unknown_pool_is_resource_not_found(client):
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.create_user_pool_client(UserPoolId="us-east-1_doesNotEx", ClientName="x")


def test_invalid_auth_flow_is_an_invalid_parameter(client, pool):
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.create_user_pool_client(UserPoolId=pool, ClientName="x", ExplicitAuthFlows=["NOT_A_FLOW"])


def test_oauth_settings_are_stored(client, pool):
    created = client.create_user_pool_client(
        UserPoolId=pool,
        ClientName="spa",
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"],
        CallbackURLs=["https://app.example.com/callback"],
        LogoutURLs=["https://app.example.com/"],
        SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]
    described = client.describe_user_pool_client(UserPoolId=pool, ClientId=created["ClientId"])["UserPoolClient"]
    assert described["AllowedOAuthFlows"] == ["code"]
    assert sorted(described["AllowedOAuthScopes"]) == ["email", "openid"]
    assert described["CallbackURLs"] == ["https://app.example.com/callback"]
    assert described["SupportedIdentityProviders"] == ["COGNITO"]


def test_update_replaces_the_settings(client, pool):
    client_id = client.create_user_pool_client(UserPoolId=pool, ClientName="before")["UserPoolClient"]["ClientId"]
    updated = client.update_user_pool_client(
        UserPoolId=pool, ClientId=client_id, ClientName="after", RefreshTokenValidity=10
    )["UserPoolClient"]
    assert updated["ClientName"] == "after"
    assert updated["RefreshTokenValidity"] == 10
    described = client.describe_user_pool_client(UserPoolId=pool, ClientId=client_id)["UserPoolClient"]
    assert described["ClientName"] == "after"
    assert described["RefreshTokenValidity"] == 10


def test_list_returns_every_client_in_pages(client, pool):
    ids = {
        client.create_user_pool_client(UserPoolId=pool, ClientName=f"c{i}")["UserPoolClient"]["ClientId"]
        for i in range(3)
    }
    seen, token = {}, None
    while True:
        kwargs = {"UserPoolId": pool, "MaxResults": 2}
        if token:
            kwargs["NextToken"] = token
        resp = client.list_user_pool_clients(**kwargs)
        assert len(resp["UserPoolClients"]) <= 2
        for c in resp["UserPoolClients"]:
            assert c["UserPoolId"] == pool
            seen[c["ClientId"]] = c["ClientName"]
        token = resp.get("NextToken")
        if not token:
            break
    assert set(seen) == ids
    assert sorted(seen.values()) == ["c0", "c1", "c2"]


def test_delete_removes_the_client(client, pool):
    client_id = client.create_user_pool_client(UserPoolId=pool, ClientName="gone")["UserPoolClient"]["ClientId"]
    client.delete_user_pool_client(UserPoolId=pool, ClientId=client_id)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_user_pool_client(UserPoolId=pool, ClientId=client_id)
    assert client.list_user_pool_clients(UserPoolId=pool, MaxResults=60)["UserPoolClients"] == []
