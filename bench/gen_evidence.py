#!/usr/bin/env python3
"""Writes a mixed evidence set for the export benchmark, the same bytes every run.

  screenshots/  incompressible PNG-like files (random bytes behind a PNG signature)
  reports/      PDF-like files: text content streams mixed with binary image streams
  logs/         JSON log extracts, one event per line

Sizes in MB are arguments so the set can be scaled: gen_evidence.py DIR [SHOTS PDFS LOGS].
"""
import json
import os
import random
import sys

MB = 1024 * 1024


def write_shots(root, total_mb, rng):
    os.makedirs(root, exist_ok=True)
    n = max(1, total_mb // 2)
    for i in range(n):
        with open(os.path.join(root, f"console-{i:03d}.png"), "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n")
            f.write(rng.randbytes(2 * MB - 8))


def write_pdfs(root, total_mb, rng):
    os.makedirs(root, exist_ok=True)
    n = max(1, total_mb // 2)
    words = ["control", "review", "access", "policy", "backup", "restore", "audit",
             "encryption", "key", "rotation", "incident", "network", "subnet", "role"]
    for i in range(n):
        with open(os.path.join(root, f"report-{i:03d}.pdf"), "wb") as f:
            f.write(b"%PDF-1.7\n")
            size = 9
            obj = 1
            while size < 2 * MB:
                if obj % 2:
                    text = " ".join(rng.choice(words) for _ in range(6000))
                    body = f"BT /F1 11 Tf 72 700 Td ({text}) Tj ET".encode()
                else:
                    body = rng.randbytes(48 * 1024)
                chunk = f"{obj} 0 obj << /Length {len(body)} >> stream\n".encode() + body + b"\nendstream endobj\n"
                f.write(chunk)
                size += len(chunk)
                obj += 1
            f.write(b"%%EOF\n")


def write_logs(root, total_mb, rng):
    os.makedirs(root, exist_ok=True)
    files = 300
    per_file = total_mb * MB // files
    services = ["api", "worker", "auth", "billing", "ingest"]
    paths = ["/v1/items", "/v1/users", "/healthz", "/v1/orders", "/login"]
    for i in range(files):
        with open(os.path.join(root, f"cloudtrail-{i:03d}.json"), "w") as f:
            written = 0
            t = 1_700_000_000 + i * 3600
            while written < per_file:
                t += rng.randint(0, 3)
                event = {
                    "time": t,
                    "service": rng.choice(services),
                    "path": rng.choice(paths),
                    "status": rng.choice([200, 200, 200, 201, 204, 401, 404, 500]),
                    "latency_ms": rng.randint(1, 900),
                    "request_id": f"{rng.getrandbits(64):016x}",
                    "source_ip": f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                }
                line = json.dumps(event) + "\n"
                f.write(line)
                written += len(line)


def main():
    root = sys.argv[1]
    shots, pdfs, logs = (int(x) for x in (sys.argv[2:5] or [160, 60, 160]))
    rng = random.Random(20261126)
    write_shots(os.path.join(root, "screenshots"), shots, rng)
    write_pdfs(os.path.join(root, "reports"), pdfs, rng)
    write_logs(os.path.join(root, "logs"), logs, rng)


if __name__ == "__main__":
    main()
