from . import org  # noqa: F401
