"""Every write of the commissioners app. org: the organisation; demands: the 护商通 procedure."""

from .org import *  # noqa: F401,F403
