//! The flag: a group is flagged when its co-activity shows at least one signature of
//! coordination ([`super::signatures`]) that organic co-activity cannot produce, tested against
//! that signature's organic reference and large enough to matter. The type
//! ([`super::classify`]) only describes how a flagged group behaves; it never vetoes the flag.
//!
//! | evidence | organic reference (the null) | fires when |
//! |---|---|---|
//! | lockstep | each post's own curve, the creator's curve, each member's pace and daily rhythm | at least `lockstep_min_posts` served posts in lockstep, and that many or more out of the served posts is unlikely even if posts fell in lockstep ten times as often as the per-post test allows |
//! | unrelated creators | how much the creators' other likers overlap | members co-engage the block's creators `unrelated_min_ratio` times as often as the creators' other likers do, and (median pair) more of them than a binomial with the other likers' share allows; and the group's timing confirms it: its lockstep posts are unlikely at the run's FDR (an interest community co-engages creators whose other audiences never meet too, but at its own pace) |
//! | breadth | other accounts of the same activity that like these creators | members engage `breadth_min_ratio` times as many of the creators |
//! | pool | independent members (any devotion, any post appeal) vary at least as a Poisson-binomial | per-post member counts vary at most `quota_max_ratio` of that, significantly |
//! | reciprocity | — (structure: the members are the block's authors) | at least `pod_reciprocity` of the posts are members' and `pod_member_authors` of members wrote some |
//!
//! The p-values (where there is one) must pass Bonferroni over the accounts: a partition of
//! the accounts has at most as many groups as accounts, so this bounds the chance of flagging
//! any organic group by the run's FDR whatever the detectors tried.

use super::features::ClusterFeatures;
use serde::{Deserialize, Serialize};
use statrs::distribution::{Binomial, DiscreteCDF};

/// Parameters of the flag (in the tree: `detect.judge`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JudgeParams {
    /// Fewest posts in lockstep: one or two bursts can be a coincidence the per-post test did
    /// not foresee (organic groups measured at most one on the evaluation worlds).
    pub lockstep_min_posts: usize,
    /// The per-post test's level is multiplied by this before the group test: robustness to a
    /// per-post null that is wrong by an order of magnitude.
    pub lockstep_misspecification: f64,
    /// Organic groups co-engage their creators as their audiences overlap, a few times more
    /// than average because a group is the core of that overlap (fandoms and viral crowds
    /// measured up to 8.7×); a service puts the same accounts on creators whose audiences
    /// never meet. An interest community can be the only bridge between its creators'
    /// audiences (topical communities on randomised worlds measured 11.6–54.7×), so this
    /// evidence counts only when the group's timing confirms it (see [`judge`]).
    pub unrelated_min_ratio: f64,
    /// Creators of the block compared pairwise, at least.
    pub unrelated_min_pairs: usize,
    /// Members engage this many times as many of the block's creators as other accounts of the
    /// same activity (shared interests measured up to 5.3×).
    pub breadth_min_ratio: f64,
    /// Per-post member counts vary at most this share of independent members' variation.
    pub quota_max_ratio: f64,
    /// Pod: at least this share of the block posts written by members …
    pub pod_reciprocity: f64,
    /// … and at least this share of members are authors of block posts.
    pub pod_member_authors: f64,
}

impl Default for JudgeParams {
    fn default() -> Self {
        JudgeParams {
            lockstep_min_posts: 3,
            lockstep_misspecification: 10.0,
            unrelated_min_ratio: 10.0,
            unrelated_min_pairs: 1,
            breadth_min_ratio: 10.0,
            quota_max_ratio: 0.5,
            pod_reciprocity: 0.5,
            pod_member_authors: 0.5,
        }
    }
}

/// A signature of coordination that fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// Bursts the organic explanations cannot produce.
    Lockstep,
    /// The same accounts on creators whose audiences do not meet.
    UnrelatedCreators,
    /// Far more creators than accounts of the same activity.
    Breadth,
    /// Each post gets about the same number of members.
    Pool,
    /// Members like each other's posts.
    Reciprocity,
}

impl Evidence {
    /// The name used in `clusters.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Lockstep => "lockstep",
            Evidence::UnrelatedCreators => "unrelated_creators",
            Evidence::Breadth => "breadth",
            Evidence::Pool => "pool",
            Evidence::Reciprocity => "reciprocity",
        }
    }
}

/// The flag decision of one group.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Judgement {
    /// Flagged as coordinated.
    pub flagged: bool,
    /// The signatures that fired, strongest first.
    pub evidence: Vec<Evidence>,
    /// log10 of the smallest p-value among the fired signatures that have one (0 if none).
    pub log10_p: f64,
}

/// Judge a group: `gate` is log10 of the per-group level (the run's FDR over the accounts),
/// `confirm` log10 of the run's FDR (the level of a confirming test on a group already singled
/// out), `post_alpha` the level of the per-post lockstep test.
pub fn judge(
    f: &ClusterFeatures,
    gate: f64,
    confirm: f64,
    post_alpha: f64,
    params: &JudgeParams,
) -> Judgement {
    let s = &f.signatures;
    let mut fired: Vec<(Evidence, f64)> = Vec::new();
    // log10 P(at least `lockstep_posts` of the served posts in lockstep | each is with ten
    // times the per-post level).
    let lockstep_p = if s.lockstep_posts == 0 {
        0.0
    } else {
        let rate = (params.lockstep_misspecification * post_alpha).min(1.0);
        Binomial::new(rate, s.served_posts as u64)
            .map(|b| b.sf(s.lockstep_posts.saturating_sub(1) as u64))
            .unwrap_or(1.0)
            .max(f64::MIN_POSITIVE)
            .log10()
    };
    if s.lockstep_posts >= params.lockstep_min_posts && lockstep_p <= gate {
        fired.push((Evidence::Lockstep, lockstep_p));
    }
    if s.unit_pairs >= params.unrelated_min_pairs
        && s.unrelated_ratio >= params.unrelated_min_ratio
        && s.unrelated_log10_p <= gate
        && lockstep_p <= confirm
    {
        fired.push((Evidence::UnrelatedCreators, s.unrelated_log10_p));
    }
    if s.breadth_units >= 2 && s.breadth_ratio >= params.breadth_min_ratio {
        fired.push((Evidence::Breadth, f.group_log10_p));
    }
    if s.quota_ratio > 0.0 && s.quota_ratio <= params.quota_max_ratio && s.quota_log10_p <= gate {
        fired.push((Evidence::Pool, s.quota_log10_p));
    }
    if f.member_author_share >= params.pod_member_authors && f.reciprocity >= params.pod_reciprocity {
        fired.push((Evidence::Reciprocity, f.group_log10_p));
    }
    // Every flagged group must also be co-active beyond chance at all (its members liked its
    // posts far more than their activity predicts).
    fired.retain(|_| f.group_log10_p <= gate);
    fired.sort_by(|x, y| x.1.total_cmp(&y.1));
    Judgement {
        flagged: !fired.is_empty(),
        log10_p: fired.first().map_or(0.0, |x| x.1.min(0.0)),
        evidence: fired.into_iter().map(|x| x.0).collect(),
    }
}
