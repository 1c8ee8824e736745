#!/usr/bin/env python3
"""Writes the texts the name labels (crates/warta_text/eval/names.json) were made on:
the first 20 demo articles (headline, lede, body without photo lines and markup) and
20 IndoSum articles (../shared/data/indosum, by id; their text stays out of the repo).

    python3 tools/names_texts.py OUT.jsonl
"""
import json
import pathlib
import sys
import tomllib

root = pathlib.Path(__file__).resolve().parent.parent
labels = json.loads((root / "crates/warta_text/eval/names.json").read_text())
demo = tomllib.loads((root / "crates/warta_demo/content/articles.toml").read_text())["article"]
indosum = {}
shared = root.parent / "shared/data/indosum/articles.jsonl"
if shared.exists():
    for line in shared.open():
        a = json.loads(line)
        indosum[a["id"]] = a


def clean(body):
    out = []
    for line in body.split("\n"):
        line = line.strip()
        if line.startswith("[foto"):
            continue
        if line.startswith("## "):
            line = line[3:]
        if line.startswith("> "):
            line = line[2:].split(" | ")[0]
        out.append(line)
    return "\n".join(out)


with open(sys.argv[1], "w") as f:
    for t in labels["texts"]:
        kind, ref = t["source"].split(":", 1)
        if kind == "demo":
            a = demo[int(ref) - 1]
            text = a["headline"] + "\n\n" + a["lede"] + "\n\n" + clean(a["body"])
        elif ref in indosum:
            paras = [" ".join(" ".join(s) for s in p) for p in indosum[ref]["paragraphs"]]
            text = "\n\n".join(paras)
        else:
            continue
        f.write(json.dumps({"source": t["source"], "text": text}, ensure_ascii=False) + "\n")
