"""The commissioner organisation (org.py) and the 护商通 procedure (demands.py, visits.py)."""

from .demands import (  # noqa: F401, E402
    Demand,
    DemandAttachment,
    DemandCategory,
    DemandDispatch,
    DemandEvent,
    DemandPolicy,
    DemandRating,
)
from .org import (  # noqa: F401
    Assignment,
    Commissioner,
    CommissionerGroup,
    Leader,
    OrgEvent,
    WorkingGroup,
)
from .policies import Policy  # noqa: F401, E402
from .visits import Visit  # noqa: F401, E402
