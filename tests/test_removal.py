from __future__ import annotations

from aws_cdk import CfnWaitConditionHandle, RemovalPolicy
from aws_cdk.assertions import Annotations, Match
from constructs import Construct

from emr_constructs.removal import ALLOW_DESTROY_CONTEXT, safe_removal_policy
from tests.support import new_stack


def test_default_is_retain() -> None:
    assert safe_removal_policy(new_stack(), None) == RemovalPolicy.RETAIN


def test_destroy_without_flag_is_reverted_with_a_warning() -> None:
    stack = new_stack()
    scope = Construct(stack, "Lake")
    CfnWaitConditionHandle(stack, "Anything")  # an empty stack does not synthesize
    assert safe_removal_policy(scope, RemovalPolicy.DESTROY) == RemovalPolicy.RETAIN
    Annotations.from_stack(stack).has_warning("/Test/Lake", Match.string_like_regexp("DESTROY was requested"))


def test_destroy_with_flag_is_honoured() -> None:
    for flag in (True, "true", "1", "YES"):
        assert safe_removal_policy(new_stack(**{ALLOW_DESTROY_CONTEXT: flag}), RemovalPolicy.DESTROY) == (
            RemovalPolicy.DESTROY
        )
    assert safe_removal_policy(new_stack(**{ALLOW_DESTROY_CONTEXT: "false"}), RemovalPolicy.DESTROY) == (
        RemovalPolicy.RETAIN
    )


def test_snapshot_is_not_touched() -> None:
    assert safe_removal_policy(new_stack(), RemovalPolicy.SNAPSHOT) == RemovalPolicy.SNAPSHOT
