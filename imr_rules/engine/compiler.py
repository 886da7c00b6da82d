"""Compile rules into durable-rules rulesets: every criterion node becomes rules that derive its status.

The design (see docs/ARCHITECTURE.md) keeps every firing exclusive and every pattern type-guarded,
because durable-rules 2.0.28 fires a `$or` once per satisfied branch, hangs on patterns the session
state satisfies, and has no truth maintenance:

* each disputed item is one fact `{t: "item", i, svc, f_<fact>: value...}` carrying only the facts
  the compiled rules read; a fact the case does not document is simply absent;
* a fact criterion compiles to three rules on the item fact: met (the comparison), not met (its
  complement) and not documented (`$nex`). A missing attribute fails every comparison, so exactly
  one of the three fires: this is what makes "not documented" distinct from "documented as absent";
* a tree node (all_of / any_of / not) compiles to rules joining its children's status facts
  (Kleene logic). Each alternative names the first child that decides it and requires the children
  before it not to, so exactly one rule fires per node and item; `at_least N of` is rewritten as
  any_of over all_of of every N-subset (hidden nodes);
* an item's decision node is the all_of of the roots of every rule governing its service;
* an item that depends on a primary item of the same case waits as a `pending` fact; link rules turn
  the primary's decision into the dependent item's `primary_status` (forward chaining in the engine);
* a `$done` marker rule always fires (so `delete_state` is safe) and a sink rule covers every fact
  type (so no MessageNotHandledException);
* every rule's action is a plain function of the facts it matched: it returns what it derived (a
  `Firing`) and the fact to assert back, as JSON text; `imr_rules.engine.runtime` runs it and asserts the fact.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from typing_extensions import assert_never

from imr_rules.library.language import (
    NEGATED,
    STATUSES,
    Expr,
    complement,
    count_key,
    durable_condition,
    engine_value,
    fact_key,
    leaf_keys,
    member_key,
)
from imr_rules.models import AllOf, AnyOf, AtLeast, Criterion, FactCriterion, FactDefinition, Not, Rule
from imr_rules.models.rules import threshold

PRIMARY_STATUS_FACT = "primary_status"
NodeKind = Literal["fact", "all_of", "any_of", "not"]


@dataclass(frozen=True)
class Node:
    """A criterion node as compiled: `key` is unique in the ruleset, `hidden` for rewritten nodes."""

    key: str
    rule_id: str
    criterion: Criterion | None
    kind: NodeKind  # at_least is compiled as all_of / any_of
    children: tuple[Node, ...] = ()
    hidden: bool = False


@dataclass(frozen=True)
class Firing:
    """One action durable-rules ran: which node got which status for which item."""

    node: str
    item: int
    status: str


# An action: the facts a rule matched ({alias: fact}) -> what it derived, and the fact to assert (JSON text).
Action = Callable[[dict[str, Any]], tuple[Firing, str | None]]


@dataclass
class CompiledRuleset:
    """A durable-rules ruleset for one combination of rules, and how to read what it derives."""

    name: str
    definition: dict[str, dict[str, Any]]  # rule name -> {"all": patterns}, as durable-rules receives it
    actions: dict[str, Action]  # rule name -> its action
    rules: dict[str, Rule]
    services: dict[str, list[str]]
    nodes: dict[str, Node]
    roots: dict[str, str]
    fact_names: list[str]
    keys: frozenset[str] = frozenset()  # the engine keys of case facts the rules read

    def json(self) -> str:
        """The ruleset as durable-rules receives it (each rule's action is known by the rule's name)."""
        return json.dumps(self.definition, indent=1, sort_keys=True)


# Engine keys (language.fact_key, member_key, count_key) are injective, but durable-rules tells keys apart
# only by their 32-bit FNV-1 hash (`fnv1_32`), which the library loader checks for every key a vocabulary
# can produce (library.engine_key_problems).
RESERVED_KEYS = ("t", "i", "svc", "sid", "id", "p", "v")  # keys of engine facts other than case facts


def fnv1_32(key: str) -> int:
    """durable-rules' hash of a property name (events.c / json.c `fnv1Hash32` over the key's JSON text,
    each byte read as a signed char): two keys with the same hash are the same property to it."""
    value = 0x811C9DC5
    for byte in json.dumps(key)[1:-1].encode():
        value ^= byte if byte < 0x80 else (byte | 0xFFFFFF00)  # char is signed: bytes >= 0x80 sign-extend
        value = (value * 16777619) & 0xFFFFFFFF
    return value


def engine_keys(name: str, definition: FactDefinition) -> list[str]:
    """Every engine key a fact can produce (a list fact: its length and one flag per declared member)."""
    if definition.type == "text":
        return []
    if definition.type == "list":
        return [count_key(name)] + [member_key(name, m) for m in definition.values or []]
    return [fact_key(name)]


# durable-rules 2.0.28's fixed sizes (src/rules, checked by the library loader and lint for every service):
# * a fact holds fewer than MAX_OBJECT_PROPERTIES = 255 attributes (state.h; the 255th is error 302, and
#   its error path crashes the process): an item fact carries t, i, svc, p (while pending), sid and the id
#   durable adds, so at most 254 - 6 = 248 keys of case facts;
# * matching one fact pushes the alpha nodes it satisfies on a stack of MAX_STACK_SIZE = 64 (events.c
#   handleAlpha; the 65th is error 303): each fact criterion on the item satisfies at most one of its
#   three conditions at a time (criteria with the same fact, operator and value share theirs), and the
#   `contains` criteria of one list share one more (`$ex` on its length, measured: 64 contains criteria on
#   one list with every member present overflowed it), so a service's rules hold at most 64 of these.
MAX_KEYS = 248
MAX_FACT_CRITERIA = 64


def service_load(rules: list[Rule]) -> tuple[set[str], set[str]]:
    """The engine keys and the distinct fact criteria (fact, op, value) one service's ruleset reads."""
    keys: set[str] = set()
    leaves: set[str] = set()
    for rule in rules:
        for node in rule.criteria.walk():
            if isinstance(node, FactCriterion):
                keys.update(leaf_keys(node.fact, node.op, node.value))
                leaves.add(json.dumps([node.fact, node.op, node.value], sort_keys=True, default=str))
                if len(leaf_keys(node.fact, node.op, node.value)) > 1:  # a member test: its not-met rule's
                    leaves.add(json.dumps([node.fact, "$ex"]))  # `$ex` on the list's length is one more node
    return keys, leaves


def encode_fact(
    name: str, definition: FactDefinition, value: Any, keys: frozenset[str] | None = None
) -> dict[str, Any]:
    """The item-fact attributes for one case fact (a list fact becomes its length and one flag per member).

    With `keys` (a ruleset's `keys`), only the members its rules test are kept: a list fact may document
    hundreds of members, and durable-rules holds at most 252 attributes in one fact (see MAX_KEYS).
    """
    if definition.type == "list":
        out: dict[str, Any] = {count_key(name): len(value)}
        for member in value:
            key = member_key(name, member)
            if keys is None or key in keys:
                out[key] = True
        return out
    if definition.type == "text":
        return {}
    return {fact_key(name): engine_value(definition.type, value)}


class _Builder:
    def __init__(self, facts: dict[str, FactDefinition]) -> None:
        self.facts = facts
        self.nodes: dict[str, Node] = {}
        self.definition: dict[str, dict[str, Any]] = {}
        self.actions: dict[str, Action] = {}
        self.fact_names: set[str] = set()
        self.keys: set[str] = set()
        self.counter = itertools.count()

    # -- nodes -------------------------------------------------------------------------------------
    def build_node(self, rule: Rule, crit: Criterion) -> Node:
        key = f"{rule.id}/{crit.id}"
        children = tuple(self.build_node(rule, c) for c in crit.children)
        match crit:
            case FactCriterion():
                node = Node(key, rule.id, crit, "fact")
            case AllOf():
                node = Node(key, rule.id, crit, "all_of", children)
            case AnyOf():
                node = Node(key, rule.id, crit, "any_of", children)
            case Not():
                node = Node(key, rule.id, crit, "not", children)
            case AtLeast() if 1 < crit.at_least < len(children):
                subsets = [
                    Node(f"{key}~{j}", rule.id, None, "all_of", tuple(combo), hidden=True)
                    for j, combo in enumerate(itertools.combinations(children, crit.at_least))
                ]
                for sub in subsets:
                    self.nodes[sub.key] = sub
                node = Node(key, rule.id, crit, "any_of", tuple(subsets))
            case AtLeast():
                node = Node(key, rule.id, crit, "all_of" if threshold(crit) == len(children) else "any_of", children)
            case _:
                assert_never(crit)
        self.nodes[key] = node
        return node

    # -- rules -------------------------------------------------------------------------------------
    def add(self, stem: str, patterns: list[dict[str, Expr]], action: Action) -> None:
        name = f"{stem}#{next(self.counter)}"
        self.definition[name] = {"all": patterns}
        self.actions[name] = action

    @staticmethod
    def emit(out_type: str, node: str, status: str, alias: str, extra: dict[str, Any] | None = None) -> Action:
        """An action deriving `node`'s status for the item matched as `alias`, asserted as a status fact.

        The fact's JSON is prepared once here and completed per firing: serialising a dict per firing
        was a measurable share of the engine's cost (each case fires about 20 actions).
        """
        head = json.dumps({"t": out_type, "v": status, **(extra or {})})[:-1]

        def action(matched: dict[str, Any]) -> tuple[Firing, str | None]:
            fact = matched[alias]
            item = fact["i"]
            sid = fact["sid"]
            # the runtime's session ids are decimal digits, which JSON quotes as they are (json.dumps of
            # each one was ~5% of a case's engine time); any other id goes through json.dumps
            quoted = f'"{sid}"' if type(sid) is str and sid.isdecimal() and sid.isascii() else json.dumps(sid)
            return Firing(node, item, status), f'{head}, "i": {int(item)}, "sid": {quoted}}}'

        return action

    def item_guard(self, services: list[str]) -> list[Expr]:
        if len(services) == 1:
            return [{"t": "item"}, {"svc": services[0]}]
        return [{"t": "item"}, {"$or": [{"svc": s} for s in services]}]

    def compile_leaf(self, node: Node, services: list[str]) -> None:
        crit = node.criterion
        assert isinstance(crit, FactCriterion)
        definition = self.facts[crit.fact]
        self.fact_names.add(crit.fact)
        self.keys.update(leaf_keys(crit.fact, crit.op, crit.value))
        guard = self.item_guard(services)
        conditions = {
            "met": durable_condition(crit.fact, definition.type, crit.op, crit.value),
            "not_met": durable_condition(crit.fact, definition.type, complement(crit.op), crit.value),
            "not_documented": _absent(crit.fact, definition),
        }
        for status, cond in conditions.items():
            self.add(
                f"{node.key}:{status}",
                [{"m": {"$and": [*guard, cond]}}],
                self.emit(status_type(node.key), node.key, status, "m"),
            )

    def compile_tree(self, node: Node) -> None:
        """Rules deriving a tree node's status from its children's status facts, one firing per item."""
        children = list(node.children)
        out = status_type(node.key)
        if node.kind == "not":
            (child,) = children
            for child_status in STATUSES:
                pattern = {"a0": {"$and": [{"t": status_type(child.key)}, {"v": child_status}]}}
                self.add(
                    f"{node.key}:{NEGATED[child_status]}",
                    [pattern],
                    self.emit(out, node.key, NEGATED[child_status], "a0"),
                )
            return
        decide, other = ("met", "not_met") if node.kind == "any_of" else ("not_met", "met")
        for status, constraints in _tree_cases(len(children), decide, other):
            patterns = _join([(children[j].key, c) for j, c in constraints])
            self.add(f"{node.key}:{status}", patterns, self.emit(out, node.key, status, "a0"))

    def compile_decision(self, service: str, children: list[tuple[str, bool]]) -> None:
        """The item's decision: all_of over the roots of the rules governing its service.

        An excluding rule takes part through its root, read as a gate (met -> the gate is not met; not met
        or not documented -> the gate is met): folded into these patterns so it costs no firing of its own.
        """
        for status, constraints in _tree_cases(len(children), "not_met", "met"):
            translated: list[tuple[str, Expr]] = []
            for j, cond in constraints:
                key, gate = children[j]
                gated = _gate(cond) if gate else cond
                if gated is None:
                    break  # this case needs a gate that is never not documented
                translated.append((key, gated))
            else:
                patterns = [{"it": {"$and": [{"t": "item"}, {"svc": service}]}}]
                patterns += _join(translated, first_join="it")
                self.add(
                    f"decision/{service}:{status}",
                    patterns,
                    self.emit("decision", f"decision/{service}", status, "it", {"svc": service}),
                )

    def compile_links(self) -> None:
        """A dependent item enters the engine once its same-case primary is decided."""

        def link(status_value: str) -> Action:
            def action(matched: dict[str, Any]) -> tuple[Firing, str | None]:
                item = dict(matched["p"])
                item.pop("p", None)
                item["t"] = "item"
                item[fact_key(PRIMARY_STATUS_FACT)] = status_value
                return Firing("link", item["i"], status_value), json.dumps(item)

            return action

        join = {"p": {"d": "i"}}
        self.add(
            "link:certified",
            [{"d": {"$and": [{"t": "decision"}, {"v": "met"}]}}, {"p": {"$and": [{"t": "pending"}, join]}}],
            link("certified"),
        )
        self.add(
            "link:non_certified",
            [
                {"d": {"$and": [{"t": "decision"}, {"$neq": {"v": "met"}}]}},
                {"p": {"$and": [{"t": "pending"}, join]}},
            ],
            link("non_certified"),
        )

    def compile_guards(self) -> None:
        def done(matched: dict[str, Any]) -> tuple[Firing, str | None]:
            return Firing("$done", -1, "done"), None

        def sink(matched: dict[str, Any]) -> tuple[Firing, str | None]:  # never runs: `$never` never matches
            raise AssertionError("sink rule fired")

        self.definition["$done"] = {"all": [{"m": {"t": "$done"}}]}
        self.actions["$done"] = done
        self.definition["$sink"] = {"all": [{"a": {"$ex": {"t": 1}}}, {"b": {"t": "$never"}}]}
        self.actions["$sink"] = sink


def status_type(node_key: str) -> str:
    return f"s|{node_key}"


def _gate(cond: Expr) -> Expr | None:
    """A condition on an excluding rule's gate status, as a condition on the rule's root status."""
    not_met_root = {"$neq": {"v": "met"}}
    if cond == {"v": "met"} or cond == {"$neq": {"v": "not_met"}}:
        return not_met_root
    if cond == {"v": "not_met"} or cond == {"$neq": {"v": "met"}}:
        return {"v": "met"}
    if cond == {"$neq": {"v": "not_documented"}}:
        return {"$ex": {"v": 1}}
    return None  # a gate is never not documented


def _absent(fact: str, definition: FactDefinition) -> Expr:
    if definition.type == "list":
        return {"$nex": {count_key(fact): 1}}
    return {"$nex": {fact_key(fact): 1}}


def _tree_cases(k: int, decide: str, other: str) -> list[tuple[str, list[tuple[int, Expr]]]]:
    """Exclusive cases of an all_of (decide=not_met) or any_of (decide=met) over k children.

    Returns (status, [(child index, condition on its status)]) so that exactly one case holds for any
    assignment of child statuses: the first deciding child decides; else the first undocumented
    child makes the node not documented; else every child has the `other` status.
    """
    cases: list[tuple[str, list[tuple[int, Expr]]]] = []
    cond: list[tuple[int, Expr]]

    def has(v: str) -> Expr:
        return {"v": v}

    def lacks(v: str) -> Expr:
        return {"$neq": {"v": v}}

    for p in range(k):
        cond = [(j, lacks(decide)) for j in range(p)] + [(p, has(decide))]
        cases.append((decide, cond))
    for p in range(k):
        cond = [(j, has(other)) for j in range(p)] + [(p, has("not_documented"))]
        cond += [(j, lacks(decide)) for j in range(p + 1, k)]
        cases.append(("not_documented", cond))
    cases.append((other, [(j, has(other)) for j in range(k)]))
    return cases


def _join(constraints: list[tuple[str, Expr]], first_join: str | None = None) -> list[dict[str, Expr]]:
    """Patterns over children's status facts, joined on the item number `i`."""
    patterns: list[dict[str, Expr]] = []
    anchor = first_join
    for n, (child_key, cond) in enumerate(constraints):
        alias = f"a{n}"
        parts: list[Expr] = [{"t": status_type(child_key)}, cond]
        if anchor is not None:
            parts.append({"i": {anchor: "i"}})
        patterns.append({alias: {"$and": parts}})
        anchor = anchor or alias
    return patterns


def compile_ruleset(
    rules_by_service: dict[str, list[Rule]],
    facts: dict[str, FactDefinition],
    library_digest: str,
    with_links: bool,
) -> CompiledRuleset:
    """Compile the rules governing a case's services into one durable-rules ruleset definition."""
    builder = _Builder(facts)
    rules: dict[str, Rule] = {}
    rule_services: dict[str, list[str]] = {}
    for service, governing in sorted(rules_by_service.items()):
        for rule in governing:
            rules[rule.id] = rule
            rule_services.setdefault(rule.id, []).append(service)
    roots: dict[str, str] = {}
    for rule_id, rule in rules.items():
        root = builder.build_node(rule, rule.criteria)
        roots[rule_id] = root.key
        services = sorted(rule_services[rule_id])
        for node in _post_order(root):
            if node.kind == "fact":
                builder.compile_leaf(node, services)
            else:
                builder.compile_tree(node)
    for service, governing in sorted(rules_by_service.items()):
        builder.compile_decision(service, [(roots[r.id], r.effect == "excludes") for r in governing])
    if with_links:
        builder.compile_links()
    builder.compile_guards()
    signature = json.dumps(
        {"lib": library_digest, "svc": {s: [r.id for r in rs] for s, rs in sorted(rules_by_service.items())}},
        sort_keys=True,
    ) + str(with_links)
    name = "imr_" + hashlib.sha256(signature.encode()).hexdigest()[:16]
    return CompiledRuleset(
        name=name,
        definition=builder.definition,
        actions=builder.actions,
        rules=rules,
        services={s: [r.id for r in rs] for s, rs in rules_by_service.items()},
        nodes=builder.nodes,
        roots=roots,
        fact_names=sorted(builder.fact_names | ({PRIMARY_STATUS_FACT} if with_links else set())),
        keys=frozenset(builder.keys | ({fact_key(PRIMARY_STATUS_FACT)} if with_links else set())),
    )


def _post_order(node: Node, seen: set[str] | None = None) -> list[Node]:
    """Children before parents, each node once (at_least subsets share their children)."""
    seen = set() if seen is None else seen
    out: list[Node] = []
    if node.key in seen:
        return out
    for child in node.children:
        out.extend(_post_order(child, seen))
    seen.add(node.key)
    out.append(node)
    return out
