"""Every write of the commissioners app. org: the organisation; demands: the 护商通 procedure."""

from .demands import *  # noqa: F401,F403,E402
from .org import *  # noqa: F401,F403
from .policies import *  # noqa: F401,F403,E402
from .visits import *  # noqa: F401,F403,E402
