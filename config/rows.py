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
from django.db.models.expressions import Col

M = TypeVar("M", bound=Model)


def select_list(model: type[Model], alias: str, fields: Sequence[str] | None = None) -> str:
    """The quoted columns of ``model``'s concrete fields (or of the fields named) under
    ``alias``, in the order ``instance_from_row`` reads them."""
    quote = connections["default"].ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in _fields(model, fields))


def table(model: type[Model]) -> str:
    """``model``'s table, quoted."""
    return connections["default"].ops.quote_name(model._meta.db_table)


def column(model: type[Model], name: str) -> str:
    """The column of ``model``'s field ``name`` (a field's name or attname), quoted."""
    (field,) = _fields(model, [name])
    return connections["default"].ops.quote_name(field.column)


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
    connection = connections[using]
    names, values = [], []
    for offset, (field, expression, converters) in enumerate(
        _converters(model, tuple(fields) if fields else None, using)
    ):
        value = row[start + offset]
        for converter in converters:
            value = converter(value, expression, connection)
        names.append(field.attname)
        values.append(value)
    return model.from_db(using, names, values)


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
) -> list[tuple[Field, Col, list[Callable[..., Any]]]]:
    """Per field: the field, its column expression, and what the ORM's compiler would run on
    its value (the backend's converters, then the field's), given that expression."""
    connection = connections[using]
    result = []
    for field in _fields(model, names):
        expression = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        )
        result.append((field, expression, converters))
    return result
