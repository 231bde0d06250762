"""
Grades: what a prediction is as of a date, the word a review shows, the points it scores.

Its own module, with nothing but the standard library beneath it, because scoring a forecast
table needs the outcomes and nothing else of the records.
"""

from __future__ import annotations

import enum


class Grade(enum.Enum):
    """
    A prediction's grade as of a date.
    """

    YES = "yes"
    PARTLY = "partly"
    NO = "no"
    PENDING = "pending"
    UNRESOLVED = "unresolved"
    VOID = "void"
    DISPUTED = "disputed"

    # Members are singletons compared by identity, so identity can hash them too. Enum's own
    # hash is Python code over the name, and a review of 10,000 predictions asks for it about
    # 200,000 times (counts, points and labels are looked up by grade).
    __hash__ = object.__hash__

    @property
    def label(self) -> str:
        """
        The State-of-AI-style word shown in reviews: Yes, Sort of, No, ...
        """
        return _GRADE_LABELS[self]

    @property
    def points(self) -> float | None:
        """
        Hit-rate credit with half credit for partly; None where the grade does not score.
        """
        return _GRADE_POINTS.get(self)


_GRADE_LABELS = {
    Grade.YES: "Yes",
    Grade.PARTLY: "Sort of",
    Grade.NO: "No",
    Grade.PENDING: "Pending",
    Grade.UNRESOLVED: "Unresolved",
    Grade.VOID: "Void",
    Grade.DISPUTED: "Disputed",
}
_GRADE_POINTS = {Grade.YES: 1.0, Grade.PARTLY: 0.5, Grade.NO: 0.0}
VERDICT_GRADES = (Grade.YES, Grade.PARTLY, Grade.NO, Grade.VOID)
#: The ``outcome`` column of a forecast table, with the score of each: a verdict grade's name,
#: or empty while the question is open. The one map from grades to outcome values.
OUTCOMES: dict[str, float | None] = {
    **{grade.value: grade.points for grade in (Grade.YES, Grade.NO, Grade.PARTLY, Grade.VOID)},
    "": None,
}
