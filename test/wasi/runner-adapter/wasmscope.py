# Wasmscope's runtime adapter for the official wasi-testsuite runner
# (../shared/wasi-testsuite/runner; see its adapters/wasmtime.py, which this follows):
#
#     python3 wasi_test_runner.py -t SUITE... -r test/wasi/runner-adapter/wasmscope.py
#
# Tests run as `node dist/cli.js run ...` (wasi:cli/command) or `node dist/cli.js serve
# --addr=127.0.0.1:0 ...` (wasi:http/service). WASMSCOPE overrides the command, e.g.
# WASMSCOPE="node /path/to/dist/cli.js". Loading this file must print nothing (the runner checks).
import os
import shlex
import subprocess
from pathlib import Path
from typing import Dict, List, Optional, Tuple

_REPO = Path(__file__).resolve().parents[3]
WASMSCOPE = shlex.split(os.getenv("WASMSCOPE", f"node {shlex.quote(str(_REPO / 'dist' / 'cli.js'))}"))


def get_name() -> str:
    return "wasmscope"


def get_version() -> str:
    result = subprocess.run(WASMSCOPE + ["--version"], encoding="UTF-8", capture_output=True, check=True)
    return result.stdout.strip()


def get_wasi_versions() -> List[str]:
    # wasm32-wasip1 covers the preview1 suites and the p2 suite (preview1 tests wrapped as 0.2
    # components: their manifests say wasm32-wasip1); wasm32-wasip3 the 0.3 (async) components.
    return ["wasm32-wasip1", "wasm32-wasip2", "wasm32-wasip3"]


def get_wasi_worlds() -> List[str]:
    return ["wasi:cli/command", "wasi:http/service"]


def get_timeout_seconds() -> float:
    # Every test starts Node and runs on our interpreter, on machines shared with other jobs.
    return float(os.getenv("WASMSCOPE_TEST_TIMEOUT", "60"))


def compute_argv(test_path: str,
                 args_env_root: Tuple[List[str], Dict[str, str], Optional[str]],
                 proposals: List[str],
                 wasi_world: str,
                 wasi_version: str) -> List[str]:
    del wasi_version  # the file itself says whether it is a module or a component
    args, env, root = args_env_root
    argv = list(WASMSCOPE)
    if wasi_world == "wasi:http/service":
        argv += ["serve", "--addr=127.0.0.1:0"]
    else:
        argv += ["run"]
    for k, v in env.items():
        argv += ["--env", f"{k}={v}"]
    if root:
        argv += ["--dir", f"{root}::/"]  # noqa: E231
    # As Wasmtime's adapter passes -S inherit-network (sockets) and -S http: the network is
    # closed unless a test's proposals need it.
    if "sockets" in proposals or "http" in proposals:
        argv += ["--allow-net"]
    argv += [test_path]
    if wasi_world != "wasi:http/service":
        argv += args
    return argv
