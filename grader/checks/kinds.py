"""One engine per kind of check.

An engine takes a :class:`~grader.checks.spec.Check` row and a :class:`Context`
and returns a :class:`Verdict`.  Every verdict is computed here, in the trusted
process, from arrays parsed out of the worker's reply; nothing the worker says
about itself (its output, its exit status) can make a check pass.
"""
from __future__ import annotations

import math
import statistics
import zlib
from dataclasses import dataclass, field, replace
from typing import Any, Callable

import numpy as np

from grader.checks import programs as P
from grader.checks.compare import Mismatch, compare_array
from grader.checks.spec import LAYERS, Case, Check
from grader.executor import Outcome
from grader.mistakes.match import Recorder, can_name, can_name_verdict, explain, name_mistake


@dataclass
class Verdict:
    """The outcome of one check (before points are applied)."""

    status: str  # passed | failed | error | timeout | skipped
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    mistake: str | None = None  # id of the catalog entry the student's results match


@dataclass
class Context:
    """What engines need: executors, expected values and the run's seed.

    Attributes
    ----------
    student : executor
        Runs programs against the submission (a worker).
    reference : executor or None
        Runs programs against the reference in-process (None without the reference).
    reference_worker : callable or None
        Returns a worker executor for the reference (timing only), started on demand.
    fixtures : dict
        Stored expected values: ``{check_id: {output_name: array}}``.
    seed : int
        Seed of this run; randomized inputs derive from it and the check id.
    timeout : float
        Wall-clock seconds allowed for one program.
    mistakes : Catalog or None
        Known wrong variants (with the reference only): failed checks name the one the student's results match.
    """

    student: Any
    reference: Any | None
    reference_worker: Callable[[], Any] | None
    fixtures: dict[str, dict[str, np.ndarray]]
    seed: int
    timeout: float = 20.0
    outputs: list[str] = field(default_factory=list)
    mistakes: Any | None = None


class CheckAbort(Exception):
    """Raised inside an engine to end a check with a verdict."""

    def __init__(self, verdict: Verdict):
        super().__init__(verdict.message)
        self.verdict = verdict


def stable_seed(*parts: Any) -> int:
    return zlib.crc32("/".join(map(str, parts)).encode()) & 0x7FFFFFFF


def rng_for(check: Check, ctx: Context) -> np.random.Generator:
    """Inputs of randomized checks: unknown in advance, reproducible from the run's seed."""
    return np.random.default_rng([ctx.seed, stable_seed(check.id)])


def fixed_rng(check: Check) -> np.random.Generator:
    return np.random.default_rng(stable_seed("fixed", check.id))


def where(check: Check) -> str:
    fn = check.functions[0] if len(check.functions) == 1 else " / ".join(check.functions)
    return f"{fn} ({check.case.condition})" if check.case.condition else fn


def outcome_verdict(outcome: Outcome, check: Check) -> Verdict:
    """Turn a failed/timed-out/crashed outcome into a verdict."""
    if outcome.status == "timeout":
        return Verdict("timeout", f"{where(check)}: {outcome.message}")
    if outcome.status == "crashed":
        return Verdict("error", f"{where(check)}: {outcome.message}")
    failure = outcome.failure or {}
    text = failure.get("message") or "failed"
    tb = failure.get("traceback") or ""
    message = f"{where(check)}: {text}"
    if tb and failure.get("kind") == "exception":
        message += "\n" + tb
    return Verdict("error", message, {"failure_kind": failure.get("kind")})


def run_student(ctx: Context, check: Check, program: list[dict], inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    label = " / ".join(check.functions)
    outcome = ctx.student.run(program, inputs, timeout=ctx.timeout, label=label)
    if outcome.output:
        ctx.outputs.append(outcome.output)
    if not outcome.ok:
        raise CheckAbort(outcome_verdict(outcome, check))
    return outcome.arrays


def run_reference(ctx: Context, check: Check, program: list[dict], inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    outcome = ctx.reference.run(program, inputs)
    if not outcome.ok:  # a bug in the table or the reference, not the student's
        raise RuntimeError(f"the reference failed on {check.id}: {outcome.failure}")
    return outcome.arrays


def mismatch_verdict(check: Check, mismatches: list[Mismatch], hidden: bool) -> Verdict:
    if not mismatches:
        return Verdict("passed", "")
    body = "; ".join(m.text(hidden) for m in mismatches)
    return Verdict("failed", f"{where(check)}: {body}")


# ----------------------------------------------------------------------------- programs by target


def target_program(check: Check, arrays: dict[str, np.ndarray]) -> list[dict]:
    """The program of a fixed/reference check, chosen by the target's prefix.

    Outputs named ``"a.b"`` (other than a model's ``grads.*``) are fetched as
    entry ``b`` of variable ``a`` (``bn_param.running_mean``, ``config.m``).
    """
    program = _base_program(check, arrays)
    dotted = [o for o in check.outputs if "." in o and not o.startswith("grads.")]
    if dotted:
        gets = [{"op": "get", "obj": f"${o.split('.', 1)[0]}", "key": o.split(".", 1)[1], "into": o,
                 "where": o.split(".", 1)[0], "function": check.functions[0]} for o in dotted]
        names = [n for n in program[-1]["names"] if n not in {o.split(".", 1)[0] for o in dotted}]
        program = program[:-1] + gets + [{"op": "return", "names": names + dotted}]
    return program


def _base_program(check: Check, arrays: dict[str, np.ndarray]) -> list[dict]:
    prefix, _, name = check.target.partition(":")
    if prefix == "layer":
        layer = LAYERS[name]
        backward = any(o.startswith("d") for o in check.outputs) and not layer.is_loss
        extra = tuple(sorted({o.split(".")[0] for o in check.outputs if "." in o}))
        return P.layer_program(layer, check.case, arrays, backward=backward, extra_returns=extra)
    if prefix == "optim":
        return P.optim_program(name, int(check.options.get("steps", 1)), check.case.params["config"])
    if prefix == "model":
        names = sorted(k[2:] for k in arrays if k.startswith("p."))
        return P.model_loss_program(check.options["cls"], check.case.params["kwargs"], names,
                                    with_labels=check.options.get("labels", True))
    raise ValueError(f"unknown target {check.target!r}")


def compare_outputs(check: Check, got: dict[str, np.ndarray], expected: dict[str, np.ndarray], hidden: bool,
                    check_dtype: bool = False) -> Verdict:
    mismatches = [
        m for name in check.outputs
        if (m := compare_array(name, got.get(name), expected[name], check.tolerance, check_dtype=check_dtype,
                               metric=check.options.get("metric", "relative")))
    ]
    return mismatch_verdict(check, mismatches, hidden)


# ----------------------------------------------------------------------------- engines


def run_fixed(check: Check, ctx: Context, hidden: bool) -> Verdict:
    """Outputs at fixed inputs vs expected values stored from the reference."""
    expected = ctx.fixtures.get(check.id)
    if expected is None:
        return Verdict("skipped", f"{where(check)}: no stored expected values (regenerate the fixtures)")
    arrays = check.case.build(fixed_rng(check))
    got = run_student(ctx, check, target_program(check, arrays), arrays)
    return compare_outputs(check, got, expected, hidden)


def run_vs_reference(check: Check, ctx: Context, hidden: bool) -> Verdict:
    """Outputs and gradients at inputs drawn for this run vs the reference's."""
    arrays = check.case.build(rng_for(check, ctx))
    program = target_program(check, arrays)
    got = run_student(ctx, check, program, arrays)
    expected = run_reference(ctx, check, program, arrays)
    return compare_outputs(check, got, expected, hidden)


def _indices(shape: tuple[int, ...], rng: np.random.Generator, limit: int) -> list[tuple[int, ...]]:
    size = int(np.prod(shape))
    flat = np.arange(size) if size <= limit else rng.choice(size, size=limit, replace=False)
    return [tuple(int(i) for i in np.unravel_index(k, shape)) for k in flat]


def run_numgrad(check: Check, ctx: Context, hidden: bool) -> Verdict:
    """The student's backward vs central differences of the student's own forward."""
    rng = rng_for(check, ctx)
    arrays = check.case.build(rng)
    h = float(check.options.get("h", 1e-5))
    limit = int(check.options.get("max_entries", 40))
    prefix, _, name = check.target.partition(":")
    if prefix == "layer":
        layer = LAYERS[name]
        analytic = run_student(ctx, check, P.layer_program(layer, check.case, arrays), arrays)
        def numgrad_program(wrt: str) -> list[dict]:
            return P.layer_numgrad_program(layer, check.case, arrays, wrt)
        weight = None if layer.is_loss else arrays["dout"]
        grad_key = "d{}".format
    else:  # a model: the loss with respect to its parameters
        cls, kwargs = check.options["cls"], check.case.params["kwargs"]
        names = sorted(k[2:] for k in arrays if k.startswith("p."))
        analytic = run_student(ctx, check, P.model_loss_program(cls, kwargs, names), arrays)
        def numgrad_program(wrt: str) -> list[dict]:
            return P.model_numgrad_program(cls, kwargs, names, wrt)
        weight = None
        grad_key = "grads.{}".format
    mismatches: list[Mismatch] = []
    for wrt in check.outputs:
        key = grad_key(wrt)
        base = arrays[f"p.{wrt}" if prefix == "model" else wrt]
        got = analytic.get(key)
        if got is None:
            mismatches.append(Mismatch(key, "was not returned"))
            continue
        if got.shape != base.shape:
            mismatches.append(Mismatch(key, f"has shape {got.shape}, expected {base.shape} (the shape of {wrt})"))
            continue
        idx = _indices(base.shape, rng, limit)
        stack = P.perturbations(base, idx, h)
        values = run_student(ctx, check, numgrad_program(wrt), {**arrays, "__stack": stack})["__values"]
        plus, minus = values[0::2].astype(np.float64), values[1::2].astype(np.float64)
        diff = plus - minus
        if weight is not None:
            if diff.shape[1:] != weight.shape:
                mismatches.append(Mismatch("out", f"has shape {diff.shape[1:]}, expected {weight.shape}"))
                continue
            diff = (diff * weight[None]).reshape(len(idx), -1).sum(axis=1)
        numeric = diff.reshape(len(idx)) / (2 * h)
        analytic_at = np.array([got[i] for i in idx], dtype=np.float64)
        m = compare_array(f"{key} vs numeric gradient of your forward", analytic_at, numeric, check.tolerance,
                          atol=float(check.options.get("atol", 1e-8)), positions=idx)
        if m:
            mismatches.append(m)
    return mismatch_verdict(check, mismatches, hidden)


def run_timing(check: Check, ctx: Context, hidden: bool) -> Verdict:
    """Student's layer vs a baseline on the same inputs, timed side by side by the grader.

    Inputs are generated inside each worker from the same seed (nothing large
    crosses the pipe).  Each round times, on each side, a program that only
    generates the inputs and one that also runs the forward and backward
    ``inner`` times; the difference of their medians is the layers' time.
    Rounds alternate between the sides after a warm-up round; the ratio of the
    two sides decides.  The baseline is the reference in a worker of its own,
    or (``against``) another layer of the same submission.  Every time is
    measured in the trusted process (wall clock around the request).
    """
    seed = stable_seed(ctx.seed, check.id)
    gen = {"op": "gen", "seed": seed, "arrays": {k: list(v) for k, v in check.case.arrays.items()}, "dtype": check.case.dtype}
    inner = int(check.options.get("inner", 20))
    base = [gen, {"op": "return", "names": []}]

    def timed(layer_name: str) -> list[dict]:
        steps = P.layer_program(LAYERS[layer_name], check.case, check.case.arrays)[:-1]
        return [gen, {"op": "repeat", "times": inner, "steps": steps}, {"op": "return", "names": []}]

    other_layer = check.options.get("against")
    sides = {"student": (ctx.student, timed(check.target.partition(":")[2]))}
    sides["baseline"] = (ctx.student, timed(other_layer)) if other_layer else (ctx.reference_worker(), sides["student"][1])
    samples: dict[str, dict[str, list[float]]] = {k: {"full": [], "base": []} for k in sides}
    label = " / ".join(check.functions)
    for r in range(int(check.options.get("rounds", 5)) + 1):  # round 0 warms both processes up
        for name, (executor, program) in sides.items():
            for part, prog in (("full", program), ("base", base)):
                outcome = executor.run(prog, {}, timeout=ctx.timeout, label=label)
                if not outcome.ok:
                    if name == "student" or (other_layer and executor is ctx.student):
                        return outcome_verdict(outcome, check)
                    raise RuntimeError(f"the comparison run failed on {check.id}: {outcome.message or outcome.failure}")
                if r:
                    samples[name][part].append(outcome.wall)
    per_call = {k: max(statistics.median(v["full"]) - statistics.median(v["base"]), 1e-7) / inner for k, v in samples.items()}
    ratio = per_call["student"] / per_call["baseline"]
    details = {"student_s": per_call["student"], "baseline_s": per_call["baseline"], "ratio": ratio}
    if other_layer:
        details["speedup"] = ratio
        text = (f"{where(check)}: the fast layers took {per_call['baseline'] * 1e3:.1f} ms, your naive ones "
                f"{per_call['student'] * 1e3:.1f} ms (speedup {ratio:.1f}x)")
        if ratio < check.tolerance:
            return Verdict("failed", text + f"; expected at least {check.tolerance:g}x: is the compiled extension installed?", details)
        return Verdict("passed", text, details)
    text = f"{where(check)}: {ratio:.2f}x the reference's time ({per_call['student'] * 1e3:.2f} ms vs {per_call['baseline'] * 1e3:.2f} ms)"
    if ratio > check.tolerance:
        return Verdict("failed", text + f"; allowed: {check.tolerance:g}x (vectorize with numpy instead of Python loops)", details)
    return Verdict("passed", text, details)


# ----------------------------------------------------------------------------- properties


PROPERTIES: dict[str, Callable[[Check, Context, bool], Verdict]] = {}


def prop(name: str):
    def register(fn):
        PROPERTIES[name] = fn
        return fn
    return register


def run_property(check: Check, ctx: Context, hidden: bool) -> Verdict:
    return PROPERTIES[check.options["property"]](check, ctx, hidden)


@prop("inputs_unmodified")
def _inputs_unmodified(check: Check, ctx: Context, hidden: bool) -> Verdict:
    layer = LAYERS[check.target.partition(":")[2]]
    arrays = check.case.build(rng_for(check, ctx))
    names = [n for n in arrays]
    program = P.layer_program(layer, check.case, arrays)
    program[-1] = {"op": "return", "names": names}
    got = run_student(ctx, check, program, arrays)
    changed = [n for n in names if got.get(n) is None or got[n].shape != arrays[n].shape or not np.array_equal(got[n], arrays[n], equal_nan=True)]
    if changed:
        return Verdict("failed", f"{where(check)}: modified its input {', '.join(changed)} in place (work on a copy, e.g. dx = dout.copy())")
    return Verdict("passed")


@prop("dtype_preserved")
def _dtype_preserved(check: Check, ctx: Context, hidden: bool) -> Verdict:
    layer = LAYERS[check.target.partition(":")[2]]
    arrays = check.case.build(rng_for(check, ctx))
    got = run_student(ctx, check, P.layer_program(layer, check.case, arrays), arrays)
    want = np.dtype(check.case.dtype)
    bad = [f"{k} is {v.dtype}" for k, v in got.items() if k != "loss" and v.dtype != want]
    if bad:
        return Verdict("failed", f"{where(check)}: {want} inputs gave {', '.join(bad)} (keep the input dtype)")
    return Verdict("passed")


@prop("invalid_mode_raises")
def _invalid_mode(check: Check, ctx: Context, hidden: bool) -> Verdict:
    """A valid call works, then an invalid ``mode`` raises ValueError."""
    layer = LAYERS[check.target.partition(":")[2]]
    arrays = check.case.build(rng_for(check, ctx))
    valid = Case(check.case.condition, check.case.arrays, check.options["valid_params"], check.case.dtype)
    run_student(ctx, check, P.layer_program(layer, valid, arrays, backward=False), arrays)
    program = P.layer_program(layer, check.case, arrays, backward=False)
    outcome = ctx.student.run(program, arrays, timeout=ctx.timeout, label=" / ".join(check.functions))
    failure = outcome.failure or {}
    if outcome.status == "failed" and failure.get("kind") == "exception" and "raised ValueError" in failure.get("message", ""):
        return Verdict("passed")
    if outcome.status in ("timeout", "crashed"):
        return outcome_verdict(outcome, check)
    if outcome.ok:
        return Verdict("failed", f"{where(check)}: accepted an invalid mode without raising ValueError")
    return Verdict("failed", f"{where(check)}: expected a ValueError for an invalid mode, got: {failure.get('message')}")


@prop("max_pool_ties")
def _max_pool_ties(check: Check, ctx: Context, hidden: bool) -> Verdict:
    """With tied maxima, each window's gradient goes to its maxima and adds up to that window's dout."""
    layer = LAYERS[check.target.partition(":")[2]]
    rng = rng_for(check, ctx)
    arrays = check.case.build(rng)
    arrays["x"] = rng.integers(0, 2, size=arrays["x"].shape).astype(arrays["x"].dtype)  # many ties
    got = run_student(ctx, check, P.layer_program(layer, check.case, arrays), arrays)
    pp = check.case.params["pool_param"]
    ph, pw, stride = pp["pool_height"], pp["pool_width"], pp["stride"]
    x, dout, dx = arrays["x"], arrays["dout"], got.get("dx")
    if dx is None or dx.shape != x.shape:
        return Verdict("failed", f"{where(check)}: dx has shape {None if dx is None else dx.shape}, expected {x.shape}")
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            win = (slice(None), slice(None), slice(i * stride, i * stride + ph), slice(j * stride, j * stride + pw))
            xs, ds = x[win], dx[win]
            at_max = xs == xs.max(axis=(2, 3), keepdims=True)
            if np.any(ds[~at_max] != 0):
                return Verdict("failed", f"{where(check)}: with tied maxima, dx is non-zero where x is not its window's maximum")
            if not np.allclose(ds.sum(axis=(2, 3)), dout[:, :, i, j], rtol=1e-9, atol=1e-12):
                return Verdict("failed", f"{where(check)}: with tied maxima, a window's dx entries add up to "
                               "more (or less) than its upstream gradient (route it to one maximum, not to every tied one)")
    return Verdict("passed")


@prop("optim_inputs_unmodified")
def _optim_inputs(check: Check, ctx: Context, hidden: bool) -> Verdict:
    arrays = check.case.build(rng_for(check, ctx))
    program = P.optim_program(check.target.partition(":")[2], 1, check.case.params["config"])
    got = run_student(ctx, check, program, arrays)
    changed = [n for n in ("w", "dw0") if got.get(n) is None or not np.array_equal(got[n], arrays[n])]
    if changed:
        return Verdict("failed", f"{where(check)}: modified {' and '.join('dw' if n == 'dw0' else n for n in changed)} in place "
                       "(return a new array: next_w = w - ..., not w -= ...)")
    return Verdict("passed")


def _dropout_runs(check: Check, ctx: Context, *, backward: bool = False, test: bool = False
                  ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], list[float]]:
    """Run the train-mode forward for every p (and, if asked, the backward or the test mode)."""
    arrays = check.case.build(rng_for(check, ctx))
    ps = list(check.options.get("ps", [0.25, 0.4, 0.7]))
    steps: list[dict] = []
    names: list[str] = []
    if not test:
        for i, p in enumerate(ps):
            steps += [
                {"op": "let", "into": f"param{i}", "value": {"p": p, "mode": "train"}},
                {"op": "call", "fn": "layers.dropout_forward", "args": ["$x", f"$param{i}"], "into": [f"out{i}", f"cache{i}"]},
            ]
            names.append(f"out{i}")
            if backward:
                steps.append({"op": "call", "fn": "layers.dropout_backward", "args": ["$dout", f"$cache{i}"], "into": f"dx{i}"})
                names.append(f"dx{i}")
    else:
        steps += [
            {"op": "let", "into": "tparam", "value": {"p": ps[0], "mode": "test"}},
            {"op": "call", "fn": "layers.dropout_forward", "args": ["$x", "$tparam"], "into": ["out_test", "cache_test"]},
            {"op": "call", "fn": "layers.dropout_backward", "args": ["$dout", "$cache_test"], "into": "dx_test"},
        ]
        names += ["out_test", "dx_test"]
    steps.append({"op": "return", "names": names})
    return arrays, run_student(ctx, check, steps, arrays), ps


def _shape_guard(check: Check, got: dict[str, np.ndarray], like: np.ndarray, names: list[str]) -> None:
    for n in names:
        if got[n].shape != like.shape:
            raise CheckAbort(Verdict("failed", f"{where(check)}: {n.rstrip('0123456789_test') or n} has shape {got[n].shape}, expected {like.shape}"))


@prop("dropout_rate")
def _dropout_rate(check: Check, ctx: Context, hidden: bool) -> Verdict:
    arrays, got, ps = _dropout_runs(check, ctx)
    _shape_guard(check, got, arrays["x"], [f"out{i}" for i in range(len(ps))])
    bad = []
    for i, p in enumerate(ps):
        share = float(np.mean(got[f"out{i}"] == 0))
        if abs(share - p) > check.tolerance:
            bad.append(f"p={p}: {share:.3f} of the units were dropped")
    if bad:
        return Verdict("failed", f"{where(check)}: " + "; ".join(bad) + " (p is the probability of dropping a unit)")
    return Verdict("passed")


@prop("dropout_scaling")
def _dropout_scaling(check: Check, ctx: Context, hidden: bool) -> Verdict:
    arrays, got, ps = _dropout_runs(check, ctx)
    x = arrays["x"]
    _shape_guard(check, got, x, [f"out{i}" for i in range(len(ps))])
    bad = []
    for i, p in enumerate(ps):
        out = got[f"out{i}"].astype(np.float64)
        kept = out != 0
        if not kept.any():
            bad.append(f"p={p}: every unit was dropped")
            continue
        scale = out[kept] / x[kept]
        if not np.allclose(scale, 1.0 / (1.0 - p), rtol=1e-5):
            bad.append(f"p={p}: kept units were multiplied by {np.median(scale):.4g}, expected 1/(1-p) = {1 / (1 - p):.4g}")
        elif abs(out.mean() / x.mean() - 1.0) > check.tolerance:
            bad.append(f"p={p}: the mean changed by a factor {out.mean() / x.mean():.3f}")
    if bad:
        return Verdict("failed", f"{where(check)}: " + "; ".join(bad))
    return Verdict("passed")


@prop("dropout_independent")
def _dropout_independent(check: Check, ctx: Context, hidden: bool) -> Verdict:
    arrays, got, ps = _dropout_runs(check, ctx)
    _shape_guard(check, got, arrays["x"], ["out0"])
    mask = got["out0"] != 0
    rows = mask.reshape(mask.shape[0], -1)
    distinct = len({r.tobytes() for r in rows})
    if distinct < 0.9 * rows.shape[0]:
        return Verdict("failed", f"{where(check)}: only {distinct} distinct masks among {rows.shape[0]} samples "
                       "(draw a mask of the full input shape, not one shared by every sample)")
    col = mask.reshape(mask.shape[0], -1).mean(axis=0)
    if col.size > 1 and (col.max() - col.min()) > 0.5:
        return Verdict("failed", f"{where(check)}: some features are (almost) always dropped and others never")
    return Verdict("passed")


@prop("dropout_test_identity")
def _dropout_test(check: Check, ctx: Context, hidden: bool) -> Verdict:
    arrays, got, ps = _dropout_runs(check, ctx, test=True)
    _shape_guard(check, got, arrays["x"], ["out_test", "dx_test"])
    if not np.array_equal(got["out_test"], arrays["x"]):
        return Verdict("failed", f"{where(check)}: in test mode the output must equal the input")
    if not np.array_equal(got["dx_test"], arrays["dout"]):
        return Verdict("failed", f"{where(check)}: in test mode dx must equal dout")
    return Verdict("passed")


@prop("dropout_backward_mask")
def _dropout_backward(check: Check, ctx: Context, hidden: bool) -> Verdict:
    arrays, got, ps = _dropout_runs(check, ctx, backward=True)
    x, dout = arrays["x"], arrays["dout"]
    _shape_guard(check, got, x, [f"out{i}" for i in range(len(ps))] + [f"dx{i}" for i in range(len(ps))])
    for i, p in enumerate(ps):
        expected = dout * (got[f"out{i}"].astype(np.float64) / x)
        m = compare_array(f"dx (p={p})", got[f"dx{i}"], expected, check.tolerance)
        if m:
            return Verdict("failed", f"{where(check)}: {m.text(hidden)} (backward must reuse the forward's mask and scale)")
    return Verdict("passed")


# ----------------------------------------------------------------------------- models


@prop("model_params")
def _model_params(check: Check, ctx: Context, hidden: bool) -> Verdict:
    """Parameter names, shapes, dtype and initial scale of a freshly built model."""
    cls, kwargs = check.options["cls"], check.case.params["kwargs"]
    program = P.model_steps(cls, kwargs) + [{"op": "return", "names": ["params"]}]
    got = run_student(ctx, check, program, {})
    expected = check.options["shapes"]
    have = {k[len("params."):]: v for k, v in got.items()}
    problems = []
    missing = sorted(set(expected) - set(have))
    extra = sorted(set(have) - set(expected))
    if missing:
        problems.append(f"missing parameters {', '.join(missing)}")
    if extra:
        problems.append(f"unexpected parameters {', '.join(extra)}")
    dtype = np.dtype(kwargs.get("dtype", "float32"))
    for name, shape in expected.items():
        if name not in have:
            continue
        arr = have[name]
        if tuple(arr.shape) != tuple(shape):
            problems.append(f"{name} has shape {arr.shape}, expected {tuple(shape)}")
        elif arr.dtype != dtype:
            problems.append(f"{name} has dtype {arr.dtype}, expected {dtype}")
        elif name.startswith("W"):
            std = float(np.std(arr))
            ws = kwargs.get("weight_scale", 1e-2)
            if not (0.5 * ws <= std <= 1.5 * ws):
                problems.append(f"{name} has standard deviation {std:.3g}, expected about weight_scale = {ws:g}")
        elif name.startswith("b") or name.startswith("beta"):
            if np.any(arr != 0):
                problems.append(f"{name} should start at zero")
        elif name.startswith("gamma") and np.any(arr != 1):
            problems.append(f"{name} should start at one")
    if problems:
        return Verdict("failed", f"{where(check)}: " + "; ".join(problems))
    return Verdict("passed")


@prop("initial_loss")
def _initial_loss(check: Check, ctx: Context, hidden: bool) -> Verdict:
    """With small random weights and no regularization the loss is about log(C)."""
    cls, kwargs = check.options["cls"], check.case.params["kwargs"]
    arrays = check.case.build(rng_for(check, ctx))
    program = P.model_steps(cls, kwargs) + [
        {"op": "seed", "value": 0},
        {"op": "method", "obj": "$model", "name": "loss", "args": ["$X", "$y"], "into": ["loss", "grads"]},
        {"op": "return", "names": ["loss"]},
    ]
    got = run_student(ctx, check, program, arrays)
    loss = got["loss"]
    if loss.size != 1:
        return Verdict("failed", f"{where(check)}: the loss has shape {loss.shape}, expected a number")
    value = float(loss.reshape(()))
    target = math.log(int(check.options["classes"]))
    if not math.isfinite(value) or abs(value - target) > check.tolerance:
        return Verdict("failed", f"{where(check)}: initial loss {value:.4g}, expected about log(C) = {target:.4g}")
    return Verdict("passed", f"{where(check)}: initial loss {value:.4f} (log(C) = {target:.4f})")


@prop("overfit")
def _overfit(check: Check, ctx: Context, hidden: bool) -> Verdict:
    """Training on a tiny dataset with the submission's Solver reaches high training accuracy."""
    from grader.checks.data import tiny_digits

    cls, kwargs = check.options["cls"], check.case.params["kwargs"]
    data = tiny_digits(int(check.options.get("n", 50)), flat=bool(check.options.get("flat", False)))
    program = P.model_steps(cls, kwargs) + [
        {"op": "seed", "value": 0},
        {"op": "let", "into": "data", "value": {"X_train": "$X", "y_train": "$y", "X_val": "$X", "y_val": "$y"}},
        {"op": "call", "fn": "solver.Solver", "args": ["$model", "$data"], "kwargs": check.options["solver"], "into": "solver"},
        {"op": "method", "obj": "$solver", "name": "train", "into": "_"},
        {"op": "method", "obj": "$model", "name": "loss", "args": ["$X"], "into": "scores"},
        {"op": "return", "names": ["scores"]},
    ]
    got = run_student(ctx, check, program, data)
    scores = got["scores"]
    if scores.shape != (len(data["y"]), int(check.options["classes"])):
        return Verdict("failed", f"{where(check)}: scores have shape {scores.shape}, expected {(len(data['y']), int(check.options['classes']))}")
    acc = float(np.mean(np.argmax(scores, axis=1) == data["y"]))
    details = {"train_accuracy": acc}
    if acc < check.tolerance:
        return Verdict("failed", f"{where(check)}: training accuracy {acc:.2f} after training on {len(data['y'])} examples, expected at least {check.tolerance:.2f}", details)
    return Verdict("passed", f"{where(check)}: training accuracy {acc:.2f}", details)


ENGINES: dict[str, Callable[[Check, Context, bool], Verdict]] = {
    "fixed": run_fixed,
    "reference": run_vs_reference,
    "numgrad": run_numgrad,
    "timing": run_timing,
    "statistical": run_property,
    "behaviour": run_property,
    "model": run_property,
}


def run_check(check: Check, ctx: Context, hidden: bool) -> Verdict:
    """Run one check; never raises for anything the submission does.

    With a catalog of mistakes (and the reference), the student's runs are
    recorded, and a failed check (or one ending in an error because the
    student's code raised) names the catalog entry they match.
    """
    recorder = None
    if ctx.mistakes is not None and ctx.reference is not None and can_name(check):
        recorder = Recorder(ctx.student)
        ctx = replace(ctx, student=recorder)  # same outputs list: printed output is still collected
    try:
        verdict = ENGINES[check.kind](check, ctx, hidden)
    except CheckAbort as abort:
        verdict = abort.verdict
    if recorder is not None and can_name_verdict(verdict):
        mistake = name_mistake(check, recorder.runs, ctx.mistakes, ctx.reference.interp, recorder.inner, ctx.timeout)
        if mistake is not None:
            verdict = explain(verdict, mistake)
    return verdict
