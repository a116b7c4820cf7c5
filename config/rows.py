"""Model instances from a hand-written SELECT, for the reads every submission makes.

A young person's submission reads its survey (with the campaign) and its invite link before it
writes. Through the ORM each read cost about a millisecond and a quarter of building the query
(filters, joins, ordering, compiling) against a tenth of a millisecond of running it, together
a quarter of a submission's time (benchmarks/, row 2). These helpers let such a read be written
once as SQL and still hand back ordinary model instances: the columns come from the models'
fields, and every value goes through the converters the ORM itself applies (a JSON field's
parsing, SQLite's dates), so an instance read here equals one read through the ORM.

Keep them for a few hot reads: everything else goes through the ORM.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connections
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)


def select_list(model: type[Model], alias: str, fields: Sequence[str] | None = None) -> str:
    """The quoted columns of ``model``'s concrete fields (or of the fields named) under
    ``alias``, in the order ``instance_from_row`` reads them."""
    quote = connections["default"].ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in _fields(model, fields))


def instance_from_row(
    model: type[M],
    row: Sequence[Any],
    *,
    start: int = 0,
    fields: Sequence[str] | None = None,
    using: str = "default",
) -> M:
    """An instance of ``model`` from ``row[start:]``, read as ``select_list`` wrote it: the
    fields not named are deferred, as with ``QuerySet.only``."""
    chosen = _fields(model, fields)
    converters = _converters(model, tuple(fields) if fields else None, using)
    connection = connections[using]
    values = []
    for offset, field in enumerate(chosen):
        value = row[start + offset]
        for converter in converters[offset]:
            value = converter(value, field, connection)
        values.append(value)
    return model.from_db(using, [field.attname for field in chosen], values)


def _fields(model: type[Model], names: Sequence[str] | None) -> list[Field]:
    concrete = list(model._meta.concrete_fields)
    if not names:
        return concrete
    by_name = {field.name: field for field in concrete} | {
        field.attname: field for field in concrete
    }
    return [by_name[name] for name in names]


@functools.cache
def _converters(
    model: type[Model], names: tuple[str, ...] | None, using: str
) -> list[list[Callable[..., Any]]]:
    """Per field, what the ORM's compiler would run on its value (backend, then field)."""
    connection = connections[using]
    result = []
    for field in _fields(model, names):
        column = field.get_col(model._meta.db_table)
        result.append(
            connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        )
    return result
