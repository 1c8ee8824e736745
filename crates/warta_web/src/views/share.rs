//! Sharing a story (issue #29) without a third party's script: plain links that open
//! WhatsApp, Facebook, X, Telegram or LINE with the story's canonical address and
//! headline, a "copy link" link (the address itself; a few lines of script copy it),
//! and the browser's own share sheet where it has one (the Web Share API).

/// One network's share link.
pub(crate) struct ShareLink {
    /// `whatsapp`, `facebook`, …: the link's class and test name.
    pub key: &'static str,
    pub name: &'static str,
    pub href: String,
}

/// Percent-encodes everything but RFC 3986's unreserved characters (a space is
/// `%20`, which every one of these services reads as a space; `+` is not).
fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The share links of the story at `url` (absolute, canonical) headed `headline`.
pub(crate) fn share_links(url: &str, headline: &str) -> Vec<ShareLink> {
    let (u, h) = (enc(url), enc(headline));
    vec![
        ShareLink {
            key: "whatsapp",
            name: "WhatsApp",
            href: format!("https://wa.me/?text={}", enc(&format!("{headline} {url}"))),
        },
        ShareLink {
            key: "facebook",
            name: "Facebook",
            href: format!("https://www.facebook.com/sharer/sharer.php?u={u}"),
        },
        ShareLink {
            key: "x",
            name: "X",
            href: format!("https://x.com/intent/post?text={h}&url={u}"),
        },
        ShareLink {
            key: "telegram",
            name: "Telegram",
            href: format!("https://t.me/share/url?url={u}&text={h}"),
        },
        ShareLink {
            key: "line",
            name: "LINE",
            href: format!("https://social-plugins.line.me/lineit/share?url={u}"),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_the_address_and_headline_encoded() {
        let links = share_links(
            "https://warta.example/nasional/2026/12/06/banjir-&-longsor",
            "Banjir & Longsor di Garut: 3 Desa Terisolasi",
        );
        assert_eq!(links.len(), 5);
        let wa = &links[0].href;
        assert_eq!(
            wa,
            "https://wa.me/?text=Banjir%20%26%20Longsor%20di%20Garut%3A%203%20Desa%20Terisolasi%20https%3A%2F%2Fwarta.example%2Fnasional%2F2026%2F12%2F06%2Fbanjir-%26-longsor"
        );
        let x = &links[2].href;
        assert!(x.contains("text=Banjir%20%26%20Longsor"), "{x}");
        assert!(x.contains("&url=https%3A%2F%2Fwarta.example"), "{x}");
        assert_eq!(enc("Rp1.000 é"), "Rp1.000%20%C3%A9");
    }
}
