"""User pools through boto3: CreateUserPool, DescribeUserPool, UpdateUserPool, DeleteUserPool,
ListUserPools (API reference: Amazon Cognito user pools, actions of the same names)."""

import re

import pytest
from botocore.config import Config

from conftest import make_client, unique

POOL_ID = re.compile(r"^us-east-1_[0-9a-zA-Z]{9}$")


def test_create_returns_the_pool_with_id_arn_and_defaults(client):
    name = unique("create-")
    pool = client.create_user_pool(PoolName=name)["UserPool"]
    try:
        assert POOL_ID.match(pool["Id"]), pool["Id"]
        assert pool["Name"] == name
        assert pool["Arn"] == f"arn:aws:cognito-idp:us-east-1:000000000000:userpool/{pool['Id']}"
        assert pool["MfaConfiguration"] == "OFF"
        assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 8
        assert pool["EstimatedNumberOfUsers"] == 0
        # botocore parses the epoch-seconds timestamps into datetimes.
        assert pool["CreationDate"].year >= 2024
        assert any(a["Name"] == "sub" for a in pool["SchemaAttributes"])
    finally:
        client.delete_user_pool(UserPoolId=pool["Id"])


def test_describe_returns_what_create_stored(client, pool):
    described = client.describe_user_pool(UserPoolId=pool)["UserPool"]
    assert described["Id"] == pool
    assert described["Name"].startswith("compat-")
    assert described["DeletionProtection"] == "INACTIVE"


def test_describe_of_an_unknown_pool_is_resource_not_found(client):
    with pytest.raises(client.exceptions.ResourceNotFoundException) as e:
        client.describe_user_pool(UserPoolId="us-east-1_doesNotEx")
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_update_changes_settings(client, pool):
    client.update_user_pool(
        UserPoolId=pool,
        AutoVerifiedAttributes=["email"],
        Policies={"PasswordPolicy": {"MinimumLength": 12, "RequireSymbols": False}},
        UserPoolTags={"team": "compat"},
    )
    described = client.describe_user_pool(UserPoolId=pool)["UserPool"]
    assert described["AutoVerifiedAttributes"] == ["email"]
    assert described["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    assert described["Policies"]["PasswordPolicy"]["RequireSymbols"] is False
    assert described["UserPoolTags"] == {"team": "compat"}


def test_invalid_pool_name_is_an_invalid_parameter(client):
    with pytest.raises(client.exceptions.InvalidParameterException) as e:
        client.create_user_pool(PoolName="bad/name")
    assert "poolName" in e.value.response["Error"]["Message"]


def test_list_pages_through_all_pools(client):
    ids = [client.create_user_pool(PoolName=unique("list-"))["UserPool"]["Id"] for _ in range(3)]
    try:
        seen, token, pages = set(), None, 0
        while True:
            kwargs = {"MaxResults": 2}
            if token:
                kwargs["NextToken"] = token
            resp = client.list_user_pools(**kwargs)
            assert len(resp["UserPools"]) <= 2
            for p in resp["UserPools"]:
                assert set(p) >= {"Id", "Name", "CreationDate", "LastModifiedDate"}
                seen.add(p["Id"])
            pages += 1
            token = resp.get("NextToken")
            if not token:
                break
        assert set(ids) <= seen
        assert pages >= 2
    finally:
        for pool_id in ids:
            client.delete_user_pool(UserPoolId=pool_id)


def test_list_checks_max_results_on_the_server(server):
    # botocore checks MaxResults (required, 1..60) before sending; turned off, the server must.
    raw = make_client(server, config=Config(parameter_validation=False))
    with pytest.raises(raw.exceptions.InvalidParameterException):
        raw.list_user_pools(MaxResults=61)
    with pytest.raises(raw.exceptions.InvalidParameterException):
        raw.list_user_pools()


def test_delete_removes_the_pool(client):
    pool_id = client.create_user_pool(PoolName=unique("delete-"))["UserPool"]["Id"]
    client.delete_user_pool(UserPoolId=pool_id)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_user_pool(UserPoolId=pool_id)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.delete_user_pool(UserPoolId=pool_id)


def test_deletion_protection_refuses_delete(client):
    pool_id = client.create_user_pool(PoolName=unique("protected-"), DeletionProtection="ACTIVE")["UserPool"]["Id"]
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.delete_user_pool(UserPoolId=pool_id)
    client.update_user_pool(UserPoolId=pool_id, DeletionProtection="INACTIVE")
    client.delete_user_pool(UserPoolId=pool_id)
