"""Price the resources of a synthesized environment at minimum, expected and maximum capacity.

Every figure is an hourly rate; 30 days is 720 hours of it. What each level means, per resource:

- EMR cluster: expected is the template's target capacity; minimum and maximum are the managed-scaling limits
  (or the targets when the cluster does not scale). A fleet's unit is priced at the dearest of its instance types
  per unit of weight (expected); scaled capacity at the cheapest unit price of the core and task fleets (minimum)
  and at the dearest (maximum). Spot EC2 is priced at the stated discount; EMR's own charge has no spot discount.
- EMR Serverless: minimum nothing (stopped), expected the pre-initialized capacity for the active hours plus the
  stated job volume, maximum the application's maximum capacity all day.
- Redshift Serverless: minimum nothing, expected the base RPUs for the active hours, maximum the maximum RPUs all
  day; provisioned Redshift: its nodes all day at every level.
- Glue: scheduled jobs and crawlers, runs per day from the schedule times DPUs times the run length.
- NAT gateways, interface endpoints (per AZ), KMS keys: fixed hourly charges.

Not included: data transfer and NAT/endpoint data processing, EBS and S3 storage, CloudWatch, requests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from emr_constructs.cli.assembly import Environment, StackTemplate
from emr_constructs.cli.cost.prices import PriceTable

HOURS_30_DAYS = 720


@dataclass(frozen=True)
class Assumptions:
    """What the templates cannot say; each is printed with the figures."""

    spot_discount: float = 0.6
    """Spot EC2 price as a discount off on-demand (0.6: spot costs 40% of on-demand)."""
    active_hours_per_day: float = 8.0
    """Hours a day serverless capacity (EMR Serverless pre-initialized workers, Redshift base RPUs) is in use."""
    job_vcpu_hours_per_day: float = 0.0
    """EMR Serverless job volume beyond pre-initialized capacity, in vCPU-hours a day."""
    job_gb_hours_per_day: float = 0.0
    """EMR Serverless job volume beyond pre-initialized capacity, in GB-hours a day."""
    glue_run_minutes: float = 10.0
    """Expected length of one Glue job run (minimum 1 minute, the billing minimum; maximum the job's timeout)."""
    crawler_dpus: float = 2.0
    """DPUs a crawler run uses (the template does not say)."""
    crawler_run_minutes: float = 10.0
    """Expected crawler run (10 minutes is the billing minimum; maximum assumed 60)."""
    default_region: str = "us-east-1"
    """Region used for environment-agnostic stacks."""

    def describe(self) -> list[str]:
        return [
            f"spot EC2 at {self.spot_discount:.0%} off on-demand (EMR charge not discounted)",
            f"serverless capacity in use {self.active_hours_per_day:g} h/day",
            f"EMR Serverless job volume {self.job_vcpu_hours_per_day:g} vCPU-h and {self.job_gb_hours_per_day:g} GB-h"
            " a day",
            f"Glue job run {self.glue_run_minutes:g} min; crawler run {self.crawler_dpus:g} DPU x "
            f"{self.crawler_run_minutes:g} min",
            f"environment-agnostic stacks priced in {self.default_region}",
            "30 days = 720 hours; data transfer, EBS, S3, CloudWatch and request charges not included",
        ]


@dataclass(frozen=True)
class Levels:
    minimum: float
    expected: float
    maximum: float

    def __add__(self, other: Levels) -> Levels:
        return Levels(self.minimum + other.minimum, self.expected + other.expected, self.maximum + other.maximum)

    def scaled(self, factor: float) -> Levels:
        return Levels(self.minimum * factor, self.expected * factor, self.maximum * factor)

    @classmethod
    def fixed(cls, value: float) -> Levels:
        return cls(value, value, value)


ZERO = Levels(0.0, 0.0, 0.0)


@dataclass(frozen=True)
class LineItem:
    stack: str
    resource: str
    kind: str
    hourly: Levels
    detail: str
    missing: tuple[str, ...] = ()
    """Prices the table lacks: the item's figures leave those out and are marked incomplete."""

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass
class Estimate:
    environment: str
    region: str
    items: list[LineItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> Levels:
        total = ZERO
        for item in self.items:
            total = total + item.hourly
        return total

    def stacks(self) -> dict[str, Levels]:
        totals: dict[str, Levels] = {}
        for item in self.items:
            totals[item.stack] = totals.get(item.stack, ZERO) + item.hourly
        return totals

    @property
    def missing(self) -> list[str]:
        return sorted({m for item in self.items for m in item.missing})


class _Prices:
    """Price look-ups for one region that remember what was missing."""

    def __init__(self, table: PriceTable, region: str) -> None:
        self.table = table
        self.region = region
        self.missing: list[str] = []

    def get(self, key: str, item: str | None = None, label: str | None = None) -> float:
        value = self.table.price(self.region, key, item)
        if value is None:
            name = label or (f"{key}[{item}]" if item else key)
            if name not in self.missing:
                self.missing.append(name)
            return 0.0
        return value

    def has_instance(self, instance_type: str) -> bool:
        ok = (
            self.table.price(self.region, "ec2", instance_type) is not None
            and self.table.price(self.region, "emr", instance_type) is not None
        )
        if not ok:
            label = f"instance type {instance_type} in {self.region}"
            if label not in self.missing:
                self.missing.append(label)
        return ok

    def take_missing(self) -> tuple[str, ...]:
        taken, self.missing = tuple(self.missing), []
        return taken


def _number(value: Any, default: float = 0.0) -> float:
    """A literal number from a template; an unresolved expression counts as ``default``."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return default
    return default


# -- EMR clusters ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fleet:
    role: str
    on_demand: float
    spot: float
    configs: tuple[tuple[str, float], ...]
    """(instance type, weighted capacity)."""


def _fleets(instances: dict[str, Any]) -> list[_Fleet]:
    fleets: list[_Fleet] = []
    for key, role in (("MasterInstanceFleet", "primary"), ("CoreInstanceFleet", "core")):
        if key in instances:
            fleets.append(_fleet(role, instances[key]))
    fleets += [_fleet("task", f) for f in instances.get("TaskInstanceFleets", [])]
    for key, role in (("MasterInstanceGroup", "primary"), ("CoreInstanceGroup", "core")):
        if key in instances:
            fleets.append(_group(role, instances[key]))
    fleets += [_group("task", g) for g in instances.get("TaskInstanceGroups", [])]
    return fleets


def _fleet(role: str, fleet: dict[str, Any]) -> _Fleet:
    configs = tuple(
        (str(c["InstanceType"]), _number(c.get("WeightedCapacity"), 1.0) or 1.0)
        for c in fleet.get("InstanceTypeConfigs", [])
    )
    return _Fleet(role, _number(fleet.get("TargetOnDemandCapacity")), _number(fleet.get("TargetSpotCapacity")), configs)


def _group(role: str, group: dict[str, Any]) -> _Fleet:
    count = _number(group.get("InstanceCount"), 1.0)
    spot = group.get("Market") == "SPOT"
    return _Fleet(role, 0.0 if spot else count, count if spot else 0.0, ((str(group["InstanceType"]), 1.0),))


def _unit_prices(fleet: _Fleet, prices: _Prices, discount: float, unit_type: str) -> tuple[list[float], list[float]]:
    """On-demand and spot prices per unit of each priced instance type of the fleet."""
    on_demand: list[float] = []
    spot: list[float] = []
    for instance_type, weight in fleet.configs:
        if not prices.has_instance(instance_type):
            continue
        ec2 = prices.get("ec2", instance_type)
        emr = prices.get("emr", instance_type)
        units = weight
        if unit_type == "VCPU":
            vcpus = prices.table.vcpus(instance_type)
            if vcpus is None:
                prices.missing.append(f"vCPU count of {instance_type}")
                continue
            units = float(vcpus)
        on_demand.append((ec2 + emr) / units)
        spot.append((ec2 * (1 - discount) + emr) / units)
    return on_demand, spot


def emr_cluster(stack: str, logical_id: str, props: dict[str, Any], prices: _Prices, a: Assumptions) -> LineItem:
    fleets = _fleets(props.get("Instances", {}))
    limits = props.get("ManagedScalingPolicy", {}).get("ComputeLimits")
    unit_type = str(limits.get("UnitType", "InstanceFleetUnits")) if limits else "InstanceFleetUnits"
    fixed = 0.0  # the primary node(s): never scaled
    expected_scaled = 0.0
    cheapest_od: list[float] = []
    cheapest_sp: list[float] = []
    dearest_od: list[float] = []
    dearest_sp: list[float] = []
    od_targets = sp_targets = 0.0
    for fleet in fleets:
        od, sp = _unit_prices(fleet, prices, a.spot_discount, "InstanceFleetUnits")
        cost = fleet.on_demand * max(od, default=0.0) + fleet.spot * max(sp, default=0.0)
        if fleet.role == "primary":
            fixed += cost
            continue
        expected_scaled += cost
        od_targets += fleet.on_demand
        sp_targets += fleet.spot
        scaled_od, scaled_sp = _unit_prices(fleet, prices, a.spot_discount, unit_type)
        cheapest_od += [min(scaled_od)] if scaled_od else []
        cheapest_sp += [min(scaled_sp)] if scaled_sp else []
        dearest_od += [max(scaled_od)] if scaled_od else []
        dearest_sp += [max(scaled_sp)] if scaled_sp else []
    targets = f"targets {od_targets:g} on-demand + {sp_targets:g} spot units (core/task)"
    if not limits:
        hourly = Levels.fixed(fixed + expected_scaled)
        return LineItem(
            stack, logical_id, "EMR cluster", hourly, f"{targets}; no managed scaling", prices.take_missing()
        )
    low, high = _number(limits.get("MinimumCapacityUnits")), _number(limits.get("MaximumCapacityUnits"))
    high_od = min(_number(limits.get("MaximumOnDemandCapacityUnits"), high), high)
    low_od = min(od_targets, low)
    minimum = fixed + low_od * min(cheapest_od, default=0.0) + (low - low_od) * min(cheapest_sp, default=0.0)
    maximum = fixed + high_od * max(dearest_od, default=0.0) + (high - high_od) * max(dearest_sp, default=0.0)
    detail = f"{targets}; managed scaling {low:g}-{high:g} {unit_type} (on-demand <= {high_od:g})"
    return LineItem(
        stack,
        logical_id,
        "EMR cluster",
        Levels(minimum, fixed + expected_scaled, maximum),
        detail,
        prices.take_missing(),
    )


# -- EMR Serverless -------------------------------------------------------------------------------------------

_AMOUNT = re.compile(r"^\s*([0-9.]+)\s*(vCPU|GB)?\s*$", re.IGNORECASE)


def _amount(value: Any) -> float:
    match = _AMOUNT.match(str(value)) if value is not None else None
    return float(match.group(1)) if match else 0.0


def emr_serverless(stack: str, logical_id: str, props: dict[str, Any], prices: _Prices, a: Assumptions) -> LineItem:
    arch = str(props.get("Architecture", "X86_64"))
    vcpu_rate = prices.get("emr_serverless_vcpu_hour", arch, label=f"EMR Serverless {arch} vCPU-hour")
    gb_rate = prices.get("emr_serverless_gb_hour", arch, label=f"EMR Serverless {arch} GB-hour")
    vcpus = gbs = 0.0
    for entry in props.get("InitialCapacity", []):
        value = entry.get("Value", {})
        workers = _number(value.get("WorkerCount"))
        config = value.get("WorkerConfiguration", {})
        vcpus += workers * _amount(config.get("Cpu"))
        gbs += workers * _amount(config.get("Memory"))
    pre_initialized = vcpus * vcpu_rate + gbs * gb_rate
    jobs = (a.job_vcpu_hours_per_day * vcpu_rate + a.job_gb_hours_per_day * gb_rate) / 24
    expected = pre_initialized * a.active_hours_per_day / 24 + jobs
    maximum_capacity = props.get("MaximumCapacity")
    if maximum_capacity:
        maximum = _amount(maximum_capacity.get("Cpu")) * vcpu_rate + _amount(maximum_capacity.get("Memory")) * gb_rate
        detail = f"pre-initialized {vcpus:g} vCPU/{gbs:g} GB; maximum {maximum_capacity.get('Cpu')}"
    else:
        maximum = expected
        detail = f"pre-initialized {vcpus:g} vCPU/{gbs:g} GB; no MaximumCapacity (unbounded: maximum shown = expected)"
    return LineItem(
        stack,
        logical_id,
        "EMR Serverless",
        Levels(0.0, expected, max(maximum, expected)),
        detail,
        prices.take_missing(),
    )


# -- Redshift -------------------------------------------------------------------------------------------------


def redshift_workgroup(stack: str, logical_id: str, props: dict[str, Any], prices: _Prices, a: Assumptions) -> LineItem:
    rate = prices.get("redshift_serverless_rpu_hour", label="Redshift Serverless RPU-hour")
    base = _number(props.get("BaseCapacity"), 128.0)  # the service default
    top = _number(props.get("MaxCapacity"), base) or base
    hourly = Levels(0.0, base * rate * a.active_hours_per_day / 24, top * rate)
    detail = f"base {base:g} RPU for {a.active_hours_per_day:g} h/day; maximum {top:g} RPU"
    return LineItem(stack, logical_id, "Redshift Serverless", hourly, detail, prices.take_missing())


def redshift_cluster(stack: str, logical_id: str, props: dict[str, Any], prices: _Prices, a: Assumptions) -> LineItem:
    node_type = str(props.get("NodeType"))
    nodes = _number(props.get("NumberOfNodes"), 1.0) or 1.0
    rate = prices.get("redshift_node_hour", node_type, label=f"Redshift node type {node_type}")
    return LineItem(
        stack, logical_id, "Redshift", Levels.fixed(nodes * rate), f"{nodes:g} x {node_type}", prices.take_missing()
    )


# -- Glue -----------------------------------------------------------------------------------------------------

_RATE = re.compile(r"^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$")
_DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
_MONTHS = {
    m: i
    for i, m in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1)
}


def _values(field: str, low: int, high: int, names: dict[str, int] | None = None) -> int:
    """How many values an AWS cron field matches (``*``, ``?``, lists, ranges, ``/`` steps, ``L``, ``W``, ``#``)."""
    if field in {"*", "?"}:
        return high - low + 1
    count = 0
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if base in {"*", "?"}:
            start, end = low, high
        elif "-" in base:
            first, _, last = base.partition("-")
            start, end = _cron_number(first, names), _cron_number(last, names)
        elif any(c in base for c in "LW#"):
            count += 1
            continue
        else:
            start = _cron_number(base, names)
            end = high if step_text else start
        count += len(range(start, end + 1, step))
    return count


def _cron_number(text: str, names: dict[str, int] | None) -> int:
    return names[text.upper()] if names and text.upper() in names else int(text)


def runs_per_day(expression: str) -> float:
    """Average runs a day of a ``cron(...)`` or ``rate(...)`` schedule expression; ``ValueError`` if unreadable."""
    text = expression.strip()
    rate = _RATE.match(text)
    if rate:
        every, unit = int(rate.group(1)), rate.group(2)
        minutes = every * {"m": 1, "h": 60, "d": 1440}[unit[0]]
        return 1440 / minutes
    if not (text.startswith("cron(") and text.endswith(")")):
        raise ValueError(expression)
    fields = text[5:-1].split()
    if len(fields) != 6:
        raise ValueError(expression)
    minute, hour, day_of_month, month, day_of_week, _year = fields
    per_day = float(_values(minute, 0, 59) * _values(hour, 0, 23))
    if day_of_week not in {"*", "?"}:
        per_day *= _values(day_of_week, 1, 7, _DAYS) / 7
    elif day_of_month not in {"*", "?"}:
        per_day *= _values(day_of_month, 1, 31) / (365.25 / 12)
    if month not in {"*", "?"}:
        per_day *= _values(month, 1, 12, _MONTHS) / 12
    return float(per_day)


def _schedules(env_stacks: Iterable[StackTemplate]) -> dict[str, list[str]]:
    """Job logical id or name -> schedule expressions of the scheduled triggers that start it."""
    found: dict[str, list[str]] = {}
    for stack in env_stacks:
        for _, trigger in stack.resources("AWS::Glue::Trigger"):
            if trigger.get("Type") != "SCHEDULED" or not trigger.get("Schedule"):
                continue
            for action in trigger.get("Actions", []):
                job = action.get("JobName")
                key = job.get("Ref") if isinstance(job, dict) else job
                if isinstance(key, str):
                    found.setdefault(key, []).append(str(trigger["Schedule"]))
    return found


def glue_job(
    stack: str, logical_id: str, props: dict[str, Any], prices: _Prices, a: Assumptions, schedules: list[str]
) -> LineItem:
    rate = prices.get("glue_dpu_hour", label="Glue DPU-hour")
    worker_type = props.get("WorkerType")
    if worker_type:
        per_worker = prices.table.glue_worker_dpu(str(worker_type))
        if per_worker is None:
            prices.missing.append(f"Glue worker type {worker_type}")
            per_worker = 0.0
        dpus = _number(props.get("NumberOfWorkers"), 0.0) * per_worker
    else:
        dpus = _number(
            props.get("MaxCapacity"), 0.0625 if props.get("Command", {}).get("Name") == "pythonshell" else 10
        )
    runs = sum(runs_per_day(s) for s in schedules)
    timeout = _number(props.get("Timeout"), 2880.0)
    per_minute = runs * dpus * rate / 60 / 24  # hourly rate per minute of each run
    hourly = Levels(per_minute * 1, per_minute * a.glue_run_minutes, per_minute * timeout)
    detail = f"{dpus:g} DPU x {runs:g} runs/day ({'; '.join(schedules)}); run 1/{a.glue_run_minutes:g}/{timeout:g} min"
    return LineItem(stack, logical_id, "Glue job", hourly, detail, prices.take_missing())


def glue_crawler(stack: str, logical_id: str, props: dict[str, Any], prices: _Prices, a: Assumptions) -> LineItem:
    rate = prices.get("glue_dpu_hour", label="Glue DPU-hour")
    expression = str(props["Schedule"]["ScheduleExpression"])
    runs = runs_per_day(expression)
    per_run = rate / 60 / 24 * runs  # hourly rate per DPU-minute of each run
    hourly = Levels(per_run * 1 * 10, per_run * a.crawler_dpus * a.crawler_run_minutes, per_run * a.crawler_dpus * 60)
    detail = f"{runs:g} runs/day ({expression}); 1 DPU x 10 min / {a.crawler_dpus:g} x {a.crawler_run_minutes:g} / x 60"
    return LineItem(stack, logical_id, "Glue crawler", hourly, detail, prices.take_missing())


# -- the environment ------------------------------------------------------------------------------------------


def _fixed(stack: StackTemplate, prices: _Prices) -> Iterator[LineItem]:
    rate = prices.get("nat_gateway_hour", label="NAT gateway hour")
    for logical_id, _ in stack.resources("AWS::EC2::NatGateway"):
        yield LineItem(stack.name, logical_id, "NAT gateway", Levels.fixed(rate), "per hour", prices.take_missing())
    rate = prices.get("interface_endpoint_az_hour", label="interface endpoint AZ-hour")
    for logical_id, props in stack.resources("AWS::EC2::VPCEndpoint"):
        if props.get("VpcEndpointType", "Gateway") != "Interface":
            continue  # gateway endpoints (S3, DynamoDB) are free
        subnets = props.get("SubnetIds")
        azs = len(subnets) if isinstance(subnets, list) and subnets else 1
        name = _endpoint_service(props.get("ServiceName"))
        yield LineItem(
            stack.name,
            logical_id,
            "interface endpoint",
            Levels.fixed(azs * rate),
            f"{name} in {azs} AZ(s)",
            prices.take_missing(),
        )
    monthly = prices.get("kms_key_month", label="KMS key month")
    for logical_id, _ in stack.resources("AWS::KMS::Key"):
        hourly = monthly / prices.table.hours_per_month
        yield LineItem(stack.name, logical_id, "KMS key", Levels.fixed(hourly), "per key-month", prices.take_missing())


def _endpoint_service(value: Any) -> str:
    if isinstance(value, str):
        return value.rsplit(".", 1)[-1]
    if isinstance(value, dict) and "Fn::Join" in value:
        parts = value["Fn::Join"][1]
        tail = parts[-1] if parts else ""
        return str(tail).rsplit(".", 1)[-1] if isinstance(tail, str) else "endpoint"
    return "endpoint"


def estimate(environment: Environment, table: PriceTable, assumptions: Assumptions) -> Estimate:
    regions = environment.regions
    region = sorted(regions)[0] if regions else assumptions.default_region
    result = Estimate(environment.name, region)
    if len(regions) > 1:
        result.notes.append(f"stacks in several regions ({', '.join(sorted(regions))}): each priced in its own")
    schedules = _schedules(environment.stacks)
    for stack in environment.stacks:
        prices = _Prices(table, stack.region or region)
        result.items += _fixed(stack, prices)
        for logical_id, props in stack.resources("AWS::EMR::Cluster"):
            result.items.append(emr_cluster(stack.name, logical_id, props, prices, assumptions))
        for logical_id, props in stack.resources("AWS::EMRServerless::Application"):
            result.items.append(emr_serverless(stack.name, logical_id, props, prices, assumptions))
        for logical_id, props in stack.resources("AWS::RedshiftServerless::Workgroup"):
            result.items.append(redshift_workgroup(stack.name, logical_id, props, prices, assumptions))
        for logical_id, props in stack.resources("AWS::Redshift::Cluster"):
            result.items.append(redshift_cluster(stack.name, logical_id, props, prices, assumptions))
        for logical_id, props in stack.resources("AWS::Glue::Job"):
            name = props.get("Name")
            found = schedules.get(logical_id, []) + (schedules.get(name, []) if isinstance(name, str) else [])
            if not found:
                result.notes.append(
                    f"{stack.name}/{logical_id}: Glue job has no schedule in the templates (run on demand): not counted"
                )
                continue
            result.items.append(glue_job(stack.name, logical_id, props, prices, assumptions, found))
        for logical_id, props in stack.resources("AWS::Glue::Crawler"):
            expression = props.get("Schedule", {}).get("ScheduleExpression")
            if not isinstance(expression, str):
                result.notes.append(f"{stack.name}/{logical_id}: crawler has no schedule (run on demand): not counted")
                continue
            result.items.append(glue_crawler(stack.name, logical_id, props, prices, assumptions))
    return result
