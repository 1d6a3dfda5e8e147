"""Pool domains through boto3: CreateUserPoolDomain, DescribeUserPoolDomain,
DeleteUserPoolDomain, and the Domain member of DescribeUserPool."""

import pytest

from conftest import unique


def test_prefix_domain_round_trip(client, pool):
    prefix = unique("compat-")
    client.create_user_pool_domain(Domain=prefix, UserPoolId=pool)
    desc = client.describe_user_pool_domain(Domain=prefix)["DomainDescription"]
    assert desc["UserPoolId"] == pool
    assert desc["Domain"] == prefix
    assert desc["Status"] == "ACTIVE"
    assert client.describe_user_pool(UserPoolId=pool)["UserPool"]["Domain"] == prefix

    client.delete_user_pool_domain(Domain=prefix, UserPoolId=pool)
    # An unknown domain is described as an empty DomainDescription, not an error.
    assert client.describe_user_pool_domain(Domain=prefix)["DomainDescription"] == {}
    assert "Domain" not in client.describe_user_pool(UserPoolId=pool)["UserPool"]


def test_a_domain_belongs_to_one_pool(client, pool):
    prefix = unique("taken-")
    client.create_user_pool_domain(Domain=prefix, UserPoolId=pool)
    other = client.create_user_pool(PoolName=unique("other-"))["UserPool"]["Id"]
    try:
        with pytest.raises(client.exceptions.InvalidParameterException):
            client.create_user_pool_domain(Domain=prefix, UserPoolId=other)
    finally:
        client.delete_user_pool(UserPoolId=other)


def test_invalid_prefix_is_an_invalid_parameter(client, pool):
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.create_user_pool_domain(Domain="Not_A_Valid_Prefix", UserPoolId=pool)


def test_domain_for_an_unknown_pool_is_resource_not_found(client):
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.create_user_pool_domain(Domain=unique("nopool-"), UserPoolId="us-east-1_doesNotEx")


def test_update_changes_the_managed_login_version(client, pool):
    prefix = unique("version-")
    client.create_user_pool_domain(Domain=prefix, UserPoolId=pool, ManagedLoginVersion=1)
    assert client.describe_user_pool_domain(Domain=prefix)["DomainDescription"]["ManagedLoginVersion"] == 1
    out = client.update_user_pool_domain(Domain=prefix, UserPoolId=pool, ManagedLoginVersion=2)
    assert out["ManagedLoginVersion"] == 2
    assert client.describe_user_pool_domain(Domain=prefix)["DomainDescription"]["ManagedLoginVersion"] == 2


def test_update_of_a_domain_the_pool_does_not_have_is_refused(client, pool):
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.update_user_pool_domain(Domain=unique("absent-"), UserPoolId=pool, ManagedLoginVersion=2)


def test_custom_domain_with_a_certificate(client, pool):
    domain = f"{unique('auth')}.example.com"
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
    out = client.create_user_pool_domain(Domain=domain, UserPoolId=pool, CustomDomainConfig={"CertificateArn": arn})
    assert out["CloudFrontDomain"]
    desc = client.describe_user_pool_domain(Domain=domain)["DomainDescription"]
    assert desc["UserPoolId"] == pool
    assert desc["CustomDomainConfig"] == {"CertificateArn": arn}
    assert desc["CloudFrontDistribution"] == out["CloudFrontDomain"]
    assert client.describe_user_pool(UserPoolId=pool)["UserPool"]["CustomDomain"] == domain
    client.delete_user_pool_domain(Domain=domain, UserPoolId=pool)
    assert client.describe_user_pool_domain(Domain=domain)["DomainDescription"] == {}
