//! Reading dates as Indonesian portals print them: `Rabu, 12 Februari 2020 17:00 WIB`
//! (weekday optional, `Ahad`/`Minggu`, short month names, `WIB`/`WITA`/`WIT`).

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};

const MONTHS: [(&str, u32); 24] = [
    ("januari", 1),
    ("februari", 2),
    ("maret", 3),
    ("april", 4),
    ("mei", 5),
    ("juni", 6),
    ("juli", 7),
    ("agustus", 8),
    ("september", 9),
    ("oktober", 10),
    ("november", 11),
    ("desember", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("agu", 8),
    ("agt", 8),
    ("sep", 9),
    ("okt", 10),
    ("nov", 11),
    ("des", 12),
];

/// The offset of an Indonesian zone abbreviation, in hours.
fn zone_hours(zone: &str) -> Option<i32> {
    match zone.to_ascii_uppercase().as_str() {
        "WIB" => Some(7),
        "WITA" => Some(8),
        "WIT" => Some(9),
        "UTC" | "GMT" => Some(0),
        _ => None,
    }
}

/// Parses `[Weekday,] D Month YYYY [HH:MM [ZONE]]`. A missing zone means `default_hours`
/// (the site's zone); a missing time means midnight.
pub fn parse_date_line(line: &str, default_hours: i32) -> Option<DateTime<Utc>> {
    let line = line.trim();
    let rest = match line.split_once(',') {
        Some((weekday, rest)) if weekday.chars().all(char::is_alphabetic) => rest,
        _ => line,
    };
    let mut words = rest.split_whitespace();
    let day: u32 = words.next()?.parse().ok()?;
    let month_word = words.next()?.trim_end_matches('.').to_lowercase();
    let month = MONTHS.iter().find(|(m, _)| *m == month_word)?.1;
    let year: i32 = words.next()?.trim_end_matches(',').parse().ok()?;
    let (mut hour, mut minute, mut hours) = (0, 0, default_hours);
    if let Some(time) = words.next() {
        let (h, m) = time
            .replace('.', ":")
            .split_once(':')
            .map(|(h, m)| (h.to_owned(), m.to_owned()))?;
        hour = h.parse().ok()?;
        minute = m.parse().ok()?;
        if let Some(zone) = words.next() {
            hours = zone_hours(zone)?;
        }
    }
    if words.next().is_some() {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let naive = date.and_hms_opt(hour, minute, 0)?;
    let offset = FixedOffset::east_opt(hours * 3600)?;
    offset
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .expect("date")
    }

    #[test]
    fn date_line_table() {
        let cases = [
            (
                "Rabu, 12 Februari 2020 17:00 WIB",
                Some(utc(2020, 2, 12, 10, 0)),
            ),
            (
                "Ahad, 30 Juni 2019 09:05 WITA",
                Some(utc(2019, 6, 30, 1, 5)),
            ),
            ("30 Juni 2019 09.05 WIT", Some(utc(2019, 6, 30, 0, 5))),
            ("12 Feb 2020", Some(utc(2020, 2, 11, 17, 0))),
            ("Rabu, 31 Februari 2020 17:00 WIB", None),
            ("Rabu, 12 Brumaire 2020 17:00 WIB", None),
            ("12 Februari 2020 25:00 WIB", None),
            ("12 Februari 2020 17:00 CET", None),
            ("", None),
            ("Berita terkait", None),
        ];
        for (line, want) in cases {
            assert_eq!(parse_date_line(line, 7), want, "{line:?}");
        }
    }
}
