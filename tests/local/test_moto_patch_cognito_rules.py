"""moto 5.2.6's cognito-idp accepts what AWS refuses (canaries: each fails once moto enforces it itself, and the
patch can go); with ``cognito_rules`` applied the same calls get AWS's answers, and tokens are signed with the
data directory's key."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import boto3
import jwt
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from medscribe.local import moto_patches
from medscribe.local.moto_patches import cognito_rules

PASSWORD = "Correct-Horse-9-Battery"


def _pool(idp: Any) -> tuple[str, str]:
    """A pool and client as template.yaml declares them (admin-create only, immutable tenant, write: email)."""
    pool = idp.create_user_pool(
        PoolName="t-users",
        UsernameAttributes=["email"],
        AdminCreateUserConfig={"AllowAdminCreateUserOnly": True},
        Schema=[{"Name": "tenant", "AttributeDataType": "String", "Mutable": False}],
    )["UserPool"]["Id"]
    client = idp.create_user_pool_client(
        UserPoolId=pool,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        ReadAttributes=["email", "custom:tenant"],
        WriteAttributes=["email"],
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(
        UserPoolId=pool,
        Username="a@x.test",
        UserAttributes=[
            {"Name": "email", "Value": "a@x.test"},
            {"Name": "custom:tenant", "Value": "clinic-a"},
        ],
        MessageAction="SUPPRESS",
    )
    idp.admin_set_user_password(UserPoolId=pool, Username="a@x.test", Password=PASSWORD, Permanent=True)
    return pool, client


def _sign_in(idp: Any, client: str) -> dict[str, Any]:
    result: dict[str, Any] = idp.initiate_auth(
        ClientId=client,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "a@x.test", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    return result


@pytest.fixture
def idp() -> Iterator[Any]:
    with mock_aws():
        yield boto3.client("cognito-idp", region_name="us-east-1")


@pytest.fixture
def patched(idp: Any, tmp_path: Path) -> Iterator[tuple[Any, cognito_rules.SigningKey]]:
    with ExitStack() as stack:
        key = cognito_rules.apply(stack, tmp_path)
        yield idp, key


def test_patch_names_the_moto_version_it_targets() -> None:
    moto_patches.check_version()  # moto is the release the patches name (or an upgrade trial's)
    assert cognito_rules.MOTO_VERSION == moto_patches.MOTO_VERSION


# ---- canaries: moto without the patch ---------------------------------------------------------------------
def test_canary_moto_lets_sign_up_through_an_admin_only_pool(idp: Any) -> None:
    _, client = _pool(idp)
    idp.sign_up(ClientId=client, Username="m@x.test", Password=PASSWORD)  # AWS: NotAuthorizedException


def test_canary_moto_lets_a_user_rewrite_an_immutable_attribute(idp: Any) -> None:
    pool, client = _pool(idp)
    access = _sign_in(idp, client)["AccessToken"]
    idp.update_user_attributes(AccessToken=access, UserAttributes=[{"Name": "custom:tenant", "Value": "b"}])
    idp.admin_update_user_attributes(
        UserPoolId=pool, Username="a@x.test", UserAttributes=[{"Name": "custom:tenant", "Value": "c"}]
    )
    user = idp.admin_get_user(UserPoolId=pool, Username="a@x.test")
    assert {"Name": "custom:tenant", "Value": "c"} in user["UserAttributes"]


def test_canary_moto_signs_with_the_key_it_ships(idp: Any) -> None:
    from moto.utilities.utils import load_resource

    _, client = _pool(idp)
    token = _sign_in(idp, client)["IdToken"]
    public = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-public.json")["keys"][0]).key
    jwt.decode(token, public, algorithms=["RS256"], options={"verify_aud": False})


# ---- with the patch ---------------------------------------------------------------------------------------
def _code(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    return exc.value.response["Error"]["Code"], exc.value.response["Error"]["Message"]


def test_sign_up_is_refused_as_aws_does(patched: tuple[Any, Any]) -> None:
    idp, _ = patched
    _, client = _pool(idp)
    with pytest.raises(ClientError) as refused:
        idp.sign_up(ClientId=client, Username="m@x.test", Password=PASSWORD)
    assert _code(refused) == ("NotAuthorizedException", cognito_rules.SIGNUP_REFUSED)


def test_a_user_writes_only_the_clients_write_attributes(patched: tuple[Any, Any]) -> None:
    idp, _ = patched
    _, client = _pool(idp)
    access = _sign_in(idp, client)["AccessToken"]
    with pytest.raises(ClientError) as refused:
        idp.update_user_attributes(
            AccessToken=access, UserAttributes=[{"Name": "custom:tenant", "Value": "clinic-b"}]
        )
    assert _code(refused) == ("NotAuthorizedException", cognito_rules.UNAUTHORIZED_WRITE)


def test_an_admin_cannot_rewrite_an_immutable_attribute(patched: tuple[Any, Any]) -> None:
    idp, _ = patched
    pool, _ = _pool(idp)
    with pytest.raises(ClientError) as refused:
        idp.admin_update_user_attributes(
            UserPoolId=pool,
            Username="a@x.test",
            UserAttributes=[{"Name": "custom:tenant", "Value": "clinic-b"}],
        )
    assert _code(refused) == ("InvalidParameterException", "user.custom:tenant: Attribute cannot be updated.")
    # a mutable attribute stays writable by the administrator
    idp.admin_update_user_attributes(
        UserPoolId=pool, Username="a@x.test", UserAttributes=[{"Name": "name", "Value": "A"}]
    )


def test_tokens_are_signed_with_the_homes_key_and_moto_key_fails(
    patched: tuple[Any, Any], tmp_path: Path
) -> None:
    from moto.utilities.utils import load_resource

    idp, key = patched
    _, client = _pool(idp)
    token = _sign_in(idp, client)["IdToken"]
    assert jwt.get_unverified_header(token)["kid"] == key.kid
    claims = jwt.decode(token, key.private.public_key(), algorithms=["RS256"], options={"verify_aud": False})
    assert claims["custom:tenant"] == "clinic-a"
    moto_public = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-public.json")["keys"][0]).key
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, moto_public, algorithms=["RS256"], options={"verify_aud": False})
    # the same key on the next start of the same data directory; another directory, another key
    assert cognito_rules.SigningKey.for_home(tmp_path).kid == key.kid
    assert cognito_rules.SigningKey.for_home(tmp_path / "other").kid != key.kid


def test_id_tokens_carry_only_readable_custom_attributes(patched: tuple[Any, Any]) -> None:
    idp, _ = patched
    pool, _ = _pool(idp)
    narrow = idp.create_user_pool_client(
        UserPoolId=pool,
        ClientName="narrow",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
        ReadAttributes=["email"],
    )["UserPoolClient"]["ClientId"]
    token = _sign_in(idp, narrow)["IdToken"]
    assert "custom:tenant" not in jwt.decode(token, options={"verify_signature": False})
