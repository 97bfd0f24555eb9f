from datetime import datetime
from typing import Any

from ninja import Field, Schema

from coalition.schema_types import ShortText, Slug


class PlanRequest(Schema):
    scenario: dict[str, Any] = Field(description="a scenario (docs/spec/scenario.schema.json)")
    time_limit: float = Field(30.0, gt=0, le=600, description="seconds for the whole solve")
    compare_separate: bool = Field(True, description="also solve with every fund buying alone")
    coalition: Slug | None = Field(
        None, description="the coalition's slug (default: the caller's only coalition)"
    )
    name: ShortText = ""


class PlanRunOut(Schema):
    id: int
    url: str
    coalition: str | None
    name: str
    status: str = Field(description="queued, running, done or failed")
    progress: dict[str, Any]
    time_limit: float
    compare_separate: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str
    plan: dict[str, Any] | None = Field(description="docs/spec/plan.schema.json, once done")
    baseline: dict[str, Any] | None = Field(description="the greedy spreadsheet plan")
    source: str = Field(description="pasted (a scenario sent) or database (a plan built)")
    inputs: dict[str, Any] | None = Field(
        description="a plan built from the database: the records behind each scenario id, "
        "and what was left out and why"
    )
    approved_at: datetime | None = Field(description="when its orders were signed")
    marginal: dict[str, Any] | None = Field(
        description="a plan built from the database: what one more EUR 1,000,000 would buy "
        "for each fund (`status` running, done or failed; `funds`: rows as the plan "
        "schema's `marginal`)"
    )


class PlanRunSummary(Schema):
    id: int
    url: str
    coalition: str | None
    name: str
    status: str
    created_at: datetime
    finished_at: datetime | None
