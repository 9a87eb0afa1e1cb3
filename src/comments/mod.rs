//! The text stage: accounts that write near-duplicate comments — the same suggested text,
//! lightly varied — as an evidence layer of its own (`docs/method.md`, "Near-duplicate
//! comments").
//!
//! 1. [`normalise`]: each text becomes its set of words (case, punctuation, emoji, styled
//!    letters and word order removed; retweet copies and texts without words take no part);
//! 2. [`families`]: texts whose word sets are near-identical are one family (MinHash LSH,
//!    every candidate verified exactly);
//! 3. [`pairs`]: for every pair of accounts that wrote texts of the same family, the families
//!    both wrote within each window, tested against a null that knows how common each family
//!    is, with the false discovery rate controlled over the pairs;
//! 4. detection ([`crate::detect::texts`]) forms candidate groups from the significant pairs
//!    and judges every group on the texts its members share against the texts of the other
//!    accounts commenting on the same posts.
//!
//! Deterministic: word ids follow the order of the texts, MinHash is seeded by the run's seed,
//! pairs are tested in (a, b) order; nothing depends on the number of threads.

pub mod families;
pub mod normalise;
pub mod pairs;

pub use families::{Family, NO_FAMILY};
pub use pairs::PairCounts;

use crate::colike::{TestedPair, Window};
use crate::graph::LikeGraph;
use crate::input::Comments;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Parameters of the text stage (in the tree: `comments`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CommentParams {
    /// Compare texts at all (when the data has a text column).
    pub enabled: bool,
    /// Smallest Jaccard similarity of two texts' word sets for them to be variants of one
    /// text: one word swapped in a five-word text keeps 4/6 = 0.67, in a twelve-word text
    /// 11/13 = 0.85; two short texts that share one word of three ("nice video", "nice
    /// song") stay apart (1/3).
    pub similarity: f64,
    /// MinHash functions.
    pub num_hashes: usize,
    /// LSH bands of `num_hashes / bands` rows: 20 bands of 3 make a candidate of a pair at
    /// Jaccard 0.6 with probability 1 − (1 − 0.6³)²⁰ = 0.992 (and at 0.3 with 0.42, every
    /// candidate then checked exactly).
    pub bands: usize,
    /// A bucket holding more texts than this has each compared with only `chain` followers.
    pub max_bucket: usize,
    /// See `max_bucket`.
    pub chain: usize,
    /// Families whose template has fewer words take no part in pairs, nor in a group's test:
    /// a short phrase is an idiom any community shares ("love you anna", "never misses",
    /// "so cute omg"), not a suggested text; and the short universal comments ("nice", "first",
    /// "wow", "❤️❤️") can never make a pair or a group.
    pub min_words: usize,
    /// A family takes part in a pair's test only when the other account would write it by
    /// chance with at most this probability: a text one active account in five writes says
    /// little, and counting such texts would drown the rare ones.
    pub informative: f64,
    /// Pairs are enumerated only from families written by at most this many accounts, and
    /// at most `max_family_share` of the accounts that write (common families still count for
    /// pairs found through a rarer one): a family one account in twenty writes is shared by
    /// chance by any two of them, and its pairs would only add tests that cannot succeed.
    pub max_family_accounts: usize,
    /// See `max_family_accounts`.
    pub max_family_share: f64,
    /// The share cap never goes below this many accounts: in a small data set the share is a
    /// handful of accounts, fewer than a farm, and enumerating a family of this size is cheap
    /// (at most 1 225 pairs).
    pub min_family_cap: usize,
    /// Pairs are kept (for detection) when their p-value is at most this; the BH q-values
    /// below it are exact.
    pub report_pvalue: f64,
}

impl Default for CommentParams {
    fn default() -> Self {
        CommentParams {
            enabled: true,
            similarity: 0.6,
            num_hashes: 60,
            bands: 20,
            max_bucket: 64,
            chain: 16,
            min_words: 4,
            informative: 0.2,
            max_family_accounts: 1_000,
            max_family_share: 0.05,
            min_family_cap: 50,
            report_pvalue: 0.05,
        }
    }
}

/// What the text stage counted, for messages and the manifest.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TextSummary {
    /// Comments (rows with a text).
    pub comments: u64,
    /// Distinct texts.
    pub texts: u64,
    /// Comments with no words (emoji only, punctuation) or copied by a retweet.
    pub comments_without_words: u64,
    /// Families of near-duplicate texts.
    pub families: u64,
    /// Families written by at least two accounts.
    pub shared_families: u64,
    /// Accounts that wrote at least one text with words.
    pub accounts: u64,
    /// The pair stage.
    pub pairs: PairCounts,
}

/// The texts, their families and who wrote what: what detection reads.
#[derive(Debug, Clone)]
pub struct TextStage {
    /// The comments as read.
    pub comments: Arc<Comments>,
    /// The family of each distinct text, or [`NO_FAMILY`].
    pub family_of_text: Vec<u32>,
    /// The families.
    pub families: Vec<Family>,
    /// Each account's uses (family, time, comment index), sorted; `account_offsets` (one per
    /// account + 1) delimit them.
    pub uses: Vec<(u32, i64, u32)>,
    /// See `uses`.
    pub account_offsets: Vec<usize>,
    /// Distinct families of each account (m_a).
    pub family_count: Vec<u32>,
    /// Accounts that wrote a family (A).
    pub active: usize,
    /// Mean families per active account (m̄).
    pub mean_families: f64,
    /// Accounts of each family, ascending (CSR by family).
    family_offsets: Vec<usize>,
    family_members: Vec<u32>,
    /// Accounts that wrote a family text on each post, ascending (CSR by post).
    post_offsets: Vec<usize>,
    post_members: Vec<u32>,
    /// The significant pairs, in (a, b) order.
    pub significant: Vec<TestedPair>,
    /// Families with fewer words take no part in tests ([`CommentParams::min_words`]).
    pub min_words: usize,
    /// Counts.
    pub summary: TextSummary,
}

impl TextStage {
    /// The accounts that wrote family `k`, ascending.
    pub fn family_accounts(&self, k: u32) -> &[u32] {
        &self.family_members[self.family_offsets[k as usize]..self.family_offsets[k as usize + 1]]
    }

    /// The accounts that wrote a text with words on post `p`, ascending.
    pub fn post_accounts(&self, p: u32) -> &[u32] {
        match (
            self.post_offsets.get(p as usize),
            self.post_offsets.get(p as usize + 1),
        ) {
            (Some(&s), Some(&e)) => &self.post_members[s..e],
            _ => &[],
        }
    }

    /// The uses of account `a`: (family, time, comment index), sorted.
    pub fn account_uses(&self, a: u32) -> &[(u32, i64, u32)] {
        match (
            self.account_offsets.get(a as usize),
            self.account_offsets.get(a as usize + 1),
        ) {
            (Some(&s), Some(&e)) => &self.uses[s..e],
            _ => &[],
        }
    }

    /// The text of a comment, as written.
    pub fn comment_text(&self, comment: u32) -> &str {
        &self.comments.texts[self.comments.text[comment as usize] as usize]
    }

    /// True when family `k`'s template has at least `min_words` words (see
    /// [`CommentParams::min_words`]).
    pub fn is_long(&self, k: u32) -> bool {
        self.families[k as usize].words as usize >= self.min_words
    }

    /// The template of family `k`, as written.
    pub fn template(&self, k: u32) -> &str {
        &self.comments.texts[self.families[k as usize].template as usize]
    }

    /// Build the indices over `comments` (families decided, pairs not yet tested).
    fn index(
        comments: Arc<Comments>,
        n_accounts: usize,
        n_posts: usize,
        params: &CommentParams,
        seed: u64,
    ) -> Self {
        let (family_of_text, families) = families::families(&comments, params, seed);
        let family = |i: usize| family_of_text[comments.text[i] as usize];
        let mut with_account: Vec<(u32, u32, i64, u32)> = (0..comments.len())
            .filter(|&i| family(i) != NO_FAMILY)
            .map(|i| (comments.account[i], family(i), comments.time[i], i as u32))
            .collect();
        let without = comments.len() - with_account.len();
        with_account.sort_unstable();
        let mut account_offsets = vec![0usize; n_accounts + 1];
        for u in &with_account {
            account_offsets[u.0 as usize + 1] += 1;
        }
        for i in 0..n_accounts {
            account_offsets[i + 1] += account_offsets[i];
        }
        let uses: Vec<(u32, i64, u32)> = with_account.iter().map(|u| (u.1, u.2, u.3)).collect();
        let mut family_count = vec![0u32; n_accounts];
        for a in 0..n_accounts {
            let u = &uses[account_offsets[a]..account_offsets[a + 1]];
            family_count[a] = u.chunk_by(|x, y| x.0 == y.0).count() as u32;
        }
        let active = family_count.iter().filter(|&&m| m > 0).count();
        let mean_families = if active == 0 {
            0.0
        } else {
            family_count.iter().map(|&m| m as f64).sum::<f64>() / active as f64
        };
        let mut by_family: Vec<(u32, u32)> = with_account.iter().map(|u| (u.1, u.0)).collect();
        by_family.sort_unstable();
        by_family.dedup();
        let (family_offsets, family_members) = csr(families.len(), &by_family);
        let mut by_post: Vec<(u32, u32)> = with_account
            .iter()
            .map(|u| (comments.post[u.3 as usize], u.0))
            .collect();
        by_post.sort_unstable();
        by_post.dedup();
        let (post_offsets, post_members) = csr(n_posts, &by_post);
        let summary = TextSummary {
            comments: comments.len() as u64,
            texts: comments.texts.len() as u64,
            comments_without_words: without as u64,
            families: families.len() as u64,
            shared_families: families.iter().filter(|f| f.accounts >= 2).count() as u64,
            accounts: active as u64,
            pairs: PairCounts::default(),
        };
        TextStage {
            comments,
            family_of_text,
            families,
            uses,
            account_offsets,
            family_count,
            active,
            mean_families,
            family_offsets,
            family_members,
            post_offsets,
            post_members,
            significant: Vec::new(),
            min_words: params.min_words,
            summary,
        }
    }
}

/// Offsets and values of a CSR from sorted (key, value) pairs with keys below `n`.
fn csr(n: usize, pairs: &[(u32, u32)]) -> (Vec<usize>, Vec<u32>) {
    let mut offsets = vec![0usize; n + 1];
    for &(k, _) in pairs {
        offsets[k as usize + 1] += 1;
    }
    for i in 0..n {
        offsets[i + 1] += offsets[i];
    }
    (offsets, pairs.iter().map(|p| p.1).collect())
}

/// Run the text stage on the graph's comments (`None` without a text column, or when
/// disabled): families, then the significant pairs at the run's windows and FDR.
pub fn analyse(
    graph: &LikeGraph,
    windows: &[Window],
    params: &CommentParams,
    fdr: f64,
    seed: u64,
) -> Option<TextStage> {
    let comments = graph.comments.clone()?;
    if !params.enabled {
        return None;
    }
    let mut stage = TextStage::index(comments, graph.n_accounts(), graph.n_posts(), params, seed);
    // In logical time positions are per post: no gap across posts means anything, so only
    // the unlimited window is used.
    let logical = vec![Window::Infinite; windows.len()];
    let windows = if graph.clock.is_logical() {
        &logical[..]
    } else {
        windows
    };
    let (significant, counts) = pairs::significant_pairs(&stage, windows, params, fdr);
    stage.significant = significant;
    stage.summary.pairs = counts;
    Some(stage)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::input::{Clock, Origin};

    /// A graph whose comments are `rows` (account, post, seconds, text); each comment is
    /// also a like (the earliest of an account on a post counts).
    pub(crate) fn graph(n_accounts: usize, n_posts: usize, rows: &[(u32, u32, i64, String)]) -> LikeGraph {
        let mut seen = std::collections::HashSet::new();
        let likes: Vec<(u32, u32, i64)> = rows
            .iter()
            .filter(|r| seen.insert((r.0, r.1)))
            .map(|r| (r.0, r.1, r.2 * 1000))
            .collect();
        let mut g = LikeGraph::for_tests(n_accounts, n_posts, Clock::Timestamps, &likes);
        let mut c = Comments::default();
        let mut ids: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            let n = ids.len() as u32;
            let id = *ids.entry(r.3.as_str()).or_insert(n);
            if id as usize == c.texts.len() {
                c.texts.push(r.3.as_str().into());
            }
            c.account.push(r.0);
            c.post.push(r.1);
            c.time.push(r.2 * 1000);
            c.origin.push(Origin::new(0, i as u64 + 2));
            c.text.push(id);
        }
        g.comments = Some(Arc::new(c));
        g
    }

    /// 200 organic accounts (0..200) writing personal texts and universal comments on 20
    /// posts, and a farm (200..208) writing variants of four suggested texts on posts 0..10.
    pub(crate) fn world() -> LikeGraph {
        let mut x = 7u64;
        let mut next = |m: u64| {
            x = crate::rng::mix64(x);
            x % m
        };
        let words = [
            "sun", "river", "walk", "dinner", "song", "city", "train", "rain", "book", "movie", "cat",
            "garden", "beach", "coffee", "night", "friend", "school", "dance", "trip", "game",
        ];
        let universal = ["nice", "first", "wow", "❤️❤️", "love it", "so cute omg", "😂"];
        let mut rows = Vec::new();
        for a in 0..200u32 {
            for k in 0..4 {
                let post = ((a as u64 * 7 + k * 3) % 20) as u32;
                let t = 1_700_000_000 + next(86_400 * 5) as i64;
                let text = if next(10) < 4 {
                    universal[next(universal.len() as u64) as usize].to_string()
                } else {
                    (0..6)
                        .map(|_| words[next(20) as usize])
                        .collect::<Vec<_>>()
                        .join(" ")
                        + &format!(" {a}x{k}")
                };
                rows.push((a, post, t, text));
            }
        }
        let templates = [
            "ordered from glowbay and my skin changed in one week",
            "the best serum I have tried this year glowbay ships fast",
            "my sister recommended glowbay and now I recommend it too",
            "the glowbay discount code still works today go get yours",
        ];
        for a in 200..208u32 {
            for post in 0..10u32 {
                let t = 1_700_000_000 + post as i64 * 40_000 + next(36_000) as i64;
                let mut text = templates[((a + post) % 4) as usize].to_string();
                if next(2) == 0 {
                    text = text.to_uppercase() + "!! 🔥";
                }
                rows.push((a, post, t, text));
            }
        }
        graph(208, 20, &rows)
    }

    fn windows() -> Vec<Window> {
        vec![Window::Span(3_600_000), Window::Span(86_400_000)]
    }

    #[test]
    fn the_farm_pairs_are_significant_and_no_organic_pair_is() {
        let g = world();
        let stage = analyse(&g, &windows(), &CommentParams::default(), 0.01, 0).unwrap();
        let farm = |a: u32| a >= 200;
        let farm_pairs = stage
            .significant
            .iter()
            .filter(|p| farm(p.record.a) && farm(p.record.b))
            .count();
        assert_eq!(farm_pairs, 28, "every pair of the 8 farm accounts");
        assert!(
            stage
                .significant
                .iter()
                .all(|p| farm(p.record.a) && farm(p.record.b))
        );
        // Counts per window describe the timing: fewer within the hour than within the day.
        let r = &stage.significant[0].record;
        assert!(r.counts[0] <= r.counts[1] && r.best == 1 && r.expected > 0.0);
        // The universal comments never form a family that takes part.
        assert!(stage.summary.comments_without_words > 0);
        let nice = stage.family_of_text[stage.comments.texts.iter().position(|t| &**t == "nice").unwrap()];
        assert!(!stage.is_long(nice));
    }

    #[test]
    fn universal_short_comments_alone_make_no_pair() {
        // 60 accounts all writing the same universal comments on the same posts, in bursts.
        let universal = [
            "nice",
            "first",
            "wow",
            "❤️❤️",
            "love it",
            "so cute omg",
            "lol",
            "omg so good",
        ];
        let rows: Vec<(u32, u32, i64, String)> = (0..60u32)
            .flat_map(|a| {
                (0..8u32).map(move |p| {
                    (
                        a,
                        p,
                        1_700_000_000 + p as i64 * 3600 + a as i64,
                        universal[p as usize].to_string(),
                    )
                })
            })
            .collect();
        let g = graph(60, 8, &rows);
        let stage = analyse(&g, &windows(), &CommentParams::default(), 0.01, 0).unwrap();
        assert_eq!(stage.summary.pairs.tested, 0);
        assert!(stage.significant.is_empty());
        // Even with every family taking part, sharing what everybody writes is no evidence.
        let all = CommentParams {
            min_words: 1,
            ..CommentParams::default()
        };
        let stage = analyse(&g, &windows(), &all, 0.01, 0).unwrap();
        assert!(stage.significant.is_empty(), "{:?}", stage.summary);
    }

    #[test]
    fn the_same_on_any_thread_count_and_off_when_disabled() {
        let g = world();
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| analyse(&g, &windows(), &CommentParams::default(), 0.01, 3).unwrap())
        };
        let one = run(1);
        let two = run(2);
        assert_eq!(one.significant, two.significant);
        assert_eq!(one.family_of_text, two.family_of_text);
        let off = CommentParams {
            enabled: false,
            ..CommentParams::default()
        };
        assert!(analyse(&g, &windows(), &off, 0.01, 0).is_none());
    }
}
