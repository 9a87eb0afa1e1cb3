//! Signatures of coordination: what organic co-activity cannot explain, measured on a group's
//! block against explicit organic references.
//!
//! Organic co-activity has three sources (the null of every measure below):
//! - **audiences**: an account likes the creators it follows, each post in proportion to how
//!   much everybody else likes it (its *popularity among non-members*);
//! - **reaction to publication**: an account reacts to a creator's posts at its own speed (its
//!   delays on that creator's other posts, or on all its likes), and a post's likes arrive
//!   along the post's own curve (the likes of the post by non-members) and the creator's curve
//!   (non-members' delays on the creator's other posts);
//! - **independence**: given the above, accounts decide separately.
//!
//! What stays is coordination:
//! - [`Signatures::lockstep_posts`] — *moments set by an order*: on a post the group serves
//!   (members make at least half of the likes at that moment), the members' likes fall inside
//!   one window of the group's timescale far more often than any of the explanations above
//!   allows (binomial tail with the members' mean explained probability, a conservative bound
//!   for their Poisson-binomial count by Hoeffding's inequality; Bonferroni over the windows a
//!   post offers). CopyCatch's lockstep block (Beutel et al., WWW 2013) made into a test.
//! - [`Signatures::piling`] — *the posts they are told to*: within each creator, members'
//!   likes go to particular posts rather than in proportion to the posts' popularity among
//!   non-members (total variation distance).
//! - [`Signatures::breadth_ratio`] — *across creators whose audiences are otherwise
//!   unrelated*: members engage more of the block's creators than the other accounts of the
//!   same activity that engage them.
//! - [`Signatures::quota_ratio`] — *drawn as from a pool*: each post of a creator gets about
//!   the same number of members; independent members (with any mix of devotion and any post
//!   appeal) vary at least as much as a Poisson-binomial count, by the law of total variance.
//!
//! Without an author column each post is its own creator (a unit).

use super::expand::DelayCdf;
use crate::clock::MS_PER_DAY;
use crate::colike::Window;
use crate::graph::LikeGraph;
use serde::{Deserialize, Serialize};
use statrs::distribution::{Binomial, ChiSquared, ContinuousCDF, DiscreteCDF};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Parameters of the signatures (in the tree: `detect.signatures`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SignatureParams {
    /// A post is *served* when members make at least this share of the likes inside their
    /// densest window: at that moment the group is the crowd, not part of one.
    pub served_share: f64,
    /// Fewest member likes on a post for its timing to be judged (two likes are a pair).
    pub min_post_likes: usize,
    /// Level of the per-post lockstep test.
    pub post_alpha: f64,
    /// A post is in lockstep only when the members inside their burst are at least this many
    /// times as many as the explanations allow: a significant but small excess over a large
    /// audience (hundreds of fans a little faster than their usual pace) is not lockstep.
    pub lockstep_factor: f64,
    /// … and only when the burst holds at least this share of the members' likes on the post
    /// (those that count at the window): an order puts the group on the post together, while
    /// an audience that happens to react faster than the references allow still spreads most
    /// of its likes around its densest moment (CopyCatch's block is the group's likes inside
    /// one window, not a part of them).
    pub lockstep_share: f64,
    /// … unless the members inside the burst are at least this many times as many as the
    /// explanations allow: an audience can be faster than the references by a few times, but
    /// an order of magnitude is the misspecification the group test already allows
    /// (`detect.judge.lockstep_misspecification`); beyond it even part of the group inside one
    /// window is a moment set by an order (an order delivered over an hour holds a third of
    /// its likes in its densest ten minutes).
    pub lockstep_strong_factor: f64,
    /// Fewest posts of a creator (since the group's first like on it) for the quota measure.
    pub quota_min_posts: usize,
    /// At most this many delays are kept for a creator's curve (every k-th like).
    pub max_curve_likes: usize,
    /// A member's own pace (or daily rhythm) explains its likes only when it has at least this
    /// many other likes to learn it from.
    pub min_personal_likes: usize,
    /// A curve learnt from few likes is pulled toward its parent's shape (a post's and a
    /// member's pace toward its creator's audience, a creator's toward the data set's) as if it held this many
    /// more likes of the parent's: with no likes of its own a curve is its parent, with many
    /// it is itself (the mean of a Dirichlet posterior with the parent as prior).
    pub prior_likes: f64,
    /// A creator is *closed* to a group when the members make at least this share of the likes
    /// of at least half of its posts in the block: there the group is the audience, with one
    /// like in four or fewer from anybody else (a fandom, however devoted, sits in a larger
    /// audience of occasional likers; fandoms measured 0.24–0.77 as the median post's share,
    /// so this alone does not separate them: a fandom is one creator's, and a group must be
    /// closed on two creators for its pace there to be set aside).
    pub closed_share: f64,
    /// At most this many pairs of creators are compared (every k-th pair).
    pub max_unit_pairs: usize,
    /// Added to both overlap shares of a pair of creators, so that two audiences that never
    /// meet give a large but finite ratio (1 %: an overlap of one account in a hundred).
    pub overlap_floor: f64,
}

impl Default for SignatureParams {
    fn default() -> Self {
        SignatureParams {
            served_share: 0.5,
            min_post_likes: 3,
            post_alpha: 0.001,
            lockstep_factor: 2.0,
            lockstep_share: 0.5,
            lockstep_strong_factor: 10.0,
            quota_min_posts: 5,
            max_curve_likes: 20_000,
            min_personal_likes: 4,
            prior_likes: 2.0,
            closed_share: 0.75,
            max_unit_pairs: 300,
            overlap_floor: 0.01,
        }
    }
}

/// The signatures of one group.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Signatures {
    /// The group's timescale: the window its significant pairs are strongest at, seconds
    /// (positions in logical time; 0 when unlimited).
    pub timescale: f64,
    /// Block posts with at least `min_post_likes` member likes.
    pub judged_posts: usize,
    /// Of those, the posts the group serves.
    pub served_posts: usize,
    /// Of those, the posts where the members' burst is unexplained at `post_alpha`: not at
    /// the post's publication (see [`Signatures::publication_lockstep_posts`]), or on a creator
    /// whose audience the group is.
    pub lockstep_posts: usize,
    /// Served posts whose only unexplained burst is at their publication (starts within one
    /// window of the first like) on a creator that has an audience besides the group: what a
    /// creator's fans do, so no evidence alone; it confirms that a group singled out by its
    /// creators acts together rather than at its members' own pace.
    pub publication_lockstep_posts: usize,

    /// log10 P(at least `lockstep_posts` of `served_posts` by chance at `post_alpha`).
    pub lockstep_log10_p: f64,
    /// Member likes inside their bursts on served posts over the number explained.
    pub timing_ratio: f64,
    /// Total variation distance between members' likes over each creator's posts and the
    /// posts' popularity among non-members (0: like an audience, 1: only posts nobody else
    /// liked), weighted by member likes.
    pub piling: f64,
    /// Creators of served posts.
    pub breadth_units: usize,
    /// Members' distinct creators among those over the same for other accounts of the same
    /// activity that like them (1 when fewer than two creators).
    pub breadth_ratio: f64,
    /// Pairs of the block's creators compared for [`Signatures::unrelated_ratio`].
    pub unit_pairs: usize,
    /// Over pairs of the block's creators, the median of (share of members engaging one who
    /// also engage the other) over (the same share among their other likers): organic groups
    /// follow their creators' audience overlap (a few times more, being its core); an order, a
    /// task list or a subscription puts the same accounts on creators whose audiences never
    /// meet.
    pub unrelated_ratio: f64,
    /// Over the same pairs, the median log10 P(at least as many members engage both creators |
    /// each does so with the other likers' share, independently): binomial upper tail.
    pub unrelated_log10_p: f64,
    /// Variance of the members per post over the Poisson-binomial variance of independent
    /// members, over the creators with enough posts (0 when none).
    pub quota_ratio: f64,
    /// log10 of the left tail P(χ² ≤ observed) of that ratio (0 when none).
    pub quota_log10_p: f64,
    /// Per member, the lockstep posts whose burst it was in (not written to the tables).
    #[serde(skip)]
    pub in_lockstep: BTreeMap<u32, usize>,
}

/// Measure the signatures of a group: `members` ascending, `posts` its block, `timescale` its
/// window (clock units).
pub fn measure(
    graph: &LikeGraph,
    members: &[u32],
    posts: &[u32],
    timescale: Window,
    windows: &[Window],
    delays: &DelayCdf,
    params: &SignatureParams,
) -> Signatures {
    let g = Group::new(graph, members, posts, delays, params);
    let mut s = Signatures {
        timescale: match timescale {
            Window::Span(w) => graph.clock.seconds(w as f64),
            Window::Infinite => 0.0,
        },
        ..Signatures::default()
    };
    g.timing(timescale, windows, &mut s);
    s.piling = g.piling();
    (s.breadth_units, s.breadth_ratio) = g.breadth(&s);
    (s.quota_ratio, s.quota_log10_p) = g.quota();
    (s.unit_pairs, s.unrelated_ratio, s.unrelated_log10_p) = g.unrelated();
    s
}

/// A group and what its measures share.
struct Group<'g> {
    graph: &'g LikeGraph,
    members: &'g [u32],
    posts: &'g [u32],
    /// The block's posts: the behaviour under test.
    block: HashSet<u32>,
    member_set: HashSet<u32>,
    params: &'g SignatureParams,
    /// The data set's arrival curve after each post's origin.
    delays: &'g DelayCdf,
    /// The members' own delays in that curve (sorted), left out of it.
    member_delays: Vec<i64>,
    /// Block posts by creator (or by post without authors).
    units: BTreeMap<u32, Vec<u32>>,
    /// Units whose likes are mostly the members' (see [`Group::personal_delays`]).
    closed: HashSet<u32>,
    /// Accounts outside the group that engage two or more closed units: no timing reference
    /// (see [`Group::crossers`]).
    crossers: HashSet<u32>,
    /// Served posts, found by `timing`.
    served: std::cell::RefCell<Vec<u32>>,
}

/// The creator of a post, or the post itself without an author column.
fn unit_of(graph: &LikeGraph, p: u32) -> (bool, u32) {
    match graph.author_of(p) {
        Some(a) => (true, a),
        None => (false, p),
    }
}

impl<'g> Group<'g> {
    fn new(
        graph: &'g LikeGraph,
        members: &'g [u32],
        posts: &'g [u32],
        delays: &'g DelayCdf,
        params: &'g SignatureParams,
    ) -> Self {
        let mut units: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for &p in posts {
            units.entry(unit_of(graph, p).1).or_default().push(p);
        }
        let mut g = Group {
            graph,
            members,
            posts,
            block: posts.iter().copied().collect(),
            member_set: members.iter().copied().collect(),
            params,
            delays,
            member_delays: Vec::new(),
            units,
            closed: HashSet::new(),
            crossers: HashSet::new(),
            served: std::cell::RefCell::new(Vec::new()),
        };
        g.closed = g
            .units
            .iter()
            .filter(|(_, posts)| {
                // On at least half of its block posts (the median post).
                let closed = posts
                    .iter()
                    .filter(|&&q| {
                        let mine = g
                            .graph
                            .likers(q)
                            .iter()
                            .filter(|a| g.member_set.contains(a))
                            .count();
                        mine as f64 >= params.closed_share * g.graph.post_degree(q) as f64
                    })
                    .count();
                2 * closed >= posts.len()
            })
            .map(|(&u, _)| u)
            .collect();
        // One crowd can be a creator's whole audience (a fandom); the same crowd as the
        // audience of several creators is a pool they are served from.
        if g.closed.len() < 2 {
            g.closed.clear();
        }
        let closed: Vec<u32> = g.closed.iter().copied().collect();
        g.crossers = g.crossers(&closed);
        let mut member_delays: Vec<i64> = members
            .iter()
            .flat_map(|&a| g.graph.account_likes(a))
            .filter(|&&like| {
                g.graph.like_resolution(like) == 0
                    && g.graph.post_origin(g.graph.like_post(like)) != Some(like)
            })
            .map(|&like| g.delay(like))
            .collect();
        member_delays.sort_unstable();
        g.member_delays = member_delays;
        g
    }

    /// Outside accounts that engage two or more of the group's closed units. A closed creator's
    /// audience is the group; an outside account that also engages another closed creator
    /// behaves as the group does (typically the quieter part of the same pool, too quiet to
    /// be in it), so its timing is no organic reference for the members' (otherwise a pool
    /// split in two explains itself: each part is the other's "audience"). The accounts that
    /// engage one closed creator only remain its audience. Other likers in the comparison of
    /// creators ([`Group::unrelated`]) keep them: leaving out the accounts that cross would
    /// make "others never cross" true by construction.
    fn crossers(&self, units: &[u32]) -> HashSet<u32> {
        let mut units_of: HashMap<u32, usize> = HashMap::new();
        for &u in units {
            let Some(posts) = self.units.get(&u) else { continue };
            let mut seen: HashSet<u32> = HashSet::new();
            for q in self.unit_posts(posts[0]) {
                for &a in self.graph.likers(q) {
                    if !self.member_set.contains(&a) && seen.insert(a) {
                        *units_of.entry(a).or_default() += 1;
                    }
                }
            }
        }
        units_of
            .into_iter()
            .filter(|&(_, n)| n >= 2)
            .map(|(a, _)| a)
            .collect()
    }

    /// All posts of a unit (its creator's posts, or the post alone).
    fn unit_posts(&self, p: u32) -> Vec<u32> {
        let (authored, u) = unit_of(self.graph, p);
        if !authored {
            return vec![p];
        }
        self.graph.posts_of_author(u).to_vec()
    }

    /// Delay of a like after its post's first like.
    fn delay(&self, like: u32) -> i64 {
        let p = self.graph.like_post(like);
        self.graph.like_time(like) - self.graph.post_start(p).unwrap_or(0)
    }

    /// Per-post lockstep tests on served posts, at every run window up to the group's own.
    fn timing(&self, window: Window, windows: &[Window], s: &mut Signatures) {
        let (mut hits, mut explained) = (0.0f64, 0.0f64);
        let mut unit_curves: HashMap<u32, Curve> = HashMap::new();
        let personal = self.personal_delays();
        let mut scales: Vec<Window> = windows.iter().copied().filter(|&w| w <= window).collect();
        scales.sort();
        scales.dedup();
        if scales.is_empty() {
            scales.push(window);
        }
        for &p in self.posts {
            let likes = self.post_likes(p);
            let origin = self
                .graph
                .post_origin(p)
                .map(|id| id as usize - self.graph.post_range(p).start);
            let at = |w: Window| -> (Vec<(u32, i64)>, Vec<i64>) {
                // As in the co-like sweep: a coarse like counts at windows at least as wide as
                // its resolution.
                let fine = |res: i64| res == 0 || w == Window::Infinite || res <= w.span();
                let members = likes
                    .iter()
                    .filter(|l| l.3 && fine(l.2))
                    .map(|l| (l.0, l.1))
                    .collect();
                // The origin is no trial of the others' curve: it is at delay 0 by definition.
                let others = likes
                    .iter()
                    .enumerate()
                    .filter(|&(i, l)| !l.3 && fine(l.2) && Some(i) != origin && !self.crossers.contains(&l.0))
                    .map(|(_, l)| l.1)
                    .collect();
                (members, others)
            };
            // A member's like that is the post's origin is inside any burst that starts there
            // whatever the members do: the test conditions on it (one trial and one hit less).
            let member_origin = origin.filter(|&i| likes[i].3).map(|i| (likes[i].0, likes[i].1));
            let (member_times, others) = at(window);
            if member_times.len() < self.params.min_post_likes {
                continue;
            }
            s.judged_posts += 1;
            let (start, h) = densest(&member_times, window);
            let end = start.saturating_add(window.span());
            let inside = others.partition_point(|&t| t <= end) - others.partition_point(|&t| t < start);
            if (h as f64) < self.params.served_share * (h + inside) as f64 {
                continue;
            }
            s.served_posts += 1;
            self.served.borrow_mut().push(p);
            let unit = unit_of(self.graph, p).1;
            let curve = unit_curves.entry(unit).or_insert_with(|| self.unit_curve(p));
            let (mut lockstep, mut at_publication_only) = (false, false);
            let mut in_burst: BTreeSet<u32> = BTreeSet::new();
            for &w in &scales {
                let (member_times, others) = at(w);
                let k = member_times.len();
                if k < self.params.min_post_likes {
                    continue;
                }
                let burst = Burst::at(&member_times, w, self.graph.post_start(p));
                let inside: Vec<u32> = member_times
                    .iter()
                    .filter(|m| burst.start <= m.1 && m.1 <= burst.end)
                    .map(|m| m.0)
                    .collect();
                let (member_times, k, hits_now) = match member_origin {
                    Some(o) if burst.start <= o.1 && o.1 <= burst.end => {
                        let mut rest = member_times.clone();
                        if let Some(i) = rest.iter().position(|&m| m == o) {
                            rest.remove(i);
                        }
                        (rest, k - 1, burst.hits - 1)
                    }
                    _ => (member_times, k, burst.hits),
                };
                if k == 0 {
                    continue;
                }
                let burst = Burst {
                    hits: hits_now,
                    ..burst
                };
                let q = self.explained(&burst, &member_times, &others, (curve, p), &personal, unit);
                if w == window {
                    hits += burst.hits as f64;
                    explained += q * k as f64;
                }
                let tail = Binomial::new(q.clamp(0.0, 1.0), k as u64)
                    .map(|b| b.sf(burst.hits.saturating_sub(1) as u64))
                    .unwrap_or(1.0);
                let factor = burst.hits as f64 / (q * k as f64).max(f64::MIN_POSITIVE);
                if factor >= self.params.lockstep_factor
                    && (burst.hits as f64 >= self.params.lockstep_share * k as f64
                        || factor >= self.params.lockstep_strong_factor)
                    && (k * scales.len()) as f64 * tail <= self.params.post_alpha
                {
                    // A burst that starts within one window of the post's first like is the
                    // reaction to publication that a creator's fans produce (notifications),
                    // however fast: alone it is a moment set by an order only where the group
                    // is the audience of several creators (closed), which one creator's fans
                    // are not.
                    let at_publication = burst.start.saturating_sub(burst.t0) < w.span();
                    if !at_publication || self.closed.contains(&unit) {
                        lockstep = true;
                        in_burst.extend(inside);
                    } else {
                        at_publication_only = true;
                    }
                }
            }
            s.lockstep_posts += usize::from(lockstep);
            s.publication_lockstep_posts += usize::from(at_publication_only && !lockstep);
            for a in in_burst {
                *s.in_lockstep.entry(a).or_default() += 1;
            }
        }
        s.timing_ratio = if explained > 0.0 { hits / explained } else { 0.0 };
        s.lockstep_log10_p = if s.lockstep_posts == 0 {
            0.0
        } else {
            Binomial::new(self.params.post_alpha, s.served_posts as u64)
                .map(|b| {
                    b.sf(s.lockstep_posts.saturating_sub(1) as u64)
                        .max(f64::MIN_POSITIVE)
                        .log10()
                })
                .unwrap_or(0.0)
                .min(0.0)
        };
    }

    /// The likes of a post: (account, time, time resolution, is a member), in time order.
    fn post_likes(&self, p: u32) -> Vec<(u32, i64, i64, bool)> {
        let start = self.graph.post_range(p).start;
        self.graph
            .likers(p)
            .iter()
            .zip(self.graph.times(p))
            .enumerate()
            .map(|(i, (&a, &t))| {
                (
                    a,
                    t,
                    self.graph.like_resolution((start + i) as u32),
                    self.member_set.contains(&a),
                )
            })
            .collect()
    }

    /// Each member's delays, sorted, per creator of the block ((member, unit)) and over all its
    /// likes ((member, ALL_LIKES)), and the times of day of all its likes ((member,
    /// TIME_OF_DAY), with real timestamps).
    ///
    /// A member's pace on a creator is an organic explanation when the member is one of that
    /// creator's audience (a fan who always reacts within minutes; a group of the fastest fans
    /// is a selection from the audience). On a *closed* creator, whose likes are mostly the
    /// members' own, that pace is the very behaviour under test (a subscription that always
    /// delivers within minutes has a perfect "pace" on its clients): there the members' likes
    /// are left out of their personal paces, which then come from their likes elsewhere.
    fn personal_delays(&self) -> HashMap<(u32, u32), Vec<i64>> {
        let block_units: HashSet<u32> = self.units.keys().copied().collect();
        let timestamps = !self.graph.clock.is_logical();
        let mut out: HashMap<(u32, u32), Vec<i64>> = HashMap::new();
        for &a in self.members {
            for &like in self.graph.account_likes(a) {
                if self.graph.like_resolution(like) > 0 {
                    continue;
                }
                let p = self.graph.like_post(like);
                let d = self.delay(like);
                let unit = unit_of(self.graph, p).1;
                if self.closed.contains(&unit) {
                    continue;
                }
                if block_units.contains(&unit) {
                    out.entry((a, unit)).or_default().push(d);
                }
                // The pace over all likes and the daily rhythm are learnt outside the block:
                // the members' likes on the block's other creators are the behaviour under
                // test (a service's bots have a perfect "pace" and "rhythm" on its orders).
                if self.block.contains(&p) {
                    continue;
                }
                out.entry((a, ALL_LIKES)).or_default().push(d);
                if timestamps {
                    let tod = self.graph.like_time(like).rem_euclid(MS_PER_DAY);
                    out.entry((a, TIME_OF_DAY)).or_default().push(tod);
                }
            }
        }
        for v in out.values_mut() {
            v.sort_unstable();
        }
        out
    }

    /// Non-members' delays on the posts of `p`'s creator after each post's origin (at most
    /// `max_curve_likes`, every k-th), so that each post can be judged against the others.
    fn unit_curve(&self, p: u32) -> Curve {
        let posts = self.unit_posts(p);
        let total: usize = posts.iter().map(|&q| self.graph.post_degree(q)).sum();
        let stride = (total / self.params.max_curve_likes.max(1)).max(1);
        let mut curve = Curve::default();
        let mut i = 0usize;
        for q in posts {
            let t0 = self.graph.post_start(q).unwrap_or(0);
            let start = self.graph.post_range(q).start;
            let origin = self.graph.post_origin(q).map(|id| id as usize);
            let mut own = Vec::new();
            for (j, (&a, &t)) in self.graph.likers(q).iter().zip(self.graph.times(q)).enumerate() {
                // The origin is at delay 0 by definition: no point of the curve.
                if !self.member_set.contains(&a)
                    && !self.crossers.contains(&a)
                    && self.graph.like_resolution((start + j) as u32) == 0
                    && Some(start + j) != origin
                {
                    if i.is_multiple_of(stride) {
                        own.push(t - t0);
                    }
                    i += 1;
                }
            }
            curve.all.extend_from_slice(&own);
            own.sort_unstable();
            curve.by_post.insert(q, own);
        }
        curve.all.sort_unstable();
        curve
    }

    /// Total variation between members' likes over each creator's posts and their popularity
    /// among non-members, weighted by member likes.
    fn piling(&self) -> f64 {
        let (mut weighted, mut total) = (0.0f64, 0.0f64);
        for posts in self.units.values() {
            let all = self.unit_posts(posts[0]);
            if all.len() < 2 {
                continue;
            }
            let counts: Vec<(f64, f64)> = all
                .iter()
                .map(|&q| {
                    let k = self
                        .graph
                        .likers(q)
                        .iter()
                        .filter(|a| self.member_set.contains(a))
                        .count();
                    (k as f64, (self.graph.post_degree(q) - k) as f64 + LAPLACE)
                })
                .collect();
            let k_sum: f64 = counts.iter().map(|c| c.0).sum();
            let n_sum: f64 = counts.iter().map(|c| c.1).sum();
            if k_sum == 0.0 {
                continue;
            }
            // Total variation: half the L1 distance.
            let tv: f64 = counts
                .iter()
                .map(|&(k, n)| (k / k_sum - n / n_sum).abs())
                .sum::<f64>()
                / 2.0;
            weighted += tv * k_sum;
            total += k_sum;
        }
        if total > 0.0 { weighted / total } else { 0.0 }
    }

    /// Creators of served posts, and members' distinct creators among them over the same for
    /// the other accounts of the same activity (log2 bins of likes) that like them.
    fn breadth(&self, s: &Signatures) -> (usize, f64) {
        let served = self.served.borrow();
        let units: BTreeMap<u32, Vec<u32>> = served.iter().fold(BTreeMap::new(), |mut m, &p| {
            m.entry(unit_of(self.graph, p).1)
                .or_insert_with(|| self.unit_posts(p));
            m
        });
        let _ = s;
        if units.len() < 2 {
            return (units.len(), 1.0);
        }
        // Distinct units engaged by every account that likes any of them.
        let mut engaged: HashMap<u32, u32> = HashMap::new();
        for posts in units.values() {
            let mut seen: HashSet<u32> = HashSet::new();
            for &q in posts {
                for &a in self.graph.likers(q) {
                    if seen.insert(a) {
                        *engaged.entry(a).or_default() += 1;
                    }
                }
            }
        }
        let bin = |a: u32| (self.graph.account_degree(a).max(1) as f64).log2().floor() as usize;
        let mut reference: BTreeMap<usize, (f64, f64)> = BTreeMap::new();
        for (&a, &b) in &engaged {
            if !self.member_set.contains(&a) {
                let e = reference.entry(bin(a)).or_default();
                e.0 += b as f64;
                e.1 += 1.0;
            }
        }
        let (mut observed, mut expected) = (0.0f64, 0.0f64);
        for &a in self.members {
            let Some(&b) = engaged.get(&a) else { continue };
            // The nearest bin with a reference at or above the member's activity (more likes,
            // more creators: never flattering), else the most active one there is.
            let k = bin(a);
            let e = reference
                .range(k..)
                .next()
                .or_else(|| reference.range(..k).next_back())
                .map_or(1.0, |(_, &(sum, n))| sum / n);
            observed += b as f64;
            expected += e;
        }
        (
            units.len(),
            if expected > 0.0 { observed / expected } else { 1.0 },
        )
    }

    /// Members' co-engagement of pairs of the block's creators over their other likers' (see
    /// [`Signatures::unrelated_ratio`]): the number of pairs compared, the median ratio and the
    /// median log10 p-value.
    fn unrelated(&self) -> (usize, f64, f64) {
        // The other likers count only when about as active as the typical member (half to
        // twice its likes): a group of heavy users meets on every creator, and so do other
        // heavy users; a group of quiet accounts is compared with quiet accounts.
        let mut degrees: Vec<usize> = self
            .members
            .iter()
            .map(|&a| self.graph.account_degree(a))
            .collect();
        degrees.sort_unstable();
        let typical = degrees.get(degrees.len() / 2).copied().unwrap_or(0);
        // Each creator's likers, split into members and the (active) others, sorted.
        let audiences: Vec<(Vec<u32>, Vec<u32>)> = self
            .units
            .values()
            .map(|posts| {
                let mut all: Vec<u32> = self
                    .unit_posts(posts[0])
                    .iter()
                    .flat_map(|&q| self.graph.likers(q).iter().copied())
                    .collect();
                all.sort_unstable();
                all.dedup();
                let (members, others): (Vec<u32>, Vec<u32>) =
                    all.into_iter().partition(|a| self.member_set.contains(a));
                let others = others
                    .into_iter()
                    .filter(|&a| {
                        let d = self.graph.account_degree(a);
                        2 * d >= typical && d <= 2 * typical
                    })
                    .collect();
                (members, others)
            })
            .filter(|(m, o): &(Vec<u32>, Vec<u32>)| {
                m.len() >= self.params.min_post_likes && o.len() >= self.params.min_post_likes
            })
            .collect();
        let k = audiences.len();
        let total = k * k.saturating_sub(1) / 2;
        let stride = total.div_ceil(self.params.max_unit_pairs.max(1)).max(1);
        // Of the smaller audience, how many also engage the other creator, and out of how many.
        let both = |x: &[u32], y: &[u32]| (super::twins::intersect_len(x, y), x.len().min(y.len()));
        let (mut ratios, mut log10_ps) = (Vec::new(), Vec::new());
        let mut index = 0usize;
        for i in 0..k {
            for j in i + 1..k {
                if index.is_multiple_of(stride) {
                    let (hits, n) = both(&audiences[i].0, &audiences[j].0);
                    let (o_hits, o_n) = both(&audiences[i].1, &audiences[j].1);
                    let e = self.params.overlap_floor;
                    let members = hits as f64 / n.max(1) as f64;
                    let others = o_hits as f64 / o_n.max(1) as f64;
                    ratios.push((members + e) / (others + e));
                    let chance = (others + e).min(1.0);
                    log10_ps.push(
                        Binomial::new(chance, n as u64)
                            .map(|b| b.sf(hits.saturating_sub(1) as u64))
                            .unwrap_or(1.0)
                            .max(f64::MIN_POSITIVE)
                            .log10()
                            .min(0.0),
                    );
                }
                index += 1;
            }
        }
        if ratios.is_empty() {
            return (0, 0.0, 0.0);
        }
        (ratios.len(), median(ratios), median(log10_ps))
    }

    /// Per-post member counts of each creator (its posts since the group's first like on it)
    /// against independent members: variance ratio and χ² left tail.
    fn quota(&self) -> (f64, f64) {
        let (mut stat, mut df) = (0.0f64, 0usize);
        for posts in self.units.values() {
            let since = posts
                .iter()
                .filter_map(|&p| self.graph.post_start(p))
                .min()
                .unwrap_or(i64::MIN);
            let all: Vec<u32> = self
                .unit_posts(posts[0])
                .into_iter()
                .filter(|&q| self.graph.post_start(q).is_some_and(|t| t >= since))
                .collect();
            if all.len() < self.params.quota_min_posts {
                continue;
            }
            let mut per_member: BTreeMap<u32, f64> = BTreeMap::new();
            let counts: Vec<f64> = all
                .iter()
                .map(|&q| {
                    let mut k = 0.0;
                    for &a in self.graph.likers(q) {
                        if self.member_set.contains(&a) {
                            k += 1.0;
                            *per_member.entry(a).or_default() += 1.0;
                        }
                    }
                    k
                })
                .collect();
            let m = all.len() as f64;
            let variance0: f64 = per_member.values().map(|&c| (c / m) * (1.0 - c / m)).sum();
            if variance0 <= 0.0 {
                continue;
            }
            let mean = counts.iter().sum::<f64>() / m;
            stat += counts.iter().map(|k| (k - mean).powi(2)).sum::<f64>() / variance0;
            df += all.len() - 1;
        }
        if df == 0 {
            return (0.0, 0.0);
        }
        let left = ChiSquared::new(df as f64)
            .map(|c| c.cdf(stat).max(f64::MIN_POSITIVE).log10())
            .unwrap_or(0.0);
        (stat / df as f64, left.min(0.0))
    }

    /// The members' mean probability of a like inside the burst under the most lenient
    /// organic explanation for each: the post's own curve (non-members), the creator's curve
    /// (non-members on its other posts), the member's own pace on this creator (or on all its
    /// likes), its daily rhythm. Each curve is pulled toward its parent by `prior_likes` (post
    /// and member's pace → the creator's audience → the data set); the rhythm is add-half
    /// smoothed.
    fn explained(
        &self,
        burst: &Burst,
        members: &[(u32, i64)],
        others: &[i64],
        (curve, p): (&Curve, u32),
        personal: &HashMap<(u32, u32), Vec<i64>>,
        unit: u32,
    ) -> f64 {
        let params = self.params;
        let m = params.prior_likes;
        let (lo, hi) = (burst.start - burst.t0, burst.end.saturating_sub(burst.t0));
        let q_data = self.delays.prob_without(lo, hi, &self.member_delays);
        let q_unit = shrunk(curve.count_in_others(p, lo, hi), q_data, m);
        let inside =
            others.partition_point(|&t| t <= burst.end) - others.partition_point(|&t| t < burst.start);
        let q_post = shrunk((inside, others.len()), q_unit, m);
        members
            .iter()
            .map(|&(a, t)| {
                // The pace on this creator holds the judged like (left out); the pace over all
                // likes and the rhythm are learnt outside the block and do not.
                let own = personal
                    .get(&(a, unit))
                    .filter(|d| d.len() >= params.min_personal_likes)
                    .map(|d| (d, Some(t - burst.t0)))
                    .or_else(|| {
                        personal
                            .get(&(a, ALL_LIKES))
                            .filter(|d| d.len() >= params.min_personal_likes)
                            .map(|d| (d, None))
                    })
                    .map_or(0.0, |(d, drop)| shrunk(count_in(d, lo, hi, drop), q_unit, m));
                let rhythm = personal
                    .get(&(a, TIME_OF_DAY))
                    .filter(|d| d.len() >= params.min_personal_likes)
                    .map_or(0.0, |d| {
                        shrunk(count_of_day(d, burst.start, burst.end, None), LAPLACE, 1.0)
                    });
                own.max(rhythm).max(q_post).max(q_unit)
            })
            .sum::<f64>()
            / members.len() as f64
    }
}

/// Non-members' delays on a creator's posts: all of them sorted, and each post's own.
#[derive(Default)]
struct Curve {
    all: Vec<i64>,
    by_post: HashMap<u32, Vec<i64>>,
}

impl Curve {
    /// Count inside [lo, hi] and size of the curve of the creator's posts other than `p`.
    fn count_in_others(&self, p: u32, lo: i64, hi: i64) -> (usize, usize) {
        let (k, n) = count_in(&self.all, lo, hi, None);
        let (k_own, n_own) = self
            .by_post
            .get(&p)
            .map_or((0, 0), |own| count_in(own, lo, hi, None));
        (k - k_own, n - n_own)
    }
}

/// The members' burst on one post at one window.
struct Burst {
    /// Start and end of the densest window (times).
    start: i64,
    end: i64,
    /// Member likes inside it.
    hits: usize,
    /// The post's first like (publication proxy).
    t0: i64,
}

impl Burst {
    fn at(members: &[(u32, i64)], window: Window, first: Option<i64>) -> Self {
        let (start, hits) = densest(members, window);
        Burst {
            start,
            end: start.saturating_add(window.span()),
            hits,
            t0: first.unwrap_or(start),
        }
    }
}

/// The median of a non-empty list (mean of the middle two for an even length).
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Add-half (Jeffreys) smoothing of a share: an empty history explains a burst half the time,
/// not never.
const LAPLACE: f64 = 0.5;

/// A share `k / n` pulled toward `parent` as if `m` more observations of the parent's shape
/// had been seen.
fn shrunk((k, n): (usize, usize), parent: f64, m: f64) -> f64 {
    (k as f64 + m * parent) / (n as f64 + m)
}

/// Keys of a member's pace over all its likes and of its daily rhythm in the personal map
/// (creator ids are below them).
const ALL_LIKES: u32 = u32::MAX;
/// See [`ALL_LIKES`].
const TIME_OF_DAY: u32 = u32::MAX - 1;

/// Count of an account's likes (times of day, sorted) that fall at the time of day of the
/// burst [start, end] (wrapping at midnight; all of them for a burst of a day or more),
/// leaving out the like at `own`, and the number of likes: its daily rhythm.
fn count_of_day(tods: &[i64], start: i64, end: i64, own: Option<i64>) -> (usize, usize) {
    if end.saturating_sub(start) >= MS_PER_DAY {
        return (tods.len(), tods.len());
    }
    let (lo, hi) = (start.rem_euclid(MS_PER_DAY), end.rem_euclid(MS_PER_DAY));
    let count = |a: i64, b: i64| tods.partition_point(|&x| x <= b) - tods.partition_point(|&x| x < a);
    let mut k = if lo <= hi {
        count(lo, hi)
    } else {
        count(lo, MS_PER_DAY) + count(0, hi)
    };
    let Some(own) = own.map(|t| t.rem_euclid(MS_PER_DAY)) else {
        return (k, tods.len());
    };
    let inside = if lo <= hi {
        (lo..=hi).contains(&own)
    } else {
        own >= lo || own <= hi
    };
    let mut n = tods.len();
    if inside && n > 0 {
        k = k.saturating_sub(1);
        n -= 1;
    }
    (k, n)
}

/// The window of width `window` starting at a member like that holds the most member likes
/// (`times` in post order, ascending): its start and count.
fn densest(times: &[(u32, i64)], window: Window) -> (i64, usize) {
    let span = window.span();
    let (mut best, mut lo) = ((times[0].1, 1usize), 0usize);
    for hi in 0..times.len() {
        while times[hi].1.saturating_sub(times[lo].1) > span {
            lo += 1;
        }
        if hi + 1 - lo > best.1 {
            best = (times[lo].1, hi + 1 - lo);
        }
    }
    best
}

/// Count of `sorted` inside [lo, hi] and its length, leaving out one value `drop` when given
/// (the like being judged).
fn count_in(sorted: &[i64], lo: i64, hi: i64, drop: Option<i64>) -> (usize, usize) {
    let mut k = sorted.partition_point(|&x| x <= hi) - sorted.partition_point(|&x| x < lo);
    let mut n = sorted.len();
    if let Some(d) = drop
        && (lo..=hi).contains(&d)
        && n > 0
    {
        k = k.saturating_sub(1);
        n -= 1;
    }
    (k, n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Clock;

    const MINUTE: i64 = 60_000;
    const HOUR: i64 = 60 * MINUTE;
    const DAY: i64 = 24 * HOUR;
    const MEMBERS: u32 = 40;

    /// Forty members on four posts, each post first liked by an organic account; 300 organic
    /// accounts like 200 other posts, four likes each spread over the 80 minutes after the
    /// post's first like (the data set's curve: an eighth of the likes in any ten minutes of
    /// that span). `members_at(post, member)` places the members' likes.
    fn world(members_at: impl Fn(i64, i64) -> i64) -> LikeGraph {
        let mut likes = Vec::new();
        for p in 0..4u32 {
            let t0 = p as i64 * 10 * DAY;
            likes.push((100 + p, p, t0));
            for m in 0..MEMBERS {
                likes.push((m, p, t0 + members_at(p as i64, m as i64)));
            }
        }
        for q in 4..204u32 {
            let t0 = q as i64 * DAY;
            likes.push((100 + q % 300, q, t0));
            for k in 1..5u32 {
                let delay = ((q * 7 + k * 23) % 80) as i64 * MINUTE + 30_000;
                likes.push((100 + (q * 5 + k) % 300, q, t0 + delay));
            }
        }
        LikeGraph::for_tests(400, 204, Clock::Timestamps, &likes)
    }

    fn lockstep_posts(graph: &LikeGraph, params: &SignatureParams) -> usize {
        let delays = DelayCdf::after_origins(graph, 1_000_000);
        let members: Vec<u32> = (0..MEMBERS).collect();
        let windows = [Window::Span(10 * MINUTE), Window::Span(HOUR)];
        measure(
            graph,
            &members,
            &[0, 1, 2, 3],
            Window::Span(HOUR),
            &windows,
            &delays,
            params,
        )
        .lockstep_posts
    }

    #[test]
    fn an_order_is_the_group_together() {
        // Every member within four minutes, two hours after each post's first like.
        let order = world(|_, m| 2 * HOUR + m * 6_000);
        assert_eq!(lockstep_posts(&order, &SignatureParams::default()), 4);
    }

    #[test]
    fn a_faster_audience_is_not_lockstep() {
        // Sixteen members within ten minutes half an hour after publication, the other 24
        // spread over the following days: the densest ten minutes hold 40 % of the members'
        // likes, three times what the data set's curve explains (an eighth) and far beyond
        // chance, but not the group acting together, and not an order of magnitude.
        let audience = world(|_, m| {
            if m < 16 {
                30 * MINUTE + m * 35_000
            } else {
                6 * HOUR + m * 7 * HOUR
            }
        });
        assert_eq!(lockstep_posts(&audience, &SignatureParams::default()), 0);
        // Without the share rule the same posts would count.
        let lax = SignatureParams {
            lockstep_share: 0.0,
            ..SignatureParams::default()
        };
        assert_eq!(lockstep_posts(&audience, &lax), 4);
        // Nor when the excess is an order of magnitude: part of the group inside one window is
        // then a moment set by an order.
        let strong = SignatureParams {
            lockstep_strong_factor: 3.0,
            ..SignatureParams::default()
        };
        assert_eq!(lockstep_posts(&audience, &strong), 4);
    }
}
