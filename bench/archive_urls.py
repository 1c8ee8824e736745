#!/usr/bin/env python3
"""The archive workload's URL sample (issue #26, item 2), read from Warta's own sitemaps.

    archive_urls.py BASE OUT [N] [SEED]

Lists every article address in the sitemap index's month files (newest first, as the
sitemaps give them), then draws N paths (default 100,000): 80 % uniformly from the newest
1,000 articles, 20 % uniformly from the rest. Writes OUT (one path per line, the order
drawn) and OUT.distinct (each path once), and prints how many of each.
"""
import random
import re
import sys
import urllib.request

LOC = re.compile(r"<loc>([^<]*)</loc>")


def fetch(url):
    with urllib.request.urlopen(url, timeout=120) as r:
        return r.read().decode("utf-8")


def path_of(url):
    return "/" + url.split("://", 1)[-1].split("/", 1)[-1]


def main():
    base, out = sys.argv[1].rstrip("/"), sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 26)
    index = fetch(base + "/sitemap.xml")
    articles = []
    for loc in LOC.findall(index):
        p = path_of(loc)
        if not re.fullmatch(r"/sitemaps/\d{4}-\d{2}(-\d+)?\.xml", p):
            continue  # the Indeks' and news sitemaps list no archive articles
        for a in LOC.findall(fetch(base + p)):
            ap = path_of(a)
            if ap.count("/") == 5:
                articles.append(ap)
    if len(articles) < 2000:
        sys.exit(f"archive_urls: only {len(articles)} articles in the sitemaps")
    newest, rest = articles[:1000], articles[1000:]
    drawn = [rng.choice(newest) if rng.random() < 0.8 else rng.choice(rest) for _ in range(n)]
    with open(out, "w") as f:
        f.write("\n".join(drawn) + "\n")
    distinct = sorted(set(drawn))
    with open(out + ".distinct", "w") as f:
        f.write("\n".join(distinct) + "\n")
    print(f"{len(articles)} articles in the sitemaps; {n} drawn, {len(distinct)} distinct")


if __name__ == "__main__":
    main()
