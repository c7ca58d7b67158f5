"""A real Ray cluster on loopback for the tests and benchmarks: a head with no CPUs and N one-CPU workers.

Every node is started by ``ray start`` with this checkout on PYTHONPATH, so workers import this ``rag``
(the raylets pass their environment on to the worker processes). Ports are fixed and away from Ray's defaults
so a cluster someone else runs is never touched; ``stop`` ends exactly the nodes this started.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE_PORT = int(os.environ.get("RAG_TEST_RAY_PORT", "46379"))


@dataclass
class LocalCluster:
    address: str
    temp_dir: Path
    env: dict[str, str]
    workers: int
    log: list[str] = field(default_factory=list)


def _ray_bin() -> str:
    import sys

    return str(Path(sys.executable).with_name("ray"))


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([_ray_bin(), *args], env=env, capture_output=True, text=True, timeout=180)
    if done.returncode != 0:
        raise RuntimeError(f"ray {' '.join(args[:2])} failed: {done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return done.stdout


def start(workers: int = 2, object_store_mb: int = 150) -> LocalCluster:
    """Start the head (0 CPUs) and ``workers`` worker nodes of one CPU each on 127.0.0.1."""
    temp_dir = Path(f"/tmp/rag-ray-{BASE_PORT}")
    shutil.rmtree(temp_dir, ignore_errors=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HF_HUB_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "RAY_USAGE_STATS_ENABLED": "0",
        "OMP_NUM_THREADS": "1",  # each worker node has one CPU: one thread per embedder
        "RAY_SERVE_PROXY_PREFER_LOCAL_NODE_ROUTING": "0",
    }
    p = BASE_PORT
    common = ["--disable-usage-stats", f"--object-store-memory={object_store_mb * 1024 * 1024}"]
    head = [
        "start", "--head", "--node-ip-address=127.0.0.1", f"--port={p}", "--num-cpus=0",
        "--include-dashboard=false", f"--ray-client-server-port={p + 1}", f"--dashboard-port={p + 2}",
        f"--node-manager-port={p + 3}", f"--object-manager-port={p + 4}", f"--runtime-env-agent-port={p + 5}",
        f"--dashboard-agent-grpc-port={p + 6}", f"--dashboard-agent-listen-port={p + 7}",
        f"--metrics-export-port={p + 8}", f"--min-worker-port={p + 100}", f"--max-worker-port={p + 199}",
        f"--temp-dir={temp_dir}", *common,
    ]  # fmt: skip
    _run(head, env)
    address = f"127.0.0.1:{p}"
    for w in range(1, workers + 1):
        q = p + 10 * w
        _run(
            [
                "start", f"--address={address}", "--node-ip-address=127.0.0.1", "--num-cpus=1",
                f"--node-manager-port={q}", f"--object-manager-port={q + 1}", f"--runtime-env-agent-port={q + 2}",
                f"--dashboard-agent-grpc-port={q + 3}", f"--dashboard-agent-listen-port={q + 4}",
                f"--metrics-export-port={q + 5}", f"--min-worker-port={p + 100 * (w + 1)}",
                f"--max-worker-port={p + 100 * (w + 1) + 99}", *common,
            ],
            env,
        )  # fmt: skip
    cluster = LocalCluster(address=address, temp_dir=temp_dir, env=env, workers=workers)
    _wait_for_nodes(cluster, workers + 1)
    return cluster


def _wait_for_nodes(cluster: LocalCluster, count: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        out = subprocess.run(
            [_ray_bin(), "status", f"--address={cluster.address}"],
            env=cluster.env,
            capture_output=True,
            text=True,
        ).stdout
        if out.count("node_") >= count:
            return
        time.sleep(1)
    raise RuntimeError(f"Ray cluster at {cluster.address} did not get {count} nodes in {timeout:.0f} s")


def _cluster_pids(cluster: LocalCluster) -> list[int]:
    """Processes of this cluster only: their command line names its GCS address or its temp folder."""
    port = cluster.address.rsplit(":", 1)[1]
    # Ray's client server names the head by the machine's address, not 127.0.0.1: match the port too.
    marks = (cluster.address.encode(), str(cluster.temp_dir).encode(), f":{port}\0".encode())
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if any(mark in cmdline for mark in marks):
            pids.append(int(entry.name))
    return pids


def stop(cluster: LocalCluster) -> None:
    """Stop every process of this cluster, and only those (another cluster on this machine keeps running).

    ``ray stop`` would stop every Ray process of the machine; instead the processes are found by this
    cluster's address and temp folder, asked to stop (SIGTERM), then killed if still there after 10 s.
    """
    import signal

    for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 2.0)):
        for pid in _cluster_pids(cluster):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while _cluster_pids(cluster) and time.monotonic() < deadline:
            time.sleep(0.2)
    shutil.rmtree(cluster.temp_dir, ignore_errors=True)
