"""Who may call what, as boto3 sees it: management actions need a SigV4 signature from the
server's principal (keys in `{data-dir}/credentials`), public actions need none."""

import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import make_client

AUTH_ERRORS = {
    "MissingAuthenticationTokenException",
    "InvalidSignatureException",
    "UnrecognizedClientException",
    "IncompleteSignatureException",
}


def error_of(call):
    with pytest.raises(ClientError) as e:
        call()
    return e.value.response


def test_the_generated_credentials_work(client):
    assert "UserPools" in client.list_user_pools(MaxResults=1)


def test_wrong_secret_is_invalid_signature(server):
    bad = make_client(server, secret="x" * 40)
    err = error_of(lambda: bad.list_user_pools(MaxResults=1))
    assert err["Error"]["Code"] == "InvalidSignatureException"
    assert "signature we calculated does not match" in err["Error"]["Message"]
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_unknown_access_key_is_unrecognized_client(server):
    stranger = make_client(server, access_key_id="AKIAUNKNOWNUNKNOWN00", secret="y" * 40)
    err = error_of(lambda: stranger.list_user_pools(MaxResults=1))
    assert err["Error"]["Code"] == "UnrecognizedClientException"
    assert err["Error"]["Message"] == "The security token included in the request is invalid."


def test_unsigned_management_call_is_missing_authentication_token(server):
    anonymous = make_client(server, config=Config(signature_version=UNSIGNED))
    err = error_of(lambda: anonymous.create_user_pool(PoolName="anonymous"))
    assert err["Error"]["Code"] == "MissingAuthenticationTokenException"
    assert err["Error"]["Message"] == "Missing Authentication Token"
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_every_answer_has_a_request_id(client, server):
    resp = client.list_user_pools(MaxResults=1)
    assert resp["ResponseMetadata"]["RequestId"]
    anonymous = make_client(server, config=Config(signature_version=UNSIGNED))
    err = error_of(lambda: anonymous.list_user_pools(MaxResults=1))
    assert err["ResponseMetadata"]["RequestId"]


def test_public_action_needs_no_signature(server):
    # SignUp is authorised by its client id, not IAM: whatever it answers for an unknown client,
    # it is not an authentication error.
    anonymous = make_client(server, config=Config(signature_version=UNSIGNED))
    err = error_of(
        lambda: anonymous.sign_up(ClientId="doesnotexist0000000000000a", Username="someone", Password="Passw0rd!x")
    )
    assert err["Error"]["Code"] not in AUTH_ERRORS, err["Error"]
