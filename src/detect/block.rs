//! A cluster as an *n accounts × m posts × 2Δt block*: for each block post, the window of
//! width 2Δt (the primary co-like window W) holding the most members' likes, and a statement a
//! journalist can repeat.
//!
//! CopyCatch (Beutel et al., WWW 2013) describes lockstep behaviour as a block of *n* accounts
//! and *m* posts where, on each post, the accounts acted within 2Δt of each other. Here 2Δt = W,
//! so likes that fall in one 2Δt window are pairwise co-likes in the sense of `docs/method.md`.
//! For each block post the **burst** is the window [c_p − Δt, c_p + Δt] holding the most
//! members' likes (a two-pointer sweep over the post's sorted like times; on ties the
//! earliest). The statement gives
//!
//! - the fewest members inside a post's burst, over all block posts (and its share of n), and
//! - the coverage ρ = (members' likes inside their post's burst) / (n × m).
//!
//! Measured once per cluster in detection ([`super::cores`]); export only writes it.

use crate::clock::{Clock, Style, duration};
use crate::colike::Window;
use crate::graph::LikeGraph;
use crate::text::percent;
use crate::vocab::Interaction;

/// The burst of one block post: the 2Δt window holding the most members' likes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostBurst {
    /// Post id.
    pub post: u32,
    /// Members who liked the post (at any time).
    pub likers: usize,
    /// Members whose like falls inside the burst.
    pub in_burst: usize,
    /// Time of the first like inside the burst.
    pub start: i64,
    /// Time of the last like inside the burst.
    pub end: i64,
}

impl PostBurst {
    /// True if a member's like at time `t` lies inside this burst.
    pub fn contains(&self, t: i64) -> bool {
        self.in_burst > 0 && self.start <= t && t <= self.end
    }
}

/// A cluster described as an n accounts × m posts × 2Δt block (the default is empty, with an
/// unlimited window).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BlockStatement {
    /// n: member accounts.
    pub accounts: usize,
    /// m: block posts.
    pub posts: usize,
    /// 2Δt: the width of a burst (the primary co-like window).
    pub window: Window,
    /// One burst per block post, in the order of the posts given.
    pub bursts: Vec<PostBurst>,
    /// Members' likes inside their post's burst, summed over the block posts.
    pub in_burst: usize,
    /// The fewest members inside one post's burst.
    pub min_in_burst: usize,
    /// min_in_burst / n.
    pub min_share: f64,
    /// Coverage ρ = in_burst / (n × m).
    pub coverage: f64,
    /// The longest burst (last − first like inside it), in clock units.
    pub widest: i64,
}

/// Find, for each block post, the 2Δt window holding the most members' likes, and summarise.
///
/// `members` must be sorted ascending (as in [`Cluster::members`]). `window` is 2Δt.
pub fn block_statement(g: &LikeGraph, members: &[u32], posts: &[u32], window: Window) -> BlockStatement {
    let mut bursts = Vec::with_capacity(posts.len());
    let mut times: Vec<i64> = Vec::new();
    for &p in posts {
        times.clear();
        // Likes whose time is only known to the hour or the day are not placed in a burst.
        for (a, t) in g.fine_likes(p) {
            if members.binary_search(&a).is_ok() {
                times.push(t);
            }
        }
        // times are ascending (a post's likes are stored in time order).
        let (mut best, mut best_i, mut best_j) = (0usize, 0usize, 0usize);
        let mut i = 0;
        for j in 0..times.len() {
            while !window.contains(times[j] - times[i]) {
                i += 1;
            }
            if j + 1 - i > best {
                (best, best_i, best_j) = (j + 1 - i, i, j);
            }
        }
        bursts.push(PostBurst {
            post: p,
            likers: times.len(),
            in_burst: best,
            start: times.get(best_i).copied().unwrap_or(0),
            end: times.get(best_j).copied().unwrap_or(0),
        });
    }
    let n = members.len();
    let in_burst: usize = bursts.iter().map(|b| b.in_burst).sum();
    let min_in_burst = bursts.iter().map(|b| b.in_burst).min().unwrap_or(0);
    let cells = n * posts.len();
    BlockStatement {
        accounts: n,
        posts: posts.len(),
        window,
        in_burst,
        min_in_burst,
        min_share: if n == 0 {
            0.0
        } else {
            min_in_burst as f64 / n as f64
        },
        coverage: if cells == 0 {
            0.0
        } else {
            in_burst as f64 / cells as f64
        },
        widest: bursts
            .iter()
            .filter(|b| b.in_burst > 0)
            .map(|b| b.end - b.start)
            .max()
            .unwrap_or(0),
        bursts,
    }
}

impl BlockStatement {
    /// The statement in one paragraph, in the words of the interaction `w`, e.g. "4 accounts
    /// × 6 posts, 2Δt = 1 h: on every one of these posts at least 4 of the 4 accounts (100 %)
    /// liked within 1 h of each other …".
    pub fn text(&self, clock: Clock, w: Interaction) -> String {
        let n = self.accounts;
        let m = self.posts;
        let plural = |k: usize, one: &str, many: &str| {
            if k == 1 {
                format!("{k} {one}")
            } else {
                format!("{k} {many}")
            }
        };
        let head = format!(
            "{} × {}, 2Δt = {}",
            plural(n, "account", "accounts"),
            w.count_objects(m),
            crate::clock::window(clock, self.window)
        );
        if m == 0 {
            return format!("{head}: the cluster has no block {}.", w.objects());
        }
        let within = match self.window {
            Window::Infinite => format!("(at any time; the {} window is unlimited)", w.co_noun()),
            Window::Span(width) => format!(
                "within {} of each other",
                duration(clock, width as f64, Style::Exact)
            ),
        };
        let every = if m == 1 {
            format!("on this {}", w.object())
        } else {
            format!("on every one of these {m} {}", w.objects())
        };
        format!(
            "{head}: {every} at least {} of the {n} accounts ({}) {} {within}; {} of the {} account × {} cells are such {} (coverage ρ = {:.2}). The longest of these bursts lasted {}.",
            self.min_in_burst,
            percent(self.min_share, 0),
            w.past_bare(),
            self.in_burst,
            n * m,
            w.object(),
            w.nouns(),
            self.coverage,
            duration(clock, self.widest as f64, Style::Exact)
        )
    }
}

/// The block statement of `members` on `posts` with its posts in burst order (earliest burst
/// first, posts without members' likes last).
pub fn in_burst_order(g: &LikeGraph, members: &[u32], posts: &[u32], window: Window) -> BlockStatement {
    let mut s = block_statement(g, members, posts, window);
    s.bursts.sort_by_key(|b| (b.in_burst == 0, b.start, b.post));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(likes: &[(u32, u32, i64)], n_accounts: usize, n_posts: usize) -> LikeGraph {
        LikeGraph::for_tests(n_accounts, n_posts, Clock::Timestamps, likes)
    }

    #[test]
    fn bursts_take_the_densest_window() {
        // Post 0: members 0..3 at 0, 10, 20 s and member 3 an hour later; post 1: all four
        // within 5 s; account 4 (not a member) in the middle of post 0's burst.
        let g = graph(
            &[
                (0, 0, 0),
                (1, 0, 10_000),
                (4, 0, 12_000),
                (2, 0, 20_000),
                (3, 0, 3_600_000),
                (0, 1, 100_000),
                (1, 1, 101_000),
                (2, 1, 102_000),
                (3, 1, 105_000),
            ],
            5,
            2,
        );
        let s = block_statement(&g, &[0, 1, 2, 3], &[0, 1], Window::Span(60_000));
        assert_eq!(
            s.bursts[0],
            PostBurst {
                post: 0,
                likers: 4,
                in_burst: 3,
                start: 0,
                end: 20_000
            }
        );
        assert_eq!(s.bursts[1].in_burst, 4);
        assert_eq!((s.bursts[1].start, s.bursts[1].end), (100_000, 105_000));
        assert_eq!((s.in_burst, s.min_in_burst), (7, 3));
        assert_eq!(s.coverage, 7.0 / 8.0);
        assert_eq!(s.min_share, 0.75);
        assert_eq!(s.widest, 20_000);
        assert_eq!(
            s.text(Clock::Timestamps, Interaction::Like),
            "4 accounts × 2 posts, 2Δt = 1 min: on every one of these 2 posts at least 3 of the 4 accounts (75 %) liked within 1 min of each other; 7 of the 8 account × post cells are such likes (coverage ρ = 0.88). The longest of these bursts lasted 20 s."
        );
        assert_eq!(
            s.text(Clock::Timestamps, Interaction::Follow),
            "4 accounts × 2 followed accounts, 2Δt = 1 min: on every one of these 2 followed accounts at least 3 of the 4 accounts (75 %) followed within 1 min of each other; 7 of the 8 account × followed account cells are such follows (coverage ρ = 0.88). The longest of these bursts lasted 20 s."
        );
        assert!(s.text(Clock::Timestamps, Interaction::Comment).contains(
            "(75 %) commented within 1 min of each other; 7 of the 8 account × post cells are such comments"
        ));
        // An unlimited window puts every member's like in the burst.
        let all = block_statement(&g, &[0, 1, 2, 3], &[0, 1], Window::Infinite);
        assert_eq!((all.in_burst, all.coverage), (8, 1.0));
        assert!(
            all.text(Clock::Timestamps, Interaction::Like)
                .contains("(at any time; the co-like window is unlimited)")
        );
        assert!(
            all.text(Clock::Timestamps, Interaction::Share)
                .contains("(at any time; the co-share window is unlimited)")
        );
    }

    #[test]
    fn durations_read_naturally() {
        let d = |ms: i64| crate::clock::duration(Clock::Timestamps, ms as f64, Style::Exact);
        assert_eq!(d(0), "0 s");
        assert_eq!(d(250), "250 ms");
        assert_eq!(d(1_500), "1.5 s");
        assert_eq!(d(30_000), "30 s");
        assert_eq!(d(600_000), "10 min");
        assert_eq!(d(3_600_000), "1 h");
        assert_eq!(d(5_400_000), "1 h 30 min");
        assert_eq!(d(86_400_000 + 1000), "1 d");
        assert_eq!(d(2 * 86_400_000 + 3_600_000), "2 d 1 h");
        assert_eq!(
            crate::clock::duration(Clock::Logical, 5.0, Style::Exact),
            "5 positions"
        );
        let w: crate::colike::WindowSpec = "10m".parse().unwrap();
        assert_eq!(
            crate::clock::window(Clock::Timestamps, w.resolve(Clock::Timestamps).unwrap()),
            "10 min"
        );
    }
}
