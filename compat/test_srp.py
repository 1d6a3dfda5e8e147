"""SRP sign-in (USER_SRP_AUTH / PASSWORD_VERIFIER) with pycognito's own client, unpatched:
`AWSSRP.authenticate_user` against the server through a boto3 client with its endpoint."""

import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP

from conftest import make_client, unique

PASSWORD = "Passw0rd!"
OTHER_PASSWORD = "Other-Passw0rd"


@pytest.fixture
def app(server):
    """What an application holds: an unsigned client (public actions need no credentials)."""
    return make_client(server, config=Config(signature_version=UNSIGNED))


@pytest.fixture
def srp_client_id(client, pool):
    resp = client.create_user_pool_client(
        UserPoolId=pool,
        ClientName=unique("srp-"),
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )
    return resp["UserPoolClient"]["ClientId"]


def confirmed_user(client, pool, username, password=PASSWORD):
    client.admin_create_user(UserPoolId=pool, Username=username, MessageAction="SUPPRESS")
    client.admin_set_user_password(UserPoolId=pool, Username=username, Password=password, Permanent=True)


def test_pycognito_signs_in_with_srp(client, app, pool, srp_client_id):
    confirmed_user(client, pool, "ada")
    srp = AWSSRP(username="ada", password=PASSWORD, pool_id=pool, client_id=srp_client_id, client=app)
    tokens = srp.authenticate_user()
    result = tokens["AuthenticationResult"]
    assert result["AccessToken"] and result["IdToken"] and result["RefreshToken"]
    user = app.get_user(AccessToken=result["AccessToken"])
    assert user["Username"] == "ada"
    # The refresh token from an SRP sign-in renews tokens.
    renewed = app.initiate_auth(
        AuthFlow="REFRESH_TOKEN_AUTH",
        ClientId=srp_client_id,
        AuthParameters={"REFRESH_TOKEN": result["RefreshToken"]},
    )
    assert renewed["AuthenticationResult"]["AccessToken"]


def test_a_wrong_password_is_not_authorized(client, app, pool, srp_client_id):
    confirmed_user(client, pool, "bea")
    srp = AWSSRP(username="bea", password=OTHER_PASSWORD, pool_id=pool, client_id=srp_client_id, client=app)
    with pytest.raises(ClientError) as e:
        srp.authenticate_user()
    assert e.value.response["Error"]["Code"] == "NotAuthorizedException"
    assert e.value.response["Error"]["Message"] == "Incorrect username or password."


def test_a_replayed_claim_is_refused(client, app, pool, srp_client_id):
    confirmed_user(client, pool, "cy")
    srp = AWSSRP(username="cy", password=PASSWORD, pool_id=pool, client_id=srp_client_id, client=app)
    params = srp.get_auth_params()
    challenge = app.initiate_auth(AuthFlow="USER_SRP_AUTH", AuthParameters=params, ClientId=srp_client_id)
    assert challenge["ChallengeName"] == "PASSWORD_VERIFIER"
    answer = srp.process_challenge(challenge["ChallengeParameters"], params)
    first = app.respond_to_auth_challenge(
        ClientId=srp_client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer
    )
    assert first["AuthenticationResult"]["AccessToken"]
    with pytest.raises(ClientError) as e:
        app.respond_to_auth_challenge(ClientId=srp_client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer)
    assert e.value.response["Error"]["Code"] == "NotAuthorizedException"


def test_a_temporary_password_leads_to_new_password_required(client, app, pool, srp_client_id):
    client.admin_create_user(
        UserPoolId=pool, Username="dee", TemporaryPassword="Temp-Passw0rd", MessageAction="SUPPRESS"
    )
    srp = AWSSRP(username="dee", password="Temp-Passw0rd", pool_id=pool, client_id=srp_client_id, client=app)
    tokens = srp.set_new_password_challenge(PASSWORD)
    assert tokens["AuthenticationResult"]["AccessToken"]
    again = AWSSRP(username="dee", password=PASSWORD, pool_id=pool, client_id=srp_client_id, client=app)
    assert again.authenticate_user()["AuthenticationResult"]["AccessToken"]


def test_signed_up_users_sign_in_with_srp_after_change_password(client, app, pool, srp_client_id):
    app.sign_up(ClientId=srp_client_id, Username="eve", Password=PASSWORD)
    client.admin_confirm_sign_up(UserPoolId=pool, Username="eve")
    srp = AWSSRP(username="eve", password=PASSWORD, pool_id=pool, client_id=srp_client_id, client=app)
    access = srp.authenticate_user()["AuthenticationResult"]["AccessToken"]
    app.change_password(PreviousPassword=PASSWORD, ProposedPassword=OTHER_PASSWORD, AccessToken=access)
    srp = AWSSRP(username="eve", password=OTHER_PASSWORD, pool_id=pool, client_id=srp_client_id, client=app)
    assert srp.authenticate_user()["AuthenticationResult"]["AccessToken"]
