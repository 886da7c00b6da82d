"""The rule language in one place: fact types, comparison operators and three-valued statuses.

A rule's fact criterion is `fact op value`. Every operator is one `Operator` entry in `OPERATORS`:
the fact types it compares, the shape of its value, the operator that holds exactly when it does not on
a documented fact (its complement: what the compiler's "not met" rule tests and the witness search
aims at), its durable-rules pattern, its Python form (what the test oracle, the witness search and the
certify search evaluate), and its wording (in explanations and in the generated checklists). The
loader, compiler, witness search, explanations, docs, lint, JSON Schema and test oracle all read it,
so a new operator is one entry here (and its symbol in `OperatorSymbol`, which mypy checks against it).

Statuses are three-valued (met, not met, not documented) and combine as Kleene logic does
(`at_least`, `negate`); the forms of criteria (fact, all_of, any_of, at_least, not) are the pydantic
tagged union in `imr_rules.models.rules`.

The engine encoding of a fact is here too (`fact_key`, `member_key`, `count_key`): a scalar fact is
one attribute `f_<fact>`; a list fact is its length `n_<fact>` and one flag `m_<fact>-<member>` per
member. Fact names and members are identifiers ([a-z][a-z0-9_]*), so the prefixes and the `-` make
the keys injective.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

FactType = Literal["boolean", "integer", "number", "date", "enum", "list", "text"]
OperatorSymbol = Literal["==", "!=", "<", "<=", ">", ">=", "in", "not_in", "contains"]
"""The operators a rule file may write (`not_contains` is only ever a complement)."""

Status = Literal["met", "not_met", "not_documented"]
STATUSES: tuple[Status, ...] = ("met", "not_met", "not_documented")
NEGATED: dict[str, Status] = {"met": "not_met", "not_met": "met", "not_documented": "not_documented"}

Expr = dict[str, Any]


def negate(status: str) -> Status:
    """Kleene negation: met <-> not met; not documented stays not documented."""
    return NEGATED[status]


def at_least(need: int, children: Sequence[str]) -> Status:
    """Kleene `at least need of` the children's statuses (all_of: need = all; any_of: need = 1).

    Met when `need` children are met; not met when so many are not met that `need` cannot be reached;
    otherwise not documented.
    """
    if sum(1 for s in children if s == "met") >= need:
        return "met"
    if sum(1 for s in children if s == "not_met") > len(children) - need:
        return "not_met"
    return "not_documented"


# -- the engine encoding of facts ------------------------------------------------------------------


def fact_key(name: str) -> str:
    return f"f_{name}"


def member_key(name: str, member: str) -> str:
    return f"m_{name}-{member}"


def count_key(name: str) -> str:
    return f"n_{name}"


# -- operators -------------------------------------------------------------------------------------

ValueShape = Literal["one", "list", "member"]
"""What an operator's value is: one value of the fact, a non-empty list of them, or a member of a list fact."""


@dataclass(frozen=True)
class Operator:
    """One comparison operator of the rule language.

    `fact_types`: the fact types it compares (`needs` names them in an error); `value`: its value's shape;
    `complement`: the operator that holds exactly when this one does not, on a documented fact;
    `holds(actual, value)`: its Python form on normalised values (dates as dates or ISO strings, a list
    fact's value as its members); `durable(fact, value)`: its durable-rules pattern on the item fact,
    given engine values (`engine_value`; for a list value, without repeats); `test`: how an explanation
    shows it (`fact <test> value`); `words`: how a checklist reads it.
    """

    symbol: str
    fact_types: tuple[FactType, ...]
    needs: str
    value: ValueShape
    complement: str
    holds: Callable[[Any, Any], bool]
    durable: Callable[[str, Any], Expr]
    test: str
    words: str
    written: bool = True  # False: only a complement, never in a rule file


def _compare(durable_op: str) -> Callable[[str, Any], Expr]:
    return lambda fact, v: {durable_op: {fact_key(fact): v}}


def _one_of(fact: str, values: list[Any]) -> Expr:
    # a value listed twice would make the `$or` fire twice (the loader refuses it; `values` has no repeats)
    key = fact_key(fact)
    return {key: values[0]} if len(values) == 1 else {"$or": [{key: v} for v in values]}


def _lacks(fact: str, member: str) -> Expr:
    # documented (the list's length exists) and without the member
    return {"$and": [{"$ex": {count_key(fact): 1}}, {"$nex": {member_key(fact, member): 1}}]}


_ORDERED: tuple[FactType, ...] = ("integer", "number", "date")
_SCALAR: tuple[FactType, ...] = ("boolean", "integer", "number", "date", "enum")

_ALL = (
    Operator("==", fact_types=_SCALAR, needs="a single-valued fact", value="one", complement="!=",
             holds=operator.eq, durable=lambda fact, v: {fact_key(fact): v}, test="is", words="is"),
    Operator("!=", fact_types=_SCALAR, needs="a single-valued fact", value="one", complement="==",
             holds=operator.ne, durable=_compare("$neq"), test="is not", words="is not"),
    Operator("<", fact_types=_ORDERED, needs="a number or date fact", value="one", complement=">=",
             holds=operator.lt, durable=_compare("$lt"), test="<", words="less than"),
    Operator("<=", fact_types=_ORDERED, needs="a number or date fact", value="one", complement=">",
             holds=operator.le, durable=_compare("$lte"), test="<=", words="at most"),
    Operator(">", fact_types=_ORDERED, needs="a number or date fact", value="one", complement="<=",
             holds=operator.gt, durable=_compare("$gt"), test=">", words="more than"),
    Operator(">=", fact_types=_ORDERED, needs="a number or date fact", value="one", complement="<",
             holds=operator.ge, durable=_compare("$gte"), test=">=", words="at least"),
    Operator("in", fact_types=("enum", "integer"), needs="an enum or integer fact", value="list",
             complement="not_in", holds=lambda actual, values: actual in values, durable=_one_of,
             test="is one of", words="is one of"),
    Operator("not_in", fact_types=("enum", "integer"), needs="an enum or integer fact", value="list",
             complement="in", holds=lambda actual, values: actual not in values,
             durable=lambda fact, values: {"$and": [{"$neq": {fact_key(fact): v}} for v in values]},
             test="is not one of", words="is not one of"),
    Operator("contains", fact_types=("list",), needs="a list fact", value="member", complement="not_contains",
             holds=lambda members, member: member in members,
             durable=lambda fact, member: {member_key(fact, member): True}, test="includes", words="includes"),
    Operator("not_contains", fact_types=("list",), needs="a list fact", value="member", complement="contains",
             holds=lambda members, member: member not in members,
             durable=_lacks,
             test="does not include", words="does not include", written=False),
)  # fmt: skip

OPERATORS: dict[str, Operator] = {op.symbol: op for op in _ALL}
WRITTEN = tuple(op.symbol for op in _ALL if op.written)

assert get_args(OperatorSymbol) == WRITTEN, "OperatorSymbol must list exactly the written operators"
assert all(OPERATORS[OPERATORS[s].complement].complement == s for s in OPERATORS), "complements pair up"


def complement(symbol: str) -> str:
    """The operator that holds exactly when `symbol` does not, on a documented fact."""
    return OPERATORS[symbol].complement


def holds(actual: Any, symbol: str, value: Any) -> bool:
    """`actual symbol value` in Python (normalised values; a list fact's value is its members)."""
    return OPERATORS[symbol].holds(actual, value)


def engine_value(fact_type: FactType, value: Any) -> Any:
    """A validated value as durable-rules compares it: a date as its day number, a number as a float."""
    if fact_type == "date":
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        return day.toordinal()
    if fact_type == "number":
        return float(value)
    return value


def durable_condition(fact: str, fact_type: FactType, symbol: str, value: Any) -> Expr:
    """The durable-rules pattern on the item fact for `fact symbol value`."""
    op = OPERATORS[symbol]
    if op.value == "list":
        return op.durable(fact, list(dict.fromkeys(engine_value(fact_type, v) for v in value)))
    if op.value == "member":
        return op.durable(fact, value)
    return op.durable(fact, engine_value(fact_type, value))


def leaf_keys(fact: str, symbol: str, value: Any) -> list[str]:
    """The engine keys a fact criterion's rules read (a list fact: its length and the member tested)."""
    if OPERATORS[symbol].value == "member":
        return [count_key(fact), member_key(fact, str(value))]
    return [fact_key(fact)]


def comparison_problem(fact_type: FactType, symbol: str) -> str | None:
    """Why `symbol` cannot compare a fact of this type (None when it can); the value is checked apart."""
    if fact_type == "text":
        return "a text fact is descriptive and cannot be compared"
    op = OPERATORS[symbol]
    if fact_type in op.fact_types:
        return None
    if fact_type == "list":
        return "a list fact is tested with 'contains'"
    return f"'{symbol}' needs {op.needs}, not {fact_type}"
