"""Demo data for `manage.py seed_demo`: an ordered list of steps.

Each step is a function `step(*, rng, progress)` named by its dotted path. It must be
deterministic (draw only from `rng`, a `random.Random` seeded from 2026 and the step's path, so
adding a step does not change the others) and idempotent (look rows up by natural keys, create
what is missing, update only what differs). `progress(label, done, total)` reports within the step.
"""

SEED = 2026

STEPS = [
    "portal.demo.org.industries",
    "portal.demo.org.leaders",
    "portal.demo.org.working_groups",
    "portal.demo.org.commissioners",
    "portal.demo.org.enterprises",
    "portal.demo.org.staff",
    "portal.demo.approvals.projects",
    "portal.demo.demands.step",
    "portal.demo.sweep.step",
    # Later issues add their steps here, after the organisation they build on, e.g.
    # "portal.demo.approvals.projects", "portal.demo.demands.demands".
]
