//! Stage 5 — scores: per account (0..1 with its reason), per post and per author (flagged
//! likes received and their share): who acted in lockstep, and who benefited.

use crate::colike::TestedPair;
use crate::detect::Detection;
use crate::graph::LikeGraph;
use crate::vocab::Interaction;
use serde::{Deserialize, Serialize};

/// How an account's score is made (in the tree: `score`). A flagged account scores from
/// `flagged_floor` up, by its cluster's confidence times the share of its likes on the
/// cluster's posts; any other member of a cluster scores below `flagged_floor`, by that share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScoreParams {
    /// Lowest score of a flagged account: every flagged account ranks above every other one.
    pub flagged_floor: f64,
    /// Range above the floor, reached by confidence 1 and all likes on the block.
    pub flagged_range: f64,
    /// Range of a member of an unflagged cluster (well below the floor).
    pub unflagged_range: f64,
}

impl Default for ScoreParams {
    fn default() -> Self {
        ScoreParams {
            flagged_floor: 0.5,
            flagged_range: 0.5,
            unflagged_range: 0.25,
        }
    }
}

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

/// Flagged likes per post and per author: who benefited.
fn beneficiaries(graph: &LikeGraph, accounts: &[AccountScore]) -> (Vec<PostScore>, Vec<AuthorScore>) {
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
    (posts, authors)
}

/// Compute all scores; each account's reason is written in the words of `w`.
pub fn score(
    graph: &LikeGraph,
    detection: &Detection,
    significant: &[TestedPair],
    params: &ScoreParams,
    w: Interaction,
) -> Scores {
    let n = graph.n_accounts();
    let mut partners = vec![0u32; n];
    let mut min_q = vec![1.0f64; n];
    for s in significant {
        for x in [s.record.a, s.record.b] {
            partners[x as usize] += 1;
            min_q[x as usize] = min_q[x as usize].min(s.q);
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
                params.flagged_floor + params.flagged_range * c.confidence * block_share
            } else {
                params.unflagged_range * block_share
            };
            s.reason = format!(
                "member of cluster {} ({}); {} of its {} {} are on the cluster's {} shared {}; {} significant {} partners",
                c.id,
                c.kind.as_str(),
                block_likes,
                s.likes,
                w.nouns(),
                c.posts.len(),
                w.objects(),
                s.partners,
                w.co_noun()
            );
        }
    }
    for c in &detection.clusters {
        for r in &c.recruits {
            let s = &mut accounts[r.account as usize];
            s.reason = format!(
                "added to cluster {} ({}) by its bursts: {} of its {} {} on the cluster's {} fell inside the group's bursts (timing p = {:.1e}; {} that many of these {} at all, p = {:.1e}; combined p = {:.1e}); {} of its {} {} are on the cluster's {} shared {}",
                c.id,
                c.kind.as_str(),
                r.hits,
                r.tries,
                w.nouns(),
                w.objects(),
                r.timing_pvalue,
                w.gerund(),
                w.objects(),
                r.participation_pvalue,
                r.pvalue,
                s.block_likes,
                s.likes,
                w.nouns(),
                c.posts.len(),
                w.objects()
            );
        }
    }
    for s in accounts.iter_mut().filter(|s| s.cluster == 0 && s.partners > 0) {
        s.reason = format!(
            "{} significant {} partner(s) but in no cluster of the minimum size",
            s.partners,
            w.co_noun()
        );
    }
    let (posts, authors) = beneficiaries(graph, &accounts);
    Scores {
        accounts,
        posts,
        authors,
    }
}
