//! Cluster types with reasons in plain words, and the flag decision.
//!
//! The rules read the features of [`super::features`] in a fixed order; each rule that fires
//! adds the sentence a journalist can repeat. Organic look-alikes (fandoms reacting to
//! notifications, viral posts, topical communities) get a type too, with their reasons, and are
//! not flagged.

use super::features::ClusterFeatures;
use serde::Serialize;

/// The type of a cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum ClusterKind {
    /// Automated accounts delivering likes in bursts to many unrelated customers.
    BotFarm,
    /// Accounts with ordinary lives of their own that also work through the same task list.
    PaidClickNetwork,
    /// Creators who like each other's posts soon after publication.
    EngagementPod,
    /// A pool that hits every new post of one (or a few) client creators.
    Subscription,
    /// Fans reacting to one creator's posts: organic.
    OrganicFandom,
    /// Accounts meeting on very popular posts: organic.
    OrganicViral,
    /// Accounts sharing interests, not timing: organic.
    OrganicTopical,
}

impl ClusterKind {
    /// The name used in files (`bot_farm`, `organic_fandom`…).
    pub fn as_str(self) -> &'static str {
        match self {
            ClusterKind::BotFarm => "bot_farm",
            ClusterKind::PaidClickNetwork => "paid_click_network",
            ClusterKind::EngagementPod => "engagement_pod",
            ClusterKind::Subscription => "subscription",
            ClusterKind::OrganicFandom => "organic_fandom",
            ClusterKind::OrganicViral => "organic_viral",
            ClusterKind::OrganicTopical => "organic_topical",
        }
    }

    /// True for the four coordinated types, which are flagged.
    pub fn is_coordinated(self) -> bool {
        matches!(
            self,
            ClusterKind::BotFarm
                | ClusterKind::PaidClickNetwork
                | ClusterKind::EngagementPod
                | ClusterKind::Subscription
        )
    }

    /// All kinds, in a fixed order.
    pub const ALL: [ClusterKind; 7] = [
        ClusterKind::BotFarm,
        ClusterKind::PaidClickNetwork,
        ClusterKind::EngagementPod,
        ClusterKind::Subscription,
        ClusterKind::OrganicFandom,
        ClusterKind::OrganicViral,
        ClusterKind::OrganicTopical,
    ];
}

/// A type, how sure, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The type.
    pub kind: ClusterKind,
    /// Confidence 0..1.
    pub confidence: f64,
    /// Plain-word reasons.
    pub reasons: Vec<String>,
}

fn pct(x: f64) -> String {
    format!("{:.0} %", 100.0 * x)
}

fn duration(seconds: f64, logical: bool) -> String {
    if logical {
        return format!("{seconds:.0} positions");
    }
    let s = seconds.abs();
    if s < 120.0 {
        format!("{s:.0} s")
    } else if s < 7200.0 {
        format!("{:.0} min", s / 60.0)
    } else if s < 172_800.0 {
        format!("{:.1} h", s / 3600.0)
    } else {
        format!("{:.1} days", s / 86_400.0)
    }
}

/// Give a cluster its type.
pub fn classify(f: &ClusterFeatures, logical: bool) -> Verdict {
    let mut reasons = Vec::new();
    let d = |s: f64| duration(s, logical);
    reasons.push(format!(
        "{} accounts acting on {} shared posts ({} of the possible likes in that block present)",
        f.size,
        f.posts,
        pct(f.block_density)
    ));
    if f.expected_colikes > 0.0 {
        reasons.push(format!(
            "{} co-likes inside the window between members where chance predicts {:.1}",
            f.colikes, f.expected_colikes
        ));
    }
    let many_authors = f.authors >= 3 && f.top_author_share < 0.6;
    let few_authors = f.authors > 0 && !many_authors;
    let own_life = f.outside_ordinary_share >= 0.4;

    let (kind, confidence) = if f.member_author_share >= 0.5 && f.reciprocity >= 0.5 {
        reasons.push(format!(
            "{} of the shared posts were written by members themselves, and {} of the members are authors of posts the group likes: they like each other's posts",
            pct(f.reciprocity),
            pct(f.member_author_share)
        ));
        (ClusterKind::EngagementPod, 0.6 + 0.4 * f.reciprocity.min(1.0))
    } else if f.popular_post_share >= 0.5 {
        reasons.push(format!(
            "{} of the shared posts are among the most-liked posts of the whole data set: meeting on viral posts is expected",
            pct(f.popular_post_share)
        ));
        (ClusterKind::OrganicViral, 0.7)
    } else if few_authors {
        reasons.push(format!(
            "the shared posts come from {} author(s), {} from the main one",
            f.authors,
            pct(f.top_author_share)
        ));
        reasons.push(format!(
            "members like these posts a median {} after the first like",
            d(f.median_delay)
        ));
        if own_life {
            reasons.push(format!(
                "members have lives of their own: {} of their likes go to other, ordinary posts — a fandom following one creator",
                pct(f.outside_ordinary_share)
            ));
            (ClusterKind::OrganicFandom, 0.6)
        } else {
            reasons.push(format!(
                "members do little else: only {} of their likes go to other ordinary posts ({} to very popular posts)",
                pct(f.outside_ordinary_share),
                pct(f.camouflage_ratio)
            ));
            (
                ClusterKind::Subscription,
                0.6 + 0.4 * (1.0 - f.outside_ordinary_share),
            )
        }
    } else if many_authors && !own_life {
        reasons.push(format!(
            "the shared posts come from {} different authors: many unrelated creators benefit",
            f.authors
        ));
        reasons.push(format!(
            "on a typical target post the members' likes arrive within {} of each other",
            d(f.burst_width)
        ));
        reasons.push(format!(
            "members do little else: only {} of their likes go to other ordinary posts ({} to very popular posts, a common camouflage)",
            pct(f.outside_ordinary_share),
            pct(f.camouflage_ratio)
        ));
        (ClusterKind::BotFarm, 0.6 + 0.4 * (1.0 - f.outside_ordinary_share))
    } else if many_authors && f.block_density >= 0.4 {
        reasons.push(format!(
            "the shared posts come from {} different authors, and members liked {} of them: the same task list",
            f.authors,
            pct(f.block_density)
        ));
        reasons.push(format!(
            "members also have ordinary activity ({} of their likes), as paid humans do",
            pct(f.outside_ordinary_share)
        ));
        (
            ClusterKind::PaidClickNetwork,
            0.5 + 0.3 * f.block_density.min(1.0),
        )
    } else {
        reasons.push(format!(
            "members share interests but each liked only {} of the shared posts, with ordinary activity elsewhere ({} of their likes)",
            pct(f.block_density),
            pct(f.outside_ordinary_share)
        ));
        (ClusterKind::OrganicTopical, 0.5)
    };
    Verdict {
        kind,
        confidence: confidence.clamp(0.0, 1.0),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> ClusterFeatures {
        ClusterFeatures {
            size: 30,
            posts: 20,
            internal_edges: 300,
            edge_density: 0.7,
            block_density: 0.6,
            colikes: 2000,
            expected_colikes: 3.5,
            median_pair_dt: 60.0,
            burst_width: 300.0,
            median_delay: 7200.0,
            authors: 15,
            top_author_share: 0.1,
            reciprocity: 0.0,
            member_author_share: 0.0,
            camouflage_ratio: 0.3,
            outside_share: 0.35,
            outside_ordinary_share: 0.05,
            median_member_likes: 40.0,
            per_post_cv: 0.2,
            popular_post_share: 0.0,
        }
    }

    #[test]
    fn farm_pod_subscription_fandom_click() {
        assert_eq!(classify(&base(), false).kind, ClusterKind::BotFarm);
        let pod = ClusterFeatures {
            reciprocity: 0.9,
            member_author_share: 0.9,
            ..base()
        };
        assert_eq!(classify(&pod, false).kind, ClusterKind::EngagementPod);
        let sub = ClusterFeatures {
            authors: 1,
            top_author_share: 1.0,
            ..base()
        };
        assert_eq!(classify(&sub, false).kind, ClusterKind::Subscription);
        let fans = ClusterFeatures {
            outside_ordinary_share: 0.7,
            ..sub.clone()
        };
        let v = classify(&fans, false);
        assert_eq!(v.kind, ClusterKind::OrganicFandom);
        assert!(!v.kind.is_coordinated());
        assert!(v.reasons.iter().any(|r| r.contains("fandom")), "{:?}", v.reasons);
        let click = ClusterFeatures {
            outside_ordinary_share: 0.6,
            ..base()
        };
        assert_eq!(classify(&click, false).kind, ClusterKind::PaidClickNetwork);
        let topical = ClusterFeatures {
            block_density: 0.1,
            ..click
        };
        assert_eq!(classify(&topical, false).kind, ClusterKind::OrganicTopical);
        let viral = ClusterFeatures {
            popular_post_share: 0.8,
            ..base()
        };
        assert_eq!(classify(&viral, false).kind, ClusterKind::OrganicViral);
    }

    #[test]
    fn reasons_state_the_coincidence_baseline() {
        let v = classify(&base(), false);
        assert!(
            v.reasons
                .iter()
                .any(|r| r.contains("2000 co-likes") && r.contains("chance predicts 3.5")),
            "{:?}",
            v.reasons
        );
        assert!(
            v.reasons.iter().any(|r| r.contains("within 5 min")),
            "{:?}",
            v.reasons
        );
    }
}
