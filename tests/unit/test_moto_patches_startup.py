"""moto_patches.startup: building the local stack without moto's repeated start-up work, same behaviour."""

from __future__ import annotations

from contextlib import ExitStack

import boto3
import moto

from medscribe.local.moto_patches import startup

REGION = "us-east-1"


def test_moto_reads_every_service_model_through_one_loader_while_patched() -> None:
    import moto.core.utils

    # Given the patch applied
    with ExitStack() as stack:
        startup.apply(stack)
        # When moto asks for loaders twice, then it gets the same one (its folder listing is done once)
        assert moto.core.utils.create_loader() is moto.core.utils.create_loader()
        assert moto.core.utils._load_service_model("kms", "service-2")["metadata"]["serviceId"] == "KMS"
    # And closing the stack restores a new loader per call
    assert moto.core.utils.create_loader() is not moto.core.utils.create_loader()


def test_a_symmetric_key_gets_its_private_key_only_when_something_uses_it() -> None:
    # Given the patch and a symmetric and an asymmetric KMS key
    with moto.mock_aws(), ExitStack() as stack:
        startup.apply(stack)
        kms = boto3.client("kms", region_name=REGION)
        symmetric = kms.create_key()["KeyMetadata"]["KeyId"]
        signing = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
        from moto.kms.models import kms_backends

        backend = kms_backends["123456789012"][REGION]
        lazy = backend.keys[symmetric].private_key
        # Then the symmetric key has not generated an RSA key, and still encrypts and decrypts
        assert isinstance(lazy, startup.LazyPrivateKey)
        assert lazy._key is None
        blob = kms.encrypt(KeyId=symmetric, Plaintext=b"secret")["CiphertextBlob"]
        assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"secret"
        assert lazy._key is None
        # And the asymmetric key signs and verifies at once, as without the patch
        assert not isinstance(backend.keys[signing].private_key, startup.LazyPrivateKey)
        signature = kms.sign(
            KeyId=signing, Message=b"m", MessageType="RAW", SigningAlgorithm="RSASSA_PSS_SHA_256"
        )["Signature"]
        assert kms.verify(
            KeyId=signing, Message=b"m", Signature=signature, SigningAlgorithm="RSASSA_PSS_SHA_256"
        )["SignatureValid"]
        # And using the symmetric key's private key generates it then
        assert lazy.public_key() is not None
        assert lazy._key is not None


def test_user_pools_share_one_parsed_signing_key_and_still_issue_tokens() -> None:
    # Given the patch and two user pools
    with moto.mock_aws(), ExitStack() as stack:
        startup.apply(stack)
        idp = boto3.client("cognito-idp", region_name=REGION)
        pools = [idp.create_user_pool(PoolName=f"p{i}")["UserPool"]["Id"] for i in range(2)]
        from moto.cognitoidp.models import cognitoidp_backends

        backend = cognitoidp_backends["123456789012"][REGION]
        # Then neither has parsed its signing key yet
        assert all(
            isinstance(backend.user_pools[p].__dict__["json_web_key"], startup._Deferred) for p in pools
        )
        # And a user of a pool still gets signed tokens
        client = idp.create_user_pool_client(UserPoolId=pools[1], ClientName="c")["UserPoolClient"][
            "ClientId"
        ]
        idp.admin_create_user(UserPoolId=pools[1], Username="u", TemporaryPassword="Passw0rd!x")
        idp.admin_set_user_password(UserPoolId=pools[1], Username="u", Password="Passw0rd!x", Permanent=True)
        tokens = idp.admin_initiate_auth(
            UserPoolId=pools[1],
            ClientId=client,
            AuthFlow="ADMIN_NO_SRP_AUTH",
            AuthParameters={"USERNAME": "u", "PASSWORD": "Passw0rd!x"},
        )["AuthenticationResult"]
        # And the token verifies with the key the pool publishes (its JWKS), as without the patch
        import jwt

        public = jwt.PyJWK(backend.user_pools[pools[1]].json_web_key.as_dict(private=False), "RS256")
        claims = jwt.decode(tokens["IdToken"], public.key, algorithms=["RS256"], audience=client)
        assert claims["cognito:username"] == "u"
        # And both pools now share the one parsed key
        assert backend.user_pools[pools[0]].json_web_key is backend.user_pools[pools[1]].json_web_key
