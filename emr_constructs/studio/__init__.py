"""EMR Studio: :class:`EmrStudio` and its props."""

from emr_constructs.studio.props import AuthMode, EmrStudioProps
from emr_constructs.studio.studio import ENGINE_PORT, EmrStudio

__all__ = ["ENGINE_PORT", "AuthMode", "EmrStudio", "EmrStudioProps"]
