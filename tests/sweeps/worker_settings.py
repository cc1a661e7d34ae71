"""The project's settings for the integration test's Celery worker, with a private default queue.

The worker enqueues the deliveries of what its sweep raised; with the default queue of its own
they come back to this worker, not to another worker sharing the broker (a `make run` on the
same machine), which would look for the rows in its own database and drop them.
"""

import os

from portal.settings import *  # noqa: F403

CELERY_TASK_DEFAULT_QUEUE = os.environ.get("PORTAL_WORKER_QUEUE", "celery")
