//! Candidate names in a text: people, organisations and places, for related news on
//! articles that carry no tags (imported archives often have none) and as tag
//! suggestions. No model, just what Indonesian news text shows plainly:
//!
//! - runs of capitalised words (`Kim Jong Un`, `Pusat Data Nasional`), allowing the
//!   small words names contain (`Stefan de Groot`, `Bank Indonesia`);
//! - titles and honorifics before a name are not part of it (`Presiden`, `Menteri`,
//!   `Gubernur`, `Bapak`…): `Gubernur Hendra Saputra` gives `hendra saputra`;
//! - a capitalised word opening a sentence counts only if the text also writes it
//!   capitalised mid-sentence (so `Dalam` or `Sementara` are not names);
//! - common aliases are resolved (`Korut` → `korea utara`, `AS` → `amerika serikat`);
//! - day and month names, time zones and the like are not names.
//!
//! Entities come out normalised (lower case, single spaces), most frequent first.

use std::collections::HashMap;

/// Words that open a name's title rather than the name.
const TITLES: &[&str] = &[
    "bapak",
    "bu",
    "dokter",
    "dr",
    "gubernur",
    "ibu",
    "jenderal",
    "kapolda",
    "kapolri",
    "kepala",
    "ketua",
    "menko",
    "menlu",
    "menteri",
    "pak",
    "panglima",
    "pelatih",
    "presiden",
    "prof",
    "profesor",
    "saudara",
    "sekjen",
    "sekretaris",
    "wakil",
    "walikota",
    "wali",
    "bupati",
    "direktur",
    "juru",
    "kapten",
    "letjen",
    "mayjen",
    "ny",
    "nyonya",
    "raja",
    "ratu",
    "sultan",
    "tuan",
    "wapres",
];

/// Small words that may sit inside a name.
const JOINERS: &[&str] = &[
    "al", "bin", "binti", "da", "de", "del", "van", "von", "der", "el",
];

/// Capitalised words that are never names on their own.
const NOT_NAMES: &[&str] = &[
    "senin",
    "selasa",
    "rabu",
    "kamis",
    "jumat",
    "sabtu",
    "minggu",
    "ahad",
    "januari",
    "februari",
    "maret",
    "april",
    "mei",
    "juni",
    "juli",
    "agustus",
    "september",
    "oktober",
    "november",
    "desember",
    "wib",
    "wita",
    "wit",
    "baca",
    "juga",
    "foto",
    "video",
    "advertising",
    "iklan",
    "berita",
    "terkait",
    "selengkapnya",
];

/// Short forms news text uses, and the name they stand for.
const ALIASES: &[(&str, &str)] = &[
    ("as", "amerika serikat"),
    ("dki", "jakarta"),
    ("jabar", "jawa barat"),
    ("jateng", "jawa tengah"),
    ("jatim", "jawa timur"),
    ("jokowi", "joko widodo"),
    ("korsel", "korea selatan"),
    ("korut", "korea utara"),
    ("ri", "indonesia"),
    ("sulsel", "sulawesi selatan"),
    ("sumut", "sumatera utara"),
    ("ntt", "nusa tenggara timur"),
    ("ntb", "nusa tenggara barat"),
];

/// What a name names, as far as the text and these lists tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Person,
    Organisation,
    Place,
    /// An event, a product, anything else: a topic, if a tag.
    Other,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Organisation => "organisation",
            Kind::Place => "place",
            Kind::Other => "other",
        }
    }
}

/// Titles that say the name after them is a person's (not `ketua`, `kepala`: "Ketua
/// KPK" names an organisation's office).
const PERSON_TITLES: &[&str] = &[
    "bapak", "bu", "dokter", "dr", "ibu", "pak", "prof", "profesor", "saudara", "ny", "nyonya",
    "tuan", "presiden", "wapres", "menteri", "gubernur", "bupati", "walikota", "pelatih", "kapten",
    "jenderal", "letjen", "mayjen", "raja", "ratu", "sultan",
];

/// Words after which a name is a person speaking: `kata Budi`, `menurut Sari`.
const SPEECH: &[&str] = &[
    "kata", "ujar", "ucap", "tutur", "jelas", "ungkap", "menurut", "imbuh", "tambah", "terang",
    "sebut", "tegas", "papar",
];

/// Words after which a name is mostly a place: `di Jakarta`, `ke Papua`.
const LOCATIVES: &[&str] = &["di", "ke", "dari", "menuju", "asal", "wilayah", "kawasan"];

/// First words of organisations' names.
const ORG_HEADS: &[&str] = &[
    "partai",
    "bank",
    "komisi",
    "kementerian",
    "kemenkes",
    "badan",
    "pt",
    "cv",
    "universitas",
    "dinas",
    "polda",
    "polres",
    "polsek",
    "pemerintah",
    "pemkot",
    "pemkab",
    "pemprov",
    "dewan",
    "mahkamah",
    "majelis",
    "lembaga",
    "yayasan",
    "pengadilan",
    "kejaksaan",
    "kejati",
    "kejari",
    "kepolisian",
    "persatuan",
    "asosiasi",
    "perusahaan",
    "klub",
    "institut",
    "akademi",
    "direktorat",
    "komite",
    "federasi",
    "ikatan",
    "himpunan",
    "gerakan",
    "front",
    "koperasi",
    "perum",
    "perumda",
    "sekolah",
    "rumah",
    "rs",
    "rsud",
    "tim",
    "timnas",
    "kodam",
    "korem",
    "kodim",
    "satpol",
    "kantor",
    "pusat",
    "biro",
    "sekretariat",
    "kongres",
    "senat",
    "parlemen",
    "angkatan",
    "museum",
];

/// Last words of organisations' names.
const ORG_TAILS: &[&str] = &[
    "fc",
    "united",
    "city",
    "inc",
    "corp",
    "group",
    "tbk",
    "grup",
    "institute",
    "university",
    "club",
];

/// First words of places' names.
const PLACE_HEADS: &[&str] = &[
    "kota",
    "kabupaten",
    "kecamatan",
    "desa",
    "kelurahan",
    "provinsi",
    "pulau",
    "kepulauan",
    "gunung",
    "sungai",
    "kali",
    "danau",
    "selat",
    "teluk",
    "laut",
    "samudra",
    "samudera",
    "jalan",
    "jl",
    "bandara",
    "pelabuhan",
    "stadion",
    "masjid",
    "gedung",
    "taman",
    "pantai",
    "kampung",
    "dusun",
    "semenanjung",
    "lapangan",
    "sirkuit",
    "pasar",
    "terminal",
    "stasiun",
    "tanjung",
    "lembah",
    "dki",
];

/// Words after a place's name that keep it a place: `Jakarta Pusat`, `Jawa Barat`.
const DIRECTIONS: &[&str] = &[
    "utara", "selatan", "barat", "timur", "tengah", "pusat", "raya", "tenggara", "daya", "laut",
];

/// Places news text names without saying so: Indonesia's provinces, islands and main
/// cities, and the countries, regions and capitals most in the news.
const PLACES: &[&str] = &[
    "indonesia",
    "jakarta",
    "aceh",
    "sumatera",
    "sumatra",
    "jawa",
    "bali",
    "kalimantan",
    "sulawesi",
    "papua",
    "maluku",
    "nusa tenggara",
    "riau",
    "jambi",
    "bengkulu",
    "lampung",
    "bangka belitung",
    "banten",
    "yogyakarta",
    "gorontalo",
    "lombok",
    "madura",
    "flores",
    "timor",
    "bandung",
    "surabaya",
    "medan",
    "semarang",
    "makassar",
    "palembang",
    "denpasar",
    "padang",
    "pekanbaru",
    "pontianak",
    "banjarmasin",
    "balikpapan",
    "samarinda",
    "manado",
    "ambon",
    "jayapura",
    "kupang",
    "mataram",
    "bogor",
    "depok",
    "tangerang",
    "bekasi",
    "malang",
    "solo",
    "surakarta",
    "cirebon",
    "tegal",
    "batam",
    "jabodetabek",
    "singapura",
    "malaysia",
    "thailand",
    "filipina",
    "vietnam",
    "laos",
    "kamboja",
    "myanmar",
    "brunei",
    "china",
    "tiongkok",
    "jepang",
    "korea",
    "india",
    "pakistan",
    "bangladesh",
    "australia",
    "selandia baru",
    "amerika",
    "amerika serikat",
    "kanada",
    "meksiko",
    "brasil",
    "argentina",
    "inggris",
    "prancis",
    "perancis",
    "jerman",
    "italia",
    "spanyol",
    "belanda",
    "belgia",
    "portugal",
    "swiss",
    "rusia",
    "ukraina",
    "turki",
    "iran",
    "irak",
    "suriah",
    "arab saudi",
    "mesir",
    "israel",
    "palestina",
    "yordania",
    "qatar",
    "uni emirat arab",
    "afrika",
    "afrika selatan",
    "nigeria",
    "eropa",
    "asia",
    "asia tenggara",
    "timur tengah",
    "pasifik",
    "atlantik",
    "beijing",
    "tokyo",
    "seoul",
    "pyongyang",
    "washington",
    "new york",
    "london",
    "paris",
    "berlin",
    "moskow",
    "sydney",
    "kuala lumpur",
    "bangkok",
    "manila",
    "hanoi",
    "canberra",
];

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn resolve(name: &str) -> String {
    ALIASES
        .iter()
        .find(|(a, _)| *a == name)
        .map_or_else(|| name.to_owned(), |(_, full)| (*full).to_owned())
}

/// One word of the text with what the extractor needs to know about it.
struct Word<'a> {
    text: &'a str,
    lower: String,
    sentence_start: bool,
}

/// Whether a line is a heading written in Title Case (`Warga Bekasi Mengungsi ke
/// Masjid`): every word capitalised says nothing about names.
fn is_title_case(line: &str) -> bool {
    let ws: Vec<&str> = line
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
        .collect();
    let capitalised = ws.iter().filter(|w| is_capitalised(w)).count();
    ws.len() >= 3 && capitalised * 4 >= ws.len() * 3
}

fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    for line in text.lines() {
        // A heading: a break, like a new sentence.
        if is_title_case(line) {
            out.push(Word {
                text: "",
                lower: String::new(),
                sentence_start: true,
            });
            continue;
        }
        let mut sentence_start = true;
        for raw in line.split_whitespace() {
            let trimmed = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'');
            let ends_sentence = raw.ends_with(['.', '!', '?', ':', '"', '\u{201d}']);
            if !trimmed.is_empty() {
                out.push(Word {
                    text: trimmed,
                    lower: trimmed.to_lowercase(),
                    sentence_start,
                });
            }
            // A break in punctuation (a comma, brackets) also ends a run of name words.
            if raw.ends_with([',', ';', ')', '(']) {
                out.push(Word {
                    text: "",
                    lower: String::new(),
                    sentence_start: false,
                });
            }
            sentence_start = ends_sentence || (trimmed.is_empty() && sentence_start);
        }
    }
    out
}

/// Words that open a sentence but never a name (`Menurut Hendra`, `Selain itu`).
const OPENERS: &[&str] = &[
    "menurut",
    "selain",
    "dalam",
    "sementara",
    "namun",
    "meski",
    "meskipun",
    "saat",
    "ketika",
    "usai",
    "setelah",
    "sebelum",
    "jika",
    "bila",
    "karena",
    "sejak",
    "para",
    "sang",
    "seorang",
    "pada",
    "untuk",
    "bagi",
    "oleh",
    "dengan",
    "tetapi",
    "tapi",
    "lalu",
    "kemudian",
    "adapun",
    "bahkan",
    "hingga",
    "sampai",
    "agar",
    "supaya",
    "di",
    "ke",
    "dari",
    "kata",
    "ujar",
    "itu",
    "ini",
    "dia",
    "ia",
    "mereka",
    "kami",
    "kita",
    "saya",
];

/// An amount, a number or a code rather than a name: `Rp60`, `US$5`, `2018`, `G20`.
fn is_amount(word: &str) -> bool {
    if !word.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let lower = word.to_lowercase();
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    ["rp", "us$", "usd", "idr", "$", "sgd", "eur"]
        .iter()
        .any(|p| lower.starts_with(p))
        || letters < 3
}

/// What the text says around one name, for its [`Kind`].
#[derive(Default)]
struct Seen {
    count: usize,
    order: usize,
    /// After a person's title, or a speech verb.
    person: usize,
    /// After `di`, `ke`, `dari`…
    place: usize,
    /// Written in capitals, as an acronym (`KPK`).
    acronym: bool,
    /// An office's holder split off (`Ketua KPK Agus` → `kpk`): not a person.
    office: bool,
}

/// The names in `text`, most frequent first, at most `limit`.
pub fn extract(text: &str, limit: usize) -> Vec<String> {
    extract_kinds(text, limit)
        .into_iter()
        .map(|(n, _)| n)
        .collect()
}

/// [`extract`], each name with what it names, judged from the text around it and
/// from what its words say (`Partai…`, `…FC`: organisations; `Kota…`, `Jawa Barat`, a
/// country: places; after `Presiden` or `kata`: people).
pub fn extract_kinds(text: &str, limit: usize) -> Vec<(String, Kind)> {
    let ws = words(text);
    // Words the text capitalises mid-sentence: a sentence-initial one counts if here.
    let mid: std::collections::HashSet<&str> = ws
        .iter()
        .filter(|w| !w.sentence_start && is_capitalised(w.text) && !is_amount(w.text))
        .map(|w| w.lower.as_str())
        .collect();
    // Words the text also writes in lower case: common words, not names, alone.
    let common: std::collections::HashSet<&str> = ws
        .iter()
        .filter(|w| w.text.chars().next().is_some_and(char::is_lowercase))
        .map(|w| w.lower.as_str())
        .collect();
    let mut seen: HashMap<String, Seen> = HashMap::new();
    let mut order = 0;
    let mut i = 0;
    while i < ws.len() {
        let w = &ws[i];
        let next_capitalised = ws
            .get(i + 1)
            .is_some_and(|n| is_capitalised(n.text) && !n.sentence_start && !is_amount(n.text));
        let starts = is_capitalised(w.text)
            && !is_amount(w.text)
            && !NOT_NAMES.contains(&w.lower.as_str())
            && (!w.sentence_start
                || mid.contains(w.lower.as_str())
                || next_capitalised
                || is_place(&w.lower)
                || ALIASES.iter().any(|(a, _)| *a == w.lower));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < ws.len() {
            let n = &ws[j];
            if n.text.is_empty() || n.sentence_start || is_amount(n.text) {
                break;
            }
            let name_word = is_capitalised(n.text) && !NOT_NAMES.contains(&n.lower.as_str());
            let joiner = JOINERS.contains(&n.lower.as_str())
                && ws.get(j + 1).is_some_and(|x| is_capitalised(x.text));
            if !(name_word || joiner) {
                break;
            }
            j += 1;
        }
        let before = i
            .checked_sub(1)
            .and_then(|k| ws.get(k))
            .map_or("", |b| b.lower.as_str());
        let mut run: Vec<&str> = ws[i..j].iter().map(|w| w.lower.as_str()).collect();
        let mut said_by = SPEECH.contains(&before);
        while run.first().is_some_and(|f| OPENERS.contains(f)) {
            // `Menurut Hendra`: the opener says who speaks.
            said_by |= SPEECH.contains(&run[0]);
            run.remove(0);
        }
        if run.len() == 1 && common.contains(run[0]) {
            run.clear();
        }
        let mut titled = false;
        let mut person_title = false;
        while let Some(first) = run.first() {
            if !TITLES.contains(first) {
                break;
            }
            person_title |= PERSON_TITLES.contains(first);
            run.remove(0);
            titled = true;
        }
        let acronym = run.len() == 1
            && ws[j - 1].text.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && ws[j - 1]
                .text
                .chars()
                .all(|c| c.is_uppercase() || !c.is_alphabetic());
        // (name, a person's, an office)
        let mut names: Vec<(String, bool, bool)> = Vec::new();
        if titled && run.len() >= 3 && !run.iter().any(|w| JOINERS.contains(w)) {
            // `Gubernur DKI Jakarta Hendra Saputra`: an office, then a person's name.
            // The office is kept if it names something: `DKI Jakarta`, `KPK`, not
            // `Luar Negeri`.
            let (office, person) = run.split_at(run.len() - 2);
            let office = office.join(" ");
            let first = office.split(' ').next().unwrap_or_default();
            let acronym_office = ws[i..j]
                .iter()
                .any(|w| w.lower == first && w.text.chars().all(|c| !c.is_lowercase()));
            if is_place(&office) || ORG_HEADS.contains(&first) || acronym_office {
                names.push((office, false, true));
            }
            names.push((person.join(" "), true, false));
        } else if !run.is_empty() && run.len() <= 6 {
            names.push((run.join(" "), person_title || said_by, false));
        }
        for (name, person, office) in names {
            let name = resolve(&name);
            if name.chars().filter(|c| c.is_alphabetic()).count() >= 2 {
                let e = seen.entry(name).or_insert_with(|| Seen {
                    order,
                    ..Seen::default()
                });
                e.count += 1;
                e.person += usize::from(person);
                e.place += usize::from(LOCATIVES.contains(&before));
                e.acronym |= acronym;
                e.office |= office;
                order += 1;
            }
        }
        i = j;
    }
    let mut out: Vec<(String, Seen)> = seen.into_iter().collect();
    out.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.1.order.cmp(&b.1.order)));
    out.into_iter()
        .take(limit)
        .map(|(n, s)| {
            let k = kind_of(&n, &s);
            (n, k)
        })
        .collect()
}

/// A place by its words alone: a known place, or one with a direction after it
/// (`jakarta pusat`, `korea utara`), or a place word before it (`kota bandung`).
pub fn is_place(name: &str) -> bool {
    let words: Vec<&str> = name.split(' ').collect();
    let Some(first) = words.first() else {
        return false;
    };
    if PLACE_HEADS.contains(first) && words.len() > 1 {
        return true;
    }
    let mut core = words.len();
    while core > 1 && DIRECTIONS.contains(&words[core - 1]) {
        core -= 1;
    }
    PLACES.contains(&words[..core].join(" ").as_str())
        || ALIASES
            .iter()
            .any(|(a, full)| *a == name && PLACES.iter().any(|p| full.starts_with(p)))
}

fn kind_of(name: &str, s: &Seen) -> Kind {
    let words: Vec<&str> = name.split(' ').collect();
    let first = words.first().copied().unwrap_or_default();
    let last = words.last().copied().unwrap_or_default();
    // The short forms of people's names (`jokowi`).
    if ALIASES.iter().any(|(_, full)| *full == name) && !is_place(name) {
        return Kind::Person;
    }
    if ORG_HEADS.contains(&first) || ORG_TAILS.contains(&last) {
        return Kind::Organisation;
    }
    if is_place(name) {
        return Kind::Place;
    }
    if s.acronym {
        return Kind::Organisation;
    }
    if s.person * 2 >= s.count.max(1) && s.person > 0 {
        return Kind::Person;
    }
    if s.place * 2 >= s.count.max(1) && s.place > 0 {
        return Kind::Place;
    }
    if s.office {
        return Kind::Other;
    }
    if (2..=4).contains(&words.len()) {
        return Kind::Person;
    }
    Kind::Other
}

/// A tag or entity name in the form [`extract`] gives.
pub fn normalise(name: &str) -> String {
    let lower: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    resolve(&lower.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_titles_and_aliases() {
        let text = "Gubernur DKI Jakarta Hendra Saputra meninjau lokasi. Hendra Saputra meminta \
                    pompa ditambah. Pelatih Stefan de Groot memanggil pemain. Korut kembali \
                    meluncurkan rudal, kata pejabat AS di Seoul.";
        let e = extract(text, 10);
        assert_eq!(e[0], "hendra saputra", "{e:?}");
        for want in ["stefan de groot", "korea utara", "amerika serikat", "seoul"] {
            assert!(e.iter().any(|x| x == want), "{want} in {e:?}");
        }
        assert!(
            !e.iter()
                .any(|x| x.starts_with("gubernur") || x.starts_with("pelatih"))
        );
    }

    #[test]
    fn sentence_openers_and_calendar_words_are_not_names() {
        let text = "Sementara itu warga mengungsi. Dalam rapat Senin, 12 Februari, BPBD hadir.";
        let e = extract(text, 10);
        assert_eq!(e, ["bpbd"], "{e:?}");
    }

    #[test]
    fn odd_text_gives_few_or_no_names() {
        assert!(extract("", 5).is_empty());
        assert!(extract("yang dan di", 5).is_empty());
        assert!(extract(&"A ".repeat(10_000), 5).len() <= 5);
        let _ = extract("😀 \u{202e}ABC \"\" -- ' ,,, (", 5);
    }

    #[test]
    fn amounts_are_never_names_and_names_get_their_kind() {
        let text = "Menteri Keuangan Sri Wahyuni menyebut anggaran Rp60 triliun. Partai \
                    Nusantara Raya menolak. Banjir melanda Kota Bandung dan Jawa Barat, \
                    kata Sri Wahyuni. Pusat Data Nasional mencatat 2018 sebagai tahun \
                    terburuk. Rapat di Cikarang dihadiri BPBD. Menurut Dedi Kurnia, \
                    warga mengungsi.";
        let e = extract_kinds(text, 20);
        let kind = |n: &str| e.iter().find(|x| x.0 == n).map(|x| x.1);
        assert!(
            !e.iter().any(|(n, _)| n.chars().any(|c| c.is_ascii_digit())),
            "{e:?}"
        );
        assert_eq!(kind("sri wahyuni"), Some(Kind::Person), "{e:?}");
        assert_eq!(
            kind("partai nusantara raya"),
            Some(Kind::Organisation),
            "{e:?}"
        );
        assert_eq!(
            kind("pusat data nasional"),
            Some(Kind::Organisation),
            "{e:?}"
        );
        assert_eq!(kind("kota bandung"), Some(Kind::Place), "{e:?}");
        assert_eq!(kind("jawa barat"), Some(Kind::Place), "{e:?}");
        assert_eq!(kind("cikarang"), Some(Kind::Place), "{e:?}");
        assert_eq!(kind("bpbd"), Some(Kind::Organisation), "{e:?}");
        assert_eq!(kind("dedi kurnia"), Some(Kind::Person), "{e:?}");
        assert_eq!(kind("menurut dedi kurnia"), None, "{e:?}");
        let e = extract_kinds(
            "Gubernur DKI Jakarta Hendra Saputra meninjau. Menurut Hendra, pompa kurang.",
            10,
        );
        assert_eq!(
            e,
            [
                ("dki jakarta".to_owned(), Kind::Place),
                ("hendra saputra".to_owned(), Kind::Person),
                ("hendra".to_owned(), Kind::Person)
            ]
        );
    }

    #[test]
    fn title_case_headings_give_no_names() {
        let text = "Warga Bekasi Mengungsi ke Masjid Raya\nHujan turun sejak pagi di Bekasi.";
        let e = extract(text, 10);
        assert_eq!(e, ["bekasi"], "{e:?}");
    }

    #[test]
    fn normalise_matches_extract() {
        assert_eq!(normalise("Korea  Utara"), "korea utara");
        assert_eq!(normalise("Korut"), "korea utara");
    }
}
