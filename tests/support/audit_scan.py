"""What the code writes into the audit trail's ``changes``, found by reading its source: the keys (given to
``record`` directly, through a variable, or as keywords of a helper that passes them on) and the names of changed
fields (the fields of the dataclasses an operation compares, its ``*_FIELDS`` constants and the names it adds)."""

from __future__ import annotations

import ast
import dataclasses
import importlib
from collections.abc import Iterator
from pathlib import Path

SOURCE = Path(__file__).parents[2] / "rueckkehr"


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(SOURCE.rglob("*.py")):
        name = ".".join(path.relative_to(SOURCE.parent).with_suffix("").parts)
        yield name, ast.parse(path.read_text(encoding="utf-8"))


def _called(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _target(node: ast.AST) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def _literal_keys(tree: ast.AST) -> dict[str, set[str]]:
    """The keys of every dict a name (or attribute) of the module is given: ``x = {…}``, ``x |= {…}``,
    ``x.update({…})``, ``x["key"] = …``."""
    found: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign) and isinstance(node.value, ast.Dict):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                found.setdefault(_target(target), set()).update(_keys(node.value, {}))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
                    found.setdefault(_target(target.value), set()).add(str(target.slice.value))
        elif isinstance(node, ast.Call) and _called(node) == "update" and isinstance(node.func, ast.Attribute):
            for argument in node.args:
                found.setdefault(_target(node.func.value), set()).update(_keys(argument, {}))
    return found


def _keys(node: ast.AST | None, assigned: dict[str, set[str]]) -> set[str]:
    """The string keys a ``changes`` expression holds, as far as the source tells."""
    if isinstance(node, ast.Dict):
        keys = {key.value for key in node.keys if isinstance(key, ast.Constant) and isinstance(key.value, str)}
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:  # ``**other``
                keys |= _keys(value, assigned)
        return keys
    if isinstance(node, ast.BinOp):
        return _keys(node.left, assigned) | _keys(node.right, assigned)
    if isinstance(node, ast.Name | ast.Attribute):
        return assigned.get(_target(node), set())
    return set()


def written_change_keys() -> set[str]:
    """Every key of ``changes`` the code writes."""
    trees = dict(_modules())
    recorders = {"record"}
    forwarders: set[str] = set()
    while True:  # a helper that takes ``**changes`` and calls a recorder passes its keywords on
        found = {
            node.name
            for tree in trees.values()
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef)
            and node.args.kwarg is not None
            and node.name not in recorders
            and any(_passes(call, node.args.kwarg.arg, recorders) for call in ast.walk(node))
        }
        if not found:
            break
        recorders |= found
        forwarders |= found
    keys: set[str] = set()
    for tree in trees.values():
        attributes = {name: keys for name, keys in _literal_keys(tree).items() if name in _attribute_names(tree)}
        for function in (node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)):
            keys |= _keys_of_calls(function, {**_literal_keys(function), **attributes}, forwarders)
    return keys


def _attribute_names(tree: ast.AST) -> set[str]:
    return {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}


def _passes(node: ast.AST, name: str, recorders: set[str]) -> bool:
    """Whether this is a call of a recorder that is given the keywords ``name`` (``changes=name``, ``**name``)."""
    if not isinstance(node, ast.Call) or _called(node) not in recorders:
        return False
    return any(isinstance(inner, ast.Name) and inner.id == name for inner in ast.walk(node))


def _keys_of_calls(function: ast.FunctionDef, assigned: dict[str, set[str]], forwarders: set[str]) -> set[str]:
    """The keys the calls of one function give ``record`` or a helper that passes them on (a variable is known by
    the dicts the function gives it, an attribute by those the module gives it)."""
    keys: set[str] = set()
    for call in (node for node in ast.walk(function) if isinstance(node, ast.Call)):
        if _called(call) == "record":
            keys |= set().union(*(_keys(kw.value, assigned) for kw in call.keywords if kw.arg == "changes"))
        elif _called(call) in forwarders:
            keys |= {kw.arg for kw in call.keywords if kw.arg}
            keys |= set().union(*(_keys(kw.value, assigned) for kw in call.keywords if kw.arg is None))
    return keys


def _writes_fields(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and any(isinstance(k, ast.Constant) and k.value == "fields" for k in node.keys):
            return True
        if isinstance(node, ast.Call) and any(kw.arg == "fields" for kw in node.keywords) and _called(node) != "field":
            return True
    return False


def _annotations(tree: ast.Module) -> dict[str, str]:
    """The class named by each annotated parameter of the module (``data: ProfileData``)."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and isinstance(node.annotation, ast.Name):
            names[node.arg] = node.annotation.id
    return names


def written_field_names() -> set[str]:
    """Every field name the code writes into ``changes["fields"]``, in the modules that write one: the fields of
    each dataclass given to ``dataclasses.fields``, the module's ``*_FIELDS`` names, the names appended to a list,
    the first names of ``(name, value)`` pairs and the keys written beside ``**`` in a dict of values."""
    names: set[str] = set()
    for module_name, tree in _modules():
        if not _writes_fields(tree):
            continue
        module = importlib.import_module(module_name)
        classes = _annotations(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called(node) == "fields" and node.args:
                argument = node.args[0]
                name = argument.id if isinstance(argument, ast.Name) else ""
                found = getattr(module, classes.get(name, name), None)
                assert dataclasses.is_dataclass(found), f"{module_name}: fields({name}) names no dataclass"
                names |= {field.name for field in dataclasses.fields(found)}
            elif isinstance(node, ast.Name) and node.id.endswith("_FIELDS"):
                names |= set(getattr(module, node.id))
            elif isinstance(node, ast.Call) and _called(node) == "append" and node.args:
                if isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                    names.add(node.args[0].value)
            elif isinstance(node, ast.comprehension) and isinstance(node.iter, ast.Tuple):
                for pair in node.iter.elts:
                    if isinstance(pair, ast.Tuple) and isinstance(pair.elts[0], ast.Constant):
                        names.add(str(pair.elts[0].value))
            elif isinstance(node, ast.Dict) and None in node.keys:
                names |= {key.value for key in node.keys if isinstance(key, ast.Constant)}
        names |= {f"pending:{name}" for name in getattr(module, "REVIEWED_FIELDS", ())}
    return names
