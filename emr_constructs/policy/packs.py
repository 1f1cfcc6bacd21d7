"""Register every policy pack the gate expects, in one call, the way that works with Stages."""

from __future__ import annotations

from aws_cdk import App, Aspects, CfnResource, Stage, Validations
from cdk_nag import (
    AwsSolutionsChecks,
    HIPAASecurityChecks,
    NagPack,
    NIST80053R5Checks,
    PCIDSS321Checks,
    ServerlessChecks,
    WriteNagSuppressionsToCloudFormationAspect,
)

from emr_constructs.policy.emr_checks import EmrChecks

#: The packs every app of this library runs (ServerlessChecks is added when the app has Lambda functions).
STANDARD_PACKS: tuple[type[NagPack], ...] = (
    AwsSolutionsChecks,
    NIST80053R5Checks,
    HIPAASecurityChecks,
    PCIDSS321Checks,
    EmrChecks,
)


def add_policy_packs(app: App, *, serverless: bool | None = None, verbose: bool = False) -> tuple[NagPack, ...]:
    """Run the standard packs at synth and write every acknowledgement into the templates.

    Call it after all Stages and stacks exist (last line before ``app.synth()``): the packs are
    registered once on the App (registering them on each Stage reports every finding twice), and
    the aspect that copies acknowledgements into ``Metadata.cdk_nag.rules_to_suppress`` is added to
    the App and to every Stage, because aspects do not cross Stage boundaries.

    :param serverless: also run ``ServerlessChecks``; default: when the app has a Lambda function
        (CDK's own custom-resource handlers count).
    :returns: the registered packs.
    """
    constructs = app.node.find_all()
    if serverless is None:
        serverless = any(
            isinstance(c, CfnResource) and c.cfn_resource_type == "AWS::Lambda::Function" for c in constructs
        )
    kinds = STANDARD_PACKS + ((ServerlessChecks,) if serverless else ())
    packs = tuple(kind(app, verbose=verbose) for kind in kinds)
    Validations.of(app).add_plugins(*packs)
    for scope in [app, *(c for c in constructs if isinstance(c, Stage) and c is not app)]:
        Aspects.of(scope).add(WriteNagSuppressionsToCloudFormationAspect())
    return packs
