//! The data's clock, in one place: what a time value means, how clock units convert to
//! seconds, and how times and durations are written in words.
//!
//! A loaded data set has one [`Clock`]. With real timestamps a time is milliseconds since the
//! Unix epoch; without a time column each post's likes are numbered 0, 1, 2… in row order
//! (logical time) and a "duration" counts positions. Every parameter that is a duration is
//! given in seconds in the parameter tree and converted here ([`Clock::units`]); in logical
//! time one second counts as one position, so a parameter keeps a sensible size on both clocks.

use serde::Serialize;

/// How time is measured in a loaded data set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Clock {
    /// Real timestamps, in milliseconds since the Unix epoch.
    Timestamps,
    /// No time column: each post's likes are numbered 0, 1, 2… in row order.
    Logical,
}

/// Milliseconds in a second, minute, hour and day.
pub const MS_PER_SECOND: i64 = 1_000;
/// See [`MS_PER_SECOND`].
pub const MS_PER_MINUTE: i64 = 60 * MS_PER_SECOND;
/// See [`MS_PER_SECOND`].
pub const MS_PER_HOUR: i64 = 60 * MS_PER_MINUTE;
/// See [`MS_PER_SECOND`].
pub const MS_PER_DAY: i64 = 24 * MS_PER_HOUR;

impl Clock {
    /// Clock units per second: 1000 with timestamps (milliseconds), 1 in logical time.
    pub fn units_per_second(self) -> f64 {
        match self {
            Clock::Timestamps => MS_PER_SECOND as f64,
            Clock::Logical => 1.0,
        }
    }

    /// `seconds` in clock units (not rounded).
    pub fn units(self, seconds: f64) -> f64 {
        seconds * self.units_per_second()
    }

    /// `units` clock units in seconds (positions in logical time).
    pub fn seconds(self, units: f64) -> f64 {
        units / self.units_per_second()
    }

    /// "seconds" for real timestamps, "positions" in logical time: the unit of every
    /// time-difference column and of every duration in the parameter tree.
    pub fn unit_name(self) -> &'static str {
        match self {
            Clock::Timestamps => "seconds",
            Clock::Logical => "positions",
        }
    }

    /// True in logical time (no time column).
    pub fn is_logical(self) -> bool {
        self == Clock::Logical
    }
}

/// A time as text: RFC 3339 UTC for timestamps (milliseconds only when there are any), the
/// position itself in logical time.
pub fn format_time(clock: Clock, t: i64) -> String {
    match clock {
        Clock::Timestamps => crate::input::time::format_ms(t),
        Clock::Logical => t.to_string(),
    }
}

/// How much detail a duration in words carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Two units at most, exact to the second: `1 h 30 min`, `2 d`, `45 s`, `250 ms`, `1.5 s`.
    Exact,
    /// One unit, one decimal only when needed: `90 min` → `1.5 h`, `3 days`, `250 ms`.
    Short,
    /// One unit, rounded for a sentence: `45 s`, `12 min`, `2.5 h`, `3.0 days`.
    Rounded,
}

/// A duration of `units` clock units in words (positions in logical time).
pub fn duration(clock: Clock, units: f64, style: Style) -> String {
    match (clock, style) {
        (Clock::Logical, Style::Rounded) => format!("{units:.0} positions"),
        (Clock::Logical, _) => {
            let n = units as i64;
            format!("{n} {}", if n == 1 { "position" } else { "positions" })
        }
        (Clock::Timestamps, Style::Exact) => exact(units as i64),
        (Clock::Timestamps, Style::Short) => short(units as i64),
        (Clock::Timestamps, Style::Rounded) => rounded(units / MS_PER_SECOND as f64),
    }
}

/// A window's width in words: `unlimited`, or the duration ([`Style::Exact`]).
pub fn window(clock: Clock, window: crate::colike::Window) -> String {
    match window {
        crate::colike::Window::Infinite => "unlimited".into(),
        crate::colike::Window::Span(w) => duration(clock, w as f64, Style::Exact),
    }
}

fn exact(units: i64) -> String {
    let ms = units.unsigned_abs();
    if ms == 0 {
        return "0 s".into();
    }
    let per_second = MS_PER_SECOND as u64;
    if ms < per_second {
        return format!("{ms} ms");
    }
    if ms < MS_PER_MINUTE as u64 && !ms.is_multiple_of(per_second) {
        return format!("{:.1} s", ms as f64 / MS_PER_SECOND as f64);
    }
    let s = ms / per_second;
    let (day, hour, minute) = (
        (MS_PER_DAY / MS_PER_SECOND) as u64,
        (MS_PER_HOUR / MS_PER_SECOND) as u64,
        (MS_PER_MINUTE / MS_PER_SECOND) as u64,
    );
    let parts = [
        (s / day, "d"),
        (s % day / hour, "h"),
        (s % hour / minute, "min"),
        (s % minute, "s"),
    ];
    let first = parts.iter().position(|(v, _)| *v > 0).unwrap_or(3);
    parts[first..]
        .iter()
        .take(2)
        .filter(|(v, _)| *v > 0)
        .map(|(v, u)| format!("{v} {u}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn short(units: i64) -> String {
    let num = |x: f64| {
        if (x - x.round()).abs() < 1e-9 {
            format!("{}", x.round() as i64)
        } else {
            format!("{x:.1}")
        }
    };
    let ms = units as f64;
    if units < MS_PER_SECOND {
        format!("{units} ms")
    } else if units < MS_PER_MINUTE {
        format!("{} s", num(ms / MS_PER_SECOND as f64))
    } else if units < MS_PER_HOUR {
        format!("{} min", num(ms / MS_PER_MINUTE as f64))
    } else if units < 2 * MS_PER_DAY {
        format!("{} h", num(ms / MS_PER_HOUR as f64))
    } else {
        format!("{} days", num(ms / MS_PER_DAY as f64))
    }
}

fn rounded(seconds: f64) -> String {
    let s = seconds.abs();
    let (minute, hour, day) = (60.0, 3600.0, 86_400.0);
    if s < 2.0 * minute {
        format!("{s:.0} s")
    } else if s < 2.0 * hour {
        format!("{:.0} min", s / minute)
    } else if s < 2.0 * day {
        format!("{:.1} h", s / hour)
    } else {
        format!("{:.1} days", s / day)
    }
}

/// Wall-clock time of a job's stages, for the manifest's `timings_ms`: the one stopwatch the
/// run, the analysis and detection share. Each [`Stopwatch::lap`] records the milliseconds
/// since the previous lap (or the start) under a stage name. Timings describe the machine, not
/// the data: they are the only part of a manifest that differs between identical runs.
#[derive(Debug)]
pub struct Stopwatch {
    since: std::time::Instant,
    laps: Vec<(&'static str, u64)>,
}

impl Stopwatch {
    /// A stopwatch running from now, with no laps.
    pub fn start() -> Self {
        Stopwatch {
            since: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }

    /// Record the time since the last lap as `stage`, and restart.
    pub fn lap(&mut self, stage: &'static str) {
        let now = std::time::Instant::now();
        let ms = u64::try_from((now - self.since).as_millis()).unwrap_or(u64::MAX);
        self.laps.push((stage, ms));
        self.since = now;
    }

    /// Record stages timed by another stopwatch, and restart.
    pub fn extend(&mut self, laps: &[(&'static str, u64)]) {
        self.laps.extend_from_slice(laps);
        self.since = std::time::Instant::now();
    }

    /// The laps, in the order they were taken.
    pub fn laps(self) -> Vec<(&'static str, u64)> {
        self.laps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: f64 = 1000.0;

    #[test]
    fn exact_durations_read_naturally() {
        let d = |ms: f64| duration(Clock::Timestamps, ms, Style::Exact);
        assert_eq!(d(0.0), "0 s");
        assert_eq!(d(250.0), "250 ms");
        assert_eq!(d(1500.0), "1.5 s");
        assert_eq!(d(45.0 * S), "45 s");
        assert_eq!(d(5400.0 * S), "1 h 30 min");
        assert_eq!(d(2.0 * 86_400.0 * S), "2 d");
        assert_eq!(d(90_061.0 * S), "1 d 1 h");
        assert_eq!(duration(Clock::Logical, 1.0, Style::Exact), "1 position");
        assert_eq!(duration(Clock::Logical, 7.0, Style::Exact), "7 positions");
    }

    #[test]
    fn short_durations_use_one_unit() {
        let d = |ms: f64| duration(Clock::Timestamps, ms, Style::Short);
        assert_eq!(d(90.0 * 60.0 * S), "1.5 h");
        assert_eq!(d(90.0 * S), "1.5 min");
        assert_eq!(d(3.0 * 3600.0 * S), "3 h");
        assert_eq!(d(1500.0), "1.5 s");
        assert_eq!(d(250.0), "250 ms");
        assert_eq!(d(3.0 * 86_400.0 * S), "3 days");
    }

    #[test]
    fn rounded_durations_for_sentences() {
        let d = |secs: f64| duration(Clock::Timestamps, secs * S, Style::Rounded);
        assert_eq!(d(45.0), "45 s");
        assert_eq!(d(300.0), "5 min");
        assert_eq!(d(9000.0), "2.5 h");
        assert_eq!(d(3.0 * 86_400.0), "3.0 days");
        assert_eq!(duration(Clock::Logical, 12.0, Style::Rounded), "12 positions");
    }

    #[test]
    fn a_stopwatch_keeps_laps_in_order() {
        let mut w = Stopwatch::start();
        w.lap("load");
        w.extend(&[("detect.cores", 7)]);
        w.lap("export");
        let laps = w.laps();
        let names: Vec<_> = laps.iter().map(|l| l.0).collect();
        assert_eq!(names, ["load", "detect.cores", "export"]);
        assert_eq!(laps[1].1, 7);
    }

    #[test]
    fn units_convert_both_ways() {
        assert_eq!(Clock::Timestamps.units(1.5), 1500.0);
        assert_eq!(Clock::Logical.units(1.5), 1.5);
        assert_eq!(Clock::Timestamps.seconds(2500.0), 2.5);
        assert_eq!(format_time(Clock::Logical, 42), "42");
        assert_eq!(
            format_time(Clock::Timestamps, 1_700_000_000_000),
            "2023-11-14T22:13:20Z"
        );
    }
}
