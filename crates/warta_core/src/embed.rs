//! Embeds a reader may load in place: the players of YouTube, X and Instagram, reached
//! from the address an editor pasted. The page shows a link card until the reader asks
//! for the player (nothing of the third party loads before); [`player`] says which
//! frame to load then, or `None` for an address that stays a link.

/// A third party's player for an embed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Player {
    /// Its name, as readers know it.
    pub site: &'static str,
    /// The address of the frame that shows it.
    pub src: String,
}

/// `host`, `path` and `query` of an http(s) address (lower-case host, no `www.`/`m.`).
fn parts(url: &str) -> Option<(String, &str, &str)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest[..end].to_ascii_lowercase();
    let host = host
        .strip_prefix("www.")
        .or_else(|| host.strip_prefix("m."))
        .unwrap_or(&host)
        .to_owned();
    let tail = rest[end..].split('#').next().unwrap_or("");
    let (path, query) = tail.split_once('?').unwrap_or((tail, ""));
    Some((host, path, query))
}

fn id_ok(id: &str, max: usize) -> bool {
    !id.is_empty()
        && id.len() <= max
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The player for an embed's address, if it is one Warta knows.
pub fn player(url: &str) -> Option<Player> {
    let (host, path, query) = parts(url.trim())?;
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match host.as_str() {
        "youtube.com" | "youtu.be" | "youtube-nocookie.com" => {
            let id = match (host.as_str(), segs.as_slice()) {
                ("youtu.be", [id, ..]) => (*id).to_owned(),
                (_, ["watch"]) => query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("v="))?
                    .to_owned(),
                (_, ["shorts" | "embed" | "live", id, ..]) => (*id).to_owned(),
                _ => return None,
            };
            id_ok(&id, 20).then(|| Player {
                site: "YouTube",
                src: format!("https://www.youtube-nocookie.com/embed/{id}"),
            })
        }
        "x.com" | "twitter.com" => match segs.as_slice() {
            [_, "status", id, ..] if id.bytes().all(|b| b.is_ascii_digit()) && id.len() <= 25 => {
                Some(Player {
                    site: "X",
                    src: format!("https://platform.twitter.com/embed/Tweet.html?id={id}"),
                })
            }
            _ => None,
        },
        "instagram.com" => match segs.as_slice() {
            ["p" | "reel" | "tv", id, ..] if id_ok(id, 40) => Some(Player {
                site: "Instagram",
                src: format!("https://www.instagram.com/p/{id}/embed/"),
            }),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn players_table() {
        let yt = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ";
        for (url, want) in [
            ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", Some(yt)),
            (
                "https://youtube.com/watch?feature=x&v=dQw4w9WgXcQ#t=3",
                Some(yt),
            ),
            ("https://youtu.be/dQw4w9WgXcQ?si=abc", Some(yt)),
            ("https://m.youtube.com/shorts/dQw4w9WgXcQ", Some(yt)),
            (
                "https://x.com/kompascom/status/1234567890123",
                Some("https://platform.twitter.com/embed/Tweet.html?id=1234567890123"),
            ),
            (
                "https://twitter.com/a/status/99/photo/1",
                Some("https://platform.twitter.com/embed/Tweet.html?id=99"),
            ),
            (
                "https://www.instagram.com/p/C0deAbc_1/",
                Some("https://www.instagram.com/p/C0deAbc_1/embed/"),
            ),
            ("https://www.youtube.com/watch?v=<script>", None),
            ("https://www.youtube.com/channel/UC123", None),
            ("https://x.com/kompascom", None),
            ("https://example.org/video", None),
            ("javascript:alert(1)", None),
            ("https://evil.example/youtube.com/watch?v=abc", None),
        ] {
            assert_eq!(player(url).map(|p| p.src), want.map(str::to_owned), "{url}");
        }
    }
}
