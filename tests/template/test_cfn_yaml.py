"""The CloudFormation YAML loader: short-form tags become the long JSON forms CloudFormation uses."""

from __future__ import annotations

import pytest
import yaml

from medscribe.local.cfn_yaml import load_template, loads


def test_given_every_short_tag_when_loaded_then_each_becomes_its_long_form() -> None:
    # Given
    text = """
    ref: !Ref Bucket
    getatt: !GetAtt Queue.Arn
    getatt_list: !GetAtt [Queue, Arn]
    sub: !Sub "${AWS::StackName}-x"
    sub_vars: !Sub ["${a}", {a: !Ref B}]
    if: !If [IsProd, 1, !Ref AWS::NoValue]
    equals: !Equals [!Ref Stage, prod]
    not: !Not [!Condition IsProd]
    and: !And [!Condition A, !Condition B]
    or: !Or [!Condition A, !Condition B]
    select: !Select [1, !GetAZs ""]
    join: !Join ["-", [a, b]]
    split: !Split [",", "a,b"]
    findinmap: !FindInMap [M, K, V]
    importvalue: !ImportValue Exported
    base64: !Base64 text
    cidr: !Cidr ["10.0.0.0/24", 2, 6]
    """
    # When
    data = loads(text)
    # Then
    assert data["ref"] == {"Ref": "Bucket"}
    assert data["getatt"] == {"Fn::GetAtt": ["Queue", "Arn"]}
    assert data["getatt_list"] == {"Fn::GetAtt": ["Queue", "Arn"]}
    assert data["sub"] == {"Fn::Sub": "${AWS::StackName}-x"}
    assert data["sub_vars"] == {"Fn::Sub": ["${a}", {"a": {"Ref": "B"}}]}
    assert data["if"] == {"Fn::If": ["IsProd", 1, {"Ref": "AWS::NoValue"}]}
    assert data["equals"] == {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}
    assert data["not"] == {"Fn::Not": [{"Condition": "IsProd"}]}
    assert data["and"] == {"Fn::And": [{"Condition": "A"}, {"Condition": "B"}]}
    assert data["or"] == {"Fn::Or": [{"Condition": "A"}, {"Condition": "B"}]}
    assert data["select"] == {"Fn::Select": [1, {"Fn::GetAZs": ""}]}
    assert data["join"] == {"Fn::Join": ["-", ["a", "b"]]}
    assert data["split"] == {"Fn::Split": [",", "a,b"]}
    assert data["findinmap"] == {"Fn::FindInMap": ["M", "K", "V"]}
    assert data["importvalue"] == {"Fn::ImportValue": "Exported"}
    assert data["base64"] == {"Fn::Base64": "text"}
    assert data["cidr"] == {"Fn::Cidr": ["10.0.0.0/24", 2, 6]}


def test_given_a_dotted_attribute_when_getatt_is_short_form_then_only_the_first_dot_splits() -> None:
    # When
    data = loads("x: !GetAtt DbCluster.MasterUserSecret.SecretArn")
    # Then
    assert data["x"] == {"Fn::GetAtt": ["DbCluster", "MasterUserSecret.SecretArn"]}


def test_given_an_unknown_tag_when_loaded_then_it_is_rejected_like_safe_load() -> None:
    with pytest.raises(yaml.constructor.ConstructorError):
        loads("x: !python/object:os.system echo")


def test_given_a_list_document_when_loaded_then_it_is_not_a_template() -> None:
    with pytest.raises(ValueError, match="mapping"):
        loads("- a\n- b\n")


def test_given_the_project_template_when_loaded_from_path_then_it_is_a_sam_template() -> None:
    # Given
    from cfn_support import TEMPLATE

    # When
    data = load_template(TEMPLATE)
    # Then
    assert data["Transform"] == "AWS::Serverless-2016-10-31"
    assert data["Resources"]["DataKey"]["Type"] == "AWS::KMS::Key"


def test_the_fast_loader_reads_template_yaml_as_the_pure_python_one() -> None:
    from pathlib import Path

    from medscribe.local.cfn_yaml import CfnFastLoader, CfnSafeLoader

    # Given the project's template
    text = (Path(__file__).resolve().parents[2] / "template.yaml").read_text(encoding="utf-8")
    # When the template is parsed by the loader local mode uses and by the pure-Python SafeLoader subclass
    fast = loads(text)
    reference = yaml.load(text, Loader=CfnSafeLoader)
    # Then the data is the same (libyaml's parser when PyYAML has it, else the same loader)
    assert fast == reference
    assert CfnFastLoader is not CfnSafeLoader or not getattr(yaml, "__with_libyaml__", False)
