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

/// Thresholds of the rules, in one place (seconds where they are times).
pub mod thresholds {
    /// Pod: at least this share of the block posts written by members …
    pub const POD_RECIPROCITY: f64 = 0.5;
    /// … and at least this share of members are authors of block posts.
    pub const POD_MEMBER_AUTHORS: f64 = 0.5;
    /// Viral: at least this share of block posts are among the most-liked posts.
    pub const VIRAL_POPULAR_SHARE: f64 = 0.5;
    /// One creator: the main author wrote at least this share of the block posts.
    pub const SINGLE_CREATOR_SHARE: f64 = 0.6;
    /// The group supplies most of the engagement of its posts: on a typical block post at
    /// least this share of the likes come from members.
    pub const DOMINANT_LIKE_SHARE: f64 = 0.6;
    /// A per-post subscription supplies even more of its client's likes.
    pub const SUBSCRIPTION_LIKE_SHARE: f64 = 0.75;
    /// A burst: members' likes on a typical block post arrive within this spread.
    pub const BURST_SECONDS: f64 = 3_600.0;
    /// Members' other likes are scattered one per creator (camouflage) at or above this
    /// spread of authors; people return to the creators they follow.
    pub const SCATTERED_AUTHORS: f64 = 0.88;
    /// Late tight bursts make a farm even where the group supplies only this share of the
    /// posts' likes (the posts have an audience of their own, or the pool was found in part).
    /// Organic clusters with tight late bursts supply at most 4.3 % (18 evaluation worlds).
    pub const ORDER_LIKE_SHARE: f64 = 0.3;
    /// A task list covers posts of at least this many creators …
    pub const TASK_LIST_CREATORS: usize = 8;
    /// … and each worker completes at least this share of it (block density).
    pub const TASK_LIST_DENSITY: f64 = 0.2;
    /// A subscription delivers within this delay after the post's first like (median).
    pub const PROMPT_SECONDS: f64 = 3_600.0;
    /// A subscription serves at most this many client creators …
    pub const FEW_CREATORS: usize = 5;
    /// … and hits at least this share of their posts.
    pub const EVERY_POST: f64 = 0.7;
    /// A pool rotated by a service: members' block like counts vary at most this many times
    /// as much as independent draws with one shared chance would (index of dispersion);
    /// fans differ in devotion and measure 3 and more.
    pub const EVEN_POOL_DISPERSION: f64 = 1.6;
    /// An evenly rotated pool counts as a subscription from this share of its posts' likes
    /// (a partly found pool supplies less than the whole).
    pub const POOL_LIKE_SHARE: f64 = 0.4;
    /// Members who put less than this share of their likes outside the block do little else.
    pub const LITTLE_ELSE: f64 = 0.1;
}

use thresholds::*;

/// Give a cluster its type. `logical` is true when times are positions, not seconds: the
/// timing rules are then skipped.
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
    let has_authors = f.authors > 0;
    let single_creator = has_authors && (f.authors <= 2 || f.top_author_share >= SINGLE_CREATOR_SHARE);
    let dominant = f.post_like_share >= DOMINANT_LIKE_SHARE;
    let tight = !logical && f.burst_width <= BURST_SECONDS;
    let scattered = f.outside_author_spread >= SCATTERED_AUTHORS;
    // No life of their own: other likes scattered like camouflage, or hardly any other likes.
    let no_life = scattered || f.outside_share < LITTLE_ELSE;
    let supply = format!(
        "on a typical one of these posts {} of all its likes came from this group",
        pct(f.post_like_share)
    );
    let timing = format!(
        "members' likes on a typical shared post arrive within {} of each other, a median {} after the post's first like",
        d(f.burst_width),
        d(f.median_delay)
    );

    // Auto-likes arrive soon after a post appears; farm orders come whenever a customer pays.
    let prompt = !logical && f.median_delay <= PROMPT_SECONDS;
    // A subscription is prompt on (nearly) every post; orders on a few customers' posts are
    // prompt when they happen to come first and hours late on others.
    let every_post_prompt = prompt && f.post_delay_p80 <= PROMPT_SECONDS;
    // Prompt on most posts, hours late on some, from a pool (no life of its own, or drawn as
    // evenly as a service draws it; fans are neither).
    let even = f.size >= 5 && f.coverage_dispersion <= EVEN_POOL_DISPERSION;
    let late_orders = prompt && !every_post_prompt && (no_life || even);
    let few_creators =
        has_authors && (single_creator || (f.authors <= FEW_CREATORS && f.author_coverage >= EVERY_POST));
    // One pool drawn evenly, promptly, for the same few creators, with no life of its own: a
    // subscription even where only part of the pool was found.
    let rotated_pool =
        few_creators && every_post_prompt && tight && even && f.post_like_share >= POOL_LIKE_SHARE;
    let rotation = format!(
        "members each liked a similar share of these posts: their counts vary {:.1} times as much as random draws from one pool would (fans differ widely in devotion)",
        f.coverage_dispersion
    );
    let (kind, confidence) = if f.member_author_share >= POD_MEMBER_AUTHORS
        && f.reciprocity >= POD_RECIPROCITY
    {
        reasons.push(format!(
            "{} of the shared posts were written by members themselves, and {} of the members are authors of posts the group likes: they like each other's posts",
            pct(f.reciprocity),
            pct(f.member_author_share)
        ));
        reasons.push(timing.clone());
        (ClusterKind::EngagementPod, 0.6 + 0.4 * f.reciprocity.min(1.0))
    } else if f.popular_post_share >= VIRAL_POPULAR_SHARE && !dominant {
        reasons.push(format!(
            "{} of the shared posts are among the most-liked posts of the whole data set, and the group supplies only {} of their likes: meeting on viral posts is expected",
            pct(f.popular_post_share),
            pct(f.post_like_share)
        ));
        (ClusterKind::OrganicViral, 0.7)
    } else if dominant {
        if has_authors {
            reasons.push(format!(
                "the shared posts come from {} author(s), {} from the main one; {} of these authors' posts in the data are among them",
                f.authors,
                pct(f.top_author_share),
                pct(f.author_coverage)
            ));
        } else {
            reasons.push("the data has no author column: author-based checks were skipped".to_string());
        }
        reasons.push(supply.clone());
        reasons.push(timing.clone());
        if (few_creators
            && every_post_prompt
            && even
            && f.post_like_share >= SUBSCRIPTION_LIKE_SHARE
            && (tight || no_life))
            || rotated_pool
        {
            if even {
                reasons.push(rotation.clone());
            }
            reasons.push(
                "the same pool hits the posts of the same few creators soon after each one appears, post after post: a per-post subscription"
                    .to_string(),
            );
            reasons.push(life_of_their_own(f));
            (
                ClusterKind::Subscription,
                0.6 + 0.4 * f.post_like_share.min(1.0) * if tight { 1.0 } else { 0.7 },
            )
        } else if tight && !(few_creators && prompt && !late_orders) {
            if few_creators {
                reasons
                    .push("a few creators' posts are hit again and again by the same accounts".to_string());
            } else {
                reasons.push("many unrelated creators benefit from the same accounts".to_string());
            }
            if !prompt {
                reasons.push(format!(
                    "the bursts come a median {} after each post's first like: delivered when ordered, not in reaction to publication",
                    d(f.median_delay)
                ));
            } else if late_orders {
                reasons.push(format!(
                    "the bursts come a median {} after each post's first like, but {} or later on one post in five: delivered when ordered, not with every new post",
                    d(f.median_delay),
                    d(f.post_delay_p80)
                ));
            }
            if no_life {
                reasons.push(life_of_their_own(f));
            }
            (ClusterKind::BotFarm, 0.6 + 0.4 * f.post_like_share.min(1.0))
        } else if few_creators {
            reasons.push(format!(
                "members follow these creators closely but have tastes of their own ({} distinct authors per like elsewhere) — a small loyal audience reacting to new posts",
                f2(f.outside_author_spread)
            ));
            (ClusterKind::OrganicFandom, 0.5)
        } else if f.authors >= TASK_LIST_CREATORS && f.block_density >= TASK_LIST_DENSITY {
            reasons.push(format!(
                "each member liked {} of the same {} posts by {} unrelated creators, spread over hours, while keeping ordinary activity of their own ({} of their likes, {} distinct authors per like) — people working through the same task list",
                pct(f.block_density),
                f.posts,
                f.authors,
                pct(f.outside_ordinary_share),
                f2(f.outside_author_spread)
            ));
            (
                ClusterKind::PaidClickNetwork,
                0.5 + 0.4 * f.post_like_share.min(1.0),
            )
        } else {
            reasons.push(format!(
                "but the likes are spread over hours, members each liked only {} of the posts, and {} creators are involved: an audience of related creators, not a service",
                pct(f.block_density),
                f.authors
            ));
            (ClusterKind::OrganicFandom, 0.5)
        }
    } else if rotated_pool {
        reasons.push(supply.clone());
        reasons.push(timing.clone());
        reasons.push(rotation.clone());
        reasons.push(
            "the same pool hits the posts of the same few creators soon after each one appears, post after post: a per-post subscription"
                .to_string(),
        );
        reasons.push(life_of_their_own(f));
        (ClusterKind::Subscription, 0.5 + 0.4 * f.post_like_share.min(1.0))
    } else if tight && !prompt && f.post_like_share >= ORDER_LIKE_SHARE {
        // Not the main audience of the posts, but their likes come as one tight burst long
        // after publication, post after post: orders delivered to posts that also have an
        // audience of their own.
        reasons.push(supply.clone());
        reasons.push(timing.clone());
        reasons.push(format!(
            "the bursts come a median {} after each post's first like, post after post: delivered when ordered, not in reaction to publication",
            d(f.median_delay)
        ));
        if no_life {
            reasons.push(life_of_their_own(f));
        }
        (ClusterKind::BotFarm, 0.5 + 0.4 * f.post_like_share.min(1.0))
    } else if single_creator {
        reasons.push(format!(
            "the shared posts come from {} author(s), {} from the main one",
            f.authors,
            pct(f.top_author_share)
        ));
        reasons.push(supply.clone());
        reasons.push(timing.clone());
        reasons.push(format!(
            "the group is one part of this creator's audience, and members return to the creators they follow ({} distinct authors per like elsewhere) — a fandom reacting to new posts",
            f2(f.outside_author_spread)
        ));
        (ClusterKind::OrganicFandom, 0.6)
    } else {
        reasons.push(format!(
            "the group is a small part of the audience of the posts it shares ({} of their likes) and each member liked only {} of them: shared interests, not a service",
            pct(f.post_like_share),
            pct(f.block_density)
        ));
        (ClusterKind::OrganicTopical, 0.5)
    };
    Verdict {
        kind,
        confidence: confidence.clamp(0.0, 1.0),
        reasons,
    }
}

/// The sentence about members' activity outside the block.
fn life_of_their_own(f: &ClusterFeatures) -> String {
    if f.outside_share < LITTLE_ELSE {
        format!(
            "members do almost nothing else: {} of their likes are outside these posts",
            pct(f.outside_share)
        )
    } else {
        format!(
            "members' other likes are scattered over unrelated creators ({} distinct authors per like; {} of their likes go to very popular posts): camouflage, not tastes of their own",
            f2(f.outside_author_spread),
            pct(f.camouflage_ratio)
        )
    }
}

fn f2(x: f64) -> String {
    format!("{x:.2}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn farm() -> ClusterFeatures {
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
            camouflage_ratio: 0.3,
            outside_share: 0.35,
            outside_ordinary_share: 0.05,
            median_member_likes: 40.0,
            per_post_cv: 0.2,
            post_like_share: 0.95,
            outside_author_spread: 0.97,
            coverage_cv: 0.3,
            ..ClusterFeatures::default()
        }
    }

    #[test]
    fn each_rule_by_hand() {
        assert_eq!(classify(&farm(), false).kind, ClusterKind::BotFarm);
        let pod = ClusterFeatures {
            reciprocity: 0.9,
            member_author_share: 0.9,
            ..farm()
        };
        assert_eq!(classify(&pod, false).kind, ClusterKind::EngagementPod);
        let sub = ClusterFeatures {
            authors: 1,
            top_author_share: 1.0,
            median_delay: 300.0,
            ..farm()
        };
        assert_eq!(classify(&sub, false).kind, ClusterKind::Subscription);
        // The same single-creator block where members are a minority of the audience and
        // return to the creators they follow: a fandom, not flagged.
        let fans = ClusterFeatures {
            post_like_share: 0.45,
            outside_author_spread: 0.8,
            burst_width: 4000.0,
            ..sub.clone()
        };
        let v = classify(&fans, false);
        assert_eq!(v.kind, ClusterKind::OrganicFandom);
        assert!(!v.kind.is_coordinated());
        assert!(v.reasons.iter().any(|r| r.contains("fandom")), "{:?}", v.reasons);
        // A small loyal circle supplying most likes but spread over hours, with own tastes: fandom.
        let circle = ClusterFeatures {
            burst_width: 20_000.0,
            outside_author_spread: 0.7,
            ..sub.clone()
        };
        assert_eq!(classify(&circle, false).kind, ClusterKind::OrganicFandom);
        // Part of a subscription pool: prompt, tight, camouflage outside, but it supplies only
        // 45 % of its posts' likes (the rest of the pool was not found). Members' coverage is
        // as even as draws from one pool: a subscription. The same block with coverage as
        // uneven as fans' (dispersion 3) stays a fandom.
        let partial_pool = ClusterFeatures {
            post_like_share: 0.45,
            burst_width: 2_900.0,
            median_delay: 1_800.0,
            outside_author_spread: 0.94,
            coverage_dispersion: 0.9,
            ..sub.clone()
        };
        let v = classify(&partial_pool, false);
        assert_eq!(v.kind, ClusterKind::Subscription);
        assert!(
            v.reasons.iter().any(|r| r.contains("random draws from one pool")),
            "{:?}",
            v.reasons
        );
        let devoted = ClusterFeatures {
            coverage_dispersion: 3.0,
            ..partial_pool.clone()
        };
        assert_eq!(classify(&devoted, false).kind, ClusterKind::OrganicFandom);
        // Dominant (65 %) but below the subscription share: the even pool decides too.
        let dominant_pool = ClusterFeatures {
            post_like_share: 0.65,
            ..partial_pool.clone()
        };
        assert_eq!(classify(&dominant_pool, false).kind, ClusterKind::Subscription);
        assert_eq!(
            classify(
                &ClusterFeatures {
                    coverage_dispersion: 3.0,
                    ..dominant_pool
                },
                false
            )
            .kind,
            ClusterKind::OrganicFandom
        );
        // Dominant, prompt and tight on one creator's posts, but as uneven as fans (dispersion
        // 4): a fandom, not a subscription.
        let devoted_fans = ClusterFeatures {
            coverage_dispersion: 4.0,
            ..sub.clone()
        };
        assert_eq!(classify(&devoted_fans, false).kind, ClusterKind::OrganicFandom);
        // Prompt on most posts but hours late on one in five, with camouflage for a life:
        // orders that came first on some posts, not a subscription. With a life of their own
        // and uneven devotion (fans who sometimes come late) it is not a farm.
        let sometimes_late = ClusterFeatures {
            post_delay_p80: 20_000.0,
            ..sub.clone()
        };
        let v = classify(&sometimes_late, false);
        assert_eq!(v.kind, ClusterKind::BotFarm);
        assert!(
            v.reasons.iter().any(|r| r.contains("one post in five")),
            "{:?}",
            v.reasons
        );
        let late_fans = ClusterFeatures {
            outside_author_spread: 0.7,
            coverage_dispersion: 3.0,
            ..sometimes_late.clone()
        };
        assert!(!classify(&late_fans, false).kind.is_coordinated());
        // The same with a life of their own but drawn as evenly as a pool: orders again.
        let even_pool = ClusterFeatures {
            coverage_dispersion: 1.2,
            ..late_fans.clone()
        };
        assert_eq!(classify(&even_pool, false).kind, ClusterKind::BotFarm);
        // Few customers whose posts are hit hours after they appear: orders, not auto-likes.
        let late = ClusterFeatures {
            authors: 3,
            top_author_share: 0.4,
            author_coverage: 1.0,
            ..farm()
        };
        assert_eq!(classify(&late, false).kind, ClusterKind::BotFarm);
        // Not the posts' main audience, but a third of their likes in tight bursts hours after
        // publication: orders on posts with an audience of their own. A fifth is not enough.
        let orders = ClusterFeatures {
            post_like_share: 0.35,
            ..late.clone()
        };
        assert_eq!(classify(&orders, false).kind, ClusterKind::BotFarm);
        let minority = ClusterFeatures {
            post_like_share: 0.2,
            ..late.clone()
        };
        assert!(!classify(&minority, false).kind.is_coordinated());
        let click = ClusterFeatures {
            burst_width: 8000.0,
            outside_author_spread: 0.75,
            ..farm()
        };
        assert_eq!(classify(&click, false).kind, ClusterKind::PaidClickNetwork);
        // Fandoms of a few related creators, merged: dominant but slow, sparse, few creators.
        let merged_fans = ClusterFeatures {
            authors: 5,
            top_author_share: 0.59,
            block_density: 0.26,
            burst_width: 13_000.0,
            median_delay: 1_300.0,
            author_coverage: 0.24,
            ..click.clone()
        };
        assert_eq!(classify(&merged_fans, false).kind, ClusterKind::OrganicFandom);
        let topical = ClusterFeatures {
            post_like_share: 0.2,
            ..click
        };
        assert_eq!(classify(&topical, false).kind, ClusterKind::OrganicTopical);
        let viral = ClusterFeatures {
            popular_post_share: 0.8,
            post_like_share: 0.05,
            ..farm()
        };
        assert_eq!(classify(&viral, false).kind, ClusterKind::OrganicViral);
    }

    #[test]
    fn reasons_state_the_baseline_and_the_timing() {
        let v = classify(&farm(), false);
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
        assert!(
            v.reasons.iter().any(|r| r.contains("95 % of all its likes")),
            "{:?}",
            v.reasons
        );
    }

    #[test]
    fn without_authors_or_time_the_author_and_timing_rules_step_aside() {
        let no_authors = ClusterFeatures {
            authors: 0,
            top_author_share: 0.0,
            ..farm()
        };
        let v = classify(&no_authors, false);
        assert_eq!(v.kind, ClusterKind::BotFarm);
        assert!(v.reasons.iter().any(|r| r.contains("no author column")));
        // Logical time: no burst rule, so a dominant group is a click network at most.
        assert_eq!(classify(&farm(), true).kind, ClusterKind::PaidClickNetwork);
    }
}
