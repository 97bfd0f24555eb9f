"""Field types of the API's input schemas, checked before any service runs: text with a
maximum length and no NUL or lone surrogate (what PostgreSQL refuses and SQLite would
store), and database ids within what a 64-bit column holds."""

from typing import Annotated

from pydantic import AfterValidator, Field

from coalition.text import text_problem

MAX_ID = 2**63 - 1


def clean_text(value: str) -> str:
    problem = text_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


Code2 = Annotated[str, Field(min_length=2, max_length=2), AfterValidator(clean_text)]
Code3 = Annotated[str, Field(min_length=3, max_length=3), AfterValidator(clean_text)]
Slug = Annotated[str, Field(max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
ShortText = Annotated[str, Field(max_length=300), AfterValidator(clean_text)]
LongText = Annotated[str, Field(max_length=5000), AfterValidator(clean_text)]
Reference = Annotated[str, Field(max_length=100), AfterValidator(clean_text)]
Word = Annotated[str, Field(max_length=40), AfterValidator(clean_text)]
