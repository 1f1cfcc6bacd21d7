"""botocore's Stubber, narrowed to a few operations of one service, for every client a boto3 session creates.

moto 5.2.5 raises NotImplementedError for ``emr:ListInstanceFleets`` and ``emr:GetManagedScalingPolicy``; the
CLI tests stub exactly those calls (and, for error cases, the one call that must fail). Every other call of the
same client still reaches moto.
"""

from __future__ import annotations

from collections.abc import Iterable

import boto3
from botocore.stub import Stubber


class OperationStubber(Stubber):  # type: ignore[misc]  # botocore ships no type hints
    def __init__(self, session: boto3.Session, service: str, operations: Iterable[str]) -> None:
        # The Stubber validates queued responses against this client's service model.
        super().__init__(session.client(service))
        self.session = session
        self.events = [f"{service}.{operation}" for operation in operations]

    def activate(self) -> None:
        """Register on the session, so clients it creates from now on (the CLI's) answer from the queue."""
        for event in self.events:
            self.session.events.register_first(
                f"before-parameter-build.{event}", self._assert_expected_params, unique_id=f"stub-params-{event}"
            )
            self.session.events.register(f"before-call.{event}", self._get_response_handler, unique_id=f"stub-{event}")

    def deactivate(self) -> None:
        for event in self.events:
            self.session.events.unregister(f"before-parameter-build.{event}", unique_id=f"stub-params-{event}")
            self.session.events.unregister(f"before-call.{event}", unique_id=f"stub-{event}")
