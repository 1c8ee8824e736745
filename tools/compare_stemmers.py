#!/usr/bin/env python3
"""Agreement of Warta's stemmers with PySastrawi (a diagnostic, not a goal: Sastrawi
has its own errors, and its root list is CC BY-NC-SA, so it is used here only as a
reference in this dev script, never at run time).

    pip install Sastrawi
    python3 tools/compare_stemmers.py ../shared/data/indosum/articles.jsonl

Takes the distinct lower-case alphabetic words of the IndoSum articles (Kurniawan and
Louvan 2018, CC BY-SA 4.0), stems them with both Warta stemmers (the stem_words
example) and with Sastrawi, and prints the agreement and a sample of disagreements.
"""
import json
import re
import subprocess
import sys

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory


def words(path):
    seen = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            art = json.loads(line)
            for para in art["paragraphs"]:
                for sent in para:
                    for tok in sent:
                        w = tok.lower()
                        if re.fullmatch(r"[a-z]{3,}", w):
                            seen.add(w)
    return sorted(seen)


def main():
    ws = words(sys.argv[1])
    run = subprocess.run(
        ["cargo", "run", "-q", "--release", "-p", "warta_text", "--example", "stem_words"],
        input="\n".join(ws), capture_output=True, text=True, check=True,
    )
    rows = [line.split("\t") for line in run.stdout.splitlines()]
    sastrawi = StemmerFactory().create_stemmer()
    agree = {"snowball": 0, "dictionary": 0}
    diffs = []
    for w, sb, dc in rows:
        ref = sastrawi.stem(w)
        agree["snowball"] += sb == ref
        agree["dictionary"] += dc == ref
        if dc != ref and len(diffs) < 25:
            diffs.append((w, ref, sb, dc))
    n = len(rows)
    print(f"{n} distinct words")
    for k, v in agree.items():
        print(f"{k}: agrees with Sastrawi on {v} ({100 * v / n:.1f} %)")
    print(run.stderr.strip())
    print("sample where the dictionary stemmer differs (word, sastrawi, snowball, dictionary):")
    for d in diffs:
        print("  " + "\t".join(d))


if __name__ == "__main__":
    main()
