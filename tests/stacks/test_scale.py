"""200 clusters in one environment: every stack stays under 80% of each CloudFormation limit.

The 200-cluster app is not synthesized here (about two minutes on a 2-core machine). Its stack placement comes
from the benchmark's generated settings through the real loader; what one cluster costs each stack is measured
on a synth of prod alone, with the acknowledgements written into the templates as ``cdk synth`` writes them
(the benchmark's clusters are copies of prod's first one):

- its compute stack: the cluster's own resources and outputs, byte for byte;
- its compute monitoring stack: its alarms (resources), and every byte of the stack beyond its skeleton
  (rules and dashboard grow with the clusters; counting them per cluster overestimates);
- the Monitoring stack: one rule-name prefix per compute monitoring stack in two policies;
- every other stack: the policy statements that name the cluster, plus one managed policy per 6,144 bytes of
  them (where IAM moves statements that no longer fit an inline policy).

``make bench`` synthesizes the real thing and records the measured figures beside these estimates.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Aspects, CfnResource, Stack

import app as bundled_app
from emr_constructs.limits import WARN_RATIO, CloudFormationLimits
from emr_constructs.policy.packs import WriteNagSuppressionsToCloudFormationAspect
from stacks.settings import CONFIG_DIR, load_environment
from tests.support import CDK_CONTEXT
from tools.bench.make_configs import settings_with_clusters

CLUSTERS = 200
#: Where IAM's managed-policy size limit moves statements that outgrow an inline policy.
MANAGED_POLICY_BYTES = 6_144
LIMITS = CloudFormationLimits().maxima()


MEASURED_ENV = "prod"
ENV = f"clusters-{CLUSTERS}"


def compact_bytes(value: Any) -> int:
    """Bytes of ``value`` as the CDK writes templates (compact JSON, UTF-8), with the environment's name (in
    stack, export and resource names) as long as the 200-cluster environment's."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return len(text.replace(MEASURED_ENV, ENV).encode())


@dataclass(frozen=True)
class Figures:
    resources: int
    template_bytes: int
    outputs: int
    parameters: int
    mappings: int

    @classmethod
    def of(cls, template: dict[str, Any]) -> Figures:
        return cls(
            len(template.get("Resources", {})),
            compact_bytes(template),
            len(template.get("Outputs", {})),
            len(template.get("Parameters", {})),
            len(template.get("Mappings", {})),
        )

    def plus(self, times: int, each: Figures) -> Figures:
        return Figures(
            self.resources + times * each.resources,
            self.template_bytes + times * each.template_bytes,
            self.outputs + times * each.outputs,
            self.parameters + times * each.parameters,
            self.mappings + times * each.mappings,
        )

    def shares(self) -> dict[str, float]:
        """Each figure as a share of its CloudFormation limit."""
        return {field: getattr(self, field) / most for field, most in LIMITS.items()}


def without(template: dict[str, Any], resources: set[str], outputs: set[str]) -> dict[str, Any]:
    return {
        **template,
        "Resources": {k: v for k, v in template.get("Resources", {}).items() if k not in resources},
        "Outputs": {k: v for k, v in template.get("Outputs", {}).items() if k not in outputs},
    }


def logical_ids(stack: Stack, scope: Any) -> set[str]:
    return {stack.resolve(c.logical_id) for c in scope.node.find_all() if isinstance(c, CfnResource)}


def statements(value: Any) -> Iterator[dict[str, Any]]:
    """Every IAM policy statement in a template fragment."""
    if isinstance(value, dict):
        if "Action" in value and "Effect" in value:
            yield value
        for child in value.values():
            yield from statements(child)
    elif isinstance(value, list):
        for child in value:
            yield from statements(child)


@dataclass(frozen=True)
class Costs:
    """Per-stack figures of prod (one cluster) and what one more cluster or compute stack adds."""

    compute_base: Figures
    per_cluster_compute: Figures
    monitoring_base: Figures
    per_cluster_monitoring: Figures
    platform_monitoring: Figures
    per_compute_stack_platform: int
    others: dict[str, Figures]
    per_cluster_other_bytes: dict[str, int]


@pytest.fixture(scope="module")
def costs(tmp_path_factory: pytest.TempPathFactory) -> Costs:
    app = App(context={**CDK_CONTEXT, "env": MEASURED_ENV}, outdir=str(tmp_path_factory.mktemp("cdk.out")))
    (stage,) = bundled_app.build(app, policy_packs=False)
    # What the packs write into every template (half of a cluster's bytes), without running the packs.
    Aspects.of(stage).add(WriteNagSuppressionsToCloudFormationAspect())
    assembly = app.synth().get_nested_assembly(stage.artifact_id)

    def template(stack: Stack) -> dict[str, Any]:
        return dict(json.loads(Path(assembly.get_stack_artifact(stack.artifact_id).template_full_path).read_text()))

    compute = stage.compute[0]
    name, cluster = next(iter(compute.clusters.items()))
    compute_template = template(compute)
    own = logical_ids(compute, cluster)
    own_outputs = {
        key
        for key, output in compute_template.get("Outputs", {}).items()
        if key.startswith(f"Cluster{name}") or any(i in json.dumps(output["Value"]) for i in own)
    }
    compute_base = Figures.of(without(compute_template, own, own_outputs))
    per_cluster_compute = Figures.of(compute_template).plus(-1, compute_base)

    watching = stage.compute_monitoring[0]
    monitoring_template = template(watching)
    alarms = {
        watching.resolve(a.node.default_child.logical_id) for a in watching.monitoring.cluster_alarms[name].values()
    }
    skeleton = Figures.of({**monitoring_template, "Resources": {}})
    whole = Figures.of(monitoring_template)
    monitoring_base = Figures.of(without(monitoring_template, alarms, set()))
    monitoring_base = Figures(
        monitoring_base.resources, skeleton.template_bytes, skeleton.outputs, skeleton.parameters, 0
    )
    per_cluster_monitoring = Figures(len(alarms), whole.template_bytes - skeleton.template_bytes, 0, 0, 0)

    platform_template = template(stage.monitoring)
    by_name = [s for s in statements(platform_template) if str(s.get("Sid", "")).startswith("AllowPlatformRulesByName")]
    assert len(by_name) == 2, "the topic and the dead-letter queue each allow the compute stacks' rules by name"
    per_compute_stack_platform = sum(compact_bytes(s["Condition"]["ArnLike"]["aws:SourceArn"][0]) + 1 for s in by_name)

    # The cluster's id and ARNs reach other stacks through its compute stack's outputs.
    names = {key for key in own_outputs}
    others: dict[str, Figures] = {}
    per_cluster_other: dict[str, int] = {}
    for stack in stage.stacks:
        if stack in (compute, watching, stage.monitoring) or stack.node.id.startswith("Compute"):
            continue
        other = template(stack)
        others[stack.node.id] = Figures.of(other)
        per_cluster_other[stack.node.id] = sum(
            compact_bytes(s) + 1 for s in statements(other) if any(n in json.dumps(s) for n in names)
        )
    return Costs(
        compute_base,
        per_cluster_compute,
        monitoring_base,
        per_cluster_monitoring,
        Figures.of(platform_template),
        per_compute_stack_platform,
        others,
        per_cluster_other,
    )


@pytest.fixture(scope="module")
def placement(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    """Clusters per compute stack of the benchmark's 200-cluster settings, read by the app's own loader."""
    folder = tmp_path_factory.mktemp("config")
    base = json.loads((CONFIG_DIR / "prod.json").read_text())
    (folder / f"{ENV}.json").write_text(json.dumps(settings_with_clusters(base, CLUSTERS)))
    settings = load_environment(ENV, folder)
    counts: dict[str, int] = {}
    for cluster in settings.compute.clusters.values():
        counts[cluster.stack] = counts.get(cluster.stack, 0) + 1
    return counts


def estimate(costs: Costs, placement: dict[str, int]) -> dict[str, Figures]:
    """Every stack of the 200-cluster environment, as the costs measured on prod predict it."""
    figures = {}
    for stack_id, clusters in placement.items():
        figures[stack_id] = costs.compute_base.plus(clusters, costs.per_cluster_compute)
        figures[f"{stack_id}Monitoring"] = costs.monitoring_base.plus(clusters, costs.per_cluster_monitoring)
    platform = costs.platform_monitoring
    extra = (len(placement) - 1) * costs.per_compute_stack_platform
    figures["Monitoring"] = Figures(
        platform.resources, platform.template_bytes + extra, platform.outputs, platform.parameters, platform.mappings
    )
    total = sum(placement.values())
    for stack_id, measured in costs.others.items():
        grown = (total - 1) * costs.per_cluster_other_bytes[stack_id]
        figures[stack_id] = Figures(
            measured.resources + math.ceil(grown / MANAGED_POLICY_BYTES),
            measured.template_bytes + grown,
            measured.outputs,
            measured.parameters,
            measured.mappings,
        )
    return figures


def test_placement_is_explicit_in_the_settings(placement: dict[str, int]) -> None:
    assert sum(placement.values()) == CLUSTERS
    assert max(placement.values()) == 10 and len(placement) == 20


def test_every_stack_of_200_clusters_stays_under_80_percent_of_each_limit(
    costs: Costs, placement: dict[str, int]
) -> None:
    figures = estimate(costs, placement)
    over = {
        stack_id: {field: f"{share:.0%}" for field, share in f.shares().items() if share >= WARN_RATIO}
        for stack_id, f in figures.items()
    }
    assert {k: v for k, v in over.items() if v} == {}
    # The stacks that grow with the environment are only the per-compute-stack ones (and their fixed share).
    assert figures["Monitoring"].resources == costs.platform_monitoring.resources
    for stack_id, f in sorted(figures.items(), key=lambda item: -item[1].template_bytes):
        shares = f.shares()
        print(
            f"{stack_id:20} resources={f.resources:4} ({shares['resources']:.0%}) bytes={f.template_bytes:8,} "
            f"({shares['template_bytes']:.0%}) outputs={f.outputs} parameters={f.parameters} mappings={f.mappings}"
        )
