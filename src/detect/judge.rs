//! The flag: a group is flagged when its co-activity shows at least one signature of
//! coordination ([`super::signatures`]) that organic co-activity cannot produce, tested against
//! that signature's organic reference and large enough to matter. The type
//! ([`super::classify`]) only describes how a flagged group behaves; it never vetoes the flag.
//!
//! | evidence | organic reference (the null) | fires when |
//! |---|---|---|
//! | lockstep | each post's own curve, the creator's curve, each member's pace and daily rhythm | at least `lockstep_min_posts` served posts in lockstep, and that many or more out of the served posts is unlikely even if posts fell in lockstep ten times as often as the per-post test allows |
//! | unrelated creators | how much the creators' other likers overlap | members co-engage the block's creators `unrelated_min_ratio` times as often as the creators' other likers do, and (median pair) more of them than a binomial with the other likers' share allows; and the group's timing confirms it: its lockstep posts, bursts at publication included, are unlikely at the run's FDR (an interest community co-engages creators whose other audiences never meet too, but at its own pace) |
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
    /// Members write variants of the same texts, which the accounts around them do not.
    SharedTexts,
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
            Evidence::SharedTexts => "shared_texts",
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
    let lockstep_p = lockstep_tail(s.lockstep_posts, s.served_posts, post_alpha, params);
    if s.lockstep_posts >= params.lockstep_min_posts && lockstep_p <= gate {
        fired.push((Evidence::Lockstep, lockstep_p));
    }
    // The confirmation counts the bursts at publication too: given creators whose audiences do
    // not meet, a group that acts together at their posts' publication is no interest
    // community reacting at its own pace.
    let timing_posts = s.lockstep_posts + s.publication_lockstep_posts;
    let confirm_p = lockstep_tail(timing_posts, s.served_posts, post_alpha, params);
    if s.unit_pairs >= params.unrelated_min_pairs
        && s.unrelated_ratio >= params.unrelated_min_ratio
        && s.unrelated_log10_p <= gate
        && confirm_p <= confirm
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
    // Shared texts are a co-activity test of their own (against the texts of the accounts
    // commenting on the same posts, `super::texts`), not one of the block's likes: a farm may
    // spread its comments thinly over its clients' posts.
    if f.texts.log10_p <= gate && f.texts.log10_p < 0.0 {
        fired.push((Evidence::SharedTexts, f.texts.log10_p));
    }
    fired.sort_by(|x, y| x.1.total_cmp(&y.1));
    Judgement {
        flagged: !fired.is_empty(),
        log10_p: fired.first().map_or(0.0, |x| x.1.min(0.0)),
        evidence: fired.into_iter().map(|x| x.0).collect(),
    }
}

/// log10 P(at least `posts` of `served` posts in lockstep | each is with ten times the per-post
/// level): the group test of the lockstep signature (0 when `posts` is 0).
fn lockstep_tail(posts: usize, served: usize, post_alpha: f64, params: &JudgeParams) -> f64 {
    if posts == 0 {
        return 0.0;
    }
    let rate = (params.lockstep_misspecification * post_alpha).min(1.0);
    Binomial::new(rate, served as u64)
        .map(|b| b.sf(posts.saturating_sub(1) as u64))
        .unwrap_or(1.0)
        .max(f64::MIN_POSITIVE)
        .log10()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::signatures::Signatures;

    fn group(s: Signatures) -> ClusterFeatures {
        ClusterFeatures {
            group_log10_p: -50.0,
            signatures: s,
            ..ClusterFeatures::default()
        }
    }

    const GATE: f64 = -6.0;
    const CONFIRM: f64 = -2.0;
    const ALPHA: f64 = 0.001;

    #[test]
    fn lockstep_is_judged_against_a_per_post_rate_ten_times_the_level() {
        let p = JudgeParams::default();
        // 5 of 20 served posts: P(Bin(20, 0.01) ≥ 5) = 1.3e-6, above the gate of 1e-6.
        let five = group(Signatures {
            served_posts: 20,
            lockstep_posts: 5,
            ..Signatures::default()
        });
        assert!(!judge(&five, GATE, CONFIRM, ALPHA, &p).flagged);
        let six = group(Signatures {
            served_posts: 20,
            lockstep_posts: 6,
            ..Signatures::default()
        });
        let j = judge(&six, GATE, CONFIRM, ALPHA, &p);
        assert_eq!(j.evidence, [Evidence::Lockstep]);
        // log10 P(Bin(20, 0.01) ≥ 6) = log10(3.5e-8).
        assert!((j.log10_p - (-7.455)).abs() < 0.01, "{}", j.log10_p);
    }

    #[test]
    fn bursts_at_publication_only_confirm_unrelated_creators() {
        let p = JudgeParams::default();
        let unrelated = Signatures {
            served_posts: 10,
            unit_pairs: 6,
            unrelated_ratio: 40.0,
            unrelated_log10_p: -20.0,
            ..Signatures::default()
        };
        // Every served post at publication: no lockstep evidence, but the creators' evidence
        // is confirmed (P(Bin(10, 0.01) ≥ 10) is far below the run's FDR).
        let at_publication = group(Signatures {
            publication_lockstep_posts: 10,
            ..unrelated.clone()
        });
        assert_eq!(
            judge(&at_publication, GATE, CONFIRM, ALPHA, &p).evidence,
            [Evidence::UnrelatedCreators]
        );
        // Without any timing the creators alone flag nothing (an interest community).
        assert!(!judge(&group(unrelated), GATE, CONFIRM, ALPHA, &p).flagged);
        // And bursts at publication alone flag nothing (a creator's fans).
        let fans = group(Signatures {
            served_posts: 10,
            publication_lockstep_posts: 10,
            ..Signatures::default()
        });
        assert!(!judge(&fans, GATE, CONFIRM, ALPHA, &p).flagged);
    }

    #[test]
    fn no_signature_flags_a_group_its_activity_explains() {
        let p = JudgeParams::default();
        let busy = ClusterFeatures {
            group_log10_p: -1.0,
            ..group(Signatures {
                served_posts: 20,
                lockstep_posts: 20,
                ..Signatures::default()
            })
        };
        assert!(!judge(&busy, GATE, CONFIRM, ALPHA, &p).flagged);
    }
}
