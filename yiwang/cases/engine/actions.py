"""One dispatch for every case action, used by the API and the pages alike.

A service function becomes an action with `@case_action("accept")`: the table row of that name
(`table.TRANSITIONS`) decides state, permission, guard and article; the function's keyword
parameters (besides `actor` and `case_id`) are the action's body, validated by the pydantic
schema built from them. Adding an action is one table row plus one decorated service function.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from yiwang.cases.engine.table import TRANSITIONS, transition
from yiwang.errors import InvalidInput, invalid_field, validation_fields


@dataclass(frozen=True)
class CaseAction:
    name: str
    service: Callable
    body: type[BaseModel]


_ACTIONS: dict[str, CaseAction] = {}


def case_action(name: str):
    """Make the decorated service the way to take the table row `name`, from API and pages."""
    if name not in TRANSITIONS:
        raise ValueError(f"the transition table has no row {name!r}")

    def register(service: Callable) -> Callable:
        _ACTIONS[name] = CaseAction(name=name, service=service, body=body_schema(name, service))
        return service

    return register


def body_schema(name: str, service: Callable) -> type[BaseModel]:
    """The action's body: the service's keyword parameters with their types and defaults."""
    hints = typing.get_type_hints(service, include_extras=True)
    fields: dict[str, Any] = {}
    for parameter in inspect.signature(service).parameters.values():
        if parameter.name in ("actor", "case_id"):
            continue
        default = ... if parameter.default is inspect.Parameter.empty else parameter.default
        fields[parameter.name] = (hints[parameter.name], default)
    title = "".join(part.title() for part in name.split("_")) + "Body"
    return create_model(
        title, __config__=ConfigDict(extra="ignore", populate_by_name=True), **fields
    )


def case_actions() -> list[CaseAction]:
    """The actions people take, in the table's order."""
    return [_ACTIONS[name] for name in TRANSITIONS if name in _ACTIONS]


def action_named(name: str) -> CaseAction:
    transition(name)  # 409 for a name the table does not know
    if name not in _ACTIONS:
        raise invalid_field("action", _("This action is taken by the system only."))
    return _ACTIONS[name]


def parse_body(action: CaseAction, data: dict) -> BaseModel:
    try:
        return action.body.model_validate(data or {})
    except ValidationError as error:
        raise InvalidInput(
            _("The action's fields are not valid."),
            code="invalid",
            fields=validation_fields(error.errors()),
        ) from error


def dispatch(*, actor: Any, case_id: int, action: str, data: dict | BaseModel | None = None):
    """Take an action on a case: parse its body, then call its one service function."""
    handler = action_named(action)
    body = data if isinstance(data, BaseModel) else parse_body(handler, data or {})
    values = {name: getattr(body, name) for name in type(body).model_fields}
    return handler.service(actor=actor, case_id=case_id, **values)
