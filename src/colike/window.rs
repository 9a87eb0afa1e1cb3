//! Time windows: `45s`, `10m`, `1h`, `2d`, `1w`, `500ms`, `inf`; a bare number is seconds on real
//! timestamps and a count of positions in logical time.

use crate::clock::{Clock, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

const WEEK: i64 = 7 * MS_PER_DAY;

/// A window as written on the command line, before the data's clock is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowSpec {
    /// No time limit.
    Infinite,
    /// A duration with a unit, in milliseconds.
    Duration(i64),
    /// A bare number: seconds with timestamps, positions in logical time.
    Bare(i64),
}

impl FromStr for WindowSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim().to_ascii_lowercase();
        if matches!(t.as_str(), "inf" | "infinite" | "none" | "∞") {
            return Ok(WindowSpec::Infinite);
        }
        let digits_end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (number, unit) = t.split_at(digits_end);
        let bad = || format!("bad window {s:?}: use a duration such as 30s, 10m, 1h, 2d, or inf");
        let n: i64 = number.parse().map_err(|_| bad())?;
        let per_unit: i64 = match unit.trim() {
            "" => return Ok(WindowSpec::Bare(n)),
            "ms" => 1,
            "s" | "sec" | "secs" => MS_PER_SECOND,
            "m" | "min" | "mins" => MS_PER_MINUTE,
            "h" | "hr" | "hrs" => MS_PER_HOUR,
            "d" | "day" | "days" => MS_PER_DAY,
            "w" | "week" | "weeks" => WEEK,
            _ => return Err(bad()),
        };
        n.checked_mul(per_unit).map(WindowSpec::Duration).ok_or_else(bad)
    }
}

/// Parse a comma-separated list of windows (`30s,10m,1h,inf`).
pub fn parse_list(s: &str) -> Result<Vec<WindowSpec>, String> {
    let specs: Vec<WindowSpec> = s
        .split(',')
        .filter(|p| !p.trim().is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    if specs.is_empty() {
        return Err("give at least one window".into());
    }
    if specs.len() > super::MAX_WINDOWS {
        return Err(format!("at most {} windows", super::MAX_WINDOWS));
    }
    Ok(specs)
}

/// A window resolved against the data's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Window {
    /// |Δt| ≤ this many clock units (milliseconds, or positions in logical time).
    Span(i64),
    /// No limit.
    #[default]
    Infinite,
}

impl Window {
    /// True if two likes `dt` apart (absolute) fall within the window.
    #[inline]
    pub fn contains(self, dt: i64) -> bool {
        match self {
            Window::Span(w) => dt <= w,
            Window::Infinite => true,
        }
    }

    /// The span as a finite number of clock units (i64::MAX for infinite).
    pub fn span(self) -> i64 {
        match self {
            Window::Span(w) => w,
            Window::Infinite => i64::MAX,
        }
    }
}

impl WindowSpec {
    /// Resolve against the data's clock.
    pub fn resolve(self, clock: Clock) -> Result<Window, String> {
        match (self, clock) {
            (WindowSpec::Infinite, _) => Ok(Window::Infinite),
            (WindowSpec::Duration(ms), Clock::Timestamps) => Ok(Window::Span(ms)),
            (WindowSpec::Bare(n), Clock::Timestamps) => Ok(Window::Span(n.saturating_mul(MS_PER_SECOND))),
            (WindowSpec::Bare(n), Clock::Logical) => Ok(Window::Span(n)),
            (WindowSpec::Duration(_), Clock::Logical) => Err(format!(
                "window {self} is a duration, but the data has no time column: give a number of positions (e.g. --window 5) or inf"
            )),
        }
    }

    /// The label used in column names (`colikes_1h`).
    pub fn label(self) -> String {
        self.to_string()
    }
}

impl fmt::Display for WindowSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            WindowSpec::Infinite => write!(f, "inf"),
            WindowSpec::Bare(n) => write!(f, "{n}"),
            WindowSpec::Duration(ms) => {
                for (unit, size) in [
                    ("w", WEEK),
                    ("d", MS_PER_DAY),
                    ("h", MS_PER_HOUR),
                    ("m", MS_PER_MINUTE),
                    ("s", MS_PER_SECOND),
                ] {
                    if ms != 0 && ms % size == 0 {
                        return write!(f, "{}{unit}", ms / size);
                    }
                }
                write!(f, "{ms}ms")
            }
        }
    }
}

impl Serialize for WindowSpec {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for WindowSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_labels_canonically() {
        let w = parse_list("30s,10m, 1h,2d,inf,90s,1500ms,7").unwrap();
        let labels: Vec<String> = w.iter().map(|w| w.label()).collect();
        assert_eq!(labels, ["30s", "10m", "1h", "2d", "inf", "90s", "1500ms", "7"]);
        assert_eq!(w[2].resolve(Clock::Timestamps), Ok(Window::Span(3_600_000)));
        assert_eq!(w[7].resolve(Clock::Timestamps), Ok(Window::Span(7_000)));
        assert_eq!(w[7].resolve(Clock::Logical), Ok(Window::Span(7)));
        assert!(w[0].resolve(Clock::Logical).is_err());
        assert_eq!(w[4].resolve(Clock::Logical), Ok(Window::Infinite));
    }

    #[test]
    fn rejects_nonsense() {
        assert!("10 parsecs".parse::<WindowSpec>().is_err());
        assert!("-5s".parse::<WindowSpec>().is_err());
        assert!(parse_list("").is_err());
        assert!("99999999999999999w".parse::<WindowSpec>().is_err());
    }

    #[test]
    fn window_containment() {
        assert!(Window::Span(10).contains(10));
        assert!(!Window::Span(10).contains(11));
        assert!(Window::Infinite.contains(i64::MAX));
        assert!(Window::Span(5) < Window::Infinite);
    }
}
