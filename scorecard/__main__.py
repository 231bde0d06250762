"""
``python -m scorecard``: the same as the ``scorecard`` command.
"""

from scorecard._cli import main

raise SystemExit(main())
