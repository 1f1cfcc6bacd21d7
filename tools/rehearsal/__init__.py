"""Deploy rehearsal: create an environment's synthesized stacks in moto, in dependency order, then run the operator
CLI against them. Catches broken references, missing outputs and ordering mistakes that ``cdk synth`` cannot.

    python -m tools.rehearsal --env dev cdk.out
"""
