"""``python -m tools.gate [cdk.out]``: the policy gate (see :mod:`tools.gate.gate`)."""

import sys

from tools.gate.gate import main

sys.exit(main())
