"""Uploaded tables read as records, with no Django: the header names the columns, each
data row becomes {column: raw value}, and every problem names the file, the row (the
header is row 1) and the column. Pledge files, requirements and offers read this way
(their columns are their own); the bytes come through `tabular.read_rows`, within limits."""

from collections.abc import Iterator, Sequence
from datetime import date, datetime

from coalition import tabular
from coalition.errors import FileRejected, Message, RowError, _
from coalition.tabular import Limits, Source

# Messages that many files' rows share (coalition.errors.Message).
IS_REQUIRED = Message(_("is required"))
NO_ROWS = Message(_("no rows after the header"))
MORE_VALUES = Message(_("more values than columns"))


def text(value: object) -> str:
    """A cell as text: nothing for an empty cell, 12 for a spreadsheet's 12.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def blank(values: Sequence[object]) -> bool:
    return not any(text(v) for v in values)


def iso_date(value: object) -> date:
    """An ISO date (YYYY-MM-DD), or a spreadsheet's date cell; ValueError otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    written = text(value)
    try:
        if len(written) != 10:
            raise ValueError
        return date.fromisoformat(written)
    except ValueError:
        raise ValueError(
            Message(_("must be an ISO date (YYYY-MM-DD), not '%(value)s'"), value=written)
        ) from None


def whole_number(value: object, *, minimum: int = 1, maximum: int = 10**9) -> int:
    """A whole number between `minimum` and `maximum`; ValueError otherwise."""
    written = text(value)
    if not written.isdigit() or len(written) > 12:
        raise ValueError(Message(_("must be a whole number, not '%(value)s'"), value=written[:40]))
    number = int(written)
    if not minimum <= number <= maximum:
        raise ValueError(
            Message(
                _("must be between %(minimum)s and %(maximum)s"), minimum=minimum, maximum=maximum
            )
        )
    return number


def _header(
    table: Iterator[tuple[int, Sequence[object]]],
    name: str,
    columns: Sequence[str],
    required: Sequence[str],
) -> list[str]:
    """The columns named by row 1; raises FileRejected with every problem of the header."""
    first = next(table, None)
    # A blank first row reads as a header naming nothing, unless nothing follows it.
    if first is None or (blank(first[1]) and all(blank(v) for _, v in table)):
        raise FileRejected(
            [RowError(name, None, None, Message(_("the file is empty: a header row is required")))]
        )
    header = [text(v).lower() for v in first[1]]
    named = [c for c in header if c]
    if len(named) == 1 and named[0] not in columns and len(columns) > 1:
        # One unknown column: the columns were not split (a separator other than `,`, `;`
        # or tab): one clear error instead of one per missing column.
        message = Message(
            _(
                "the header is read as one column '%(header)s': separate the columns with "
                "commas, semicolons or tabs (the columns are: %(columns)s)"
            ),
            header=named[0][:60],
            columns=", ".join(columns),
        )
        raise FileRejected([RowError(name, 1, None, message)])
    errors = []
    for index, column in enumerate(header):
        if column and column not in columns:
            errors.append(
                RowError(
                    name,
                    1,
                    column,
                    Message(
                        _("unknown column (the columns are: %(columns)s)"),
                        columns=", ".join(columns),
                    ),
                )
            )
        elif column and column in header[:index]:
            errors.append(RowError(name, 1, column, Message(_("the column appears twice"))))
    errors += [
        RowError(name, 1, c, Message(_("missing column"))) for c in required if c not in header
    ]
    if errors:
        raise FileRejected(errors)
    return header


def read_records(
    data: Source,
    name: str,
    *,
    columns: Sequence[str],
    required: Sequence[str],
    limits: Limits | None = None,
) -> Iterator[tuple[int, dict[str, object] | RowError]]:
    """The data rows as (row number, {column: raw value}), or a row's RowError when it has
    more values than columns; streamed from the file. Raises FileRejected for a problem of
    the whole file (format, limits, header), which stops the reading."""
    table = tabular.read_rows(data, name, limits or Limits.from_settings())
    header = _header(table, name, columns, required)
    for number, values in table:
        if blank(values):
            continue
        if len(values) > len(header) and not blank(values[len(header) :]):
            yield number, RowError(name, number, None, MORE_VALUES)
            continue
        yield number, {c: v for c, v in zip(header, values, strict=False) if c}
