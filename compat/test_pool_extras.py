"""Pool-level settings through boto3: TagResource, UntagResource, ListTagsForResource,
SetUserPoolMfaConfig, GetUserPoolMfaConfig, AddCustomAttributes, GetCSVHeader."""

import pytest


def pool_arn(client, pool_id):
    return client.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Arn"]


def test_tags_round_trip(client, pool):
    arn = pool_arn(client, pool)
    assert client.list_tags_for_resource(ResourceArn=arn).get("Tags", {}) == {}
    client.tag_resource(ResourceArn=arn, Tags={"env": "test", "team": "identity"})
    assert client.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"env": "test", "team": "identity"}
    assert client.describe_user_pool(UserPoolId=pool)["UserPool"]["UserPoolTags"] == {
        "env": "test",
        "team": "identity",
    }
    client.tag_resource(ResourceArn=arn, Tags={"env": "prod"})
    client.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert client.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"env": "prod"}


def test_tags_given_at_creation_are_listed(client):
    pool = client.create_user_pool(PoolName="tagged", UserPoolTags={"owner": "compat"})["UserPool"]
    try:
        assert client.list_tags_for_resource(ResourceArn=pool["Arn"])["Tags"] == {"owner": "compat"}
    finally:
        client.delete_user_pool(UserPoolId=pool["Id"])


def test_tags_of_an_unknown_pool_are_resource_not_found(client):
    arn = "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_doesNotEx"
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.list_tags_for_resource(ResourceArn=arn)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.tag_resource(ResourceArn=arn, Tags={"a": "b"})


def test_mfa_config_defaults_to_off_and_can_be_set(client, pool):
    assert client.get_user_pool_mfa_config(UserPoolId=pool)["MfaConfiguration"] == "OFF"
    out = client.set_user_pool_mfa_config(
        UserPoolId=pool,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="OPTIONAL",
    )
    assert out["MfaConfiguration"] == "OPTIONAL"
    assert out["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    got = client.get_user_pool_mfa_config(UserPoolId=pool)
    assert got["MfaConfiguration"] == "OPTIONAL"
    assert got["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    assert client.describe_user_pool(UserPoolId=pool)["UserPool"]["MfaConfiguration"] == "OPTIONAL"


def test_mfa_config_of_an_unknown_pool_is_resource_not_found(client):
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_user_pool_mfa_config(UserPoolId="us-east-1_doesNotEx")


def test_mfa_configuration_value_is_checked(client, pool):
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.set_user_pool_mfa_config(UserPoolId=pool, MfaConfiguration="SOMETIMES")


def test_custom_attributes_are_added_with_prefix(client, pool):
    client.add_custom_attributes(
        UserPoolId=pool,
        CustomAttributes=[
            {"Name": "tier", "AttributeDataType": "String", "Mutable": True,
             "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "16"}},
            {"Name": "age", "AttributeDataType": "Number"},
        ],
    )
    schema = {a["Name"]: a for a in client.describe_user_pool(UserPoolId=pool)["UserPool"]["SchemaAttributes"]}
    assert schema["custom:tier"]["AttributeDataType"] == "String"
    assert schema["custom:tier"]["StringAttributeConstraints"]["MaxLength"] == "16"
    assert schema["custom:age"]["AttributeDataType"] == "Number"


def test_adding_an_existing_custom_attribute_is_an_invalid_parameter(client, pool):
    attr = [{"Name": "tier", "AttributeDataType": "String"}]
    client.add_custom_attributes(UserPoolId=pool, CustomAttributes=attr)
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.add_custom_attributes(UserPoolId=pool, CustomAttributes=attr)


def test_csv_header_lists_the_pool_attributes(client, pool):
    client.add_custom_attributes(UserPoolId=pool, CustomAttributes=[{"Name": "tier", "AttributeDataType": "String"}])
    out = client.get_csv_header(UserPoolId=pool)
    assert out["UserPoolId"] == pool
    header = out["CSVHeader"]
    for name in ["name", "given_name", "family_name", "email", "email_verified", "phone_number",
                 "phone_number_verified", "custom:tier", "cognito:mfa_enabled", "cognito:username"]:
        assert name in header, name
    assert "sub" not in header
    assert header[-2:] == ["cognito:mfa_enabled", "cognito:username"]


def test_csv_header_of_an_unknown_pool_is_resource_not_found(client):
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_csv_header(UserPoolId="us-east-1_doesNotEx")
