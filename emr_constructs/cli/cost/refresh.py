"""Refresh instance prices from the AWS Price List API (``pricing:GetProducts``; any AWS credentials allow it)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date as Date
from typing import Any

from emr_constructs.cli.cost.prices import PriceTable

#: The Price List API answers in these regions only; us-east-1 serves every region's prices.
PRICING_REGION = "us-east-1"
SOURCE = "AWS Price List API (pricing:GetProducts): AmazonEC2 On-Demand Linux/shared tenancy, ElasticMapReduce EMR"


def _filters(region: str, instance_type: str, **more: str) -> list[dict[str, str]]:
    fields = {"regionCode": region, "instanceType": instance_type, **more}
    return [{"Type": "TERM_MATCH", "Field": k, "Value": v} for k, v in fields.items()]


def _hourly(product: dict[str, Any]) -> float | None:
    for term in product.get("terms", {}).get("OnDemand", {}).values():
        for dimension in term.get("priceDimensions", {}).values():
            usd = dimension.get("pricePerUnit", {}).get("USD")
            if usd is not None and float(usd) > 0:
                return float(usd)
    return None


def _first_product(pricing: Any, service: str, filters: list[dict[str, str]]) -> dict[str, Any] | None:
    answer = pricing.get_products(ServiceCode=service, Filters=filters, FormatVersion="aws_v1", MaxResults=10)
    for raw in answer.get("PriceList", []):
        product: dict[str, Any] = json.loads(raw) if isinstance(raw, str) else raw
        if _hourly(product) is not None:
            return product
    return None


def refresh(
    pricing: Any, table: PriceTable, region: str, instance_types: Iterable[str], today: Date | None = None
) -> tuple[PriceTable, list[str]]:
    """The table with ``region``'s EC2 and EMR prices of ``instance_types`` fetched anew, and the instance types
    the API had no price for (they keep their old price, or stay unpriced and are reported)."""
    ec2: dict[str, float] = {}
    emr: dict[str, float] = {}
    vcpus: dict[str, int] = {}
    missing: list[str] = []
    for instance_type in sorted(set(instance_types)):
        product = _first_product(
            pricing,
            "AmazonEC2",
            _filters(
                region,
                instance_type,
                operatingSystem="Linux",
                tenancy="Shared",
                preInstalledSw="NA",
                capacitystatus="Used",
            ),
        )
        emr_product = _first_product(pricing, "ElasticMapReduce", _filters(region, instance_type, softwareType="EMR"))
        if product is None or emr_product is None:
            missing.append(instance_type)
            continue
        ec2[instance_type] = _hourly(product) or 0.0
        emr[instance_type] = _hourly(emr_product) or 0.0
        vcpu = product.get("product", {}).get("attributes", {}).get("vcpu")
        if vcpu:
            vcpus[instance_type] = int(vcpu)
    fresh = table.with_instance_prices(region, ec2, emr, vcpus, source=SOURCE, date=(today or Date.today()).isoformat())
    return fresh, missing
