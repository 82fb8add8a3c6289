"""Hostile submissions against every isolation mode: the proof of the "hardening" issue.

Each threat is a table of small hostile snippets appended to a copy of the
reference package (Python keeps the last definition, so an appended
``def affine_forward`` replaces the reference's).  Each row is graded under
strict/bubblewrap, strict/landlock and, where the defence is an always-on
layer, basic; a mode that cannot be set up on this machine is skipped with the
reason.  Rows that only touch their own function and cannot disturb each other
(file access, lying return values) are graded together, one submission per
mode, each row aimed at a different function.  Only a few checks run per
grade, with short per-call limits.

Survivors are looked for in ``/proc``: every test points ``tempfile.tempdir``
into its own ``tmp_path``, so the grader's scratch folder -- which appears in
every worker's command line and ``HOME`` and is inherited by anything a worker
forks -- marks every process of the test's submission.
"""
from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import numpy as np
import pytest

import grader
from grader.executor import WorkerExecutor
from hostile.common import (AFFINE, ALL, KEEP_AFFINE, ONLY, OTHERS, ROOT, SOLUTIONS, STRICT, WRONG_AFFINE,
                            assert_others_pass, by_id, fill, isolation, make_submission, run, survivors, wrap)


def params(table: list[tuple], modes: list[str], xfail: dict | None = None) -> list:
    """One pytest param per (row, mode), with readable ids; ``xfail`` maps an id to a reason."""
    out = []
    for row in table:
        for mode in modes:
            pid = f"{row[0]}-{mode}"
            marks = [pytest.mark.xfail(strict=True, reason=xfail[pid])] if xfail and pid in xfail else []
            out.append(pytest.param(row, mode, id=pid, marks=marks))
    return out


@pytest.fixture
def marker(tmp_path, monkeypatch) -> str:
    """A folder unique to this test holding the grader's scratch folders (so in every worker's argv and HOME)."""
    folder = tmp_path / "grader-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return str(folder)


def grade_bundle(tmp_path, mode, rows, code_of, *, out=None, prelude: dict[str, str] | None = None):
    """Grade one submission carrying every row (each aimed at its own check); return (report, {row id: CheckResult})."""
    append: dict[str, str] = dict(prelude or {})
    for row in rows:
        module, code = code_of(row)
        append[module] = append.get(module, "") + "\n" + code
    sub = make_submission(tmp_path, append)
    checks = [row_check(row) for row in rows]
    report = run(sub, mode, only=[*checks, "adam.fixed"], out=out)
    assert_others_pass(report, ["adam.fixed"])
    got = by_id(report)
    return report, {row[0]: got[row_check(row)] for row in rows}


def row_check(row) -> str:
    return next(x for x in row if isinstance(x, str) and x.endswith(".fixed"))


# ============================================================================ 1. early exit
# (id, code appended to layers.py, message expected in the affine check's error)
EXITS = [
    ("sys_exit_at_import", "import sys\nsys.exit(3)\n",
     "the submission tried to stop the process (SystemExit) while being imported"),
    ("os_exit_at_import", "import os\nos._exit(4)\n", "the process exited (status 4) during affine_forward"),
    ("sys_exit_in_call", "def affine_forward(x, w, b):\n    import sys\n    sys.exit(5)\n",
     "affine_forward tried to stop the process (SystemExit)"),
    ("os_exit_in_call", "def affine_forward(x, w, b):\n    import os\n    os._exit(6)\n",
     "the process exited (status 6) during affine_forward"),
]


@pytest.mark.parametrize("row, mode", params(EXITS, ALL))
def test_early_exit_is_an_error_and_other_modules_still_pass(tmp_path, marker, row, mode):
    _, code, expected = row
    report = run(make_submission(tmp_path, {"layers.py": code}), mode)
    check = by_id(report)[AFFINE]
    assert check.status == "error", check
    assert expected in check.message
    assert_others_pass(report)
    assert not survivors(marker)


# ============================================================================ 2. hangs
HANG_PER_CALL = 1.5
IGNORE_SIGNALS = """
import signal, time
for _sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM, signal.SIGUSR1):
    signal.signal(_sig, signal.SIG_IGN)
"""
HANGS = [
    ("busy_loop_ignoring_sigterm_sigint_in_call",
     "def affine_forward(x, w, b):\n" + "\n".join("    " + ln for ln in IGNORE_SIGNALS.strip().splitlines())
     + "\n    while True:\n        pass\n"),
    ("sleep_loop_ignoring_sigterm_sigint_at_import", IGNORE_SIGNALS + "while True:\n    time.sleep(0.01)\n"),
]


@pytest.mark.parametrize("row, mode", params(HANGS, ALL))
def test_hang_times_out_and_nothing_survives(tmp_path, marker, row, mode):
    _, code = row
    report = run(make_submission(tmp_path, {"layers.py": code}), mode, per_call=HANG_PER_CALL)
    check = by_id(report)[AFFINE]
    assert check.status == "timeout", check
    assert f"timed out after {HANG_PER_CALL} s during affine_forward" in check.message
    assert_others_pass(report)
    assert not survivors(marker), "a process of the submission outlived grade()"


# ============================================================================ 3. memory exhaustion
MEMORY = [
    ("np_ones_64GB_in_call", "def affine_forward(x, w, b):\n    import numpy as np\n    np.ones(64 * 2**30 // 8)\n"),
]


@pytest.mark.parametrize("row, mode", params(MEMORY, ALL))
def test_memory_exhaustion_is_a_memory_error(tmp_path, marker, row, mode):
    _, code = row
    report = run(make_submission(tmp_path, {"layers.py": code}), mode)
    check = by_id(report)[AFFINE]
    assert check.status == "error", check
    assert "MemoryError" in check.message
    assert_others_pass(report)


# ============================================================================ 4. fork floods and detaching processes
FORKS = [
    ("fork_flood", KEEP_AFFINE + """
def affine_forward(x, w, b):
    import os, time
    for _ in range(300):
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
    return _reference_affine_forward(x, w, b)
"""),
    ("double_fork_setsid_child_sleeps", KEEP_AFFINE + """
def affine_forward(x, w, b):
    import os, time
    child = os.fork()
    if child == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(60)
        os._exit(0)
    os.waitpid(child, 0)
    return _reference_affine_forward(x, w, b)
"""),
    # a root worker in basic mode can also leave its pids cgroup; it also makes itself a subreaper and ignores SIGTERM
    ("double_fork_setsid_leaves_cgroup", KEEP_AFFINE + """
def affine_forward(x, w, b):
    import ctypes, os, signal, time
    ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    child = os.fork()
    if child == 0:
        os.setsid()
        if os.fork() == 0:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            for procs in ("/sys/fs/cgroup/pids/cgroup.procs", "/sys/fs/cgroup/cgroup.procs"):
                try:
                    with open(procs, "w") as fh:
                        fh.write(str(os.getpid()))
                except OSError:
                    pass
            time.sleep(60)
        os._exit(0)
    os.waitpid(child, 0)
    return _reference_affine_forward(x, w, b)
"""),
]


@pytest.mark.parametrize("row, mode", params(FORKS, ALL))
def test_forks_are_denied_or_killed(tmp_path, marker, row, mode):
    _, code = row
    report = run(make_submission(tmp_path, {"layers.py": code}), mode)
    check = by_id(report)[AFFINE]
    if report.isolation == "strict":
        assert check.status == "error", check
        assert "PermissionError" in check.message
    assert_others_pass(report)
    assert not survivors(marker), "a process the submission started outlived grade()"


# ============================================================================ 5. huge output
OUTPUT = [
    ("print_and_os_write_200MB", KEEP_AFFINE + """
def affine_forward(x, w, b):
    import os
    chunk = "x" * (1 << 20)
    for _ in range(100):
        print(chunk, flush=True)
        os.write(2, chunk.encode())
    return _reference_affine_forward(x, w, b)
"""),
]
OUTPUT_CAP = 64 * 2**10  # WorkerLimits.output_bytes


@pytest.mark.parametrize("row, mode", params(OUTPUT, ALL))
def test_huge_output_is_capped_and_graded(tmp_path, marker, row, mode):
    _, code = row
    sub = make_submission(tmp_path, {"layers.py": code})
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB
    report = run(sub, mode, per_call=5)
    check = by_id(report)[AFFINE]
    assert check.status == "passed", check
    assert check.duration_s < 5
    assert_others_pass(report)
    # what the worker printed, as the executor kept it
    with WorkerExecutor(sub, scratch=tmp_path / "direct", isolation=isolation(mode)) as worker:
        outcome = worker.run([{"op": "call", "fn": "layers.affine_forward", "args": ["$x", "$w", "$b"], "into": ["out", "c"]},
                              {"op": "return", "names": ["out"]}],
                             {"x": np.ones((2, 3)), "w": np.ones((3, 4)), "b": np.zeros(4)}, timeout=5)
    assert outcome.ok, outcome.message
    assert OUTPUT_CAP <= len(outcome.output) <= OUTPUT_CAP + 100
    assert "more bytes of output dropped" in outcome.output
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    assert grown < 64 * 2**10, f"the grader's peak memory grew by {grown} KiB"


# ============================================================================ 6. crashes
CRASHES = [
    ("ctypes_segfault_in_call", "def affine_forward(x, w, b):\n    import ctypes\n    ctypes.string_at(0)\n"),
    ("ctypes_segfault_at_import", "import ctypes\nctypes.string_at(0)\n"),
]


@pytest.mark.parametrize("row, mode", params(CRASHES, ALL))
def test_segfault_is_reported_as_a_crash(tmp_path, marker, row, mode):
    _, code = row
    report = run(make_submission(tmp_path, {"layers.py": code}), mode)
    check = by_id(report)[AFFINE]
    assert check.status == "error", check
    assert "the process crashed (SIGSEGV) during affine_forward" in check.message
    assert_others_pass(report)


# ============================================================================ 7. patching inside its own process
PATCHES = [
    ("patch_numpy_testing_builtins", """
import builtins, numpy as np, numpy.testing
np.allclose = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(a, b).shape, bool)
np.array_equal = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
np.testing.assert_array_equal = lambda *a, **k: None
builtins.abs = lambda v: 0 * v
for _name in ("__eq__", "__sub__", "__abs__"):
    try:
        setattr(np.ndarray, _name, lambda *a, **k: True)
    except TypeError:
        pass  # ndarray's methods are read-only
""" + WRONG_AFFINE),
    ("patch_the_graders_modules_in_the_worker", """
import numpy as np
import grader.checks.compare as _compare, grader.checks.kinds as _kinds
_compare.compare_array = lambda *a, **k: None
_compare.relative_errors = lambda got, expected: np.zeros(np.shape(expected))
_kinds.mismatch_verdict = lambda *a, **k: _kinds.Verdict("passed", "")
""" + WRONG_AFFINE),
]


@pytest.mark.parametrize("row, mode", params(PATCHES, ALL))
def test_patching_its_own_process_does_not_change_verdicts(tmp_path, marker, row, mode):
    _, code = row
    report = run(make_submission(tmp_path, {"layers.py": code}), mode)
    check = by_id(report)[AFFINE]
    assert check.status == "failed", check
    assert check.score == 0
    assert_others_pass(report)


# ============================================================================ 8. returned objects that lie
LIARS = """
import numpy as _np

# goes off only if unpickled in the grader (workers never see pytest's environment)
_BOMB = "import os\\nif os.environ.get('PYTEST_CURRENT_TEST'): open(" + repr(@BOMB@) + ", 'w').write('unpickled')"

class _Liar(_np.ndarray):
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    def __array_ufunc__(self, *args, **kwargs):
        return _np.zeros(1)
    def __array__(self, dtype=None, copy=None):
        return _np.asarray(self.view(_np.ndarray) - 1.0)  # the right values: what a converter calling __array__ sees
    def __reduce__(self):
        return (exec, (_BOMB,))

class _Harmless(_np.ndarray):
    pass

class _Wrapper:
    def __init__(self, value):
        self.value = value
    def __array__(self, dtype=None, copy=None):
        return self.value
    def __reduce__(self):
        return (exec, (_BOMB,))

class _LyingDict(dict):
    def __eq__(self, other):
        return True
    def __getitem__(self, key):
        return dict.__getitem__(self, key).view(_Liar)

class _HarmlessDict(dict):
    pass
"""
# (id, module, check, code, expected status, message fragment); each row aims at its own check
LIES = [
    ("ndarray_subclass_lies_wrong_values", "layers.py", "affine_forward.fixed", """
_reference_affine_forward = affine_forward
def affine_forward(x, w, b):
    out, cache = _reference_affine_forward(x, w, b)
    return (out + 1.0).view(_Liar), cache
""", "failed", "out"),
    ("ndarray_subclass_harmless_right_values", "layers.py", "relu_forward.fixed", """
_reference_relu_forward = relu_forward
def relu_forward(x):
    out, cache = _reference_relu_forward(x)
    return out.view(_Harmless), cache
""", "passed", ""),
    ("object_with___array___and___reduce__", "layers.py", "layernorm_forward.fixed", """
_reference_layernorm_forward = layernorm_forward
def layernorm_forward(*args):
    out, cache = _reference_layernorm_forward(*args)
    return _Wrapper(out), cache
""", "error", "not an array or a number"),
    ("dict_subclass_lies_wrong_values", "optim.py", "sgd_momentum.fixed", """
_reference_sgd_momentum = sgd_momentum
def sgd_momentum(w, dw, config=None):
    next_w, config = _reference_sgd_momentum(w, dw, config)
    config["velocity"] = config["velocity"] + 1.0
    return next_w, _LyingDict(config)
""", "failed", "velocity"),
    ("dict_subclass_harmless_right_values", "optim.py", "rmsprop.fixed", """
_reference_rmsprop = rmsprop
def rmsprop(w, dw, config=None):
    next_w, config = _reference_rmsprop(w, dw, config)
    return next_w.view(_Harmless), _HarmlessDict(config)
""", "passed", ""),
]


@pytest.mark.parametrize("mode", ALL)
def test_lying_return_values_are_judged_by_their_data(tmp_path, marker, mode):
    bomb = tmp_path / "bomb-went-off"
    prelude = {"layers.py": fill(LIARS, bomb=bomb), "optim.py": fill(LIARS, bomb=bomb)}
    _, got = grade_bundle(tmp_path, mode, LIES, lambda row: (row[1], row[3]), prelude=prelude)
    wrong = [(name, got[name].status, got[name].message[:200]) for name, _, _, _, status, fragment in LIES
             if got[name].status != status or fragment not in got[name].message
             or (status != "passed" and got[name].score != 0)]
    assert not wrong, f"expected statuses not met under {mode}: {wrong}"
    assert not bomb.exists(), "a __reduce__ ran in the grader"


# Forged frames written straight to the worker's result pipe (fd from its argv).
FORGED = [
    ("forged_reply_with_wrong_values", """
def affine_forward(x, w, b):
    import os, sys, numpy as np
    from grader.frames import encode_message
    fd = int(sys.argv[sys.argv.index("--resp-fd") + 1])
    os.write(fd, encode_message({"id": 1, "ok": True, "score": 100}, {"out": np.zeros((2, 3))}))
    os._exit(0)
""", "failed", "out"),
    ("forged_frame_of_absurd_length", """
def affine_forward(x, w, b):
    import os, sys, time
    fd = int(sys.argv[sys.argv.index("--resp-fd") + 1])
    os.write(fd, (2**62).to_bytes(8, "big") + b"{}")
    time.sleep(30)
""", "error", "malformed results"),
]


@pytest.mark.parametrize("row, mode", params(FORGED, ALL))
def test_forged_result_frames_are_judged_by_the_grader(tmp_path, marker, row, mode):
    _, code, status, fragment = row
    # only the targeted check: a worker that dies right after a reply may be charged to the next check
    report = run(make_submission(tmp_path, {"layers.py": code}), mode, only=[AFFINE])
    check = by_id(report)[AFFINE]
    assert check.status == status, check
    assert fragment in check.message
    assert check.score == 0


# ============================================================================ 9. reading files outside the submission
def _home_file() -> Path | None:
    return next((p for p in (Path.home() / ".bashrc", Path.home() / ".profile") if p.is_file()), None)


# (id, where the file is, the function that tries to read it, its check)
READS = [
    ("reference_layers", lambda tmp: SOLUTIONS / "nnlayers" / "layers.py", "affine_forward", "affine_forward.fixed"),
    ("hidden_checks", lambda tmp: SOLUTIONS / "grading" / "hidden_checks.py", "relu_forward", "relu_forward.fixed"),
    ("another_submission", lambda tmp: make_submission(tmp, name="other") / "nnlayers" / "layers.py",
     "layernorm_forward", "layernorm_forward.fixed"),
    ("graders_home_file", lambda tmp: _home_file(), "max_pool_forward_naive", "max_pool_forward_naive.fixed"),
]


@pytest.mark.parametrize("mode", ALL)
def test_reading_outside_the_submission(tmp_path, marker, mode):
    targets = {row[0]: row[1](tmp_path) for row in READS}
    rows = [row for row in READS if targets[row[0]] is not None]
    assert all(targets[r[0]].is_file() for r in rows)
    report, got = grade_bundle(tmp_path, mode, rows, lambda row: (
        "layers.py", wrap(row[2], f"with open({str(targets[row[0]])!r}, 'rb') as fh:\n    fh.read(64)")))
    if mode == "basic":
        # documented: basic mode does not isolate the file system, and the report says so
        assert report.isolation == "basic"
        assert any("NOT isolated" in note for note in report.notes), report.notes
        return
    assert report.isolation == "strict"
    leaked = [(name, c.status, c.message[:200]) for name, c in got.items()
              if c.status != "error" or not ("FileNotFoundError" in c.message or "PermissionError" in c.message)]
    assert not leaked, f"readable under {mode}: {leaked}"


# ============================================================================ 10. writing outside the scratch space
WRITES = [
    ("grader_package", lambda tmp: Path(grader.__file__).resolve().parent / f"pwned-{uuid.uuid4().hex}.py",
     "affine_forward", "affine_forward.fixed"),
    ("report_folder", lambda tmp: tmp / "out" / "pwned.txt", "relu_forward", "relu_forward.fixed"),
    ("another_submission", lambda tmp: make_submission(tmp, name="other") / "nnlayers" / "pwned.py",
     "layernorm_forward", "layernorm_forward.fixed"),
    ("system_tmp", lambda tmp: Path("/tmp") / f"pwned-{uuid.uuid4().hex}.txt",
     "max_pool_forward_naive", "max_pool_forward_naive.fixed"),
]
DENIED = ("PermissionError", "FileNotFoundError", "Read-only file system")


@pytest.mark.parametrize("mode", STRICT)
def test_writing_outside_the_scratch_space(tmp_path, marker, mode):
    out = tmp_path / "out"
    out.mkdir()
    targets = {row[0]: row[1](tmp_path) for row in WRITES}
    assert all(t.parent.is_dir() and not t.exists() for t in targets.values())
    try:
        _, got = grade_bundle(tmp_path, mode, WRITES, lambda row: (
            "layers.py", wrap(row[2], f"with open({str(targets[row[0]])!r}, 'w') as fh:\n    fh.write('pwned')")), out=out)
        written = [str(t) for t in targets.values() if t.exists()]
        assert not written, f"the submission wrote outside its scratch space under {mode}: {written}"
        for name, check in got.items():
            if mode == "bubblewrap" and name == "system_tmp":
                continue  # /tmp inside bubblewrap is a private tmpfs: the write lands there and vanishes with it
            assert check.status == "error" and any(d in check.message for d in DENIED), (name, check)
    finally:
        for t in targets.values():
            t.unlink(missing_ok=True)


# ============================================================================ 11. network
NETWORK = [
    ("tcp_create_connection", KEEP_AFFINE + """
def affine_forward(x, w, b):
    import socket
    socket.create_connection(("127.0.0.1", @PORT@), timeout=1).close()
    return _reference_affine_forward(x, w, b)
"""),
]


@pytest.fixture
def listener():
    """A TCP server of the test's own on loopback; counts the connections it got (never answers)."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    srv.setblocking(False)
    yield srv
    srv.close()


def _accepted(srv: socket.socket) -> int:
    n = 0
    while True:
        try:
            conn, _ = srv.accept()
        except BlockingIOError:
            return n
        conn.close()
        n += 1


@pytest.mark.parametrize("row, mode", params(NETWORK, [*STRICT, "bubblewrap-no-seccomp", "landlock-no-seccomp"]))
def test_network_is_denied(tmp_path, marker, listener, row, mode):
    _, code = row
    port = listener.getsockname()[1]
    sub = make_submission(tmp_path, {"layers.py": fill(code, port=port)})
    report = run(sub, mode)
    check = by_id(report)[AFFINE]
    assert _accepted(listener) == 0, f"the test's server saw a connection from the submission under {mode}"
    assert check.status == "error", check
    assert any(e in check.message for e in ("PermissionError", "ConnectionRefusedError", "Network is unreachable",
                                            "URLError", "OSError")), check.message
    assert_others_pass(report)


# ============================================================================ 12. the grader's environment
SECRET = "s3cr3t"
SNOOP_ENV = KEEP_AFFINE + """
def affine_forward(x, w, b):
    import glob, os
    found = [f"{k}={v}" for k, v in os.environ.items() if k == "GRADER_SECRET_TOKEN"]
    # the grader's own /proc entry (its parent here), pid 1, and every process it can see; only this variable is kept
    for path in [f"/proc/{os.getppid()}/environ", "/proc/1/environ", *glob.glob("/proc/[0-9]*/environ")]:
        try:
            with open(path, "rb") as fh:
                found += [e.decode("latin-1") for e in fh.read().split(b"\\0") if e.startswith(b"GRADER_SECRET_TOKEN=")]
        except OSError:
            pass
    print("environment:", dict(os.environ))
    print("found:", found)
    if found:
        raise RuntimeError("leaked " + " ".join(found))
    return _reference_affine_forward(x, w, b)
"""
GRADE_IN_CHILD = """
import json, sys
from pathlib import Path
from grader.api import grade, Limits
from grader.isolation.policy import Isolation
method = sys.argv[2]
iso = Isolation("basic", "none") if method == "none" else Isolation("strict", method, True)
report = grade(submission=Path(sys.argv[1]), reference=Path(sys.argv[3]), notebooks=False, seed=1,
               only=json.loads(sys.argv[4]), limits=Limits(per_call=3), isolation=iso)
print("@@REPORT@@" + json.dumps(report.as_dict()))
"""


ENV_LEAK_BASIC = (
    "GOT THROUGH in basic mode: the worker runs as the grader's user in the grader's pid namespace with /proc "
    "readable, so it reads the grader's initial environment from /proc/<grader pid>/environ (the parent's); "
    "scrubbing the worker's own environment does not help (bubblewrap hides the grader's /proc, Landlock denies /proc). "
    "The grader makes itself non-dumpable, which stops workers of a non-root grader; a root grader's workers keep "
    "CAP_SYS_PTRACE, so as root only strict isolation protects the environment")


ENV_CASES = [pytest.param(how, mode, id=f"{how}-{mode}", marks=[pytest.mark.xfail(strict=True, reason=ENV_LEAK_BASIC)]
                           if (how, mode) == ("grader_started_with_it", "basic") else [])
             for how in ("monkeypatch", "grader_started_with_it") for mode in ALL]


@pytest.mark.parametrize("how, mode", ENV_CASES)
def test_the_graders_environment_is_not_visible(tmp_path, marker, monkeypatch, how, mode):
    iso = isolation(mode)
    sub = make_submission(tmp_path, {"layers.py": SNOOP_ENV})
    if how == "monkeypatch":
        monkeypatch.setenv("GRADER_SECRET_TOKEN", SECRET)
        report = run(sub, mode).as_dict()
    else:  # the secret is in the grader process's initial environment, so /proc/<pid>/environ would show it
        env = dict(os.environ, GRADER_SECRET_TOKEN=SECRET, TMPDIR=marker)
        done = subprocess.run([sys.executable, "-c", GRADE_IN_CHILD, str(sub), iso.method, str(SOLUTIONS), json.dumps(ONLY)],
                              env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
        lines = [ln for ln in done.stdout.splitlines() if ln.startswith("@@REPORT@@")]
        assert done.returncode == 0 and lines, done.stderr[-2000:]
        report = json.loads(lines[-1][len("@@REPORT@@"):])
    text = json.dumps(report)
    assert SECRET not in text, f"the submission saw GRADER_SECRET_TOKEN under {mode}: " + next(
        c["message"][:300] + c["output"][-300:] for c in report["checks"] if SECRET in json.dumps(c))
    checks = {c["id"]: c for c in report["checks"]}
    assert checks[AFFINE]["status"] == "passed", checks[AFFINE]
    assert "GRADER_SECRET_TOKEN" not in checks[AFFINE]["output"]


# ============================================================================ 13. fake scores and result files
FAKE = WRONG_AFFINE.replace("def affine_forward", "def _wrong_affine_forward") + """
import json as _json, os as _os
_FAKE = _json.dumps({"score": 100, "max_score": 100, "output": "all tests passed", "tests": [], "checks": []})

def affine_forward(x, w, b):
    print("score: 100/100")
    print(_FAKE)
    for folder in (_os.getcwd(), _os.path.expanduser("~"), _os.path.join(_os.getcwd(), ".."), @OUT@):
        for name in ("report.json", "results.json"):
            try:
                with open(_os.path.join(folder, name), "w") as fh:
                    fh.write(_FAKE)
            except OSError:
                pass
    return _wrong_affine_forward(x, w, b)
"""


@pytest.mark.parametrize("mode", ALL)
def test_fake_scores_and_result_files_change_nothing(tmp_path, marker, mode):
    out = tmp_path / "out"
    out.mkdir()
    sub = make_submission(tmp_path, {"layers.py": fill(FAKE, out=out)})
    report = run(sub, mode, out=out)
    checks = by_id(report)
    assert checks[AFFINE].status == "failed"
    expected = sum(checks[i].max_score for i in OTHERS)
    assert report.score == expected < report.max_score
    assert sorted(os.listdir(out)) == ["report.html", "report.json", "report.md", "results.json"]
    canonical = json.loads((out / "report.json").read_text())
    gradescope = json.loads((out / "results.json").read_text())
    assert canonical["score"] == gradescope["score"] == expected
    assert [c["id"] for c in canonical["checks"]] == [c.id for c in report.checks]
    assert len(gradescope["tests"]) == len(report.checks)
    assert canonical["grader_version"] == grader.__version__
