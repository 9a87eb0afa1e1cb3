//! Stage 2 — the account × post bipartite graph, as compressed sparse rows in both directions.
//!
//! Every like gets a dense id: likes are stored post-major, each post's likes sorted by
//! (time, account), so a post's likers within a time window are one contiguous slice found by
//! binary search. The account side lists each account's like ids in time order.
//!
//! Memory: 28 bytes per like (account 4, post 4, time 8, origin 8, account-side index 4) plus
//! 8 bytes per account and per post for the offsets, plus the names. Each like's time
//! resolution lives in 2 bits of its origin, at no extra cost.
//!
//! Time resolution: a like's time may be known only to the minute, the hour or the day
//! ([`crate::input::resolution`]). It keeps its time as read (midnight, or the rounded value);
//! [`LikeGraph::like_resolution`] says how wide the interval is that it stands for, and
//! downstream stages decide what to do with it (count the co-activity, keep it out of timing
//! tests finer than the resolution).

use crate::input::{Clock, Interactions, Like, NO_AUTHOR, Origin, Resolution, ResolutionCounts};
use rayon::prelude::*;
use std::ops::Range;

/// Bytes the graph needs per like, not counting names and offsets.
pub const BYTES_PER_LIKE: usize = 28;

/// The liker–post graph with names, times and the origin of every like.
#[derive(Debug, Clone)]
pub struct LikeGraph {
    /// Account names by id (shared, so tables can refer to them without copying).
    pub accounts: std::sync::Arc<[Box<str>]>,
    /// Post names by id.
    pub posts: Vec<Box<str>>,
    /// Author names by id.
    pub authors: Vec<Box<str>>,
    /// Author id of each post, or [`NO_AUTHOR`].
    pub post_author: Vec<u32>,
    /// Real timestamps (ms) or logical positions.
    pub clock: Clock,
    /// The texts of the interactions (comments, replies, captions), when the input had a text
    /// column; read by the text stage ([`crate::comments`]).
    pub comments: Option<std::sync::Arc<crate::input::Comments>>,
    post_offsets: Vec<usize>,
    like_account: Vec<u32>,
    like_post: Vec<u32>,
    like_time: Vec<i64>,
    like_origin: Vec<Origin>,
    account_offsets: Vec<usize>,
    account_likes: Vec<u32>,
    /// Each author's posts (CSR, ascending post ids).
    author_offsets: Vec<usize>,
    author_posts: Vec<u32>,
    coarse_times: bool,
}

/// One like seen through the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LikeRef {
    /// Like id (position in the post-major arrays).
    pub id: u32,
    /// Account id.
    pub account: u32,
    /// Post id.
    pub post: u32,
    /// Time (ms, or logical position).
    pub time: i64,
    /// File and line it came from.
    pub origin: Origin,
}

/// The graph cannot hold more than this many likes (ids are 32-bit).
#[derive(Debug, thiserror::Error)]
#[error("{0} likes is more than lockstep can hold in one run (at most 4 294 967 295); split the input")]
pub struct TooManyLikes(pub usize);

impl LikeGraph {
    /// A graph for tests: accounts `a0…`, posts `p0…`, no authors; like i comes from line i + 2.
    /// Every time is exact ([`Resolution::Second`]).
    #[cfg(test)]
    pub(crate) fn for_tests(
        n_accounts: usize,
        n_posts: usize,
        clock: Clock,
        likes: &[(u32, u32, i64)],
    ) -> Self {
        let likes: Vec<(u32, u32, i64, Resolution)> = likes
            .iter()
            .map(|&(a, p, t)| (a, p, t, Resolution::Second))
            .collect();
        Self::for_tests_with_resolution(n_accounts, n_posts, clock, &likes)
    }

    /// [`LikeGraph::for_tests`] with each like's time resolution: `(account, post, time,
    /// resolution)`. (Outside unit tests, give [`LikeGraph::from_parts`] likes whose origin is
    /// [`Origin::with_resolution`].)
    #[cfg(test)]
    pub(crate) fn for_tests_with_resolution(
        n_accounts: usize,
        n_posts: usize,
        clock: Clock,
        likes: &[(u32, u32, i64, Resolution)],
    ) -> Self {
        let names = |n: usize, p: &str| {
            (0..n)
                .map(|i| format!("{p}{i}").into())
                .collect::<Vec<Box<str>>>()
        };
        let likes = likes
            .iter()
            .enumerate()
            .map(|(i, &(account, post, time, resolution))| crate::input::Like {
                account,
                post,
                time,
                origin: crate::input::Origin::new(0, i as u64 + 2).with_resolution(resolution),
            })
            .collect();
        Self::from_parts(
            names(n_accounts, "a"),
            names(n_posts, "p"),
            vec![],
            vec![crate::input::NO_AUTHOR; n_posts],
            clock,
            likes,
        )
        .expect("a test graph fits")
    }

    /// Build from loaded interactions (already deduplicated and sorted by post, time, account).
    pub fn build(interactions: Interactions) -> Result<Self, TooManyLikes> {
        let Interactions {
            accounts,
            posts,
            authors,
            post_author,
            likes,
            clock,
            comments,
            ..
        } = interactions;
        let mut graph = Self::from_parts(accounts, posts, authors, post_author, clock, likes)?;
        graph.comments = comments.map(std::sync::Arc::new);
        Ok(graph)
    }

    /// Build from names and likes; likes need not be sorted (they are sorted here).
    pub fn from_parts(
        accounts: Vec<Box<str>>,
        posts: Vec<Box<str>>,
        authors: Vec<Box<str>>,
        post_author: Vec<u32>,
        clock: Clock,
        mut likes: Vec<Like>,
    ) -> Result<Self, TooManyLikes> {
        if likes.len() >= u32::MAX as usize {
            return Err(TooManyLikes(likes.len()));
        }
        if !likes.is_sorted_by_key(|l| (l.post, l.time, l.account)) {
            likes.par_sort_unstable_by_key(|l| (l.post, l.time, l.account));
        }
        let n_posts = posts.len();
        let n_accounts = accounts.len();
        let mut post_offsets = vec![0usize; n_posts + 1];
        let mut account_offsets = vec![0usize; n_accounts + 1];
        for l in &likes {
            post_offsets[l.post as usize + 1] += 1;
            account_offsets[l.account as usize + 1] += 1;
        }
        for i in 0..n_posts {
            post_offsets[i + 1] += post_offsets[i];
        }
        for i in 0..n_accounts {
            account_offsets[i + 1] += account_offsets[i];
        }
        let like_account: Vec<u32> = likes.iter().map(|l| l.account).collect();
        let like_post: Vec<u32> = likes.iter().map(|l| l.post).collect();
        let like_time: Vec<i64> = likes.iter().map(|l| l.time).collect();
        let like_origin: Vec<Origin> = likes.iter().map(|l| l.origin).collect();
        drop(likes);
        let coarse_times = clock == Clock::Timestamps
            && like_origin
                .par_iter()
                .any(|o| o.resolution() != Resolution::Second);
        let mut account_likes = vec![0u32; like_account.len()];
        let mut cursor = account_offsets.clone();
        for (id, &a) in like_account.iter().enumerate() {
            account_likes[cursor[a as usize]] = id as u32;
            cursor[a as usize] += 1;
        }
        // Each account's likes in time order (ties by post id).
        let mut slices: Vec<&mut [u32]> = Vec::with_capacity(n_accounts);
        let mut rest: &mut [u32] = &mut account_likes;
        for a in 0..n_accounts {
            let (head, tail) = rest.split_at_mut(account_offsets[a + 1] - account_offsets[a]);
            slices.push(head);
            rest = tail;
        }
        slices.par_iter_mut().for_each(|s| {
            s.sort_unstable_by_key(|&id| (like_time[id as usize], like_post[id as usize]));
        });
        let (author_offsets, author_posts) = author_index(authors.len(), &post_author);
        Ok(LikeGraph {
            author_offsets,
            author_posts,
            accounts: accounts.into(),
            posts,
            authors,
            post_author,
            clock,
            comments: None,
            post_offsets,
            like_account,
            like_post,
            like_time,
            like_origin,
            account_offsets,
            account_likes,
            coarse_times,
        })
    }

    /// The posts of an author (ascending ids).
    pub fn posts_of_author(&self, author: u32) -> &[u32] {
        let a = author as usize;
        match (self.author_offsets.get(a), self.author_offsets.get(a + 1)) {
            (Some(&s), Some(&e)) => &self.author_posts[s..e],
            _ => &[],
        }
    }

    /// Number of accounts.
    pub fn n_accounts(&self) -> usize {
        self.accounts.len()
    }

    /// Number of posts.
    pub fn n_posts(&self) -> usize {
        self.posts.len()
    }

    /// Number of likes (after deduplication).
    pub fn n_likes(&self) -> usize {
        self.like_account.len()
    }

    /// Like ids of post `p`, as a range into the post-major arrays.
    pub fn post_range(&self, p: u32) -> Range<usize> {
        self.post_offsets[p as usize]..self.post_offsets[p as usize + 1]
    }

    /// Likers of post `p`, in time order.
    pub fn likers(&self, p: u32) -> &[u32] {
        &self.like_account[self.post_range(p)]
    }

    /// Like times of post `p`, ascending.
    pub fn times(&self, p: u32) -> &[i64] {
        &self.like_time[self.post_range(p)]
    }

    /// Number of likes of post `p`.
    pub fn post_degree(&self, p: u32) -> usize {
        self.post_offsets[p as usize + 1] - self.post_offsets[p as usize]
    }

    /// Number of likes by account `a`.
    pub fn account_degree(&self, a: u32) -> usize {
        self.account_offsets[a as usize + 1] - self.account_offsets[a as usize]
    }

    /// Like ids of account `a`, in time order.
    pub fn account_likes(&self, a: u32) -> &[u32] {
        &self.account_likes[self.account_offsets[a as usize]..self.account_offsets[a as usize + 1]]
    }

    /// Look up one like by id.
    pub fn like(&self, id: u32) -> LikeRef {
        let i = id as usize;
        LikeRef {
            id,
            account: self.like_account[i],
            post: self.like_post[i],
            time: self.like_time[i],
            origin: self.like_origin[i],
        }
    }

    /// Account of a like.
    pub fn like_account(&self, id: u32) -> u32 {
        self.like_account[id as usize]
    }

    /// Post of a like.
    pub fn like_post(&self, id: u32) -> u32 {
        self.like_post[id as usize]
    }

    /// Time of a like.
    pub fn like_time(&self, id: u32) -> i64 {
        self.like_time[id as usize]
    }

    /// How precisely a like's time is known: [`Resolution::Second`] (exact) with a logical clock.
    pub fn like_time_resolution(&self, id: u32) -> Resolution {
        match self.clock {
            Clock::Timestamps => self.like_origin[id as usize].resolution(),
            Clock::Logical => Resolution::Second,
        }
    }

    /// Width of the interval a like's time stands for, in clock units: 0 for times known to the
    /// second or finer (and always 0 with a logical clock), 60 000 for the minute, 3 600 000
    /// for the hour, 86 400 000 for a date only. The true time lies in
    /// `[like_time, like_time + like_resolution)` (rounding down; a source that rounds to the
    /// nearest hour puts it within half an hour either side).
    pub fn like_resolution(&self, id: u32) -> i64 {
        self.like_time_resolution(id).millis()
    }

    /// True if some like's time is coarser than a second (never with a logical clock). Set when
    /// the graph is built: a field read, no scan.
    pub fn has_coarse_times(&self) -> bool {
        self.coarse_times
    }

    /// Likes by time resolution (after merging duplicates); all `second` with a logical clock.
    pub fn resolution_counts(&self) -> ResolutionCounts {
        let mut counts = ResolutionCounts::default();
        if !self.coarse_times {
            counts.second = self.n_likes() as u64;
            return counts;
        }
        for o in &self.like_origin {
            counts.add(o.resolution(), 1);
        }
        counts
    }

    /// Author id of post `p`, if known.
    pub fn author_of(&self, p: u32) -> Option<u32> {
        let a = self.post_author[p as usize];
        (a != NO_AUTHOR).then_some(a)
    }

    /// The time of account `a`'s like on post `p`, if it liked it (binary search on the post side).
    pub fn like_time_of(&self, a: u32, p: u32) -> Option<i64> {
        let range = self.post_range(p);
        self.like_account[range.clone()]
            .iter()
            .position(|&x| x == a)
            .map(|i| self.like_time[range.start + i])
    }

    /// First like time of each post: the proxy for its publication time.
    pub fn post_first_time(&self, p: u32) -> Option<i64> {
        self.times(p).first().copied()
    }

    /// The likes of a post whose time is known to the second, as (account, time) in time
    /// order: the likes every timing measure reads (a time rounded to the hour or a date
    /// alone would make bursts of its own).
    pub fn fine_likes(&self, p: u32) -> impl Iterator<Item = (u32, i64)> + '_ {
        let range = self.post_range(p);
        let coarse = self.coarse_times;
        range
            .filter(move |&id| !coarse || self.like_origin[id].resolution() == Resolution::Second)
            .map(move |id| (self.like_account[id], self.like_time[id]))
    }

    /// Time of a post's first like whose time is known to the second (a date-only like at
    /// midnight would put "publication" before the post existed), or of its first like when
    /// none is: the publication proxy of every delay.
    pub fn post_start(&self, p: u32) -> Option<i64> {
        if !self.coarse_times {
            return self.post_first_time(p);
        }
        let range = self.post_range(p);
        range
            .clone()
            .find(|&id| self.like_resolution(id as u32) == 0)
            .map(|id| self.like_time[id])
            .or_else(|| self.post_first_time(p))
    }

    /// The like that sets a post's [`LikeGraph::post_start`] (its first like known to the
    /// second, else its first like): the origin of every delay, at delay 0 by definition.
    pub fn post_origin(&self, p: u32) -> Option<u32> {
        let mut range = self.post_range(p);
        let first = range.start;
        if !self.coarse_times {
            return (!range.is_empty()).then_some(first as u32);
        }
        range
            .find(|&id| self.like_resolution(id as u32) == 0)
            .or((first < self.post_offsets[p as usize + 1]).then_some(first))
            .map(|id| id as u32)
    }

    /// Earliest and latest like time over the whole graph.
    pub fn time_range(&self) -> Option<(i64, i64)> {
        let min = self.like_time.par_iter().min()?;
        let max = self.like_time.par_iter().max()?;
        Some((*min, *max))
    }
}

/// Each author's posts as CSR offsets and post ids (ascending within an author).
fn author_index(n_authors: usize, post_author: &[u32]) -> (Vec<usize>, Vec<u32>) {
    let mut offsets = vec![0usize; n_authors + 1];
    for &a in post_author {
        if (a as usize) < n_authors {
            offsets[a as usize + 1] += 1;
        }
    }
    for i in 0..n_authors {
        offsets[i + 1] += offsets[i];
    }
    let mut posts = vec![0u32; offsets[n_authors]];
    let mut cursor = offsets.clone();
    for (p, &a) in post_author.iter().enumerate() {
        if (a as usize) < n_authors {
            posts[cursor[a as usize]] = p as u32;
            cursor[a as usize] += 1;
        }
    }
    (offsets, posts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize, prefix: &str) -> Vec<Box<str>> {
        (0..n).map(|i| format!("{prefix}{i}").into()).collect()
    }

    pub(crate) fn like(account: u32, post: u32, time: i64) -> Like {
        Like {
            account,
            post,
            time,
            origin: Origin::new(0, time as u64 + 2),
        }
    }

    #[test]
    fn csr_both_ways_agree() {
        let likes = vec![
            like(0, 1, 50),
            like(1, 0, 10),
            like(0, 0, 5),
            like(2, 0, 7),
            like(2, 1, 1),
        ];
        let g = LikeGraph::from_parts(
            names(3, "a"),
            names(2, "p"),
            vec![],
            vec![NO_AUTHOR; 2],
            Clock::Timestamps,
            likes,
        )
        .unwrap();
        assert_eq!(g.n_likes(), 5);
        assert_eq!(g.likers(0), &[0, 2, 1]);
        assert_eq!(g.times(0), &[5, 7, 10]);
        assert_eq!(g.likers(1), &[2, 0]);
        assert_eq!(g.times(1), &[1, 50]);
        let posts_of = |a: u32| {
            g.account_likes(a)
                .iter()
                .map(|&l| (g.like_post(l), g.like_time(l)))
                .collect::<Vec<_>>()
        };
        assert_eq!(posts_of(0), vec![(0, 5), (1, 50)]);
        assert_eq!(posts_of(2), vec![(1, 1), (0, 7)]);
        assert_eq!(posts_of(1), vec![(0, 10)]);
        assert_eq!(g.account_degree(0), 2);
        assert_eq!(g.post_degree(0), 3);
        assert_eq!(g.like_time_of(2, 1), Some(1));
        assert_eq!(g.like_time_of(1, 1), None);
        assert_eq!(g.time_range(), Some((1, 50)));
        for id in 0..5 {
            let l = g.like(id);
            assert!(g.account_likes(l.account).contains(&id));
        }
        assert!(!g.has_coarse_times());
        assert_eq!(g.like_resolution(0), 0);
    }

    #[test]
    fn resolution_follows_each_like() {
        use crate::clock::{MS_PER_DAY, MS_PER_HOUR};
        let likes = [
            (0, 0, 5 * MS_PER_DAY, Resolution::Day),
            (1, 0, 5 * MS_PER_DAY + 3_000, Resolution::Second),
            (2, 0, 5 * MS_PER_DAY + MS_PER_HOUR, Resolution::Hour),
            (0, 1, 7 * MS_PER_DAY + 61_000, Resolution::Second),
        ];
        let g = LikeGraph::for_tests_with_resolution(3, 2, Clock::Timestamps, &likes);
        assert!(g.has_coarse_times());
        // Post 0 in time order: the date (midnight), the exact like, the hour.
        let res: Vec<i64> = g.post_range(0).map(|id| g.like_resolution(id as u32)).collect();
        assert_eq!(res, [86_400_000, 0, 3_600_000]);
        assert_eq!(g.like_time(0), 5 * MS_PER_DAY, "a date keeps its midnight");
        assert_eq!(g.like_time_resolution(2), Resolution::Hour);
        let last = g.post_range(1).start as u32;
        assert_eq!(g.like_resolution(last), 0);
        assert_eq!(
            g.resolution_counts(),
            ResolutionCounts {
                second: 2,
                minute: 0,
                hour: 1,
                day: 1
            }
        );
        // The origin still gives file and line.
        assert_eq!(g.like(0).origin.line(), 2);
        assert_eq!(g.like(0).origin.file(), 0);
        // A logical clock has no coarse times, whatever the origins say.
        let logical = LikeGraph::for_tests_with_resolution(3, 2, Clock::Logical, &likes);
        assert!(!logical.has_coarse_times());
        assert_eq!(logical.like_resolution(0), 0);
        assert_eq!(logical.resolution_counts().second, 4);
        // for_tests stays all exact.
        let plain = LikeGraph::for_tests(1, 1, Clock::Timestamps, &[(0, 0, 0)]);
        assert!(!plain.has_coarse_times());
    }
}
