"""
The version, read by the build backend and by ``scorecard --version``.
"""

__version__ = "0.1.0"
