//! Co-comments of account pairs: the near-duplicate texts two accounts both wrote, within the
//! windows, tested against a null that knows how common each text is.
//!
//! For accounts a and b, a *co-comment* within window W is a family of near-duplicate texts
//! ([`super::families`]) both wrote, with some pair of their comments in it at most W apart
//! (on the same post or on different ones). Counts are per window, as co-likes are.
//!
//! **Null.** Accounts write independently: account b writes a given family k with probability
//! p(k | b) = min(1, u_k · m_b / m̄), where u_k is the share of the other commenting accounts
//! that wrote a text of family k (the pair itself left out, plus one account: a text nobody
//! else wrote is rare, not impossible), m_b the number of families b wrote and m̄ the mean over
//! all commenting accounts (an account that writes more is likelier to write anything). So a
//! short universal comment ("nice", "first", "wow") that one account in three writes is
//! expected of any pair and says nothing, while a sentence only a few accounts wrote is
//! evidence.
//!
//! **Test.** Of the families a wrote, those with p(k | b) ≤ `informative` are the informative
//! ones (sharing a text one active account in five writes anyway says little, and such texts
//! would drown the rare ones); the number of them b also wrote, X, is
//! at most Poisson-binomial with the p(k | b) as probabilities, which a Poisson of mean
//! λ = Σ p(k | b) bounds in its upper tail (Hoeffding 1956). A pair is tested once it shares a
//! family, so its p-value is P(X ≥ x | X ≥ 1). The test is made in both directions (a's
//! families against b's activity and the other way round) and the larger p-value kept. The
//! null has no time in it, so the windows only describe the pair: the test counts every
//! family both wrote, at any distance in time (a script's workers write its texts whenever
//! their task comes, on posts published days apart); `counts` holds the co-comments within
//! each window, and `best` names the widest.
//! Benjamini–Hochberg controls the false discovery rate over every pair that shares a family.
//!
//! Pairs are enumerated only from families written by at most `max_family_accounts` accounts
//! (a family that large is common: enumerating its pairs costs its size squared and each pair
//! shares it by chance); such families still count for pairs enumerated through a rarer one.

use super::{CommentParams, TextStage};
use crate::colike::null::{benjamini_hochberg_ln, ln_pvalue};
use crate::colike::{MAX_WINDOWS, PairRecord, TestedPair, Window};
use rayon::prelude::*;

/// The uses of one account: (family, time, comment), sorted.
fn uses(stage: &TextStage, a: u32) -> &[(u32, i64, u32)] {
    &stage.uses[stage.account_offsets[a as usize]..stage.account_offsets[a as usize + 1]]
}

/// Distinct families of a sorted use list, each with its slice of uses.
fn by_family(u: &[(u32, i64, u32)]) -> impl Iterator<Item = (u32, &[(u32, i64, u32)])> {
    u.chunk_by(|x, y| x.0 == y.0).map(|c| (c[0].0, c))
}

/// The smallest |Δt| between two ascending time lists.
fn min_gap(x: &[(u32, i64, u32)], y: &[(u32, i64, u32)]) -> i64 {
    let (mut i, mut j, mut best) = (0, 0, i64::MAX);
    while i < x.len() && j < y.len() {
        let d = x[i].1.abs_diff(y[j].1).min(i64::MAX as u64) as i64;
        best = best.min(d);
        if x[i].1 < y[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    best
}

/// One direction of a pair's test: a's families against b's activity.
struct Direction {
    lambda: f64,
    /// Per shared informative family: smallest gap.
    shared: Vec<i64>,
}

fn direction(stage: &TextStage, a: u32, b: u32, informative: f64) -> Direction {
    let (ua, ub) = (uses(stage, a), uses(stage, b));
    let active = stage.active.max(1) as f64;
    let scale = stage.family_count[b as usize] as f64 / stage.mean_families.max(f64::MIN_POSITIVE);
    let mut fb = by_family(ub).peekable();
    let mut out = Direction {
        lambda: 0.0,
        shared: Vec::new(),
    };
    for (k, times_a) in by_family(ua) {
        while fb.peek().is_some_and(|(kb, _)| *kb < k) {
            fb.next();
        }
        if !stage.is_long(k) {
            continue;
        }
        let b_times = fb.peek().filter(|(kb, _)| *kb == k).map(|x| x.1);
        // The other accounts that wrote k: all but a (and b), plus one.
        let others = stage.families[k as usize].accounts as f64 - 1.0 - b_times.is_some() as u32 as f64 + 1.0;
        let p = (others / active * scale).min(1.0);
        if p > informative {
            continue;
        }
        out.lambda += p;
        if let Some(tb) = b_times {
            out.shared.push(min_gap(times_a, tb));
        }
    }
    out
}

/// Test one pair; `None` when its p-value is above the report level.
fn test_pair(
    stage: &TextStage,
    a: u32,
    b: u32,
    windows: &[Window],
    widest: usize,
    params: &CommentParams,
    report_ln_p: f64,
) -> Option<(PairRecord, f64)> {
    let ab = direction(stage, a, b, params.informative);
    let ba = direction(stage, b, a, params.informative);
    let count = |d: &Direction, w: Window| d.shared.iter().filter(|&&g| w.contains(g)).count() as u64;
    let x_ab = ab.shared.len() as u64;
    let x_ba = ba.shared.len() as u64;
    let (ln_ab, ln_ba) = (ln_pvalue(x_ab, ab.lambda), ln_pvalue(x_ba, ba.lambda));
    let (ln_p, weaker) = if ln_ab >= ln_ba {
        (ln_ab, &ab)
    } else {
        (ln_ba, &ba)
    };
    if ln_p > report_ln_p || ln_p >= 0.0 {
        return None;
    }
    let mut counts = [0u32; MAX_WINDOWS];
    for (k, &w) in windows.iter().enumerate() {
        counts[k] = count(&ab, w).min(count(&ba, w)) as u32;
    }
    // Who wrote first, and the rarity of what they share, over the families both share.
    let (mut a_first, mut b_first, mut idf) = (0u32, 0u32, 0.0f64);
    let mut gaps = Vec::new();
    let (ua, ub) = (uses(stage, a), uses(stage, b));
    let mut fb = by_family(ub).peekable();
    for (k, ta) in by_family(ua) {
        while fb.peek().is_some_and(|(kb, _)| *kb < k) {
            fb.next();
        }
        let Some((_, tb)) = fb.peek().filter(|(kb, _)| *kb == k) else {
            continue;
        };
        if !stage.is_long(k) {
            continue;
        }
        let share = stage.families[k as usize].accounts as f64 / stage.active.max(1) as f64;
        idf += (1.0 / share).ln();
        gaps.push(min_gap(ta, tb));
        match ta[0].1.cmp(&tb[0].1) {
            std::cmp::Ordering::Less => a_first += 1,
            std::cmp::Ordering::Greater => b_first += 1,
            std::cmp::Ordering::Equal => {}
        }
    }
    gaps.sort_unstable();
    let median_dt = if gaps.is_empty() {
        f64::NAN
    } else if gaps.len() % 2 == 1 {
        gaps[gaps.len() / 2] as f64
    } else {
        (gaps[gaps.len() / 2 - 1] as f64 + gaps[gaps.len() / 2] as f64) / 2.0
    };
    let record = PairRecord {
        a,
        b,
        counts,
        idf,
        a_first,
        b_first,
        median_dt,
        expected: weaker.lambda,
        ln_p,
        best: widest as u8,
    };
    Some((record, ln_p))
}

/// What the pair stage counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct PairCounts {
    /// Pairs that share a family (the hypotheses tested).
    pub tested: u64,
    /// Pairs with a p-value at most the report level.
    pub reported: u64,
    /// Reported pairs with q ≤ fdr.
    pub significant: u64,
    /// Families too common for their pairs to be enumerated.
    pub common_families: u64,
}

/// Test every pair of accounts that share a family; the significant ones, in (a, b) order.
pub fn significant_pairs(
    stage: &TextStage,
    windows: &[Window],
    params: &CommentParams,
    fdr: f64,
) -> (Vec<TestedPair>, PairCounts) {
    let mut counts = PairCounts::default();
    if windows.is_empty() {
        return (Vec::new(), counts);
    }
    let widest = (0..windows.len()).max_by_key(|&k| windows[k]).unwrap_or(0);
    // Candidate pairs: within each family small enough to enumerate.
    let mut keys: Vec<u64> = Vec::new();
    let max_accounts = params
        .max_family_accounts
        .min(((params.max_family_share * stage.active as f64).floor() as usize).max(params.min_family_cap));
    for k in 0..stage.families.len() {
        let accounts = stage.family_accounts(k as u32);
        if accounts.len() < 2 || !stage.is_long(k as u32) {
            continue;
        }
        if accounts.len() > max_accounts {
            counts.common_families += 1;
            continue;
        }
        for (i, &x) in accounts.iter().enumerate() {
            for &y in &accounts[i + 1..] {
                keys.push(((x as u64) << 32) | y as u64);
            }
        }
    }
    keys.par_sort_unstable();
    keys.dedup();
    counts.tested = keys.len() as u64;
    let report_ln_p = if params.report_pvalue >= 1.0 {
        0.0
    } else {
        params.report_pvalue.ln()
    };
    let reported: Vec<(PairRecord, f64)> = keys
        .par_iter()
        .filter_map(|&key| {
            let (a, b) = ((key >> 32) as u32, key as u32);
            test_pair(stage, a, b, windows, widest, params, report_ln_p)
        })
        .collect();
    counts.reported = reported.len() as u64;
    let ln_q = benjamini_hochberg_ln(reported.iter().map(|r| r.1).collect(), counts.tested);
    let ln_fdr = fdr.ln();
    let significant: Vec<TestedPair> = reported
        .into_iter()
        .zip(ln_q)
        .filter(|(_, q)| *q <= ln_fdr)
        .map(|((record, _), q)| TestedPair { record, q: q.exp() })
        .collect();
    counts.significant = significant.len() as u64;
    (significant, counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smallest_gap_of_two_time_lists() {
        let x = [(0, 10, 0), (0, 50, 1)];
        let y = [(0, 30, 2), (0, 49, 3), (0, 90, 4)];
        assert_eq!(min_gap(&x, &y), 1);
        assert_eq!(min_gap(&x[..1], &y[..1]), 20);
    }
}
