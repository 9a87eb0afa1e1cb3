//! Stage 5 — scores: per account (0..1 with its reason), per post and per author (flagged
//! likes received and their share): who acted in lockstep, and who benefited.

use crate::colike::PairRecord;
use crate::detect::Detection;
use crate::graph::LikeGraph;
use serde::Serialize;

/// Score of one account.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AccountScore {
    /// Member of a flagged cluster.
    pub flagged: bool,
    /// Cluster id (1-based), 0 if none.
    pub cluster: u32,
    /// 0..1: at least 0.5 for flagged accounts, below 0.5 otherwise.
    pub score: f64,
    /// Likes by this account.
    pub likes: u32,
    /// Likes on its cluster's block posts.
    pub block_likes: u32,
    /// Significant co-like partners.
    pub partners: u32,
    /// Smallest q-value among its pairs (1 if none).
    pub min_q: f64,
    /// The reason in plain words (empty for accounts with nothing to say).
    pub reason: String,
}

/// Likes a post received, and how many came from flagged accounts.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct PostScore {
    /// All likes.
    pub likes: u32,
    /// Likes from flagged accounts.
    pub flagged_likes: u32,
}

/// Likes an author's posts received, and how many came from flagged accounts.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct AuthorScore {
    /// Number of posts.
    pub posts: u32,
    /// Likes on those posts.
    pub likes: u64,
    /// Of which from flagged accounts.
    pub flagged_likes: u64,
    /// Posts with at least one flagged like.
    pub posts_hit: u32,
}

/// All scores of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    /// By account id.
    pub accounts: Vec<AccountScore>,
    /// By post id.
    pub posts: Vec<PostScore>,
    /// By author id.
    pub authors: Vec<AuthorScore>,
}

/// Share x / y, 0 when y is 0.
pub fn share(x: f64, y: f64) -> f64 {
    if y > 0.0 { x / y } else { 0.0 }
}

/// Compute all scores.
pub fn score(graph: &LikeGraph, detection: &Detection, significant: &[(PairRecord, f64)]) -> Scores {
    let n = graph.n_accounts();
    let mut partners = vec![0u32; n];
    let mut min_q = vec![1.0f64; n];
    for (r, q) in significant {
        for x in [r.a, r.b] {
            partners[x as usize] += 1;
            min_q[x as usize] = min_q[x as usize].min(*q);
        }
    }
    let mut accounts: Vec<AccountScore> = (0..n as u32)
        .map(|a| {
            let likes = graph.account_degree(a) as u32;
            AccountScore {
                flagged: false,
                cluster: 0,
                score: 0.0,
                likes,
                block_likes: 0,
                partners: partners[a as usize],
                min_q: min_q[a as usize],
                reason: String::new(),
            }
        })
        .collect();
    for c in &detection.clusters {
        for &a in &c.members {
            let block_likes = graph
                .account_likes(a)
                .iter()
                .filter(|&&l| c.posts.binary_search(&graph.like_post(l)).is_ok())
                .count() as u32;
            let s = &mut accounts[a as usize];
            s.cluster = c.id;
            s.flagged = c.flagged;
            s.block_likes = block_likes;
            let block_share = share(block_likes as f64, s.likes as f64);
            s.score = if c.flagged {
                0.5 + 0.5 * c.confidence * block_share
            } else {
                0.25 * block_share
            };
            s.reason = format!(
                "member of cluster {} ({}); {} of its {} likes are on the cluster's {} shared posts; {} significant co-like partners",
                c.id,
                c.kind.as_str(),
                block_likes,
                s.likes,
                c.posts.len(),
                s.partners
            );
        }
    }
    for c in &detection.clusters {
        for r in &c.recruits {
            let s = &mut accounts[r.account as usize];
            s.reason = format!(
                "added to cluster {} ({}) by its bursts: {} of its {} likes on the cluster's posts fell inside the group's bursts (timing p = {:.1e}; liking that many of these posts at all, p = {:.1e}; combined p = {:.1e}); {} of its {} likes are on the cluster's {} shared posts",
                c.id,
                c.kind.as_str(),
                r.hits,
                r.tries,
                r.timing_pvalue,
                r.participation_pvalue,
                r.pvalue,
                s.block_likes,
                s.likes,
                c.posts.len()
            );
        }
    }
    for s in accounts.iter_mut().filter(|s| s.cluster == 0 && s.partners > 0) {
        s.reason = format!(
            "{} significant co-like partner(s) but in no cluster of the minimum size",
            s.partners
        );
    }
    let mut posts = vec![PostScore::default(); graph.n_posts()];
    for (p, ps) in posts.iter_mut().enumerate() {
        let likers = graph.likers(p as u32);
        ps.likes = likers.len() as u32;
        ps.flagged_likes = likers.iter().filter(|&&a| accounts[a as usize].flagged).count() as u32;
    }
    let mut authors = vec![AuthorScore::default(); graph.authors.len()];
    for (p, ps) in posts.iter().enumerate() {
        if let Some(au) = graph.author_of(p as u32) {
            let s = &mut authors[au as usize];
            s.posts += 1;
            s.likes += ps.likes as u64;
            s.flagged_likes += ps.flagged_likes as u64;
            if ps.flagged_likes > 0 {
                s.posts_hit += 1;
            }
        }
    }
    Scores {
        accounts,
        posts,
        authors,
    }
}
