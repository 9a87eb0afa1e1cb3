//! The projection in parts, for a cluster job (`spark/colike.py`) that lockstep runs on one
//! machine otherwise.
//!
//! A post's co-likes depend only on that post's likes, so the job splits the likes by post
//! and runs the same sweep on each batch of whole posts ([`PartialSweep`]): pass 1 counts every
//! partner of every account per window bucket, pass 2 gathers each partner's idf weights, leads
//! and Δt per bucket. Nothing is tested there: a pair's co-likes are spread over batches. The
//! job sums each pair's parts (integers, so the counts are exact), and [`Judge`] tests the sums
//! with the same [`sweep::test_partner`] one machine uses, against the null model of the whole
//! data (its likes L and its like pairs within each window P_W, which are sums of
//! [`post_counts`] over the batches).
//!
//! What makes a batch's sweep the same as one machine's: every post of the batch has all its
//! likes; the accounts are numbered in the order of their first appearance in the whole input
//! (the job sorts each batch by it), so "the pair's first account" — whose like's slice the
//! giant-post cap looks at — is the same; idf uses the whole data's number of accounts.
//!
//! [`precomputed`] goes the other way for `lockstep detect --pairs`: from a pairs table's
//! per-window counts and the likes, it re-tests every pair, applies Benjamini–Hochberg with the
//! job's number of tested pairs, and gathers the details of the significant pairs with pass 2
//! — bit for bit what the full run keeps for detection.

use super::null::{self, NullModel, PostCounts};
use super::sweep::{self, Partner, Scratch, Tests};
use super::{
    ColikeError, MAX_WINDOWS, PairRecord, PartialPair, ProjectionSummary, Skipped, TestedPair, Window,
    WindowSpec, unpack_dt,
};
use crate::clock::Clock;
use crate::graph::LikeGraph;
use rayon::prelude::*;

/// Accounts per unit of parallel work in a partial sweep (a block's partial pairs are held in
/// memory until written: every partner of every account, not just the reported ones).
const PARTIAL_BLOCK: usize = 32;

/// The windows of a job as the batches see them: the order given, and the buckets (sorted,
/// without repeats) that partial counts are kept in.
#[derive(Debug, Clone, PartialEq)]
pub struct Buckets {
    /// Windows in the order given.
    pub windows: Vec<Window>,
    /// The buckets, ascending.
    pub sorted: Vec<Window>,
    /// For each window given, its bucket.
    pub user_to_sorted: Vec<usize>,
}

impl Buckets {
    /// Resolve `specs` against `clock`.
    pub fn new(clock: Clock, specs: &[WindowSpec]) -> Result<Self, ColikeError> {
        let (windows, sorted) = super::resolve_windows(clock, specs)?;
        Ok(Buckets {
            user_to_sorted: super::user_to_sorted(&windows, &sorted),
            windows,
            sorted,
        })
    }

    /// Number of buckets.
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    /// Always false (a job has at least one window).
    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }
}

/// One batch's sweep, without tests.
pub struct PartialSweep<'g> {
    plan: sweep::Plan<'g>,
}

impl<'g> PartialSweep<'g> {
    /// The sweep of `graph`, a batch of whole posts whose accounts are numbered in the order of
    /// the whole input; `n_accounts` is the number of accounts of the whole input (for idf).
    pub fn new(graph: &'g LikeGraph, buckets: &Buckets, cap: usize, n_accounts: usize) -> Self {
        let tests = Tests {
            user_to_sorted: buckets.user_to_sorted.clone(),
            nulls: Vec::new(),
            min_colikes: 1,
            report_ln_p: 0.0,
        };
        PartialSweep {
            plan: super::plan(graph, buckets.sorted.clone(), tests, n_accounts, cap),
        }
    }

    /// Sweep every account; `write` gets the partial pairs in account order, a few accounts at
    /// a time. Returns the pairs touched.
    pub fn run<E>(&self, mut write: impl FnMut(Vec<PartialPair>) -> Result<(), E>) -> Result<u64, E> {
        let n = self.plan.graph.n_accounts();
        let nb = self.plan.sorted.len();
        let per_round = PARTIAL_BLOCK * rayon::current_num_threads().max(1) * 2;
        let mut touched = 0u64;
        let mut start = 0usize;
        let pool: std::sync::Mutex<Vec<Scratch>> = std::sync::Mutex::new(Vec::new());
        while start < n {
            let end = (start + per_round).min(n);
            let blocks: Vec<(usize, usize)> = (start..end)
                .step_by(PARTIAL_BLOCK)
                .map(|s| (s, (s + PARTIAL_BLOCK).min(end)))
                .collect();
            let results: Vec<(Vec<PartialPair>, u64)> = blocks
                .par_iter()
                .map(|&(s, e)| {
                    let mut scratch = pool
                        .lock()
                        .ok()
                        .and_then(|mut p| p.pop())
                        .unwrap_or_else(|| Scratch::new(n, nb));
                    let mut out = Vec::new();
                    let mut t = 0u64;
                    for a in s..e {
                        t += sweep::sweep_account_partial(&self.plan, a as u32, &mut scratch, &mut out);
                    }
                    if let Ok(mut p) = pool.lock() {
                        p.push(scratch);
                    }
                    (out, t)
                })
                .collect();
            for (pairs, t) in results {
                touched += t;
                write(pairs)?;
            }
            start = end;
        }
        Ok(touched)
    }
}

/// What a batch of posts gives the null model and the giant-post report: [`PostCounts`] summed
/// over its posts (per bucket), with the posts that had a skipped like.
pub fn post_counts(graph: &LikeGraph, buckets: &Buckets, cap: usize) -> (PostCounts, u64) {
    let per_post: Vec<PostCounts> = (0..graph.n_posts() as u32)
        .into_par_iter()
        .map(|p| null::counted_pairs_of_post(graph.times(p), &buckets.sorted, cap))
        .collect();
    let mut total = PostCounts {
        twice: vec![0; buckets.len()],
        capped: vec![0; buckets.len()],
        ..PostCounts::default()
    };
    let mut skipped_posts = 0u64;
    for c in &per_post {
        total.add(c);
        skipped_posts += u64::from(c.skipped_likes > 0);
    }
    (total, skipped_posts)
}

/// Tests summed partial pairs against the null model of the whole data.
#[derive(Debug, Clone)]
pub struct Judge {
    tests: Tests,
}

impl Judge {
    /// The tests for `buckets`, the whole data's `likes` (L) and twice its like pairs within
    /// each bucket (the sums of [`PostCounts::twice`]); report levels as in
    /// [`super::ColikeParams`].
    pub fn new(
        buckets: &Buckets,
        likes: u64,
        twice_pairs: &[u64],
        min_colikes: u32,
        report_pvalue: f64,
    ) -> Self {
        Judge {
            tests: Tests {
                user_to_sorted: buckets.user_to_sorted.clone(),
                nulls: twice_pairs
                    .iter()
                    .map(|&t| NullModel {
                        likes: likes as f64,
                        pairs_within: t as f64 / 2.0,
                    })
                    .collect(),
                min_colikes: min_colikes.max(1),
                report_ln_p: super::report_ln_p(report_pvalue),
            },
        }
    }

    /// The pair's record when it is reported, from its summed parts and the two accounts' like
    /// counts. Its idf weight is the sum of the buckets' sums (one machine adds post by post:
    /// the same up to rounding).
    pub fn judge(&self, p: &PartialPair, da: usize, db: usize) -> Option<PairRecord> {
        let nb = self.tests.nulls.len();
        let mut cumulative = [0u32; MAX_WINDOWS];
        let mut running = 0u32;
        for (c, &n) in cumulative.iter_mut().zip(&p.counts[..nb]) {
            running = running.saturating_add(n);
            *c = running;
        }
        let (best, ln_p) = sweep::test_partner(&self.tests, &cumulative, da, db)?;
        let within: Vec<i64> = p
            .dts
            .iter()
            .map(|&code| unpack_dt(code))
            .filter(|&(_, bucket)| bucket <= best)
            .map(|(dt, _)| dt)
            .collect();
        Some(PairRecord {
            a: p.a,
            b: p.b,
            counts: sweep::user_counts(&self.tests, &cumulative),
            idf: p.idf[..=best].iter().sum(),
            a_first: p.a_first[..=best].iter().sum(),
            b_first: p.b_first[..=best].iter().sum(),
            median_dt: sweep::median_of_sorted(within.len(), |i| within[i]),
            expected: self.tests.nulls[best].expected(da, db),
            ln_p,
            best: self.tests.best_user(best),
        })
    }
}

/// Add `part` to `sum` (the same pair from another batch); keeps `sum.dts` sorted.
pub fn add_partial(sum: &mut PartialPair, part: &PartialPair) {
    for k in 0..MAX_WINDOWS {
        sum.counts[k] = sum.counts[k].saturating_add(part.counts[k]);
        sum.idf[k] += part.idf[k];
        sum.a_first[k] += part.a_first[k];
        sum.b_first[k] += part.b_first[k];
    }
    sum.dts.extend_from_slice(&part.dts);
    sum.dts.sort_unstable();
}

/// One row of a precomputed pairs table: the two accounts (ids of the likes' graph, either
/// order) and the co-likes within each window, in the order given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountedPair {
    /// One account.
    pub a: u32,
    /// The other.
    pub b: u32,
    /// Co-likes per window, in the order given.
    pub counts: [u32; MAX_WINDOWS],
}

/// What a cluster job says about the projection it made (`_lockstep.json` beside its pairs).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct JobSummary {
    /// Windows as given.
    pub windows: Vec<WindowSpec>,
    /// `--min-colikes` of the job.
    pub min_colikes: u32,
    /// `--max-post-likers` of the job.
    pub max_post_likers: usize,
    /// The report level of the job (1 = every pair with `min_colikes`).
    pub report_pvalue: f64,
    /// Pairs with at least one co-like counted at some window.
    pub tested_pairs: u64,
    /// Likes after merging repeats.
    pub likes: u64,
    /// Distinct accounts.
    pub accounts: u64,
    /// Twice the like pairs within each bucket (sorted windows).
    pub twice_pairs: Vec<u64>,
    /// Giant-post guard.
    pub skipped: Skipped,
    /// Likes capped per window, in the order given.
    pub capped_likes: Vec<u64>,
    /// Largest slice enumerated.
    pub max_slice: u64,
}

/// Why precomputed pairs cannot stand for the likes and parameters of a run.
fn mismatch(what: String) -> ColikeError {
    ColikeError::Window(format!(
        "the pairs do not match this run: {what}; make them again with the run's --window, --max-post-likers and --min-colikes (or give the run the job's)"
    ))
}

/// The projection of `graph` from precomputed per-window counts (`pairs`, with the job's
/// `summary`): every pair re-tested with `params`' windows and report levels, q-values over the
/// job's tested pairs, and the details of the pairs with q ≤ `fdr` gathered from the likes.
/// Returns the significant pairs (in account order) and the summary a full run would have.
pub fn precomputed(
    graph: &LikeGraph,
    params: &super::ColikeParams,
    fdr: f64,
    summary: &JobSummary,
    pairs: &[CountedPair],
) -> Result<(Vec<TestedPair>, ProjectionSummary, Vec<Window>), ColikeError> {
    let buckets = Buckets::new(graph.clock, &params.windows)?;
    if summary.windows != params.windows {
        return Err(mismatch(format!(
            "they were counted at --window {}, this run uses {}",
            labels(&summary.windows),
            labels(&params.windows)
        )));
    }
    if summary.max_post_likers != params.max_post_likers {
        return Err(mismatch(format!(
            "they were counted with --max-post-likers {}, this run uses {}",
            summary.max_post_likers, params.max_post_likers
        )));
    }
    let (counts, skipped_posts) = post_counts(graph, &buckets, params.max_post_likers);
    if summary.likes != graph.n_likes() as u64
        || summary.accounts != graph.n_accounts() as u64
        || summary.twice_pairs != counts.twice
    {
        return Err(mismatch(format!(
            "the job saw {} likes by {} accounts and like pairs within the windows {:?}; these likes have {} by {} and {:?}",
            summary.likes,
            summary.accounts,
            summary.twice_pairs,
            graph.n_likes(),
            graph.n_accounts(),
            counts.twice
        )));
    }
    if summary.min_colikes > params.min_colikes.max(1)
        || summary.report_pvalue < params.report_pvalue.min(1.0)
    {
        return Err(mismatch(format!(
            "the job reported pairs with ≥ {} co-likes and p ≤ {}, this run needs ≥ {} and p ≤ {}",
            summary.min_colikes, summary.report_pvalue, params.min_colikes, params.report_pvalue
        )));
    }
    let judge = Judge::new(
        &buckets,
        summary.likes,
        &summary.twice_pairs,
        params.min_colikes,
        params.report_pvalue,
    );
    let nb = buckets.len();
    // Re-test every pair in account order (the order of one machine's spill file).
    let mut ordered: Vec<CountedPair> = pairs
        .iter()
        .map(|p| CountedPair {
            a: p.a.min(p.b),
            b: p.a.max(p.b),
            counts: p.counts,
        })
        .collect();
    ordered.par_sort_unstable_by_key(|p| (p.a, p.b));
    if let Some(w) = ordered.windows(2).find(|w| (w[0].a, w[0].b) == (w[1].a, w[1].b)) {
        return Err(ColikeError::Window(format!(
            "the pairs table lists the pair {} – {} twice",
            graph.accounts[w[0].a as usize], graph.accounts[w[0].b as usize]
        )));
    }
    let tested: Vec<Option<Partner>> = ordered
        .par_iter()
        .map(|p| {
            let mut cumulative = [0u32; MAX_WINDOWS];
            for (u, &k) in buckets.user_to_sorted.iter().enumerate() {
                cumulative[k] = p.counts[u];
            }
            let (da, db) = (graph.account_degree(p.a), graph.account_degree(p.b));
            let (best, ln_p) = sweep::test_partner(&judge.tests, &cumulative, da, db)?;
            Some(Partner {
                b: p.b,
                counts: p.counts,
                best,
                ln_p,
            })
        })
        .collect();
    let reported: Vec<(u32, Partner)> = ordered
        .iter()
        .zip(tested)
        .filter_map(|(p, t)| t.map(|t| (p.a, t)))
        .collect();
    let ln_q = null::benjamini_hochberg_ln(reported.iter().map(|r| r.1.ln_p).collect(), summary.tested_pairs);
    let ln_fdr = fdr.ln();
    // The significant ones, grouped by their first account, get pass 2 from the likes.
    let mut by_account: Vec<(u32, Vec<Partner>, Vec<f64>)> = Vec::new();
    for ((a, partner), &q) in reported.into_iter().zip(&ln_q) {
        if q > ln_fdr {
            continue;
        }
        match by_account.last_mut() {
            Some((last, ps, qs)) if *last == a => {
                ps.push(partner);
                qs.push(q);
            }
            _ => by_account.push((a, vec![partner], vec![q])),
        }
    }
    let tests = Tests {
        user_to_sorted: buckets.user_to_sorted.clone(),
        nulls: judge.tests.nulls.clone(),
        min_colikes: judge.tests.min_colikes,
        report_ln_p: judge.tests.report_ln_p,
    };
    let plan = super::plan(
        graph,
        buckets.sorted.clone(),
        tests,
        graph.n_accounts(),
        params.max_post_likers,
    );
    let pool: std::sync::Mutex<Vec<Scratch>> = std::sync::Mutex::new(Vec::new());
    let significant: Vec<TestedPair> = by_account
        .into_par_iter()
        .flat_map_iter(|(a, partners, qs)| {
            let mut scratch = pool
                .lock()
                .ok()
                .and_then(|mut p| p.pop())
                .unwrap_or_else(|| Scratch::new(graph.n_accounts(), nb));
            let mut records = Vec::with_capacity(partners.len());
            sweep::detail_partners(&plan, a, &mut scratch, partners, &mut records);
            if let Ok(mut p) = pool.lock() {
                p.push(scratch);
            }
            records
                .into_iter()
                .zip(qs)
                .map(|(record, q)| TestedPair { record, q: q.exp() })
                .collect::<Vec<_>>()
        })
        .collect();
    let by_window: Vec<f64> = buckets
        .user_to_sorted
        .iter()
        .map(|&k| counts.twice[k] as f64 / 2.0)
        .collect();
    let projection = ProjectionSummary {
        windows: params.windows.clone(),
        tested_pairs: summary.tested_pairs,
        reported_pairs: ln_q.len() as u64,
        significant_pairs: significant.len() as u64,
        skipped: Skipped {
            posts: skipped_posts,
            likes: counts.skipped_likes,
        },
        capped_likes: buckets.user_to_sorted.iter().map(|&k| counts.capped[k]).collect(),
        null_pairs_within: by_window[0],
        null_pairs_by_window: by_window,
        null_likes: graph.n_likes() as f64,
        max_slice: counts.max_slice,
    };
    Ok((significant, projection, buckets.windows))
}

fn labels(windows: &[WindowSpec]) -> String {
    windows.iter().map(|w| w.label()).collect::<Vec<_>>().join(",")
}
