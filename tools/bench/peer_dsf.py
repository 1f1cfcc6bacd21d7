"""The benchmark's peer: the AWS data-solutions-framework's VPC, data lake, catalog and EMR Serverless runtime.

Run by ``bench.run`` like ``app.py`` (same CDK_CONTEXT_JSON from cdk.json, same aws-cdk-lib) but with the Python
of its own virtualenv (``bench/requirements-peer.lock``), so the library never depends on it. Written the way the
framework's documentation composes these constructs; no policy packs (it has none of ours).
"""

from aws_cdk import App, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_emrserverless as emrserverless
from cdklabs.aws_data_solutions_framework import governance, processing, storage, utils

app = App()
stack = Stack(app, "Peer")
network = utils.DataVpc(stack, "Vpc", vpc_cidr="10.0.0.0/16")
lake = storage.DataLakeStorage(stack, "Lake")
governance.DataLakeCatalog(stack, "Catalog", data_lake_storage=lake, database_name="lake")
workers = ec2.SecurityGroup(stack, "Workers", vpc=network.vpc)
processing.SparkEmrServerlessRuntime(
    stack,
    "Runtime",
    name="spark",
    network_configuration=emrserverless.CfnApplication.NetworkConfigurationProperty(
        subnet_ids=[subnet.subnet_id for subnet in network.vpc.private_subnets],
        security_group_ids=[workers.security_group_id],
    ),
)
app.synth()
