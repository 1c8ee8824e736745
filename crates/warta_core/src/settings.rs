//! Site settings: what an admin changes without a deploy. Stored by `warta_store`.

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::{Locale, ValidationError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteSettings {
    pub name: String,
    pub tagline: String,
    /// The brand that opens every dateline: `WARTA, Jakarta - `.
    pub dateline_brand: String,
    /// An IANA zone name; Indonesian sites use Asia/Jakarta, Asia/Makassar or Asia/Jayapura.
    pub time_zone: String,
    /// The site's language (`id`, `en`).
    pub language: String,
    /// The Indonesian word for Sunday: `Minggu` or `Ahad`.
    pub sunday: String,
    /// The first in-article ad slot goes after this paragraph (0 turns slots off).
    pub ad_first_after: u32,
    /// Further slots every this many paragraphs (0: only the first).
    pub ad_every: u32,
    /// Stories on list pages.
    pub page_size: u32,
    /// The public address, used for canonical links (no trailing slash).
    pub base_url: String,
    /// Feeds carry each story's whole text (`content:encoded`, Atom `content`), not
    /// only its lede.
    pub feed_full_text: bool,
    /// "Baca juga" (two links from the related list) goes after this paragraph of
    /// the body (0: not shown).
    pub read_also_after: u32,
    /// The footer's line about the publication: its company, address, press card.
    pub footer_text: String,
    /// The masthead's logo, a PNG or WebP file in the media store (empty: the name in
    /// letters), and its size.
    pub logo: String,
    pub logo_width: u32,
    pub logo_height: u32,
    /// The site icon, a square PNG or WebP in the media store (empty: Warta's W).
    pub icon: String,
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings {
            name: "Warta".into(),
            tagline: "Berita terkini, tepercaya".into(),
            dateline_brand: "WARTA".into(),
            time_zone: "Asia/Jakarta".into(),
            language: "id".into(),
            sunday: "Minggu".into(),
            ad_first_after: 3,
            ad_every: 5,
            page_size: 12,
            base_url: "http://127.0.0.1:8080".into(),
            feed_full_text: false,
            read_also_after: 2,
            footer_text: String::new(),
            logo: String::new(),
            logo_width: 0,
            logo_height: 0,
            icon: String::new(),
        }
    }
}

impl SiteSettings {
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.tz()?;
        self.locale()?;
        if self.name.trim().is_empty() {
            return Err(ValidationError::Required { field: "name" });
        }
        // The logo and the icon name files the upload wrote: never an address elsewhere.
        for (field, file) in [("logo", &self.logo), ("icon", &self.icon)] {
            let plain = file
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
                && !file.contains("..")
                && (file.ends_with(".png") || file.ends_with(".webp"));
            if !file.is_empty() && !plain {
                return Err(ValidationError::Invalid {
                    field,
                    reason: crate::Reason::NotMediaFile(file.clone()),
                });
            }
        }
        if self.page_size == 0 || self.page_size > 100 {
            return Err(ValidationError::Invalid {
                field: "page_size",
                reason: crate::Reason::OutOfRange { min: 1, max: 100 },
            });
        }
        Ok(())
    }

    pub fn tz(&self) -> Result<Tz, ValidationError> {
        self.time_zone
            .parse::<Tz>()
            .map_err(|_| ValidationError::Invalid {
                field: "time_zone",
                reason: crate::Reason::NotTimeZone(self.time_zone.clone()),
            })
    }

    pub fn locale(&self) -> Result<Locale, ValidationError> {
        Locale::parse(&self.language).ok_or_else(|| ValidationError::Invalid {
            field: "language",
            reason: crate::Reason::NoLocale(self.language.clone()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        SiteSettings::default().validate().expect("defaults valid");
    }

    #[test]
    fn the_logo_and_icon_are_files_of_the_media_folder() {
        let ok = SiteSettings {
            logo: "logo-0a1b2c3d4e5f6071.png".into(),
            icon: "icon-0a1b2c3d4e5f6071.webp".into(),
            ..SiteSettings::default()
        };
        ok.validate().expect("uploaded names");
        for bad in [
            "https://evil.example/x.png",
            "../site.db",
            "logo.svg",
            "a/b.png",
        ] {
            let s = SiteSettings {
                icon: bad.into(),
                ..SiteSettings::default()
            };
            assert!(
                matches!(
                    s.validate(),
                    Err(ValidationError::Invalid { field: "icon", .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn bad_settings_name_the_field() {
        let s = SiteSettings {
            time_zone: "Asia/Atlantis".into(),
            ..SiteSettings::default()
        };
        assert!(matches!(
            s.validate(),
            Err(ValidationError::Invalid {
                field: "time_zone",
                ..
            })
        ));
        let s = SiteSettings {
            language: "xx".into(),
            ..SiteSettings::default()
        };
        assert!(matches!(
            s.validate(),
            Err(ValidationError::Invalid {
                field: "language",
                ..
            })
        ));
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let r: Result<SiteSettings, _> = serde_json::from_str(r#"{"nmae":"x"}"#);
        assert!(r.is_err());
    }
}
