from . import demands, org  # noqa: F401
