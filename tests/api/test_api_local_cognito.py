"""Issue 16, items 2 and 7: the local Cognito of `serve` refuses what AWS refuses — the same boto3 calls an
attacker makes, through the AWS endpoint, then the API with whatever token they could get."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from api_support import PASSWORD, Api
from botocore.exceptions import ClientError
from tokens_support import claims_of

from medscribe.cli_front import id_token


def _idp(api: Api) -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=api.server.aws_url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def _error(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = exc.value.response["Error"]
    return str(error["Code"]), str(error["Message"])


def test_a_clinician_cannot_rewrite_their_own_tenant(api: Api, alices: dict[str, Any]) -> None:
    # Given bob (clinic-b) signed in with his password: an access token of the web client
    idp = _idp(api)
    auth = idp.initiate_auth(
        ClientId=api.server.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "bob@clinic-b.test", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    # When he rewrites his own custom:tenant to clinic-a with UpdateUserAttributes
    with pytest.raises(ClientError) as refused:
        idp.update_user_attributes(
            AccessToken=auth["AccessToken"], UserAttributes=[{"Name": "custom:tenant", "Value": "clinic-a"}]
        )
    # Then Cognito refuses as AWS does (custom:tenant is not among the client's WriteAttributes)
    assert _error(refused) == ("NotAuthorizedException", "A client attempted to write unauthorized attribute")
    # And a new sign-in still says clinic-b: alice's recording does not exist for him
    token = id_token(api.server.aws_url, "bob@clinic-b.test", PASSWORD)
    assert claims_of(token)["custom:tenant"] == "clinic-b"
    response = api.call("GET", f"/recordings/{alices['recording_id']}", headers={"Authorization": token})
    assert response.status_code == 404


def test_an_administrator_cannot_move_a_user_to_another_tenant(api: Api) -> None:
    idp = _idp(api)
    with pytest.raises(ClientError) as refused:
        idp.admin_update_user_attributes(
            UserPoolId=api.server.user_pool_id,
            Username="bob@clinic-b.test",
            UserAttributes=[{"Name": "custom:tenant", "Value": "clinic-a"}],
        )
    assert _error(refused) == (
        "InvalidParameterException",
        "user.custom:tenant: Attribute cannot be updated.",
    )
    user = idp.admin_get_user(UserPoolId=api.server.user_pool_id, Username="bob@clinic-b.test")
    assert {"Name": "custom:tenant", "Value": "clinic-b"} in user["UserAttributes"]


def test_public_sign_up_is_refused(api: Api) -> None:
    idp = _idp(api)
    with pytest.raises(ClientError) as refused:
        idp.sign_up(
            ClientId=api.server.client_id,
            Username="mallory@evil.example",
            Password=PASSWORD,
            UserAttributes=[{"Name": "custom:tenant", "Value": "clinic-a"}],
        )
    assert _error(refused) == ("NotAuthorizedException", "SignUp is not permitted for this user pool")
    users = idp.list_users(UserPoolId=api.server.user_pool_id)["Users"]
    assert all(u["Username"] != "mallory@evil.example" for u in users)
    assert all(
        a["Value"] != "mallory@evil.example"
        for u in users
        for a in u.get("Attributes", [])
        if a["Name"] == "email"
    )


def test_tokens_are_signed_with_the_data_directorys_key_never_mottos(api: Api) -> None:
    # Given the JWKS the local pool publishes
    import requests

    jwks = requests.get(f"{api.server.aws_url}/{api.server.user_pool_id}/.well-known/jwks.json", timeout=30)
    keys = jwks.json()["keys"]
    # Then it is the data directory's key (not moto's "dummy"), and real tokens carry its kid
    assert [k["kid"] for k in keys] == [api.pool_key.kid]
    import jwt

    assert jwt.get_unverified_header(api.tokens["alice"])["kid"] == api.pool_key.kid
    key_file = api.server.pipeline.home / "cognito" / "signing-key.pem"
    assert key_file.stat().st_mode & 0o077 == 0  # readable by its owner only
