"""The demo: a synthetic academy run through the real pipeline, end to end."""

from .run import DemoResult, run_demo

__all__ = ["DemoResult", "run_demo"]
