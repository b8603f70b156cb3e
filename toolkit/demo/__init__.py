"""The demo: a synthetic academy run through the real pipeline, end to end."""

from toolkit.demo.run import DemoResult, run_demo

__all__ = ["DemoResult", "run_demo"]
