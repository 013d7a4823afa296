"""Load a CloudFormation / SAM YAML template, short-form intrinsic tags included.

PyYAML's SafeLoader rejects ``!Ref``, ``!GetAtt`` and friends; this loader maps each short tag to the long
JSON form CloudFormation itself uses (``!Ref X`` -> ``{"Ref": "X"}``, ``!GetAtt A.B`` ->
``{"Fn::GetAtt": ["A", "B"]}``, ``!Sub s`` -> ``{"Fn::Sub": "s"}``, ...), so code that reads the template
sees one representation whichever form the author wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# Short tag -> long key. !Ref and !Condition have no "Fn::" prefix in the long form.
_TAGS: dict[str, str] = {
    "Ref": "Ref",
    "Condition": "Condition",
    **{
        name: f"Fn::{name}"
        for name in (
            "And",
            "Base64",
            "Cidr",
            "Equals",
            "FindInMap",
            "GetAtt",
            "GetAZs",
            "If",
            "ImportValue",
            "Join",
            "Not",
            "Or",
            "Select",
            "Split",
            "Sub",
            "Transform",
            "ToJsonString",
            "Length",
        )
    },
}


class CfnSafeLoader(yaml.SafeLoader):
    """SafeLoader + CloudFormation short-form intrinsic functions."""


def _construct(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, Any]:
    tag = node.tag.lstrip("!")
    key = _TAGS[tag]
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    else:  # pragma: no cover - PyYAML has only these three node kinds
        raise yaml.constructor.ConstructorError(None, None, f"unexpected node for !{tag}", node.start_mark)
    if tag == "GetAtt" and isinstance(value, str):
        # "Resource.Attribute" (the attribute may itself contain dots: "Cluster.Endpoint.Address").
        resource, _, attribute = value.partition(".")
        value = [resource, attribute]
    return {key: value}


# The same loader on libyaml's C parser when PyYAML has it (template.yaml: ~10x faster; the constructors are
# the same Python ones, so the data is the same): the local stack parses the template at every start.
CfnFastLoader: type[yaml.SafeLoader | yaml.CSafeLoader] = CfnSafeLoader
if getattr(yaml, "__with_libyaml__", False):

    class CfnCSafeLoader(yaml.CSafeLoader):
        """CSafeLoader + CloudFormation short-form intrinsic functions."""

    CfnFastLoader = CfnCSafeLoader

for _tag in _TAGS:
    CfnSafeLoader.add_constructor(f"!{_tag}", _construct)
    if CfnFastLoader is not CfnSafeLoader:
        CfnFastLoader.add_constructor(f"!{_tag}", _construct)


def loads(text: str) -> dict[str, Any]:
    """Parse template text; the top level must be a mapping."""
    data = yaml.load(text, Loader=CfnFastLoader)  # a SafeLoader (or CSafeLoader) subclass
    if not isinstance(data, dict):
        raise ValueError("a CloudFormation template must be a YAML mapping at the top level")
    return data


def load_template(path: str | Path) -> dict[str, Any]:
    """Read and parse a CloudFormation / SAM template file."""
    return loads(Path(path).read_text(encoding="utf-8"))
