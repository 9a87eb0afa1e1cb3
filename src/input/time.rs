//! Timestamps: ISO 8601 / RFC 3339 (with or without zone), epoch seconds or milliseconds.
//!
//! Every timestamp becomes milliseconds since 1970-01-01T00:00:00Z. `auto` decides the format of
//! a file from its first non-empty value (a number is epoch seconds, or milliseconds when it is
//! at least 10^11, i.e. later than 1973 read as milliseconds) and then holds every row to it.
//!
//! [`TimeParser::parse_detailed`] also says what the text itself tells about the value's
//! resolution (a date without a time is a day, a time without seconds at best a minute) and the
//! zone offset it was written in, for [`super::resolution`].

use super::resolution::Resolution;
use crate::clock::MS_PER_SECOND;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// How to read the time column (`--time-format`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TimeFormat {
    /// Decide from the first value of each file.
    #[default]
    Auto,
    /// ISO 8601 / RFC 3339; values without a zone are read as UTC.
    Iso,
    /// Seconds since the Unix epoch (decimals allowed).
    EpochSeconds,
    /// Milliseconds since the Unix epoch.
    EpochMillis,
    /// A chrono `strftime` pattern such as `%d/%m/%Y %H:%M`.
    Pattern(String),
}

impl FromStr for TimeFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(TimeFormat::Auto),
            "iso" | "iso8601" | "rfc3339" => Ok(TimeFormat::Iso),
            "epoch" | "epoch-s" | "unix" | "seconds" | "s" => Ok(TimeFormat::EpochSeconds),
            "epoch-ms" | "unix-ms" | "millis" | "ms" => Ok(TimeFormat::EpochMillis),
            _ if s.contains('%') => Ok(TimeFormat::Pattern(s.to_string())),
            _ => Err(format!(
                "unknown time format {s:?}: use auto, iso, epoch, epoch-ms or a strftime pattern such as '%d/%m/%Y %H:%M'"
            )),
        }
    }
}

impl fmt::Display for TimeFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeFormat::Auto => write!(f, "auto"),
            TimeFormat::Iso => write!(f, "iso"),
            TimeFormat::EpochSeconds => write!(f, "epoch"),
            TimeFormat::EpochMillis => write!(f, "epoch-ms"),
            TimeFormat::Pattern(p) => write!(f, "{p}"),
        }
    }
}

impl Serialize for TimeFormat {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// The largest absolute time accepted, in milliseconds (about year 33658): guards arithmetic.
const MAX_ABS_MS: i64 = 1_000_000_000_000_000;

/// Threshold above which an `auto` number is read as milliseconds.
const MILLIS_THRESHOLD: f64 = 1e11;

/// A parsed time value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parsed {
    /// Milliseconds since the epoch (UTC).
    pub ms: i64,
    /// The written zone's offset from UTC in milliseconds (0 for UTC, naive values and epoch
    /// numbers): `ms + offset_ms` is the wall-clock time as written.
    pub offset_ms: i64,
    /// The finest resolution the text allows: `Day` for a date alone, `Minute` for a time
    /// without seconds, `Hour` for a pattern with hours only, else `Second`.
    pub floor: Resolution,
}

impl Parsed {
    /// The wall-clock time as written, in ms: where rounding shows.
    pub fn local_ms(&self) -> i64 {
        self.ms.saturating_add(self.offset_ms)
    }
}

/// Parses one file's time column, fixing the format on the first value when `auto`.
#[derive(Debug, Clone)]
pub struct TimeParser {
    requested: TimeFormat,
    resolved: Option<TimeFormat>,
    saw_naive: bool,
    /// The floor of a `Pattern` format, from its specifiers.
    pattern_floor: Resolution,
}

impl TimeParser {
    /// A parser for one file.
    pub fn new(requested: &TimeFormat) -> Self {
        TimeParser {
            requested: requested.clone(),
            resolved: match requested {
                TimeFormat::Auto => None,
                other => Some(other.clone()),
            },
            saw_naive: false,
            pattern_floor: match requested {
                TimeFormat::Pattern(p) => pattern_floor(p),
                _ => Resolution::Second,
            },
        }
    }

    /// The format in force (after the first value when `auto`).
    pub fn resolved(&self) -> Option<&TimeFormat> {
        self.resolved.as_ref()
    }

    /// True if some value had no time zone and was read as UTC.
    pub fn saw_naive(&self) -> bool {
        self.saw_naive
    }

    /// Parse a text value to milliseconds since the epoch; the error says what was expected.
    pub fn parse(&mut self, raw: &str) -> Result<i64, String> {
        self.parse_detailed(raw).map(|p| p.ms)
    }

    /// Parse a text value: milliseconds, the written zone's offset, and the resolution floor the
    /// text allows. The error says what was expected.
    pub fn parse_detailed(&mut self, raw: &str) -> Result<Parsed, String> {
        let value = raw.trim();
        let format = match &self.resolved {
            Some(f) => f.clone(),
            None => {
                let f = if parse_number(value).is_some() {
                    match parse_number(value) {
                        Some(v) if v.abs() >= MILLIS_THRESHOLD => TimeFormat::EpochMillis,
                        _ => TimeFormat::EpochSeconds,
                    }
                } else {
                    TimeFormat::Iso
                };
                self.resolved = Some(f.clone());
                f
            }
        };
        let expected = || match (&self.requested, &format) {
            (TimeFormat::Auto, f) => format!(
                "cannot read {} as a timestamp: the file's first timestamp made it {}; set --time-format if the column mixes formats",
                crate::text::quote_for_terminal(&crate::text::truncate_chars(value, 60)),
                describe(f)
            ),
            (_, f) => format!(
                "cannot read {} as a timestamp in {} (--time-format {})",
                crate::text::quote_for_terminal(&crate::text::truncate_chars(value, 60)),
                describe(f),
                f
            ),
        };
        let plain = |ms: Option<i64>| {
            ms.map(|ms| Parsed {
                ms,
                offset_ms: 0,
                floor: Resolution::Second,
            })
        };
        let parsed = match &format {
            TimeFormat::EpochSeconds => {
                plain(parse_number(value).and_then(|v| checked_ms(v * MS_PER_SECOND as f64)))
            }
            TimeFormat::EpochMillis => plain(parse_number(value).and_then(checked_ms)),
            TimeFormat::Iso => match parse_iso_detailed(value) {
                Some((p, naive)) => {
                    self.saw_naive |= naive;
                    Some(p)
                }
                None => None,
            },
            TimeFormat::Pattern(p) => parse_pattern(value, p).map(|(ms, offset_ms, date_only)| Parsed {
                ms,
                offset_ms,
                floor: if date_only {
                    Resolution::Day
                } else {
                    self.pattern_floor
                },
            }),
            // `resolved` is set from the first value and is never Auto.
            TimeFormat::Auto => None,
        };
        parsed.filter(|p| p.ms.abs() <= MAX_ABS_MS).ok_or_else(expected)
    }

    /// Convert a number already typed as epoch (seconds or milliseconds by the same rule).
    pub fn from_number(&mut self, v: f64) -> Result<i64, String> {
        let format = match &self.resolved {
            Some(TimeFormat::EpochSeconds) => TimeFormat::EpochSeconds,
            Some(TimeFormat::EpochMillis) => TimeFormat::EpochMillis,
            Some(other) => {
                return Err(format!(
                    "the value {v} is a number but the time format is {}",
                    describe(other)
                ));
            }
            None => {
                let f = if v.abs() >= MILLIS_THRESHOLD {
                    TimeFormat::EpochMillis
                } else {
                    TimeFormat::EpochSeconds
                };
                self.resolved = Some(f.clone());
                f
            }
        };
        let ms = match format {
            TimeFormat::EpochSeconds => checked_ms(v * MS_PER_SECOND as f64),
            _ => checked_ms(v),
        };
        ms.filter(|m| m.abs() <= MAX_ABS_MS)
            .ok_or_else(|| format!("the timestamp {v} is out of range"))
    }
}

/// Words for a format in messages.
pub fn describe(f: &TimeFormat) -> String {
    match f {
        TimeFormat::Auto => "auto-detected".into(),
        TimeFormat::Iso => "ISO 8601 / RFC 3339".into(),
        TimeFormat::EpochSeconds => "epoch seconds".into(),
        TimeFormat::EpochMillis => "epoch milliseconds".into(),
        TimeFormat::Pattern(p) => format!("the pattern {p:?}"),
    }
}

fn parse_number(s: &str) -> Option<f64> {
    let bytes = s.as_bytes();
    let plausible = !bytes.is_empty()
        && bytes
            .iter()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
        && bytes.iter().any(|b| b.is_ascii_digit());
    if !plausible {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn checked_ms(v: f64) -> Option<i64> {
    if v.is_finite() && v.abs() < 9.0e18 {
        Some(v.round() as i64)
    } else {
        None
    }
}

/// Parse ISO 8601 / RFC 3339 and common variants; returns (ms, had_no_zone).
pub fn parse_iso(s: &str) -> Option<(i64, bool)> {
    parse_iso_detailed(s).map(|(p, naive)| (p.ms, naive))
}

fn zoned(dt: DateTime<FixedOffset>, floor: Resolution) -> Parsed {
    Parsed {
        ms: dt.timestamp_millis(),
        offset_ms: dt.offset().local_minus_utc() as i64 * MS_PER_SECOND,
        floor,
    }
}

/// [`parse_iso`] with the written offset and the resolution floor of the text.
fn parse_iso_detailed(s: &str) -> Option<(Parsed, bool)> {
    use Resolution::{Day, Minute, Second};
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some((zoned(dt, Second), false));
    }
    const ZONED: [(&str, Resolution); 5] = [
        ("%Y-%m-%dT%H:%M:%S%.f%z", Second),
        ("%Y-%m-%d %H:%M:%S%.f%z", Second),
        ("%Y-%m-%d %H:%M:%S%.f %z", Second),
        ("%Y-%m-%dT%H:%M%z", Minute),
        ("%a %b %d %H:%M:%S %z %Y", Second),
    ];
    for (f, floor) in ZONED {
        if let Ok(dt) = DateTime::parse_from_str(s, f) {
            return Some((zoned(dt, floor), false));
        }
    }
    // A trailing "UTC" or "Z" after a space-separated time.
    let trimmed = s
        .strip_suffix(" UTC")
        .or_else(|| s.strip_suffix('Z'))
        .or_else(|| s.strip_suffix('z'));
    let (body, has_zone) = match trimmed {
        Some(b) => (b, true),
        None => (s, false),
    };
    const NAIVE: [(&str, Resolution); 4] = [
        ("%Y-%m-%dT%H:%M:%S%.f", Second),
        ("%Y-%m-%d %H:%M:%S%.f", Second),
        ("%Y-%m-%dT%H:%M", Minute),
        ("%Y-%m-%d %H:%M", Minute),
    ];
    let utc = |ms: i64, floor: Resolution| Parsed {
        ms,
        offset_ms: 0,
        floor,
    };
    for (f, floor) in NAIVE {
        if let Ok(dt) = NaiveDateTime::parse_from_str(body, f) {
            return Some((utc(dt.and_utc().timestamp_millis(), floor), !has_zone));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(body, "%Y-%m-%d") {
        return d
            .and_hms_opt(0, 0, 0)
            .map(|dt| (utc(dt.and_utc().timestamp_millis(), Day), !has_zone));
    }
    None
}

/// Parse with a strftime pattern: (ms, offset of the written zone in ms, date only).
fn parse_pattern(s: &str, pattern: &str) -> Option<(i64, i64, bool)> {
    if let Ok(dt) = DateTime::parse_from_str(s, pattern) {
        let offset = dt.offset().local_minus_utc() as i64 * MS_PER_SECOND;
        return Some((dt.timestamp_millis(), offset, false));
    }
    if let Ok(dt) = NaiveDateTime::parse_from_str(s, pattern) {
        return Some((dt.and_utc().timestamp_millis(), 0, false));
    }
    NaiveDate::parse_from_str(s, pattern)
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|dt| (dt.and_utc().timestamp_millis(), 0, true))
}

/// The finest resolution a strftime pattern can express: `Second` if it has seconds (or a
/// whole-time specifier such as `%T`, `%s`, `%c`), else `Minute` with minutes, `Hour` with
/// hours, `Day` without any time field.
pub fn pattern_floor(pattern: &str) -> Resolution {
    let mut finest = Resolution::Day;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        // Skip flags, widths and the `.`/digits of `%.3f`, `%3f`, `%-H`, `%_M`, `%:z`.
        let spec = chars.find(|c| !matches!(c, '-' | '_' | '0'..='9' | '.' | ':' | '#' | '^'));
        let r = match spec {
            Some('S' | 'T' | 's' | 'f' | 'c' | '+' | 'r' | 'X') => Resolution::Second,
            Some('M' | 'R') => Resolution::Minute,
            Some('H' | 'I' | 'k' | 'l') => Resolution::Hour,
            _ => Resolution::Day,
        };
        finest = finest.min(r);
    }
    finest
}

/// Format milliseconds since the epoch as RFC 3339 UTC (`2024-05-01T12:00:00Z`, with
/// milliseconds only when they are not zero).
pub fn format_ms(ms: i64) -> String {
    match DateTime::from_timestamp_millis(ms) {
        Some(dt) if ms % MS_PER_SECOND == 0 => dt.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Some(dt) => dt.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => ms.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_700_000_000_000; // 2023-11-14T22:13:20Z

    #[test]
    fn auto_reads_epoch_seconds_and_fixes_the_format() {
        let mut p = TimeParser::new(&TimeFormat::Auto);
        assert_eq!(p.parse("1700000000").unwrap(), T0);
        assert_eq!(p.resolved(), Some(&TimeFormat::EpochSeconds));
        assert_eq!(p.parse("1700000000.5").unwrap(), T0 + 500);
        assert_eq!(p.parse(" 1629589836.0 ").unwrap(), 1_629_589_836_000);
        let err = p.parse("2023-11-14T22:13:20Z").unwrap_err();
        assert!(err.contains("epoch seconds"), "{err}");
    }

    #[test]
    fn auto_reads_large_numbers_as_milliseconds() {
        let mut p = TimeParser::new(&TimeFormat::Auto);
        assert_eq!(p.parse("1700000000000").unwrap(), T0);
        assert_eq!(p.resolved(), Some(&TimeFormat::EpochMillis));
    }

    #[test]
    fn iso_variants_agree() {
        let mut p = TimeParser::new(&TimeFormat::Auto);
        for s in [
            "2023-11-14T22:13:20Z",
            "2023-11-14T23:13:20+01:00",
            "2023-11-14 22:13:20",
            "2023-11-14T22:13:20",
            "2023-11-14 22:13:20 UTC",
            "2023-11-14T22:13:20.000Z",
            "2023-11-14 23:13:20+0100",
            "Tue Nov 14 22:13:20 +0000 2023",
        ] {
            assert_eq!(p.parse(s), Ok(T0), "{s}");
        }
        assert!(p.saw_naive());
        assert_eq!(p.parse("2023-11-14"), Ok(T0 - (22 * 3600 + 13 * 60 + 20) * 1000));
    }

    #[test]
    fn garbage_is_an_error_naming_the_value() {
        let mut p = TimeParser::new(&TimeFormat::Iso);
        let err = p.parse("yesterday").unwrap_err();
        assert!(err.contains("\"yesterday\""), "{err}");
        assert!(err.contains("ISO 8601"), "{err}");
        let mut q = TimeParser::new(&TimeFormat::EpochSeconds);
        assert!(q.parse("1e400").is_err());
        assert!(q.parse("nan").is_err());
    }

    #[test]
    fn patterns_and_explicit_units() {
        let mut p = TimeParser::new(&"%d/%m/%Y %H:%M".parse().unwrap());
        assert_eq!(p.parse("14/11/2023 22:13"), Ok(T0 - 20_000));
        let mut ms = TimeParser::new(&TimeFormat::EpochMillis);
        assert_eq!(ms.parse("5"), Ok(5));
        assert!("bogus".parse::<TimeFormat>().is_err());
    }

    #[test]
    fn the_text_gives_a_floor_and_the_zone_an_offset() {
        use Resolution::*;
        let mut p = TimeParser::new(&TimeFormat::Auto);
        let d = |p: &mut TimeParser, s: &str| {
            let x = p.parse_detailed(s).unwrap();
            (x.floor, x.offset_ms)
        };
        assert_eq!(d(&mut p, "2024-03-05"), (Day, 0));
        assert_eq!(d(&mut p, "2024-03-05Z"), (Day, 0));
        assert_eq!(d(&mut p, "2024-03-05T14:03"), (Minute, 0));
        assert_eq!(d(&mut p, "2024-03-05 14:03"), (Minute, 0));
        assert_eq!(d(&mut p, "2024-03-05T14:03+0100"), (Minute, 3_600_000));
        assert_eq!(d(&mut p, "2024-03-05T00:00:00Z"), (Second, 0));
        assert_eq!(d(&mut p, "2024-03-05T00:00:00+05:30"), (Second, 19_800_000));
        assert_eq!(d(&mut p, "Tue Nov 14 22:13:20 -0200 2023"), (Second, -7_200_000));
        // Local midnight written with an offset lies on the day boundary of its own clock.
        let x = p.parse_detailed("2024-03-05T00:00:00+01:00").unwrap();
        assert_eq!(x.local_ms().rem_euclid(crate::clock::MS_PER_DAY), 0);
        assert_ne!(x.ms.rem_euclid(crate::clock::MS_PER_DAY), 0);
        let mut e = TimeParser::new(&TimeFormat::Auto);
        assert_eq!(d(&mut e, "1709596800"), (Second, 0));
    }

    #[test]
    fn pattern_floors() {
        use Resolution::*;
        assert_eq!(pattern_floor("%d/%m/%Y"), Day);
        assert_eq!(pattern_floor("%d/%m/%Y %H"), Hour);
        assert_eq!(pattern_floor("%d/%m/%Y %H:%M"), Minute);
        assert_eq!(pattern_floor("%d/%m/%Y %-I:%M %p"), Minute);
        assert_eq!(pattern_floor("%d/%m/%Y %H:%M:%S"), Second);
        assert_eq!(pattern_floor("%Y-%m-%dT%T%.3f"), Second);
        assert_eq!(pattern_floor("%s"), Second);
        assert_eq!(pattern_floor("100%% %Y"), Day);
        let mut p = TimeParser::new(&"%d/%m/%Y".parse().unwrap());
        let x = p.parse_detailed("05/03/2024").unwrap();
        assert_eq!((x.floor, x.ms), (Day, 1_709_596_800_000));
        let mut q = TimeParser::new(&"%d/%m/%Y %H:%M".parse().unwrap());
        assert_eq!(q.parse_detailed("05/03/2024 14:03").unwrap().floor, Minute);
    }

    #[test]
    fn format_round_trips() {
        assert_eq!(format_ms(T0), "2023-11-14T22:13:20Z");
        assert_eq!(format_ms(T0 + 5), "2023-11-14T22:13:20.005Z");
        assert_eq!(parse_iso(&format_ms(T0 + 5)).unwrap().0, T0 + 5);
    }
}
