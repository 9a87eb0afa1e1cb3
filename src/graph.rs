//! Stage 2 — the account × post bipartite graph, as compressed sparse rows in both directions.
//!
//! Every like gets a dense id: likes are stored post-major, each post's likes sorted by
//! (time, account), so a post's likers within a time window are one contiguous slice found by
//! binary search. The account side lists each account's like ids in time order.
//!
//! Memory: 28 bytes per like (account 4, post 4, time 8, origin 8, account-side index 4) plus
//! 8 bytes per account and per post for the offsets, plus the names.

use crate::input::{Clock, Interactions, Like, NO_AUTHOR, Origin};
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
    post_offsets: Vec<usize>,
    like_account: Vec<u32>,
    like_post: Vec<u32>,
    like_time: Vec<i64>,
    like_origin: Vec<Origin>,
    account_offsets: Vec<usize>,
    account_likes: Vec<u32>,
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
    #[cfg(test)]
    pub(crate) fn for_tests(
        n_accounts: usize,
        n_posts: usize,
        clock: Clock,
        likes: &[(u32, u32, i64)],
    ) -> Self {
        let names = |n: usize, p: &str| {
            (0..n)
                .map(|i| format!("{p}{i}").into())
                .collect::<Vec<Box<str>>>()
        };
        let likes = likes
            .iter()
            .enumerate()
            .map(|(i, &(account, post, time))| crate::input::Like {
                account,
                post,
                time,
                origin: crate::input::Origin::new(0, i as u64 + 2),
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
            ..
        } = interactions;
        Self::from_parts(accounts, posts, authors, post_author, clock, likes)
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
        Ok(LikeGraph {
            accounts: accounts.into(),
            posts,
            authors,
            post_author,
            clock,
            post_offsets,
            like_account,
            like_post,
            like_time,
            like_origin,
            account_offsets,
            account_likes,
        })
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

    /// Earliest and latest like time over the whole graph.
    pub fn time_range(&self) -> Option<(i64, i64)> {
        let min = self.like_time.par_iter().min()?;
        let max = self.like_time.par_iter().max()?;
        Some((*min, *max))
    }
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
    }
}
