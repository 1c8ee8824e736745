#!/usr/bin/env python3
"""Makes the photo-metadata corpus (issue #24): small pictures carrying location and
other metadata in every place a camera, phone or editor puts it, and pictures whose
colour data must survive. `crates/warta_media/tests/strip.rs` strips each and checks
that no marker text is left, that the picture still decodes to the same size, and
that what colours need (ICC profile, Adobe segment of a CMYK JPEG) is kept.

    python3 tools/make_photo_corpus.py   # needs Pillow (dev only)

Every file is drawn here; the marker text `WARTA-GPS-SECRET` stands for what must go.
"""

import io
import os
import struct
import zlib

from PIL import Image, ImageCms

OUT = os.path.join(os.path.dirname(__file__), "..", "crates", "warta_media", "tests", "corpus")
SECRET = b"WARTA-GPS-SECRET -6.2088,106.8456"


def picture(mode="RGB", size=(48, 32)):
    img = Image.new(mode, size)
    px = img.load()
    for y in range(size[1]):
        for x in range(size[0]):
            if mode == "CMYK":
                px[x, y] = (x * 5 % 256, y * 7 % 256, 40, 10)
            elif mode == "RGBA":
                px[x, y] = (x * 5 % 256, y * 7 % 256, 90, 200)
            else:
                px[x, y] = (x * 5 % 256, y * 7 % 256, 90)
    return img


def jpeg(img=None, **kw):
    out = io.BytesIO()
    (img or picture()).save(out, "JPEG", quality=85, **kw)
    return out.getvalue()


def segment(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def after_soi(data, *segments):
    assert data[:2] == b"\xff\xd8"
    return data[:2] + b"".join(segments) + data[2:]


def exif_payload():
    # A TIFF header with the marker text as its (unparsed) contents is enough: what
    # matters is that no byte of it survives.
    return b"Exif\x00\x00MM\x00*\x00\x00\x00\x08" + SECRET


def xmp_payload():
    return b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><exif:GPSLatitude>" + SECRET + b"</exif:GPSLatitude></x:xmpmeta>"


def iptc_payload():
    return b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x20\x1c\x02\x5a\x00\x1a" + SECRET


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_with(before=(), after=(), img=None, **kw):
    out = io.BytesIO()
    (img or picture()).save(out, "PNG", **kw)
    data = out.getvalue()
    sig, rest = data[:8], data[8:]
    chunks = []
    while rest:
        (n,) = struct.unpack(">I", rest[:4])
        chunks.append(rest[: 12 + n])
        rest = rest[12 + n :]
    # IHDR first; metadata chunks before the first IDAT and before IEND.
    first_idat = next(i for i, c in enumerate(chunks) if c[4:8] == b"IDAT")
    out = [chunks[0]] + list(before) + chunks[1:first_idat] + chunks[first_idat:-1] + list(after) + [chunks[-1]]
    return sig + b"".join(out)


def riff_chunk(fourcc, data):
    pad = b"\x00" if len(data) % 2 else b""
    return fourcc + struct.pack("<I", len(data)) + data + pad


def webp_with(extra, icc=None):
    out = io.BytesIO()
    picture().save(out, "WEBP", quality=80, **({"icc_profile": icc} if icc else {}))
    data = out.getvalue()
    body = data[12:]
    chunks = []
    while body:
        fourcc, (n,) = body[:4], struct.unpack("<I", body[4:8])
        size = 8 + n + (n % 2)
        chunks.append(body[:size])
        body = body[size:]
    if chunks[0][:4] != b"VP8X":
        w, h = picture().size
        vp8x = bytearray(10)
        vp8x[4:7] = (w - 1).to_bytes(3, "little")
        vp8x[7:10] = (h - 1).to_bytes(3, "little")
        chunks.insert(0, riff_chunk(b"VP8X", bytes(vp8x)))
    flags = chunks[0][8]
    for fourcc, _ in extra:
        flags |= {b"EXIF": 0x08, b"XMP ": 0x04}.get(fourcc, 0)
    chunks[0] = chunks[0][:8] + bytes([flags]) + chunks[0][9:]
    all_chunks = chunks + [riff_chunk(f, d) for f, d in extra]
    body = b"".join(all_chunks)
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {}
    base = jpeg()
    # EXIF, XMP and IPTC in every APPn (APP0 aside, which holds JFIF).
    for n in range(1, 16):
        for name, payload in (("exif", exif_payload()), ("xmp", xmp_payload()), ("iptc", iptc_payload())):
            files["jpeg-%s-app%d.jpg" % (name, n)] = after_soi(base, segment(0xE0 + n, payload))
    files["jpeg-com.jpg"] = after_soi(base, segment(0xFE, b"Taken at " + SECRET))
    # Thumbnails in APP0: JFIF's own (uncompressed RGB, here holding the marker) and a
    # JFXX JPEG thumbnail with EXIF of its own. The file's own APP0 is replaced.
    assert base[2:4] == b"\xff\xe0"
    (app0_len,) = struct.unpack(">H", base[4:6])
    without_app0 = base[:2] + base[4 + app0_len :]
    thumb = (SECRET + b"\x00" * 48)[:48]
    jfif = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01" + bytes([16, 1]) + thumb
    files["jpeg-jfif-thumbnail.jpg"] = after_soi(without_app0, segment(0xE0, jfif))
    small = after_soi(jpeg(picture(size=(8, 8))), segment(0xE1, exif_payload()))
    files["jpeg-jfxx-thumbnail.jpg"] = after_soi(
        base, segment(0xE0, b"JFXX\x00\x10" + small[: 65000])
    )
    # A comment between the scans of a progressive JPEG.
    prog = jpeg(progressive=True)
    second_sos = prog.index(b"\xff\xda", prog.index(b"\xff\xda") + 2)
    files["jpeg-progressive-com-between-scans.jpg"] = prog[:second_sos] + segment(0xFE, SECRET) + prog[second_sos:]
    # MPO as phones write it: MPF in APP2, then a second JPEG with its own EXIF GPS
    # after the first one's end.
    mpf = b"MPF\x00II*\x00\x08\x00\x00\x00"
    second = after_soi(jpeg(picture(size=(16, 16))), segment(0xE1, exif_payload()))
    files["jpeg-mpo.jpg"] = after_soi(base, segment(0xE2, mpf)) + second
    files["jpeg-trailing.jpg"] = base + b"trailing " + SECRET
    # Colours that must survive: an ICC profile (APP2 ICC_PROFILE) and a CMYK JPEG
    # (Adobe APP14), each with EXIF to remove beside it.
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    files["keep-jpeg-icc.jpg"] = after_soi(jpeg(icc_profile=srgb), segment(0xE1, exif_payload()))
    files["keep-jpeg-cmyk.jpg"] = after_soi(jpeg(picture("CMYK")), segment(0xE1, exif_payload()))
    # PNG: text and EXIF chunks before and after the image data; an ICC profile kept.
    meta = [
        png_chunk(b"eXIf", b"MM\x00*\x00\x00\x00\x08" + SECRET),
        png_chunk(b"tEXt", b"GPS\x00" + SECRET),
        png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + SECRET),
        png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(SECRET)),
    ]
    files["png-meta-before.png"] = png_with(before=meta)
    files["png-meta-after.png"] = png_with(after=meta)
    files["keep-png-icc.png"] = png_with(before=meta, icc_profile=srgb)
    files["keep-png-alpha.png"] = png_with(after=meta, img=picture("RGBA"))
    # WebP: EXIF and XMP chunks; an ICC profile kept.
    files["webp-exif-xmp.webp"] = webp_with([(b"EXIF", b"MM\x00*\x00\x00\x00\x08" + SECRET), (b"XMP ", xmp_payload())])
    files["keep-webp-icc.webp"] = webp_with([(b"EXIF", b"MM\x00*\x00\x00\x00\x08" + SECRET)], icc=srgb)
    for name, data in sorted(files.items()):
        assert SECRET[:16] in data or name.startswith("keep-"), name
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    print("wrote %d files to %s" % (len(files), os.path.normpath(OUT)))


if __name__ == "__main__":
    main()
