"""The ground floor: the web kit every domain app shares (the transition runner, upload checks,
pagination, admin bases, the append-only audit mixin). It imports no app of ours, so any app may
import it; see docs/architecture.md.
"""
