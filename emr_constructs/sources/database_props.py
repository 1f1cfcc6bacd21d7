"""Settings of a relational source or sink (RDS / Aurora, PostgreSQL or MySQL): bring one, or create one in dev."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from emr_constructs.errors import Checks, Problem
from emr_constructs.props import ValidatedProps
from emr_constructs.sources.common import require_arn, require_key_arn


class DatabaseEngine(StrEnum):
    """The engine family; it decides the default port and the JDBC URL scheme."""

    POSTGRES = "postgres"
    MYSQL = "mysql"


DEFAULT_PORTS: dict[DatabaseEngine, int] = {DatabaseEngine.POSTGRES: 5432, DatabaseEngine.MYSQL: 3306}
JDBC_SCHEMES: dict[DatabaseEngine, str] = {DatabaseEngine.POSTGRES: "postgresql", DatabaseEngine.MYSQL: "mysql"}

_SECRET_ARN = re.compile(r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$")
_SECURITY_GROUP_ID = re.compile(r"^sg-[0-9a-f]{8}([0-9a-f]{9})?$")
_ENDPOINT = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")
_DATABASE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,62}$")
_INSTANCE_TYPE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9]+$")
#: RDS ports: 1150-65535 (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html).
PORTS = range(1150, 65536)


@dataclass(frozen=True, kw_only=True)
class ExistingDatabaseProps(ValidatedProps):
    """A database the team already runs. The library only adds ingress rules to its group and grants."""

    endpoint: str
    """Host name of the instance or the Aurora cluster (writer or reader) endpoint. Required."""
    security_group_id: str
    """The database's security group (``sg-...``): the grant adds ingress from the compute's groups. Required."""
    secret_arn: str
    """Complete ARN (with its 6-character suffix) of the Secrets Manager secret holding ``username`` and
    ``password``. Required: jobs read the credentials at run time; no password enters a template."""
    secret_key_arn: str | None = None
    """ARN of the customer-managed KMS key the secret is encrypted with. Default ``None``: the AWS managed key,
    which needs no grant."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        checks.require(
            bool(_ENDPOINT.match(self.endpoint)),
            "endpoint",
            self.endpoint,
            "not a host name (give the endpoint without scheme, port or database)",
            "a DNS name such as mydb.abc123.eu-west-1.rds.amazonaws.com",
        )
        checks.require(
            bool(_SECURITY_GROUP_ID.match(self.security_group_id)),
            "security_group_id",
            self.security_group_id,
            "not a security group id",
            "sg- followed by 8 or 17 hex digits",
        )
        require_arn(
            checks,
            "secret_arn",
            self.secret_arn,
            _SECRET_ARN,
            "the complete secret ARN, arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>",
        )
        require_key_arn(checks, "secret_key_arn", self.secret_key_arn)
        return checks.problems


@dataclass(frozen=True, kw_only=True)
class NewDatabaseProps(ValidatedProps):
    """A small single-AZ RDS instance the library creates, for development environments."""

    instance_type: str = "t4g.micro"
    """EC2-style instance type without the ``db.`` prefix. Default ``t4g.micro``."""
    allocated_storage_gib: int = 20
    """Storage in GiB, 20-65536 (gp3). Default 20."""
    backup_retention_days: int = 7
    """Automated backups kept, 1-35 days. Default 7."""

    def _rules(self) -> list[Problem]:
        checks = Checks()
        checks.require(
            bool(_INSTANCE_TYPE.match(self.instance_type)) and not self.instance_type.startswith("db."),
            "instance_type",
            self.instance_type,
            "not an instance type (the db. prefix is added by the library)",
            "family.size, e.g. t4g.micro or r7g.large",
        )
        checks.require(
            20 <= self.allocated_storage_gib <= 65536,
            "allocated_storage_gib",
            self.allocated_storage_gib,
            "out of range for gp3",
            "20-65536",
        )
        checks.require(
            1 <= self.backup_retention_days <= 35,
            "backup_retention_days",
            self.backup_retention_days,
            "out of range (0 would turn automated backups off)",
            "1-35",
        )
        return checks.problems


@dataclass(frozen=True, kw_only=True)
class RelationalDatabaseProps(ValidatedProps):
    """A relational source or sink: exactly one of ``existing`` (bring) or ``create`` (the library builds it)."""

    engine: DatabaseEngine = DatabaseEngine.POSTGRES
    """``postgres`` (default) or ``mysql``; Aurora clusters are brought with their engine family."""
    database_name: str = "platform"
    """The database jobs connect to (the last part of the JDBC URL). Default ``platform``."""
    port: int | None = None
    """Port, 1150-65535. Default ``None``: the engine's (5432 PostgreSQL, 3306 MySQL)."""
    existing: ExistingDatabaseProps | None = None
    """Bring a database. Default ``None``."""
    create: NewDatabaseProps | None = None
    """Create one (meant for dev: production databases are owned outside the platform). Default ``None``."""

    @property
    def effective_port(self) -> int:
        return self.port if self.port is not None else DEFAULT_PORTS[self.engine]

    def _rules(self) -> list[Problem]:
        checks = Checks()
        checks.require(
            (self.existing is None) != (self.create is None),
            "existing",
            "set" if self.existing is not None else None,
            "bring a database or let the library create one, not both and not neither",
            "exactly one of existing and create",
        )
        checks.require(
            bool(_DATABASE_NAME.match(self.database_name)),
            "database_name",
            self.database_name,
            "not a database name both PostgreSQL and MySQL accept",
            "a letter, then letters, digits or '_', 1-63 characters",
        )
        if self.port is not None:
            checks.require(self.port in PORTS, "port", self.port, "not an RDS port", "1150-65535")
        if self.existing is not None:
            checks.extend(self.existing.problems(), "existing")
        if self.create is not None:
            checks.extend(self.create.problems(), "create")
        return checks.problems
