"""Exercise widgets whose answers are saved beside the notebook and survive autograde."""

from .base import Exercise
from .checklist import Checklist
from .choice import Choice

__all__ = ["Checklist", "Choice", "Exercise"]
