"""The benchmark's floor: the smallest app that still starts jsii and Node, builds a stack and writes a template.

Run like ``app.py`` (same interpreter, same CDK_CONTEXT_JSON and CDK_OUTDIR), so every other figure divided by
this one is the cost of the platform itself, not of starting CDK.
"""

from aws_cdk import App, CfnWaitConditionHandle, Stack

app = App()
CfnWaitConditionHandle(Stack(app, "Floor"), "Handle")
app.synth()
