//! How precisely each like's time is known: to the second (or finer), the minute, the hour or
//! only the day.
//!
//! Collection tools sometimes give only a date (`2024-03-05`, or `…T00:00:00Z` for every row of
//! some source) or times rounded to the hour or minute. Read as exact instants, such rows look
//! simultaneous (or hours apart) when they are not. Each like therefore carries a
//! [`Resolution`], decided while loading:
//!
//! - **From the text where it is explicit**: a date-only value (`2024-03-05`, a `%d/%m/%Y`
//!   pattern, a Parquet `Date` column) is `day`; `2024-03-05 14:03` (no seconds) is at least
//!   `minute`; a `%Y-%m-%d %H` pattern at least `hour`. This is the row's *floor*.
//! - **From the values, per file and per value shape**, for everything that may be rounded
//!   (times with seconds, epoch numbers, Parquet datetimes): the rows of one file are grouped
//!   by the shape of their text (digits and letters collapsed, so `2024-03-05T14:03:22Z` and
//!   `2024-03-05 14:03:22` are two groups, two sources mixed in one file usually two shapes),
//!   and each group is tested level by level, finest first, by [`decide`]: a coarse level is
//!   accepted when the rows lying exactly on its boundaries (on the minute, on the hour, at
//!   midnight of the written clock) are far more than chance allows, and make up a real share
//!   of the group. The rows on the boundaries of an accepted level get that resolution; the
//!   others keep the finer one. A single midnight among full timestamps is just a like at
//!   midnight; a file whose times all fall on the hour is rounded to the hour, and its
//!   midnights are hours too.
//!
//! The rule, with its reason, is in docs/method.md ("Time resolution"). Memory: one byte per
//! row of the file being read, freed when the file is done; afterwards 2 bits inside each
//! like's [`super::Origin`].

use crate::clock::{MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE};
use serde::Serialize;

/// How precisely a like's time is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Resolution {
    /// To the second or finer: the time is exact as far as lockstep is concerned.
    #[default]
    Second = 0,
    /// Rounded (or truncated) to the minute.
    Minute = 1,
    /// Rounded to the hour.
    Hour = 2,
    /// Only the date is known; the time is midnight of that day.
    Day = 3,
}

impl Resolution {
    /// Every resolution, finest first.
    pub const ALL: [Resolution; 4] = [
        Resolution::Second,
        Resolution::Minute,
        Resolution::Hour,
        Resolution::Day,
    ];

    /// Its width in milliseconds: 0 for `Second` (exact), 60 000, 3 600 000, 86 400 000.
    pub fn millis(self) -> i64 {
        match self {
            Resolution::Second => 0,
            Resolution::Minute => MS_PER_MINUTE,
            Resolution::Hour => MS_PER_HOUR,
            Resolution::Day => MS_PER_DAY,
        }
    }

    /// `second`, `minute`, `hour`, `day`.
    pub fn name(self) -> &'static str {
        match self {
            Resolution::Second => "second",
            Resolution::Minute => "minute",
            Resolution::Hour => "hour",
            Resolution::Day => "day",
        }
    }

    /// Words for a count of rows: "to the second", …, "date only".
    pub fn words(self) -> &'static str {
        match self {
            Resolution::Second => "to the second",
            Resolution::Minute => "to the minute",
            Resolution::Hour => "to the hour",
            Resolution::Day => "date only",
        }
    }

    pub(crate) fn from_bits(bits: u64) -> Self {
        Resolution::ALL[(bits & 3) as usize]
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The coarsest boundary a wall-clock time (ms, local to the written time zone) lies on:
    /// `Day` at midnight, `Hour` on the hour, `Minute` on the minute, else `Second`.
    pub fn boundary_of(local_ms: i64) -> Self {
        if local_ms.rem_euclid(MS_PER_DAY) == 0 {
            Resolution::Day
        } else if local_ms.rem_euclid(MS_PER_HOUR) == 0 {
            Resolution::Hour
        } else if local_ms.rem_euclid(MS_PER_MINUTE) == 0 {
            Resolution::Minute
        } else {
            Resolution::Second
        }
    }
}

/// Rows (or likes) counted by time resolution.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ResolutionCounts {
    /// Known to the second or finer.
    pub second: u64,
    /// Rounded to the minute.
    pub minute: u64,
    /// Rounded to the hour.
    pub hour: u64,
    /// Date only.
    pub day: u64,
}

impl ResolutionCounts {
    /// Add `n` to the count of `r`.
    pub fn add(&mut self, r: Resolution, n: u64) {
        match r {
            Resolution::Second => self.second += n,
            Resolution::Minute => self.minute += n,
            Resolution::Hour => self.hour += n,
            Resolution::Day => self.day += n,
        }
    }

    /// The count of `r`.
    pub fn get(&self, r: Resolution) -> u64 {
        match r {
            Resolution::Second => self.second,
            Resolution::Minute => self.minute,
            Resolution::Hour => self.hour,
            Resolution::Day => self.day,
        }
    }

    /// Add every count of `other`.
    pub fn merge(&mut self, other: &ResolutionCounts) {
        for r in Resolution::ALL {
            self.add(r, other.get(r));
        }
    }

    /// All rows counted.
    pub fn total(&self) -> u64 {
        self.second + self.minute + self.hour + self.day
    }

    /// Rows coarser than a second.
    pub fn coarse(&self) -> u64 {
        self.minute + self.hour + self.day
    }

    /// True when no row is coarser than a second (also when nothing was counted).
    pub fn all_fine(&self) -> bool {
        self.coarse() == 0
    }

    /// The non-zero counts in words, finest first: `2 676 to the second, 1 204 date only`.
    pub fn listing(&self) -> String {
        let parts: Vec<String> = Resolution::ALL
            .iter()
            .filter(|&&r| self.get(r) > 0)
            .map(|&r| format!("{} {}", thousands(self.get(r)), r.words()))
            .collect();
        if parts.is_empty() {
            "none".into()
        } else {
            parts.join(", ")
        }
    }

    /// The sentence that says what coarse rows mean, or `None` when there are none:
    /// "1 204 rows (31 %) carry only a date: they count for co-activity but not for timing
    /// within less than a day".
    pub fn sentence(&self, what: &str) -> Option<String> {
        let total = self.total();
        let coarse: Vec<Resolution> = [Resolution::Day, Resolution::Hour, Resolution::Minute]
            .into_iter()
            .filter(|&r| self.get(r) > 0)
            .collect();
        if coarse.is_empty() || total == 0 {
            return None;
        }
        let parts: Vec<String> = coarse
            .iter()
            .enumerate()
            .map(|(i, &r)| {
                let n = self.get(r);
                let share = share_text(n as f64 / total as f64);
                let noun = if i == 0 {
                    if n == 1 {
                        format!("{} {what}", thousands(n))
                    } else {
                        format!("{} {what}s", thousands(n))
                    }
                } else {
                    thousands(n)
                };
                let verb = if n == 1 { "carries" } else { "carry" };
                let be = if n == 1 { "is" } else { "are" };
                match r {
                    Resolution::Day => format!("{noun} ({share}) {verb} only a date"),
                    Resolution::Hour => format!("{noun} ({share}) {be} rounded to the hour"),
                    _ => format!("{noun} ({share}) {be} rounded to the minute"),
                }
            })
            .collect();
        let listed = match parts.as_slice() {
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
            [] => return None,
        };
        let n_coarse = self.coarse();
        let they = if n_coarse == 1 { "it counts" } else { "they count" };
        let limit = if coarse.len() == 1 {
            match coarse[0] {
                Resolution::Day => "within less than a day",
                Resolution::Hour => "within less than an hour",
                _ => "within less than a minute",
            }
        } else {
            "finer than their resolution"
        };
        Some(format!(
            "{listed}: {they} for co-activity but not for timing {limit}"
        ))
    }
}

/// `1204` as `1 204`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// A share as a percentage: whole percent, one decimal under 1 %.
fn share_text(share: f64) -> String {
    if share < 0.01 {
        crate::text::percent(share, 1)
    } else {
        crate::text::percent(share, 0)
    }
}

// ---------------------------------------------------------------------------------------------
// The per-file decision.

/// Expected counts under "finer resolution" are multiplied by this before testing, so that a
/// time of day busier than average (activity is not uniform over the day: midnight can be up to
/// a few times busier than the mean hour) is never mistaken for rounding.
pub const CHANCE_SLACK: f64 = 4.0;

/// A coarse level is accepted only if seeing this many boundary rows by chance has at most this
/// probability (a Chernoff bound on the Poisson tail, so the true probability is smaller still):
/// with a few hundred groups and three levels per run, a false acceptance is practically
/// impossible.
pub const MAX_CHANCE: f64 = 1e-9;

/// …and only if the rows it explains are at least this share of the group: rounding is a
/// property of a collection source, so it shows on a real share of the rows, whereas a few
/// likes scheduled at exactly :00:00 (a bot's timer) are a finding, not a format.
pub const MIN_SHARE: f64 = 0.01;

/// Shape groups kept per file; rows of further shapes share the last group.
pub const MAX_GROUPS: usize = 16;

/// Probability that a time of resolution `r` lies *exactly* at level `l` (on an `l` boundary
/// but not on a coarser one), for times spread evenly within the day.
fn p_exact(r: Resolution, l: Resolution) -> f64 {
    use Resolution::*;
    // Boundaries per day of each level, given the resolution's own grid.
    let per_day = |x: Resolution| match x {
        Second => 86_400.0,
        Minute => 1_440.0,
        Hour => 24.0,
        Day => 1.0,
    };
    if l < r {
        return 0.0;
    }
    // P(on an l boundary) − P(on an l+1 boundary), each = boundaries / grid points.
    let on = |x: Resolution| per_day(x) / per_day(r);
    let coarser = match l {
        Second => Some(Minute),
        Minute => Some(Hour),
        Hour => Some(Day),
        Day => None,
    };
    match (l, coarser) {
        (Second, _) => 1.0 - on(Minute),
        (_, Some(c)) => on(l) - on(c),
        (_, None) => on(l),
    }
}

/// Upper bound on P(X ≥ k) for X ~ Poisson(λ) (Chernoff: e^{−λ} (eλ/k)^k for k > λ).
pub fn poisson_tail_bound(k: f64, lambda: f64) -> f64 {
    if k <= lambda {
        return 1.0;
    }
    if lambda <= 0.0 {
        return 0.0;
    }
    (k - lambda + k * (lambda / k).ln()).exp()
}

/// One level's verdict in a shape group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LevelTest {
    /// The level tested.
    pub level: Resolution,
    /// Rows lying exactly on its boundaries.
    pub observed: u64,
    /// Rows expected there if the group had only its finer resolutions.
    pub chance: f64,
    /// Accepted as a resolution of the group.
    pub accepted: bool,
}

/// The resolution of each row of a shape group, by the exact level it lies on.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// `assigned[e]`: resolution of a row whose time lies exactly at level `e`.
    pub assigned: [Resolution; 4],
    /// The tests run (levels above the group's floor).
    pub tests: Vec<LevelTest>,
}

/// Decide a shape group's resolutions from `counts[e]`, the number of its rows lying exactly at
/// level `e` (index by [`Resolution`]), and its `floor` (the finest resolution its text allows).
///
/// Levels above the floor are tested finest first. For level `L`, the rows expected exactly at
/// `L` by chance are those the accepted finer resolutions put there — each resolution's row
/// count is estimated from the rows that can only be of that resolution — and never fewer than
/// if every row had the floor resolution. `L` is accepted when the rows observed exactly at `L`
/// exceed [`CHANCE_SLACK`] × that by so much that the Poisson tail bound is below
/// [`MAX_CHANCE`], and the excess is at least [`MIN_SHARE`] of the group. Rows exactly at an
/// accepted level get it; rows exactly at a rejected level get the coarsest accepted level below
/// it (their boundary is then a coincidence of that finer grid).
pub fn decide(counts: [u64; 4], floor: Resolution) -> Decision {
    let n: u64 = counts.iter().sum();
    let n_f = n as f64;
    let mut assigned = [floor; 4];
    let mut tests = Vec::new();
    // Estimated number of rows of each accepted resolution.
    let mut rows_of = [0.0f64; 4];
    let own_share = p_exact(floor, floor);
    rows_of[floor.index()] = if own_share > 0.0 {
        counts[floor.index()] as f64 / own_share
    } else {
        0.0
    };
    let mut current = floor;
    for level in [Resolution::Minute, Resolution::Hour, Resolution::Day] {
        if level <= floor {
            continue;
        }
        let from_finer: f64 = Resolution::ALL
            .iter()
            .filter(|&&r| r < level)
            .map(|&r| rows_of[r.index()] * p_exact(r, level))
            .sum();
        let chance = from_finer.max(n_f * p_exact(floor, level));
        let observed = counts[level.index()];
        let k = observed as f64;
        let accepted = n > 0
            && k - chance >= MIN_SHARE * n_f
            && poisson_tail_bound(k, CHANCE_SLACK * chance) <= MAX_CHANCE;
        if accepted {
            rows_of[level.index()] = (k - chance) / p_exact(level, level);
            current = level;
        }
        assigned[level.index()] = current;
        tests.push(LevelTest {
            level,
            observed,
            chance,
            accepted,
        });
    }
    Decision { assigned, tests }
}

/// A value's text shape, hashed (FNV-1a): digit runs become `9`, letter runs `a` (a lone `T` or
/// `Z`, the ISO separators, are kept as they are), other bytes are kept. `2024-03-05T14:03:22Z`
/// and `2024-3-5T4:03:22Z` share a shape; `2024-03-05 14:03:22` and `2024-03-05` do not.
pub fn shape_of(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut mix = |b: u8| {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    let bytes = text.trim().as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let run = |pred: fn(&u8) -> bool| bytes[i..].iter().take_while(|c| pred(c)).count();
        if b.is_ascii_digit() {
            mix(b'9');
            i += run(u8::is_ascii_digit);
        } else if b.is_ascii_alphabetic() {
            let len = run(u8::is_ascii_alphabetic);
            mix(if len == 1 && matches!(b, b'T' | b'Z' | b't' | b'z') {
                b.to_ascii_uppercase()
            } else {
                b'a'
            });
            i += len;
        } else {
            mix(b);
            i += 1;
        }
    }
    h
}

/// Shape of values typed as numbers (JSON, Parquet numeric columns).
pub const SHAPE_NUMBER: u64 = 1;
/// Shape of typed datetimes (Parquet `Datetime`).
pub const SHAPE_DATETIME: u64 = 2;
/// Shape of typed dates (Parquet `Date`).
pub const SHAPE_DATE: u64 = 3;

#[derive(Debug, Clone)]
struct Group {
    shape: u64,
    floor: Resolution,
    counts: [u64; 4],
}

/// Collects one file's rows while it is read; [`FileResolution::finish`] decides.
#[derive(Debug, Clone, Default)]
pub(crate) struct FileResolution {
    groups: Vec<Group>,
    /// One byte per like of the file: group (4 bits), exact level (2), floor (2).
    rows: Vec<u8>,
    last: Option<(u64, u8)>,
}

/// What was decided for one file.
#[derive(Debug, Clone)]
pub(crate) struct FileDecision {
    /// Resolution of each like of the file, in the order pushed.
    pub per_row: Vec<Resolution>,
    /// Rows per resolution.
    pub counts: ResolutionCounts,
}

impl FileResolution {
    /// Record one row: its text shape, its floor and the wall-clock time it lies at.
    pub(crate) fn push(&mut self, shape: u64, floor: Resolution, local_ms: i64) {
        let exact = Resolution::boundary_of(local_ms).max(floor);
        let group = match self.last {
            Some((s, g)) if s == shape => g,
            _ => {
                let g = match self.groups.iter().position(|g| g.shape == shape) {
                    Some(i) => i,
                    None if self.groups.len() < MAX_GROUPS => {
                        self.groups.push(Group {
                            shape,
                            floor,
                            counts: [0; 4],
                        });
                        self.groups.len() - 1
                    }
                    None => MAX_GROUPS - 1,
                } as u8;
                self.last = Some((shape, g));
                g
            }
        };
        let gr = &mut self.groups[group as usize];
        gr.floor = gr.floor.min(floor);
        gr.counts[exact.index()] += 1;
        self.rows.push((group << 4) | ((exact as u8) << 2) | floor as u8);
    }

    /// Decide every group and give each row its resolution.
    pub(crate) fn finish(self) -> FileDecision {
        let decisions: Vec<Decision> = self.groups.iter().map(|g| decide(g.counts, g.floor)).collect();
        let mut counts = ResolutionCounts::default();
        let per_row = self
            .rows
            .iter()
            .map(|&b| {
                let group = (b >> 4) as usize;
                let exact = ((b >> 2) & 3) as usize;
                let floor = Resolution::from_bits((b & 3) as u64);
                let r = decisions[group].assigned[exact].max(floor);
                counts.add(r, 1);
                r
            })
            .collect();
        FileDecision { per_row, counts }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Resolution::*;

    #[test]
    fn exact_level_probabilities_sum_to_one() {
        for r in Resolution::ALL {
            let s: f64 = Resolution::ALL.iter().map(|&l| p_exact(r, l)).sum();
            assert!((s - 1.0).abs() < 1e-12, "{r:?}: {s}");
        }
        assert!((p_exact(Second, Day) - 1.0 / 86_400.0).abs() < 1e-15);
        assert!((p_exact(Hour, Day) - 1.0 / 24.0).abs() < 1e-15);
        assert_eq!(p_exact(Hour, Minute), 0.0);
    }

    #[test]
    fn boundaries() {
        assert_eq!(Resolution::boundary_of(0), Day);
        assert_eq!(Resolution::boundary_of(-MS_PER_DAY), Day);
        assert_eq!(Resolution::boundary_of(5 * MS_PER_HOUR), Hour);
        assert_eq!(Resolution::boundary_of(-MS_PER_HOUR), Hour);
        assert_eq!(Resolution::boundary_of(7 * MS_PER_MINUTE), Minute);
        assert_eq!(Resolution::boundary_of(7 * MS_PER_MINUTE + 1), Second);
        assert_eq!(Resolution::boundary_of(1_000), Second);
    }

    /// Counts of a file of full timestamps: n rows spread evenly, `midnights` of them at midnight.
    fn full(n: u64, midnights: u64) -> [u64; 4] {
        let m = n / 60;
        let h = n / 3600;
        [n - m - h - midnights, m, h, midnights]
    }

    #[test]
    fn a_few_genuine_midnights_stay_seconds() {
        for (n, k) in [(1, 1), (2, 2), (20, 2), (100, 3), (1_000, 3), (70_000, 5)] {
            let d = decide(full(n, k), Second);
            assert_eq!(d.assigned, [Second; 4], "n={n} midnights={k}: {d:?}");
        }
    }

    #[test]
    fn date_only_rows_among_full_times_are_days() {
        // 900 full times and 100 dates written as midnight, one shape.
        let d = decide([885, 15, 0, 100], Second);
        assert_eq!(d.assigned, [Second, Second, Second, Day]);
        // All at midnight: three rows are enough.
        assert_eq!(decide([0, 0, 0, 3], Second).assigned[3], Day);
        assert_eq!(decide([0, 0, 0, 100], Second).assigned[3], Day);
    }

    #[test]
    fn hour_rounded_files_are_hours_midnights_included() {
        // Ten days of hourly values: 230 on the hour, 10 at midnight.
        let d = decide([0, 0, 230, 10], Second);
        assert_eq!(d.assigned, [Second, Second, Hour, Hour]);
        let t = d.tests.iter().find(|t| t.level == Day).unwrap();
        assert!(!t.accepted && t.chance > 9.0, "{t:?}");
    }

    #[test]
    fn minute_rounded_files_are_minutes() {
        let d = decide([0, 590, 9, 1], Second);
        assert_eq!(d.assigned, [Second, Minute, Minute, Minute]);
        // A floor of minute (text without seconds) needs no minute test.
        let d = decide([0, 590, 9, 1], Minute);
        assert_eq!(d.assigned, [Minute; 4]);
        assert!(d.tests.iter().all(|t| t.level != Minute));
        // …but still finds dates among them.
        let d = decide([0, 590, 9, 200], Minute);
        assert_eq!(d.assigned, [Minute, Minute, Minute, Day]);
    }

    #[test]
    fn smallest_recognisable_groups() {
        // As docs/method.md states: 3 rows all at midnight, 4 all on the hour, 12 all on the
        // minute; one row fewer stays `second`.
        for (at, level, n) in [(3, Day, 3), (2, Hour, 4), (1, Minute, 12)] {
            let mut c = [0u64; 4];
            c[at] = n;
            assert_eq!(decide(c, Second).assigned[at], level, "{n} rows at {level:?}");
            c[at] = n - 1;
            assert_eq!(
                decide(c, Second).assigned[at],
                Second,
                "{} rows at {level:?}",
                n - 1
            );
        }
    }

    #[test]
    fn a_timer_burst_in_a_large_file_is_not_a_format() {
        // 200 likes at exactly 14:00:00 in 70 000 full timestamps: far beyond chance, but under
        // 1 % of the rows.
        let mut c = full(70_000, 0);
        c[2] += 200;
        c[0] -= 200;
        assert_eq!(decide(c, Second).assigned, [Second; 4]);
    }

    #[test]
    fn chernoff_bound_is_an_upper_bound() {
        // P(X ≥ 3 | λ = 0.01) ≈ 1.66e-7.
        let b = poisson_tail_bound(3.0, 0.01);
        assert!((1.6e-7..1e-5).contains(&b), "{b}");
        assert_eq!(poisson_tail_bound(1.0, 2.0), 1.0);
        assert_eq!(poisson_tail_bound(1.0, 0.0), 0.0);
    }

    #[test]
    fn shapes_collapse_digits_and_letters() {
        assert_eq!(shape_of("2024-03-05T14:03:22Z"), shape_of("2023-1-5T4:03:22Z"));
        assert_ne!(shape_of("2024-03-05T14:03:22Z"), shape_of("2024-03-05 14:03:22"));
        assert_ne!(shape_of("2024-03-05"), shape_of("2024-03-05T00:00:00Z"));
        assert_eq!(
            shape_of("Tue Nov 14 22:13:20 +0000 2023"),
            shape_of("Wed Dec 6 01:00:00 +0100 2023")
        );
        assert_eq!(shape_of("1700000000"), shape_of("17"));
    }

    #[test]
    fn file_resolution_assigns_rows() {
        let mut f = FileResolution::default();
        let full = shape_of("2024-03-05T14:03:22Z");
        let date = shape_of("2024-03-05");
        for i in 0..50 {
            f.push(full, Second, i * 61_001 + 3_000);
        }
        f.push(full, Second, 0); // one genuine midnight
        f.push(date, Day, 0);
        f.push(date, Day, MS_PER_DAY);
        let d = f.finish();
        assert_eq!(d.per_row.len(), 53);
        assert_eq!(d.per_row[50], Second);
        assert_eq!(&d.per_row[51..], &[Day, Day]);
        assert_eq!(
            d.counts,
            ResolutionCounts {
                second: 51,
                minute: 0,
                hour: 0,
                day: 2
            }
        );
    }

    #[test]
    fn too_many_shapes_share_the_last_group() {
        let mut f = FileResolution::default();
        for i in 0..40u64 {
            f.push(100 + i, Second, 0);
        }
        assert_eq!(f.groups.len(), MAX_GROUPS);
        let d = f.finish();
        // The 25 rows of the overflow group are all at midnight: dates.
        assert_eq!(d.counts.day, 25);
        assert_eq!(d.counts.second, 15);
    }

    #[test]
    fn sentences() {
        let c = ResolutionCounts {
            second: 2_676,
            minute: 0,
            hour: 0,
            day: 1_204,
        };
        assert_eq!(
            c.sentence("row").unwrap(),
            "1 204 rows (31 %) carry only a date: they count for co-activity but not for timing within less than a day"
        );
        assert_eq!(c.listing(), "2 676 to the second, 1 204 date only");
        let mixed = ResolutionCounts {
            second: 990,
            minute: 0,
            hour: 9,
            day: 1,
        };
        assert_eq!(
            mixed.sentence("like").unwrap(),
            "1 like (0.1 %) carries only a date and 9 (0.9 %) are rounded to the hour: they count for co-activity but not for timing finer than their resolution"
        );
        assert_eq!(ResolutionCounts::default().sentence("row"), None);
        assert_eq!(thousands(1_234_567), "1 234 567");
        assert_eq!(thousands(999), "999");
    }
}
