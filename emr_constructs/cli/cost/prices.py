"""The price table: a JSON file in the package (with its source and date), or one refreshed from the AWS
Price List API. A price that is not in the table is ``None``, and the caller reports it, never prices it at zero."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from emr_constructs.cli.errors import CliError

PACKAGED = "prices.json"


@dataclass(frozen=True)
class PriceTable:
    data: dict[str, Any]
    origin: str
    """Where the table was read from (the packaged file or a path)."""

    @classmethod
    def packaged(cls) -> PriceTable:
        text = resources.files("emr_constructs.cli.cost").joinpath(PACKAGED).read_text()
        return cls(json.loads(text), origin=f"emr_constructs/cli/cost/{PACKAGED}")

    @classmethod
    def read(cls, path: Path) -> PriceTable:
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError:
            raise CliError(f"price table {path} does not exist: omit --prices to use the packaged table") from None
        except json.JSONDecodeError as error:
            raise CliError(f"price table {path} is not valid JSON: {error}") from None
        if not isinstance(data.get("regions"), dict):
            raise CliError(f"price table {path} has no 'regions' object: it is not an emr-platform price table")
        return cls(data, origin=str(path))

    @property
    def source(self) -> str:
        return str(self.data.get("source", "unknown"))

    @property
    def date(self) -> str:
        return str(self.data.get("date", "unknown"))

    @property
    def hours_per_month(self) -> float:
        return float(self.data.get("hours_per_month", 730))

    @property
    def regions(self) -> list[str]:
        return sorted(self.data["regions"])

    def has_region(self, region: str) -> bool:
        return region in self.data["regions"]

    def _region(self, region: str) -> dict[str, Any]:
        found: dict[str, Any] | None = self.data["regions"].get(region)
        if found is None:
            raise CliError(
                f"the price table ({self.origin}) has no prices for region {region}; it has: "
                f"{', '.join(self.regions)}; run `emr-platform cost --refresh-prices --region {region}`"
            )
        return found

    def price(self, region: str, key: str, item: str | None = None) -> float | None:
        """One price: ``price(r, "nat_gateway_hour")`` or ``price(r, "ec2", "m6g.xlarge")``; ``None`` if absent."""
        value = self._region(region).get(key)
        if item is not None:
            value = value.get(item) if isinstance(value, dict) else None
        return None if value is None else float(value)

    def vcpus(self, instance_type: str) -> int | None:
        value = self.data.get("vcpus", {}).get(instance_type)
        return None if value is None else int(value)

    def glue_worker_dpu(self, worker_type: str) -> float | None:
        value = self.data.get("glue_worker_dpu", {}).get(worker_type)
        return None if value is None else float(value)

    def with_instance_prices(
        self, region: str, ec2: dict[str, float], emr: dict[str, float], vcpus: dict[str, int], source: str, date: str
    ) -> PriceTable:
        """A copy with ``region``'s instance prices replaced by fresh ones (other prices kept)."""
        data = copy.deepcopy(self.data)
        base = data["regions"].get(region) or copy.deepcopy(data["regions"][sorted(data["regions"])[0]])
        base["ec2"] = {**base.get("ec2", {}), **ec2}
        base["emr"] = {**base.get("emr", {}), **emr}
        data["regions"][region] = base
        data["vcpus"] = {**data.get("vcpus", {}), **vcpus}
        data["source"] = source
        data["date"] = date
        return PriceTable(data, origin=self.origin)

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.data, indent=1) + "\n")
