#!/usr/bin/env python3
"""Embedding throughput of sentence-transformers on CPU: the Python peer of the embedding bench.

    python st_embed_bench.py --model-dir DIR --texts texts.json --batch-sizes 1,8,32,64 --threads 2 --repeats 3 --json

Prints one JSON object to stdout; anything else (load messages) goes to stderr.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# The Rust tokenizer has its own thread pool; keep it from taking cores beyond --threads.
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", type=Path, required=True)
    ap.add_argument("--texts", type=Path, required=True, help="JSON array of strings")
    ap.add_argument("--batch-sizes", default="1,8,32,64")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="one-line JSON (default: indented JSON)")
    return ap.parse_args()


def main() -> None:
    args = parse_args()
    import torch

    # Both must be set before the first parallel op; interop threads can only be set once.
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)

    import sentence_transformers
    import transformers
    from sentence_transformers import SentenceTransformer

    texts: list[str] = json.loads(args.texts.read_text(encoding="utf-8"))
    batch_sizes = [int(b) for b in args.batch_sizes.split(",") if b]
    model = SentenceTransformer(str(args.model_dir), device="cpu")
    model.eval()

    # Tokens the model sees per text, after truncation at max_seq_length, incl. [CLS]/[SEP].
    tokens = int(model.preprocess(texts)["attention_mask"].sum())

    model.encode(texts[:64], batch_size=32, normalize_embeddings=True)  # warm-up

    # Other processes may share the cores; the load average says how much the numbers mean.
    load_start = os.getloadavg()
    results: list[dict[str, Any]] = []
    for b in batch_sizes:
        walls: list[float] = []
        cpu = 0.0
        for _ in range(args.repeats):
            c0, t0 = time.process_time(), time.perf_counter()
            model.encode(texts, batch_size=b, normalize_embeddings=True)
            walls.append(time.perf_counter() - t0)
            cpu += time.process_time() - c0
        med, best = statistics.median(walls), min(walls)
        results.append(
            {
                "batch": b,
                "texts_per_s_median": round(len(texts) / med, 2),
                "texts_per_s_best": round(len(texts) / best, 2),
                "tokens_per_s_median": round(tokens / med, 1),
                "tokens_per_s_best": round(tokens / best, 1),
                "wall_s": [round(w, 3) for w in walls],
                # process CPU time (all threads) per pass, averaged over the repeats
                "cpu_s": round(cpu / args.repeats, 3),
            }
        )
        print(f"batch {b}: {results[-1]['texts_per_s_median']} texts/s", file=sys.stderr)

    out = {
        "peer": "sentence-transformers",
        "versions": {
            "sentence_transformers": sentence_transformers.__version__,
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "python": sys.version.split()[0],
        },
        "threads": args.threads,
        "texts": len(texts),
        "tokens": tokens,
        "repeats": args.repeats,
        "loadavg_1m": {"start": round(load_start[0], 2), "end": round(os.getloadavg()[0], 2)},
        "results": results,
    }
    print(json.dumps(out, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
