"""The policy gate: cdk-nag results, cfn-lint and checkov over a whole cloud assembly, and one report.

Run it after ``cdk synth``::

    python -m tools.gate cdk.out

It exits non-zero on any unacknowledged cdk-nag finding, cfn-lint error, checkov failure
without a recorded skip, or blanket (stack-level or wider) acknowledgement, and writes
``cdk.out/policy-report.md``. Nothing here imports aws-cdk: the gate only reads files.
"""
