//! Twins: accounts that liked exactly, or almost exactly, the same posts.
//!
//! Jahn, L. & Rendsvig, R. K. (2023). *Towards Detecting Inauthentic Coordination in Twitter
//! Likes Data.* arXiv:2305.07384 — grouped accounts with **identical** binary like vectors.
//! Near-identical sets are found with MinHash and LSH banding: Broder, A. Z. (1997). *On the
//! resemblance and containment of documents.* Compression and Complexity of Sequences, 21–29;
//! banding as in Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, ch. 3.
//!
//! Only accounts with at least `min_likes` distinct liked posts take part (a set of one or two
//! posts is shared by chance far too often).
//!
//! 1. **Exact twins**: each account's sorted post ids are hashed; accounts are sorted by (hash,
//!    set) so identical sets are adjacent, and equality is checked on the sets themselves (a
//!    hash collision never merges different sets).
//! 2. **Near twins** (when `threshold` < 1): one representative per distinct set gets a MinHash
//!    signature of `num_hashes` values split into `bands` bands of r = num_hashes / bands rows;
//!    two sets sharing a band's r values are candidates. The chance that a pair with Jaccard J
//!    becomes a candidate is 1 − (1 − J^r)^bands: with the defaults (64 hashes, 16 bands of 4)
//!    0.9998 at J = 0.8 and 0.64 at J = 0.5. Every candidate is then **verified exactly**
//!    (Jaccard of the sorted sets ≥ `threshold`), so MinHash can miss a pair but never adds a
//!    false one. A bucket of more than 64 sets (a large farm of near-copies) is not expanded
//!    into all its pairs: each set is compared with the next 16 in the bucket, which still chains
//!    the bucket together. No all-versus-all comparison happens anywhere.
//! 3. **Groups**: petgraph's union–find joins identical sets and verified pairs; a group is a
//!    connected component (single linkage: every member is within the threshold of at least one
//!    other member, not necessarily of all).
//!
//! The MinHash functions are h_i(p) = mix64(k_i ⊕ p) with k_i = mix64(seed + (i + 1) ·
//! 0x9E3779B97F4A7C15) (Steele, Lea & Flood 2014's SplitMix64 finaliser), so results depend on
//! the seed only, never on the number of threads. Time O(likes · num_hashes / threads + verified
//! candidates); memory O(likes) (the sets, one band of keys at a time, and the candidates).

use petgraph::unionfind::UnionFind;
use rayon::prelude::*;

use crate::graph::LikeGraph;
use crate::rng::{GOLDEN, mix64};
use serde::{Deserialize, Serialize};

/// Parameters of [`twins`] (in the tree: `detect.twins`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TwinParams {
    /// Accounts with fewer distinct liked posts are ignored (at least 1): two accounts that
    /// each liked the same two or three posts are too common to mean anything.
    pub min_likes: usize,
    /// Smallest Jaccard similarity for near twins; 1 (or more) means exact twins only.
    pub threshold: f64,
    /// MinHash functions (0 means exact twins only).
    pub num_hashes: usize,
    /// LSH bands; each has `num_hashes / bands` rows. 16 bands of 4 rows find pairs of Jaccard
    /// 0.8 with probability 1 − (1 − 0.8⁴)¹⁶ > 0.9999.
    pub bands: usize,
    /// A bucket holding more sets than this has each set compared with only `chain` followers
    /// (a popular like set would otherwise cost quadratic time).
    pub max_bucket: usize,
    /// See `max_bucket`.
    pub chain: usize,
    /// Seed of the MinHash functions: set from the run's seed.
    #[serde(skip)]
    pub seed: u64,
}

impl Default for TwinParams {
    fn default() -> Self {
        TwinParams {
            min_likes: 5,
            threshold: 0.8,
            num_hashes: 64,
            bands: 16,
            max_bucket: 64,
            chain: 16,
            seed: 0,
        }
    }
}

/// A group of accounts with identical or near-identical liked posts.
#[derive(Debug, Clone, PartialEq)]
pub struct TwinGroup {
    /// Account ids, ascending.
    pub accounts: Vec<u32>,
    /// The posts every member liked (the intersection), ascending.
    pub posts: Vec<u32>,
    /// All members liked exactly the same set of posts.
    pub exact: bool,
    /// The smallest Jaccard similarity among the pairs that joined the group (1 for exact
    /// groups).
    pub min_jaccard: f64,
}

/// The key of MinHash function `i` for `seed`.
fn hash_key(seed: u64, i: usize) -> u64 {
    mix64(seed.wrapping_add((i as u64 + 1).wrapping_mul(GOLDEN)))
}

/// Each eligible account's sorted, distinct posts, as one flat array.
struct LikeSets {
    flat: Vec<u32>,
    offsets: Vec<usize>,
    account: Vec<u32>,
}

impl LikeSets {
    /// The sets of the accounts with at least `min_likes` distinct posts.
    fn of(graph: &LikeGraph, min_likes: usize) -> Self {
        let sets: Vec<(u32, Vec<u32>)> = (0..graph.n_accounts() as u32)
            .into_par_iter()
            .filter(|&a| graph.account_degree(a) >= min_likes)
            .filter_map(|a| {
                let mut s: Vec<u32> = graph
                    .account_likes(a)
                    .iter()
                    .map(|&l| graph.like_post(l))
                    .collect();
                s.sort_unstable();
                s.dedup();
                (s.len() >= min_likes).then_some((a, s))
            })
            .collect();
        let mut out = LikeSets {
            flat: Vec::with_capacity(sets.iter().map(|s| s.1.len()).sum()),
            offsets: Vec::with_capacity(sets.len() + 1),
            account: Vec::with_capacity(sets.len()),
        };
        out.offsets.push(0);
        for (a, s) in sets {
            out.flat.extend_from_slice(&s);
            out.offsets.push(out.flat.len());
            out.account.push(a);
        }
        out
    }

    fn len(&self) -> usize {
        self.account.len()
    }

    fn set(&self, i: usize) -> &[u32] {
        &self.flat[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Exact twins: sort by (hash, set, account), equal sets are adjacent. Returns the class
    /// (index among the representatives) of each set, and the representatives: the first
    /// (smallest account) of each run of identical sets.
    fn exact_classes(&self) -> (Vec<u32>, Vec<u32>) {
        let n = self.len();
        let hashes: Vec<u64> = (0..n)
            .into_par_iter()
            .map(|i| {
                self.set(i)
                    .iter()
                    .fold(self.set(i).len() as u64, |h, &p| mix64(h ^ p as u64))
            })
            .collect();
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.par_sort_unstable_by(|&x, &y| {
            let (x, y) = (x as usize, y as usize);
            hashes[x]
                .cmp(&hashes[y])
                .then_with(|| self.set(x).cmp(self.set(y)))
                .then(self.account[x].cmp(&self.account[y]))
        });
        let mut class_of = vec![0u32; n];
        let mut reps: Vec<u32> = Vec::new();
        for (k, &i) in order.iter().enumerate() {
            let i = i as usize;
            if k == 0 || self.set(order[k - 1] as usize) != self.set(i) {
                reps.push(i as u32);
            }
            class_of[i] = reps.len() as u32 - 1;
        }
        (class_of, reps)
    }

    /// Near twins among the representatives: candidate pairs from MinHash LSH bands, verified
    /// exactly; (u, v, Jaccard) with u < v indices into `reps`.
    fn near_pairs(&self, reps: &[u32], threshold: f64, params: &TwinParams) -> Vec<(u32, u32, f64)> {
        if threshold >= 1.0 || params.num_hashes == 0 || params.bands == 0 || reps.len() < 2 {
            return Vec::new();
        }
        let bands = params.bands.min(params.num_hashes);
        let rows = params.num_hashes / bands;
        let mut candidates: Vec<u64> = Vec::new();
        for b in 0..bands {
            let keys: Vec<u64> = (0..rows).map(|r| hash_key(params.seed, b * rows + r)).collect();
            let mut band: Vec<(u64, u32)> = reps
                .par_iter()
                .enumerate()
                .map(|(r, &i)| {
                    let s = self.set(i as usize);
                    let sig = keys.iter().fold(b as u64, |acc, &k| {
                        let m = s.iter().map(|&p| mix64(k ^ p as u64)).min().unwrap_or(u64::MAX);
                        mix64(acc ^ m)
                    });
                    (sig, r as u32)
                })
                .collect();
            band.par_sort_unstable();
            for run in band.chunk_by(|x, y| x.0 == y.0).filter(|r| r.len() > 1) {
                let reach = if run.len() > params.max_bucket {
                    params.chain
                } else {
                    run.len()
                };
                for (x, &(_, u)) in run.iter().enumerate() {
                    for &(_, v) in &run[x + 1..run.len().min(x + 1 + reach)] {
                        candidates.push(((u.min(v) as u64) << 32) | u.max(v) as u64);
                    }
                }
            }
        }
        candidates.par_sort_unstable();
        candidates.dedup();
        candidates
            .into_par_iter()
            .filter_map(|c| {
                let (u, v) = ((c >> 32) as u32, (c & 0xFFFF_FFFF) as u32);
                let j = jaccard_at_least(
                    self.set(reps[u as usize] as usize),
                    self.set(reps[v as usize] as usize),
                    threshold,
                )?;
                Some((u, v, j))
            })
            .collect()
    }
}

/// Find exact and near-identical like sets.
pub fn twins(graph: &LikeGraph, params: &TwinParams) -> Vec<TwinGroup> {
    let sets = LikeSets::of(graph, params.min_likes.max(1));
    let (class_of, reps) = sets.exact_classes();
    let threshold = if params.threshold.is_nan() {
        1.0
    } else {
        params.threshold.max(0.0)
    };
    let verified = sets.near_pairs(&reps, threshold, params);
    // Groups: union–find over representatives.
    let mut uf: UnionFind<u32> = UnionFind::new(reps.len());
    for &(u, v, _) in &verified {
        uf.union(u, v);
    }
    let root: Vec<u32> = (0..reps.len() as u32).map(|r| uf.find_mut(r)).collect();
    let mut min_j = vec![1.0f64; reps.len()];
    for &(u, _, j) in &verified {
        let r = root[u as usize] as usize;
        min_j[r] = min_j[r].min(j);
    }
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); reps.len()];
    for i in 0..sets.len() {
        members[root[class_of[i] as usize] as usize].push(sets.account[i]);
    }
    let mut rep_sets: Vec<Vec<u32>> = vec![Vec::new(); reps.len()];
    for (q, &r) in root.iter().enumerate() {
        rep_sets[r as usize].push(q as u32);
    }
    let mut groups: Vec<TwinGroup> = members
        .into_iter()
        .zip(rep_sets)
        .enumerate()
        .filter(|(_, (m, _))| m.len() > 1)
        .map(|(r, (mut accounts, qs))| {
            accounts.sort_unstable();
            let mut posts = sets.set(reps[qs[0] as usize] as usize).to_vec();
            for &q in &qs[1..] {
                posts = intersect(&posts, sets.set(reps[q as usize] as usize));
            }
            let exact = qs.len() == 1;
            TwinGroup {
                accounts,
                posts,
                exact,
                min_jaccard: if exact { 1.0 } else { min_j[r] },
            }
        })
        .collect();
    groups.sort_by(|x, y| {
        y.accounts
            .len()
            .cmp(&x.accounts.len())
            .then(x.accounts[0].cmp(&y.accounts[0]))
    });
    groups
}

/// What [`near_duplicate_pairs`] finds: each set's class, the first set of each class, and the
/// verified pairs of classes (u, v, Jaccard).
pub type NearDuplicates = (Vec<u32>, Vec<u32>, Vec<(u32, u32, f64)>);

/// Near-identical sets among arbitrary sorted, distinct id lists (the texts of
/// [`crate::comments`], as sets of word ids), with the same exact classes, MinHash LSH and exact
/// verification as [`twins`]: each set's class (identical sets share one), the first set of
/// each class, and the verified pairs of classes (u < v, Jaccard ≥ the threshold). Empty sets
/// are classes of their own and in no pair.
pub fn near_duplicate_pairs(sets: &[Vec<u32>], params: &TwinParams) -> NearDuplicates {
    let mut flat = LikeSets {
        flat: Vec::with_capacity(sets.iter().map(Vec::len).sum()),
        offsets: Vec::with_capacity(sets.len() + 1),
        account: (0..sets.len() as u32).collect(),
    };
    flat.offsets.push(0);
    for s in sets {
        flat.flat.extend_from_slice(s);
        flat.offsets.push(flat.flat.len());
    }
    let (mut class_of, mut reps) = flat.exact_classes();
    // Empty sets are alike only in having nothing: each its own class.
    for i in 0..sets.len() {
        if sets[i].is_empty() && reps[class_of[i] as usize] as usize != i {
            class_of[i] = reps.len() as u32;
            reps.push(i as u32);
        }
    }
    let threshold = if params.threshold.is_nan() {
        1.0
    } else {
        params.threshold.max(0.0)
    };
    let pairs = flat
        .near_pairs(&reps, threshold, params)
        .into_iter()
        .filter(|&(u, v, _)| {
            !sets[reps[u as usize] as usize].is_empty() && !sets[reps[v as usize] as usize].is_empty()
        })
        .collect();
    (class_of, reps, pairs)
}

/// Jaccard similarity of two sorted, distinct lists.
pub fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let common = intersect_len(a, b);
    let union = a.len() + b.len() - common;
    if union == 0 {
        1.0
    } else {
        common as f64 / union as f64
    }
}

/// The Jaccard similarity if it is at least `t` (checked cheaply on the sizes first).
fn jaccard_at_least(a: &[u32], b: &[u32], t: f64) -> Option<f64> {
    let (lo, hi) = (a.len().min(b.len()) as f64, a.len().max(b.len()) as f64);
    if hi > 0.0 && lo / hi < t - ROUNDING {
        return None;
    }
    let j = jaccard(a, b);
    (j >= t - ROUNDING).then_some(j)
}

/// Room for floating-point rounding when a Jaccard similarity is compared with the threshold.
const ROUNDING: f64 = 1e-12;

/// |a ∩ b| of two ascending id lists.
pub(crate) fn intersect_len(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut k) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                k += 1;
                i += 1;
                j += 1;
            }
        }
    }
    k
}

fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The defaults with accounts of three likes and more (the hand-made sets are small).
    fn hand_params() -> TwinParams {
        TwinParams {
            min_likes: 3,
            ..TwinParams::default()
        }
    }
    use crate::input::Clock;
    use proptest::prelude::*;

    fn graph(n_accounts: usize, n_posts: usize, sets: &[(u32, &[u32])]) -> LikeGraph {
        let likes: Vec<(u32, u32, i64)> = sets
            .iter()
            .flat_map(|&(a, posts)| posts.iter().map(move |&p| (a, p)))
            .enumerate()
            .map(|(i, (a, p))| (a, p, i as i64))
            .collect();
        LikeGraph::for_tests(n_accounts, n_posts, Clock::Timestamps, &likes)
    }

    /// a0, a1, a2 liked p0–p3; a3 liked p0–p4 (Jaccard 4/5 = 0.8 with them); a4 liked only p0,
    /// p1 (below min_likes); a5, a6 liked p5–p7; a7 liked p5, p6, p8, p9 (Jaccard 2/5 with a5);
    /// a8 liked p10–p12 and a9 p10–p15 (Jaccard 3/6 = 0.5).
    fn hand() -> LikeGraph {
        graph(
            10,
            16,
            &[
                (0, &[0, 1, 2, 3]),
                (1, &[3, 2, 1, 0]),
                (2, &[0, 1, 2, 3]),
                (3, &[0, 1, 2, 3, 4]),
                (4, &[0, 1]),
                (5, &[5, 6, 7]),
                (6, &[7, 6, 5]),
                (7, &[5, 6, 8, 9]),
                (8, &[10, 11, 12]),
                (9, &[10, 11, 12, 13, 14, 15]),
            ],
        )
    }

    #[test]
    fn exact_and_near_twins_by_hand() {
        let g = hand();
        let groups = twins(&g, &hand_params());
        assert_eq!(
            groups,
            vec![
                TwinGroup {
                    accounts: vec![0, 1, 2, 3],
                    posts: vec![0, 1, 2, 3],
                    exact: false,
                    min_jaccard: 0.8,
                },
                TwinGroup {
                    accounts: vec![5, 6],
                    posts: vec![5, 6, 7],
                    exact: true,
                    min_jaccard: 1.0,
                },
            ]
        );
        // Exact only.
        let exact = twins(
            &g,
            &TwinParams {
                threshold: 1.0,
                ..hand_params()
            },
        );
        assert_eq!(exact.len(), 2);
        assert_eq!((exact[0].accounts.clone(), exact[0].exact), (vec![0, 1, 2], true));
        assert_eq!((exact[1].accounts.clone(), exact[1].exact), (vec![5, 6], true));
        // min_likes 2 lets a4 in, but {p0, p1} is at Jaccard 0.5 from a0: still apart.
        let two = twins(
            &g,
            &TwinParams {
                min_likes: 2,
                ..hand_params()
            },
        );
        assert!(two.iter().all(|t| !t.accounts.contains(&4)));
    }

    #[test]
    fn a_pair_at_jaccard_one_half_is_grouped_only_below_one_half() {
        let g = hand();
        // One row per band: every pair sharing any minimum is a candidate.
        let sure = |threshold: f64| TwinParams {
            threshold,
            num_hashes: 64,
            bands: 64,
            ..hand_params()
        };
        let at_08 = twins(&g, &sure(0.8));
        assert!(
            at_08
                .iter()
                .all(|t| !t.accounts.contains(&8) && !t.accounts.contains(&9))
        );
        let at_05 = twins(&g, &sure(0.5));
        let pair = at_05.iter().find(|t| t.accounts.contains(&8)).unwrap();
        assert_eq!(pair.accounts, vec![8, 9]);
        assert_eq!(pair.posts, vec![10, 11, 12]);
        assert_eq!(pair.min_jaccard, 0.5);
        assert!(!pair.exact);
        // a7 (Jaccard 0.4 with a5, a6) stays out even at 0.5.
        assert!(at_05.iter().all(|t| !t.accounts.contains(&7)));
    }

    #[test]
    fn degenerate_inputs() {
        let empty = graph(0, 0, &[]);
        assert!(twins(&empty, &hand_params()).is_empty());
        let g = hand();
        let odd = TwinParams {
            min_likes: 0,
            threshold: f64::NAN,
            num_hashes: 0,
            bands: 0,
            seed: 1,
            ..hand_params()
        };
        // NaN threshold = exact only; min_likes 0 counts as 1.
        let groups = twins(&g, &odd);
        assert_eq!(groups.len(), 2);
        assert!(groups.iter().all(|t| t.exact));
        let more_bands = TwinParams {
            num_hashes: 4,
            bands: 9,
            ..hand_params()
        };
        assert!(!twins(&g, &more_bands).is_empty());
        assert_eq!(jaccard(&[], &[]), 1.0);
        assert_eq!(jaccard(&[1, 2], &[2, 3]), 1.0 / 3.0);
    }

    #[test]
    fn independent_of_thread_count_and_deterministic_for_a_seed() {
        // 40 accounts in 8 families of near-copies of a random 12-post set, plus noise.
        let mut sets: Vec<(u32, Vec<u32>)> = Vec::new();
        let mut x = 12345u64;
        let mut next = || {
            x = mix64(x);
            x
        };
        for fam in 0..8u32 {
            let base: Vec<u32> = (0..12).map(|_| (next() % 200) as u32).collect();
            for k in 0..5u32 {
                let mut s = base.clone();
                if k > 0 {
                    s[(next() % 12) as usize] = 200 + fam * 5 + k;
                }
                sets.push((fam * 5 + k, s));
            }
        }
        let borrowed: Vec<(u32, &[u32])> = sets.iter().map(|(a, s)| (*a, s.as_slice())).collect();
        let g = graph(40, 240, &borrowed);
        let p = TwinParams {
            threshold: 0.7,
            ..hand_params()
        };
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| twins(&g, &p))
        };
        let one = run(1);
        assert_eq!(run(2), one);
        assert_eq!(run(3), one);
        assert_eq!(twins(&g, &p), one);
        assert!(one.len() >= 6, "{one:?}");
    }

    #[test]
    fn near_duplicate_pairs_of_plain_sets() {
        // {0,1,2,3} twice (one class); {0,1,2,3,4} at 0.8 from it; {5,6} alone; two empty sets.
        let sets = vec![
            vec![0, 1, 2, 3, 4],
            vec![5, 6],
            vec![0, 1, 2, 3],
            vec![],
            vec![0, 1, 2, 3],
            vec![],
        ];
        let p = TwinParams {
            threshold: 0.75,
            num_hashes: 64,
            bands: 64,
            ..hand_params()
        };
        let (class_of, reps, pairs) = near_duplicate_pairs(&sets, &p);
        assert_eq!(class_of[2], class_of[4]);
        assert_ne!(class_of[3], class_of[5], "empty sets are apart");
        assert_eq!(reps.len(), 5);
        let (c0, c2) = (class_of[0].min(class_of[2]), class_of[0].max(class_of[2]));
        assert_eq!(pairs, vec![(c0, c2, 0.8)]);
        let exact = TwinParams { threshold: 1.0, ..p };
        assert!(near_duplicate_pairs(&sets, &exact).2.is_empty());
    }

    fn worlds() -> impl Strategy<Value = Vec<Vec<u32>>> {
        // Accounts built from a few base sets with small edits, so near twins occur.
        proptest::collection::vec(
            (0usize..3, proptest::collection::vec(0u32..12, 0..3), 0usize..2),
            0..14,
        )
        .prop_map(|spec| {
            let bases: [&[u32]; 3] = [&[0, 1, 2, 3, 4], &[5, 6, 7], &[8, 9, 10, 11, 0, 1]];
            spec.into_iter()
                .map(|(b, extra, drop)| {
                    let mut s: Vec<u32> = bases[b][drop..].to_vec();
                    s.extend(extra);
                    s.sort_unstable();
                    s.dedup();
                    s
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn groups_meet_the_threshold_and_miss_nothing_with_one_row_bands(sets in worlds(), t in 0.5f64..1.0) {
            let borrowed: Vec<(u32, &[u32])> = sets.iter().enumerate().map(|(a, s)| (a as u32, s.as_slice())).collect();
            let g = graph(sets.len(), 12, &borrowed);
            let p = TwinParams { threshold: t, num_hashes: 64, bands: 64, min_likes: 3, seed: 9, ..hand_params() };
            let groups = twins(&g, &p);
            let mut seen = std::collections::HashSet::new();
            let group_of = |a: usize| groups.iter().position(|x| x.accounts.contains(&(a as u32)));
            for grp in &groups {
                prop_assert!(grp.accounts.len() >= 2 && grp.accounts.is_sorted());
                prop_assert!(grp.min_jaccard >= t - 1e-12);
                let mut inter: Option<Vec<u32>> = None;
                for &a in &grp.accounts {
                    prop_assert!(seen.insert(a), "account {a} in two groups");
                    let s = &sets[a as usize];
                    prop_assert!(s.len() >= 3);
                    let best = grp.accounts.iter().filter(|&&b| b != a)
                        .map(|&b| jaccard(s, &sets[b as usize])).fold(0.0, f64::max);
                    prop_assert!(best >= t - 1e-12, "account {a}: best Jaccard {best}");
                    inter = Some(match inter { None => s.clone(), Some(i) => intersect(&i, s) });
                    if grp.exact {
                        prop_assert_eq!(s, &sets[grp.accounts[0] as usize]);
                    }
                }
                prop_assert_eq!(&grp.posts, inter.as_ref().unwrap());
            }
            // With one row per band and 64 bands, every qualifying pair is found.
            for a in 0..sets.len() {
                for b in a + 1..sets.len() {
                    if sets[a].len() >= 3 && sets[b].len() >= 3 && jaccard(&sets[a], &sets[b]) >= t {
                        prop_assert!(group_of(a).is_some() && group_of(a) == group_of(b), "{a} {b}");
                    }
                }
            }
        }
    }
}
