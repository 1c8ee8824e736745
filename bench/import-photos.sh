#!/usr/bin/env bash
# Photos per second of `warta import --media-from` (issue #32): a WordPress export of N
# posts, each with a featured photo and a resized copy of it in its body, and a folder
# of N camera-sized JPEGs (2400 × 1600, made by Pillow), imported into a fresh folder;
# then the same import again (every photo found by its bytes, nothing decoded).
#   WARTA_BIN=/path/to/release/warta N=200 bash bench/import-photos.sh
set -euo pipefail
bin=${WARTA_BIN:-target/release/warta}
n=${N:-200}
work=$(mktemp -d /tmp/warta-photos.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/uploads/2024/05"
python3 - "$work" "$n" <<'PY'
import sys, random
from PIL import Image, ImageDraw
work, n = sys.argv[1], int(sys.argv[2])
random.seed(7)
items = []
for i in range(n):
    img = Image.new("RGB", (2400, 1600), (random.randrange(256), 90, 140))
    d = ImageDraw.Draw(img)
    for _ in range(60):
        x, y = random.randrange(2400), random.randrange(1600)
        d.ellipse((x, y, x + random.randrange(40, 400), y + random.randrange(40, 400)),
                  fill=(random.randrange(256), random.randrange(256), random.randrange(256)))
    img.save(f"{work}/uploads/2024/05/foto-{i}.jpg", quality=88)
    url = f"https://lama.example/wp-content/uploads/2024/05/foto-{i}"
    items.append(f"""<item><title>Berita {i}</title><link>https://lama.example/?p={i+1000}</link>
<guid>https://lama.example/?p={i+1000}</guid><wp:post_id>{i+1000}</wp:post_id>
<content:encoded><![CDATA[<p>Paragraf berita nomor {i}.</p><figure><img src="{url}-1024x683.jpg" class="wp-image-{i+5000}"><figcaption>Keterangan foto {i}. ANTARA FOTO/Bench</figcaption></figure>]]></content:encoded>
<wp:post_date_gmt>2024-05-01 01:00:00</wp:post_date_gmt><wp:post_name>berita-{i}</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>{i+5000}</wp:meta_value></wp:postmeta></item>
<item><title>Foto {i}</title><wp:post_id>{i+5000}</wp:post_id><wp:post_type>attachment</wp:post_type>
<wp:attachment_url>{url}.jpg</wp:attachment_url><wp:status>inherit</wp:status></item>""")
open(f"{work}/export.wxr", "w").write(
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:wp="http://wordpress.org/export/1.2/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Bench</title><link>https://lama.example</link>'
    + "".join(items) + "</channel></rss>")
PY
du -sh "$work/uploads" | sed 's/^/uploads: /'
for run in first again; do
  start=$(date +%s.%N)
  "$bin" import --format wxr --data "$work/d" --media-from "$work/uploads" "$work/export.wxr" \
    | grep -E "^(imported|photos)"
  end=$(date +%s.%N)
  python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f'$run run: {s:.2f} s for $n photos, {int(sys.argv[3])/s:.1f} photos/s (indexing included)')" "$start" "$end" "$n"
done
du -sh "$work/d/media" | sed 's/^/stored media: /'
