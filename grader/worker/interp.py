"""The step interpreter shared by the worker and the in-process reference.

A program is a JSON-able list of steps.  Values inside steps are JSON
literals, except strings that start with ``$``, which name variables (inputs
sent by the grader or results of earlier steps).  Steps:

``{"op": "call", "fn": "layers.affine_forward", "args": [...], "kwargs": {...}, "into": ["out", "cache"]}``
    Call a function of the package (``fn`` is relative to the package);
    ``into`` is one name or a list of names to unpack a tuple into.
``{"op": "method", "obj": "$model", "name": "loss", "args": [...], "into": ...}``
    Call a method of an object held in a variable.
``{"op": "let", "into": "bn_param", "value": {...}}``
    Bind a value (fresh dicts/lists are built, so a dict can be mutated by later calls).
``{"op": "get", "obj": "$bn_param", "key": "running_mean", "into": "rm"}``
    ``obj[key]``; with ``"attr"`` instead of ``"key"``, ``getattr(obj, attr)``.
``{"op": "set", "obj": "$model", "attr": "reg", "value": 0.5}``
    ``setattr``; with ``"key"``, item assignment.
``{"op": "copy", "src": "$x", "into": "x0"}``
    A deep copy of an array or a dict/list of arrays.
``{"op": "gen", "seed": 1, "arrays": {"x": ["randn", [2, 3]]}, "dtype": "float64"}``
    Generate arrays from recipes (see :mod:`grader.worker.recipes`) in the process itself.
``{"op": "seed", "value": 0}``
    ``numpy.random.seed`` in the process running the program.
``{"op": "repeat", "times": 5, "steps": [...]}``
    Run sub-steps several times (update rules, timing).
``{"op": "map", "over": "$xs", "as": "x", "steps": [...], "collect": "out", "into": "outs"}``
    Run sub-steps once per leading slice of ``xs`` and stack ``collect``.
``{"op": "return", "names": ["out", "dx"]}``
    The variables whose values are sent back (arrays, numbers, or dicts of them).
"""
from __future__ import annotations

import copy
import importlib
import re
import traceback
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.worker.recipes import make_array

_SAFE_KEY = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")


class StepError(Exception):
    """A step could not run; ``message`` is meant for the student."""

    def __init__(self, message: str, *, function: str | None = None, kind: str = "error"):
        super().__init__(message)
        self.message = message
        self.function = function
        self.kind = kind


@dataclass
class Failure:
    """What went wrong in a program, in terms a student can act on."""

    kind: str  # "not_implemented" | "exception" | "bad_return" | "exit" | "import"
    function: str | None
    message: str
    traceback: str = ""

    def as_dict(self) -> dict:
        return {"kind": self.kind, "function": self.function, "message": self.message, "traceback": self.traceback}


def student_traceback(exc: BaseException, roots: tuple[str, ...], limit_chars: int = 4000) -> str:
    """Format ``exc``'s traceback keeping only frames in files under ``roots``."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if any(f.filename.startswith(r) for r in roots)]
    lines = []
    for f in frames[-8:]:
        name = f.filename
        for r in roots:
            if name.startswith(r):
                name = name[len(r) :].lstrip("/")
                break
        lines.append(f'  File "{name}", line {f.lineno}, in {f.name}')
        if f.line:
            lines.append(f"    {f.line.strip()}")
    try:
        lines.append("".join(traceback.format_exception_only(type(exc), exc)).strip())
    except Exception:  # a hostile __str__
        lines.append(type(exc).__name__)
    text = "\n".join(lines)
    return text if len(text) <= limit_chars else text[: limit_chars - 20] + "\n  ...(truncated)"


def _describe(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype}"
    return f"a value of type {type(value).__name__}"


def to_array(value: Any, what: str) -> np.ndarray:
    """Convert a returned value to a plain numeric ndarray or raise StepError."""
    if value is None:
        raise StepError(f"{what} is None", kind="bad_return")
    if isinstance(value, (bool, int, float, np.generic)) and not isinstance(value, (complex, np.complexfloating)):
        arr = np.asarray(value)
    elif isinstance(value, np.ndarray):
        arr = np.array(value, copy=True, subok=False)
    elif isinstance(value, (list, tuple)):
        try:
            arr = np.asarray(value)
        except Exception:
            raise StepError(f"{what} is a {type(value).__name__} that is not an array of numbers", kind="bad_return") from None
    else:
        raise StepError(f"{what} is {_describe(value)}, not an array or a number", kind="bad_return")
    if arr.dtype.kind not in "biuf":
        raise StepError(f"{what} is an array of dtype {arr.dtype}, not of numbers", kind="bad_return")
    return arr


def flatten_outputs(name: str, value: Any, out: dict[str, np.ndarray], what: str | None = None) -> None:
    """Put ``value`` (an array, a number, or a dict of them) into ``out``."""
    if isinstance(value, dict):
        if len(value) > 256:
            raise StepError(f"{what or name} has too many entries", kind="bad_return")
        for key, item in value.items():
            if not isinstance(key, str) or not _SAFE_KEY.match(key):
                raise StepError(f"{what or name} has a key {str(key)[:40]!r} that is not a plain name", kind="bad_return")
            flatten_outputs(f"{name}.{key}", item, out, what=f"{what or name}[{key!r}]")
        return
    out[name] = to_array(value, what or name)


class Interpreter:
    """Run programs against one ``nnlayers``-style package.

    Parameters
    ----------
    package : str
        Name of the package the ``fn`` paths are relative to (``"nnlayers"``).
    roots : tuple of str
        Folders whose frames are kept in tracebacks (the submission).
    """

    def __init__(self, package: str = "nnlayers", roots: tuple[str, ...] = ()):
        self.package = package
        self.roots = roots

    # -- name resolution ---------------------------------------------------
    def resolve(self, path: str) -> Any:
        module_name, _, attr = path.rpartition(".")
        full = f"{self.package}.{module_name}" if module_name else self.package
        try:
            module = importlib.import_module(full)
        except ModuleNotFoundError as exc:
            if exc.name and (exc.name == full or full.startswith(exc.name + ".")):
                raise StepError(f"the module {full} is missing from the submission", function=attr, kind="import") from None
            raise
        except (SyntaxError, ValueError) as exc:  # ValueError: e.g. null bytes in a source file
            where = full.replace(".", "/") + ".py"
            if isinstance(exc, SyntaxError) and exc.filename and exc.lineno:
                where = f"{_short(exc.filename, self.roots)} line {exc.lineno}"
            msg = exc.msg if isinstance(exc, SyntaxError) else str(exc)
            raise StepError(f"the submission has a syntax error in {where}: {msg}", function=attr, kind="import") from None
        if not hasattr(module, attr):
            raise StepError(f"{full} has no function or class named {attr}", function=attr, kind="import")
        return getattr(module, attr)

    # -- values ------------------------------------------------------------
    def value(self, spec: Any, env: dict) -> Any:
        if isinstance(spec, str) and spec.startswith("$"):
            name = spec[1:]
            if name not in env:
                raise KeyError(f"program refers to unknown variable {name!r}")
            return env[name]
        if isinstance(spec, list):
            return [self.value(v, env) for v in spec]
        if isinstance(spec, dict):
            return {k: self.value(v, env) for k, v in spec.items()}
        return spec

    @staticmethod
    def _bind(env: dict, into: Any, result: Any, function: str) -> None:
        if into is None:
            return
        if isinstance(into, str):
            env[into] = result
            return
        if not isinstance(result, (tuple, list)):
            raise StepError(
                f"{function} returned {_describe(result)}; expected a tuple of {len(into)} ({', '.join(into)})",
                function=function,
                kind="bad_return",
            )
        if len(result) != len(into):
            raise StepError(
                f"{function} returned {len(result)} values; expected {len(into)} ({', '.join(into)})",
                function=function,
                kind="bad_return",
            )
        for name, item in zip(into, result):
            env[name] = item

    # -- execution ---------------------------------------------------------
    def run_steps(self, steps: list[dict], env: dict) -> None:
        for step in steps:
            self.step(step, env)

    def step(self, step: dict, env: dict) -> None:
        op = step["op"]
        if op == "call":
            fn = self.resolve(step["fn"])
            label = step["fn"].rpartition(".")[2]
            result = self._invoke(fn, label, step, env)
            self._bind(env, step.get("into"), result, label)
        elif op == "method":
            obj = self.value(step["obj"], env)
            label = f"{type(obj).__name__}.{step['name']}"
            try:
                fn = getattr(obj, step["name"])
            except AttributeError:
                raise StepError(f"{type(obj).__name__} has no method {step['name']}", function=label, kind="import") from None
            result = self._invoke(fn, label, step, env)
            self._bind(env, step.get("into"), result, label)
        elif op == "let":
            env[step["into"]] = self.value(step["value"], env)
        elif op == "get":
            obj = self.value(step["obj"], env)
            where = step.get("where", "result")
            if "key" in step:
                try:
                    env[step["into"]] = obj[step["key"]]
                except (KeyError, IndexError, TypeError):
                    raise StepError(f"{where} has no entry {step['key']!r}", function=step.get("function"), kind="bad_return") from None
            else:
                try:
                    env[step["into"]] = getattr(obj, step["attr"])
                except AttributeError:
                    raise StepError(f"{where} has no attribute {step['attr']!r}", function=step.get("function"), kind="bad_return") from None
        elif op == "set":
            obj = self.value(step["obj"], env)
            value = self.value(step["value"], env)
            if "key" in step:
                obj[step["key"]] = value
            else:
                setattr(obj, step["attr"], value)
        elif op == "copy":
            env[step["into"]] = copy.deepcopy(self.value(step["src"], env))
        elif op == "gen":
            rng = np.random.default_rng(int(step["seed"]))
            for name, recipe in step["arrays"].items():
                env[name] = make_array(recipe, rng, step.get("dtype", "float64"))
        elif op == "seed":
            np.random.seed(int(step["value"]))
        elif op == "repeat":
            for _ in range(int(step["times"])):
                self.run_steps(step["steps"], env)
        elif op == "map":
            xs = self.value(step["over"], env)
            collected = []
            for i in range(len(xs)):
                env[step["as"]] = np.array(xs[i])
                self.run_steps(step["steps"], env)
                collected.append(to_array(env[step["collect"]], step.get("what", step["collect"])))
            env[step["into"]] = np.stack(collected) if collected else np.zeros((0,))
        elif op == "return":
            pass
        else:
            raise ValueError(f"unknown step op {op!r}")

    def _invoke(self, fn: Any, label: str, step: dict, env: dict) -> Any:
        args = self.value(step.get("args", []), env)
        kwargs = self.value(step.get("kwargs", {}), env)
        try:
            return fn(*args, **kwargs)
        except StepError:
            raise
        except NotImplementedError as exc:
            raise StepError(f"{label} is not implemented yet (it raises NotImplementedError)", function=label, kind="not_implemented") from exc
        except (SystemExit, KeyboardInterrupt) as exc:
            raise StepError(f"{label} tried to stop the process ({type(exc).__name__})", function=label, kind="exit") from exc
        except RecursionError as exc:
            raise StepError(f"{label} recursed too deeply", function=label, kind="exception") from exc
        except BaseException as exc:  # noqa: BLE001 - student code may raise anything
            err = StepError(f"{label} raised {type(exc).__name__}: {_safe_str(exc)}", function=label, kind="exception")
            err.traceback = student_traceback(exc, self.roots)
            raise err from exc

    def run(self, program: list[dict], inputs: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray] | None, Failure | None]:
        """Run ``program``; return (outputs, None) or (None, failure)."""
        env: dict[str, Any] = dict(inputs)
        outputs: dict[str, np.ndarray] = {}
        try:
            self.run_steps(program, env)
            names = next((s["names"] for s in reversed(program) if s["op"] == "return"), [])
            for name in names:
                flatten_outputs(name, env.get(name), outputs, what=_what(program, name))
        except StepError as err:
            return None, Failure(err.kind, err.function, err.message, getattr(err, "traceback", ""))
        except ImportError as exc:
            return None, Failure("import", None, f"importing the submission failed: {type(exc).__name__}: {_safe_str(exc)}", student_traceback(exc, self.roots))
        except SyntaxError as exc:
            where = f"{_short(exc.filename, self.roots)} line {exc.lineno}" if exc.filename else "a module"
            return None, Failure("import", None, f"the submission has a syntax error in {where}: {exc.msg}")
        except (SystemExit, KeyboardInterrupt) as exc:
            return None, Failure("exit", None, f"the submission tried to stop the process ({type(exc).__name__}) while being imported")
        except BaseException as exc:  # noqa: BLE001 - e.g. an exception raised at import time
            return None, Failure("exception", None, f"{type(exc).__name__}: {_safe_str(exc)}", student_traceback(exc, self.roots))
        return outputs, None


def _what(program: list[dict], name: str) -> str:
    """A readable description of the variable ``name`` for error messages."""
    for step in program:
        into = step.get("into")
        names = [into] if isinstance(into, str) else (into or [])
        if name in names and step["op"] in ("call", "method"):
            label = step.get("fn", step.get("name", "")).rpartition(".")[2]
            return f"the {name} returned by {label}" if len(names) > 1 else f"the value returned by {label}"
    return name


def _short(path: str, roots: tuple[str, ...]) -> str:
    for r in roots:
        if path.startswith(r):
            return path[len(r) :].lstrip("/")
    return path.rsplit("/", 1)[-1]


def _safe_str(exc: BaseException, limit: int = 500) -> str:
    try:
        text = str(exc)
    except Exception:
        text = "<unprintable>"
    return text if len(text) <= limit else text[:limit] + "..."
