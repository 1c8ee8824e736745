//! Dates, relative ages and interface strings in the site's language. Pure functions:
//! the clock is always an argument, so pages, caches and tests agree on "now".
//!
//! Relative ages follow Indonesian portals: `baru saja` under a minute, then minutes,
//! hours, and days up to 31 (the reference page counts `31 hari lalu`). From 32 days on
//! the age is in months (`1 bulan lalu` … `11 bulan lalu`, a month counted as 30 days),
//! and from 360 days in years. A time in the future (clock skew, a scheduled item seen
//! early) reads as `baru saja`.

mod admin;
pub use admin::AdminStrings;

use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc, Weekday};
use chrono_tz::{OffsetName, Tz};

/// A language Warta's reader site speaks. Adding one means adding a [`Strings`] table,
/// the month and weekday names, and the relative-age forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    Id,
    En,
}

/// Every interface text on the reader site, per language.
#[derive(Debug)]
pub struct Strings {
    pub lang: &'static str,
    pub related: &'static str,
    pub read_more: &'static str,
    /// Heads the share links of a story.
    pub share: &'static str,
    /// The row of secondary headlines under the main one (a label, not shown).
    pub more_headlines: &'static str,
    pub editors_picks: &'static str,
    pub most_read: &'static str,
    pub last_day: &'static str,
    pub last_week: &'static str,
    pub copy_link: &'static str,
    /// Said once the link was copied.
    pub link_copied: &'static str,
    pub updated: &'static str,
    /// Heads a correction note at the end of an article.
    pub correction: &'static str,
    /// The link of an embed card.
    pub open_link: &'static str,
    /// The button that loads an embed's player from its third party.
    pub embed_load: &'static str,
    /// Said under that button, before anything loads: `{site}` is the third party.
    pub embed_note: &'static str,
    pub latest: &'static str,
    pub page: &'static str,
    pub of: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub bad_request_title: &'static str,
    pub server_error_title: &'static str,
    pub server_error_body: &'static str,
    pub back_home: &'static str,
    /// The title of an imported post that had none (WordPress shows "(no title)").
    pub untitled: &'static str,
    pub advertisement: &'static str,
    pub by: &'static str,
    pub topic: &'static str,
    pub author: &'static str,
    pub section: &'static str,
    pub home: &'static str,
    pub more_in: &'static str,
    pub no_articles: &'static str,
    pub photo: &'static str,
    pub skip_to_content: &'static str,
    pub search: &'static str,
    pub sections_nav: &'static str,
    pub pagination: &'static str,
    pub search_heading: &'static str,
    pub search_placeholder: &'static str,
    pub search_prompt: &'static str,
    /// `{n}` is the number of results.
    pub search_count: &'static str,
    /// `{q}` is the query.
    pub search_none: &'static str,
    pub search_none_hint: &'static str,
    pub did_you_mean: &'static str,
    pub search_truncated: &'static str,
    pub sort_by: &'static str,
    pub sort_relevance: &'static str,
    pub sort_newest: &'static str,
    pub all_sections: &'static str,
    pub date_from: &'static str,
    pub date_to: &'static str,
    /// Heads the links to related stories inside an article's body.
    pub read_also: &'static str,
    /// The trail Beranda › Kanal (a label, not shown).
    pub breadcrumb: &'static str,
    /// The list of every story of a day, in the masthead.
    pub index: &'static str,
    /// The Indeks page's heading; `{date}` is the day.
    pub index_heading: &'static str,
    pub index_date: &'static str,
    pub index_show: &'static str,
    /// `{n}` stories on the day.
    pub index_count: &'static str,
    pub index_none: &'static str,
    pub previous_day: &'static str,
    pub next_day: &'static str,
    /// The footer's list of the publication's pages (a label).
    pub about_nav: &'static str,
    pub made_with: &'static str,
    /// A list page's description for search engines: `{name}` the list, `{site}`.
    pub list_description: &'static str,
    /// The Indeks' description: `{date}`, `{site}`.
    pub index_description: &'static str,
    /// Before the date a page of the publication was last changed.
    pub page_updated: &'static str,
}

static ID: Strings = Strings {
    lang: "id",
    related: "Berita terkait",
    read_more: "Baca Selengkapnya",
    share: "Bagikan",
    more_headlines: "Berita utama lainnya",
    editors_picks: "Pilihan Editor",
    most_read: "Terpopuler",
    last_day: "24 jam terakhir",
    last_week: "7 hari terakhir",
    copy_link: "Salin tautan",
    link_copied: "Tautan disalin",
    updated: "Diperbarui",
    correction: "Koreksi",
    open_link: "Buka tautan",
    embed_load: "Tampilkan di sini",
    embed_note: "Konten ini dimuat dari {site} setelah Anda menekan tombol; {site} dapat mencatat kunjungan Anda.",
    latest: "Terbaru",
    page: "Halaman",
    of: "dari",
    previous: "Sebelumnya",
    next: "Berikutnya",
    not_found_title: "Halaman tidak ditemukan",
    not_found_body: "Alamat yang Anda tuju tidak ada atau sudah dipindahkan.",
    bad_request_title: "Permintaan tidak valid",
    server_error_title: "Terjadi gangguan",
    server_error_body: "Maaf, halaman ini tidak dapat ditampilkan sekarang. Silakan coba lagi sebentar lagi.",
    back_home: "Kembali ke beranda",
    untitled: "(tanpa judul)",
    advertisement: "Iklan",
    by: "Oleh",
    topic: "Topik",
    author: "Penulis",
    section: "Kanal",
    home: "Beranda",
    more_in: "Selengkapnya di",
    no_articles: "Belum ada berita di sini.",
    photo: "Foto",
    skip_to_content: "Langsung ke isi",
    search: "Cari",
    sections_nav: "Kanal berita",
    pagination: "Navigasi halaman",
    search_heading: "Hasil pencarian",
    search_placeholder: "Cari berita",
    search_prompt: "Ketik kata atau nama yang ingin dicari. Apit frasa dengan tanda kutip, misalnya \"Korea Utara\".",
    search_count: "{n} berita ditemukan",
    search_none: "Tidak ada berita yang cocok dengan \u{201c}{q}\u{201d}.",
    search_none_hint: "Periksa ejaannya, pakai kata yang lebih umum, atau hapus filter.",
    did_you_mean: "Mungkin maksud Anda:",
    search_truncated: "Kata kunci terlalu panjang; hanya bagian awalnya yang dicari.",
    sort_by: "Urutkan",
    sort_relevance: "Paling relevan",
    sort_newest: "Terbaru",
    all_sections: "Semua kanal",
    date_from: "Dari tanggal",
    date_to: "Sampai tanggal",
    read_also: "Baca juga",
    breadcrumb: "Lokasi halaman",
    index: "Indeks",
    index_heading: "Indeks berita {date}",
    index_date: "Tanggal",
    index_show: "Tampilkan",
    index_count: "{n} berita",
    index_none: "Tidak ada berita yang terbit pada tanggal ini.",
    previous_day: "Hari sebelumnya",
    next_day: "Hari berikutnya",
    about_nav: "Tentang kami",
    made_with: "Diterbitkan dengan Warta",
    list_description: "{name}: berita terbaru dari {site}.",
    index_description: "Semua berita {site} yang terbit pada {date}, dari yang terbaru.",
    page_updated: "Terakhir diperbarui",
};

static EN: Strings = Strings {
    lang: "en",
    related: "Related news",
    read_more: "Read more",
    share: "Share",
    more_headlines: "More top stories",
    editors_picks: "Editor's Picks",
    most_read: "Most read",
    last_day: "last 24 hours",
    last_week: "last 7 days",
    copy_link: "Copy link",
    link_copied: "Link copied",
    updated: "Updated",
    correction: "Correction",
    open_link: "Open link",
    embed_load: "Show it here",
    embed_note: "This is loaded from {site} once you press the button; {site} may record your visit.",
    latest: "Latest",
    page: "Page",
    of: "of",
    previous: "Previous",
    next: "Next",
    not_found_title: "Page not found",
    not_found_body: "The address you asked for does not exist or has moved.",
    bad_request_title: "Bad request",
    server_error_title: "Something went wrong",
    server_error_body: "Sorry, this page cannot be shown right now. Please try again shortly.",
    back_home: "Back to the home page",
    untitled: "(no title)",
    advertisement: "Advertisement",
    by: "By",
    topic: "Topic",
    author: "Author",
    section: "Section",
    home: "Home",
    more_in: "More in",
    no_articles: "No stories here yet.",
    photo: "Photo",
    skip_to_content: "Skip to content",
    search: "Search",
    sections_nav: "Sections",
    pagination: "Pagination",
    search_heading: "Search results",
    search_placeholder: "Search news",
    search_prompt: "Type the words or names you are looking for. Put a phrase in quotes, for example \"North Korea\".",
    search_count: "{n} stories found",
    search_none: "No stories match \u{201c}{q}\u{201d}.",
    search_none_hint: "Check the spelling, try more general words, or remove a filter.",
    did_you_mean: "Did you mean:",
    search_truncated: "The query was too long; only its beginning was searched.",
    sort_by: "Sort by",
    sort_relevance: "Most relevant",
    sort_newest: "Newest",
    all_sections: "All sections",
    date_from: "From",
    date_to: "To",
    read_also: "Read also",
    breadcrumb: "Breadcrumb",
    index: "Index",
    index_heading: "News index, {date}",
    index_date: "Date",
    index_show: "Show",
    index_count: "{n} stories",
    index_none: "No stories were published on this day.",
    previous_day: "Previous day",
    next_day: "Next day",
    about_nav: "About us",
    made_with: "Published with Warta",
    list_description: "{name}: the latest stories from {site}.",
    index_description: "Every story {site} published on {date}, newest first.",
    page_updated: "Last updated",
};

const ID_MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The unit of a relative age, with its count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Age {
    JustNow,
    Minutes(i64),
    Hours(i64),
    Days(i64),
    Months(i64),
    Years(i64),
}

/// Days counted as days before the age switches to months.
pub const MAX_DAYS: i64 = 31;

impl Age {
    pub fn between(then: DateTime<Utc>, now: DateTime<Utc>) -> Age {
        let secs = (now - then).num_seconds();
        if secs < 60 {
            return Age::JustNow;
        }
        if secs < 3_600 {
            return Age::Minutes(secs / 60);
        }
        if secs < 86_400 {
            return Age::Hours(secs / 3_600);
        }
        let days = secs / 86_400;
        if days <= MAX_DAYS {
            return Age::Days(days);
        }
        let months = days / 30;
        if months < 12 {
            return Age::Months(months);
        }
        Age::Years((days / 365).max(1))
    }
}

impl Locale {
    /// The locale for a language tag such as `id`, `id-ID` or `en-GB`.
    pub fn parse(tag: &str) -> Option<Locale> {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "id" | "in" => Some(Locale::Id),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Locale::Id => &ID,
            Locale::En => &EN,
        }
    }

    /// The newsroom's texts.
    pub fn admin(self) -> &'static AdminStrings {
        match self {
            Locale::Id => &admin::ADMIN_ID,
            Locale::En => &admin::ADMIN_EN,
        }
    }

    pub fn month(self, month0: u32) -> &'static str {
        let i = (month0 as usize).min(11);
        match self {
            Locale::Id => ID_MONTHS[i],
            Locale::En => EN_MONTHS[i],
        }
    }

    /// The weekday name. Indonesian sites differ on Sunday (`Minggu` or `Ahad`), so the
    /// site's word is passed in.
    pub fn weekday(self, day: Weekday, sunday: &str) -> &str {
        match self {
            Locale::Id => match day {
                Weekday::Mon => "Senin",
                Weekday::Tue => "Selasa",
                Weekday::Wed => "Rabu",
                Weekday::Thu => "Kamis",
                Weekday::Fri => "Jumat",
                Weekday::Sat => "Sabtu",
                Weekday::Sun => sunday,
            },
            Locale::En => match day {
                Weekday::Mon => "Monday",
                Weekday::Tue => "Tuesday",
                Weekday::Wed => "Wednesday",
                Weekday::Thu => "Thursday",
                Weekday::Fri => "Friday",
                Weekday::Sat => "Saturday",
                Weekday::Sun => "Sunday",
            },
        }
    }

    /// The date line: `Rabu, 12 Februari 2020 17:00 WIB`.
    pub fn date_line(self, t: DateTime<Utc>, tz: Tz, sunday: &str) -> String {
        let local = t.with_timezone(&tz);
        format!(
            "{}, {} {} {} {:02}:{:02} {}",
            self.weekday(local.weekday(), sunday),
            local.day(),
            self.month(local.month0()),
            local.year(),
            local.hour(),
            local.minute(),
            zone_abbreviation(t, tz),
        )
    }

    /// A short date without weekday or time: `12 Februari 2020`.
    pub fn short_date(self, t: DateTime<Utc>, tz: Tz) -> String {
        let local = t.with_timezone(&tz);
        format!(
            "{} {} {}",
            local.day(),
            self.month(local.month0()),
            local.year()
        )
    }

    /// `5 menit lalu`, `3 jam lalu`, `2 hari lalu`, …
    pub fn relative(self, then: DateTime<Utc>, now: DateTime<Utc>) -> String {
        self.format_age(Age::between(then, now))
    }

    pub fn format_age(self, age: Age) -> String {
        let (n, forms) = match age {
            Age::JustNow => return self.age_forms().just_now.to_owned(),
            Age::Minutes(n) => (n, self.age_forms().minutes),
            Age::Hours(n) => (n, self.age_forms().hours),
            Age::Days(n) => (n, self.age_forms().days),
            Age::Months(n) => (n, self.age_forms().months),
            Age::Years(n) => (n, self.age_forms().years),
        };
        let form = if n == 1 { forms[0] } else { forms[1] };
        form.replace("{n}", &n.to_string())
    }

    /// The relative-age forms as JSON, for the page's inline script that refreshes ages
    /// in copies held by a CDN or browser. The script applies the same rules as
    /// [`Age::between`].
    pub fn age_forms_json(self) -> String {
        let f = self.age_forms();
        let pair = |p: [&str; 2]| format!("[\"{}\",\"{}\"]", p[0], p[1]);
        format!(
            "{{\"now\":\"{}\",\"m\":{},\"h\":{},\"d\":{},\"mo\":{},\"y\":{}}}",
            f.just_now,
            pair(f.minutes),
            pair(f.hours),
            pair(f.days),
            pair(f.months),
            pair(f.years)
        )
    }

    fn age_forms(self) -> &'static AgeForms {
        match self {
            Locale::Id => &ID_AGES,
            Locale::En => &EN_AGES,
        }
    }
}

struct AgeForms {
    just_now: &'static str,
    /// One and many.
    minutes: [&'static str; 2],
    hours: [&'static str; 2],
    days: [&'static str; 2],
    months: [&'static str; 2],
    years: [&'static str; 2],
}

static ID_AGES: AgeForms = AgeForms {
    just_now: "baru saja",
    minutes: ["{n} menit lalu", "{n} menit lalu"],
    hours: ["{n} jam lalu", "{n} jam lalu"],
    days: ["{n} hari lalu", "{n} hari lalu"],
    months: ["{n} bulan lalu", "{n} bulan lalu"],
    years: ["{n} tahun lalu", "{n} tahun lalu"],
};

static EN_AGES: AgeForms = AgeForms {
    just_now: "just now",
    minutes: ["{n} minute ago", "{n} minutes ago"],
    hours: ["{n} hour ago", "{n} hours ago"],
    days: ["{n} day ago", "{n} days ago"],
    months: ["{n} month ago", "{n} months ago"],
    years: ["{n} year ago", "{n} years ago"],
};

/// The zone abbreviation readers expect. Indonesia's three zones have fixed names (the
/// tz database agrees, but a site should not depend on its spelling); elsewhere the tz
/// database's abbreviation, or the numeric offset where it has none.
pub fn zone_abbreviation(t: DateTime<Utc>, tz: Tz) -> String {
    match tz {
        Tz::Asia__Jakarta | Tz::Asia__Pontianak => return "WIB".into(),
        Tz::Asia__Makassar => return "WITA".into(),
        Tz::Asia__Jayapura => return "WIT".into(),
        _ => {}
    }
    let local = t.with_timezone(&tz);
    let abbr = local.offset().abbreviation().unwrap_or("");
    if abbr.is_empty() || abbr.starts_with(['+', '-']) {
        let secs = local.offset().fix().local_minus_utc();
        let sign = if secs < 0 { '-' } else { '+' };
        let (h, m) = (secs.abs() / 3600, secs.abs() % 3600 / 60);
        if m == 0 {
            format!("UTC{sign}{h}")
        } else {
            format!("UTC{sign}{h}:{m:02}")
        }
    } else {
        abbr.to_owned()
    }
}

/// `2020-02-12T17:00:00+07:00`: the `datetime` attribute, in the site's offset.
pub fn iso_with_offset(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

use chrono::Offset;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .expect("valid test date")
    }

    #[test]
    fn date_line_table() {
        let cases = [
            // The reference page: 17:00 in Jakarta is 10:00 UTC.
            (
                utc(2020, 2, 12, 10, 0),
                Tz::Asia__Jakarta,
                "Minggu",
                Locale::Id,
                "Rabu, 12 Februari 2020 17:00 WIB",
            ),
            (
                utc(2020, 2, 12, 10, 0),
                Tz::Asia__Makassar,
                "Minggu",
                Locale::Id,
                "Rabu, 12 Februari 2020 18:00 WITA",
            ),
            (
                utc(2020, 2, 12, 10, 0),
                Tz::Asia__Jayapura,
                "Minggu",
                Locale::Id,
                "Rabu, 12 Februari 2020 19:00 WIT",
            ),
            (
                utc(2019, 6, 30, 2, 5),
                Tz::Asia__Jakarta,
                "Ahad",
                Locale::Id,
                "Ahad, 30 Juni 2019 09:05 WIB",
            ),
            (
                utc(2019, 6, 30, 2, 5),
                Tz::Asia__Jakarta,
                "Minggu",
                Locale::Id,
                "Minggu, 30 Juni 2019 09:05 WIB",
            ),
            // Crossing midnight changes the local day.
            (
                utc(2024, 12, 31, 17, 30),
                Tz::Asia__Jakarta,
                "Minggu",
                Locale::Id,
                "Rabu, 1 Januari 2025 00:30 WIB",
            ),
            (
                utc(2020, 2, 12, 10, 0),
                Tz::Asia__Jakarta,
                "Minggu",
                Locale::En,
                "Wednesday, 12 February 2020 17:00 WIB",
            ),
            (
                utc(2020, 2, 12, 10, 0),
                Tz::UTC,
                "Minggu",
                Locale::En,
                "Wednesday, 12 February 2020 10:00 UTC",
            ),
            (
                utc(2020, 7, 1, 10, 0),
                Tz::Europe__London,
                "Minggu",
                Locale::En,
                "Wednesday, 1 July 2020 11:00 BST",
            ),
        ];
        for (t, tz, sunday, loc, want) in cases {
            assert_eq!(loc.date_line(t, tz, sunday), want);
        }
    }

    #[test]
    fn every_month_and_weekday_has_a_name() {
        for m in 0..12 {
            assert!(!Locale::Id.month(m).is_empty());
        }
        assert_eq!(Locale::Id.month(7), "Agustus");
        assert_eq!(Locale::Id.weekday(Weekday::Fri, "Minggu"), "Jumat");
    }

    #[test]
    fn relative_table() {
        let now = utc(2024, 5, 1, 12, 0);
        let s = |secs: i64| now - chrono::Duration::seconds(secs);
        let cases = [
            (s(0), "baru saja", "just now"),
            (s(59), "baru saja", "just now"),
            (s(-3600), "baru saja", "just now"),
            (s(60), "1 menit lalu", "1 minute ago"),
            (s(5 * 60 + 30), "5 menit lalu", "5 minutes ago"),
            (s(3_599), "59 menit lalu", "59 minutes ago"),
            (s(3_600), "1 jam lalu", "1 hour ago"),
            (s(3 * 3_600), "3 jam lalu", "3 hours ago"),
            (s(86_399), "23 jam lalu", "23 hours ago"),
            (s(86_400), "1 hari lalu", "1 day ago"),
            (s(2 * 86_400), "2 hari lalu", "2 days ago"),
            (s(24 * 86_400), "24 hari lalu", "24 days ago"),
            (s(31 * 86_400), "31 hari lalu", "31 days ago"),
            (s(32 * 86_400), "1 bulan lalu", "1 month ago"),
            (s(100 * 86_400), "3 bulan lalu", "3 months ago"),
            (s(359 * 86_400), "11 bulan lalu", "11 months ago"),
            (s(360 * 86_400), "1 tahun lalu", "1 year ago"),
            (s(4 * 365 * 86_400 + 86_400), "4 tahun lalu", "4 years ago"),
        ];
        for (then, id, en) in cases {
            assert_eq!(Locale::Id.relative(then, now), id);
            assert_eq!(Locale::En.relative(then, now), en);
        }
    }

    #[test]
    fn parse_language_tags() {
        assert_eq!(Locale::parse("id"), Some(Locale::Id));
        assert_eq!(Locale::parse("id-ID"), Some(Locale::Id));
        assert_eq!(Locale::parse("EN_gb"), Some(Locale::En));
        assert_eq!(Locale::parse("fr"), None);
        assert_eq!(Locale::parse(""), None);
    }

    #[test]
    fn iso_has_the_site_offset() {
        assert_eq!(
            iso_with_offset(utc(2020, 2, 12, 10, 0), Tz::Asia__Jakarta),
            "2020-02-12T17:00:00+07:00"
        );
    }

    #[test]
    fn age_forms_json_is_json() {
        let v: serde_json::Value =
            serde_json::from_str(&Locale::Id.age_forms_json()).expect("valid json");
        assert_eq!(v["d"][1], "{n} hari lalu");
        let v: serde_json::Value =
            serde_json::from_str(&Locale::En.age_forms_json()).expect("valid json");
        assert_eq!(v["m"][0], "{n} minute ago");
    }
}
