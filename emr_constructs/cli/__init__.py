"""``emr-platform``: the operator CLI for a deployed platform (status, submit, steps, logs), on boto3.

This package is the one place in the library that talks to AWS. It runs after ``cdk deploy``, never at synth, and
nothing in ``emr_constructs`` imports it, so using the constructs never needs boto3 (``pip install
emr-constructs[cli]`` brings it).
"""
