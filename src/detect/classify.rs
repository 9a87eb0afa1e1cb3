//! Cluster types with reasons in plain words. The flag is decided by [`super::judge`] on
//! evidence of coordination; the type only *describes* how a group behaves and never vetoes
//! the flag. A type is asserted only from columns the data has: without an author column no
//! sentence speaks of creators and no type needs them (pods, subscriptions), without times no
//! type needs timing; `coordinated` is the honest answer when the behaviour fits no kind.
//!
//! Flagged groups, first rule that fits:
//! - **engagement pod**: the evidence is reciprocity — members like each other's posts;
//! - **per-post subscription**: the evidence is a pool, or the group serves a few creators,
//!   soon after each post appears, on nearly every post;
//! - **bot farm**: the members' likes on a post come as one tight burst;
//! - **paid click network**: many creators, likes spread over hours, members with ordinary
//!   activity of their own;
//! - **coordinated**: anything else.
//!
//! Groups that are not flagged get an organic description: **viral** (they meet on very
//! popular posts), **fandom** (one creator's audience), **topical** (anything else).

use super::features::ClusterFeatures;
use super::judge::{Evidence, Judgement};
use crate::clock::{Clock, Style, duration};
use crate::text::percent;
use crate::vocab::Interaction;
use serde::{Deserialize, Serialize};

/// The type of a cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum ClusterKind {
    /// Automated accounts delivering likes in bursts, whenever orders come.
    BotFarm,
    /// Accounts with ordinary lives of their own that also work through the same task list.
    PaidClickNetwork,
    /// Creators who like each other's posts.
    EngagementPod,
    /// A pool that hits every new post of one (or a few) client creators.
    Subscription,
    /// Coordinated, but the behaviour fits none of the kinds above (or the data's columns
    /// cannot tell which).
    Coordinated,
    /// Fans reacting to one creator's posts: organic.
    OrganicFandom,
    /// Accounts meeting on very popular posts: organic.
    OrganicViral,
    /// Accounts sharing interests: organic.
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
            ClusterKind::Coordinated => "coordinated",
            ClusterKind::OrganicFandom => "organic_fandom",
            ClusterKind::OrganicViral => "organic_viral",
            ClusterKind::OrganicTopical => "organic_topical",
        }
    }

    /// True for the types of flagged groups.
    pub fn is_coordinated(self) -> bool {
        !matches!(
            self,
            ClusterKind::OrganicFandom | ClusterKind::OrganicViral | ClusterKind::OrganicTopical
        )
    }

    /// All kinds, in a fixed order.
    pub const ALL: [ClusterKind; 8] = [
        ClusterKind::BotFarm,
        ClusterKind::PaidClickNetwork,
        ClusterKind::EngagementPod,
        ClusterKind::Subscription,
        ClusterKind::Coordinated,
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
    /// How well the type fits, 0..1 (0 for organic descriptions).
    pub confidence: f64,
    /// Plain-word reasons: the evidence first, then the description.
    pub reasons: Vec<String>,
}

/// What the descriptions read (seconds where they are times). They describe; none decides
/// the flag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// A burst: members' likes on a typical block post arrive within this spread.
    pub burst_seconds: f64,
    /// Prompt: the group acts within this delay after a post's first like (median).
    pub prompt_seconds: f64,
    /// A few creators: at most this many …
    pub few_creators: usize,
    /// … whose posts (since the group's first) the group covers at least this share of.
    pub every_post: f64,
    /// Members with at least this share of their likes on ordinary posts outside the block
    /// have lives of their own.
    pub ordinary_life: f64,
    /// Viral: at least this share of the block posts are among the most-liked posts.
    pub viral_popular_share: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            burst_seconds: 3_600.0,
            prompt_seconds: 3_600.0,
            few_creators: 5,
            every_post: 0.7,
            ordinary_life: 0.1,
            viral_popular_share: 0.5,
        }
    }
}

/// How a type's confidence is read: a base, plus `per_evidence` for each signature of
/// coordination beyond the first (several independent signatures are surer than one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Confidence {
    /// With one signature.
    pub base: f64,
    /// Added per further signature.
    pub per_evidence: f64,
}

impl Default for Confidence {
    fn default() -> Self {
        Confidence {
            base: 0.6,
            per_evidence: 0.15,
        }
    }
}

/// Parameters of the descriptions (in the tree: `detect.classify`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ClassifyParams {
    /// What the descriptions read.
    pub thresholds: Thresholds,
    /// The confidence of a type.
    pub confidence: Confidence,
}

/// What the data's columns allow a description to say, and in which words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    /// The data has times (not only row order).
    pub times: bool,
    /// The data has an author column.
    pub authors: bool,
    /// Members' own posts can be told: the data has an author column, or its objects are
    /// accounts (follow data, where a followed account is its own author).
    pub reciprocity: bool,
    /// What an interaction is: the words of every sentence ([`crate::vocab`]).
    pub words: Interaction,
}

/// Describe a group given the judgement on it.
pub fn classify(f: &ClusterFeatures, j: &Judgement, columns: Columns, params: &ClassifyParams) -> Verdict {
    let w = Words { f, columns };
    let v = columns.words;
    let mut reasons = vec![format!(
        "{} accounts acting on {} shared {} ({} of the possible {} in that block present)",
        f.size,
        f.posts,
        v.objects(),
        percent(f.block_density, 0),
        v.nouns()
    )];
    if f.expected_colikes > 0.0 && f.colikes as f64 > f.expected_colikes {
        reasons.push(format!(
            "{} {} between members where chance predicts {}",
            f.colikes,
            v.co_nouns(),
            expectation(f.expected_colikes)
        ));
    }
    if !j.flagged {
        let (kind, text) = organic(f, columns, &params.thresholds);
        reasons.push(text);
        return Verdict {
            kind,
            confidence: 0.0,
            reasons,
        };
    }
    reasons.extend(j.evidence.iter().map(|&e| w.evidence(e)));
    let (kind, described) = kind_of(f, j, columns, &params.thresholds, &w);
    reasons.extend(described);
    let c = &params.confidence;
    Verdict {
        kind,
        confidence: (c.base + c.per_evidence * j.evidence.len().saturating_sub(1) as f64).clamp(0.0, 1.0),
        reasons,
    }
}

/// An expectation in words: small ones keep their first significant digits (never "0.000").
fn expectation(x: f64) -> String {
    if x >= ONE_DECIMAL {
        format!("{x:.1}")
    } else {
        format!("{x:.1e}")
    }
}

/// Expectations at least this large are written with one decimal.
const ONE_DECIMAL: f64 = 0.1;

/// The kind of a flagged group and the sentences that describe it.
fn kind_of(
    f: &ClusterFeatures,
    j: &Judgement,
    columns: Columns,
    t: &Thresholds,
    w: &Words<'_>,
) -> (ClusterKind, Vec<String>) {
    let has = |e: Evidence| j.evidence.contains(&e);
    let tight = columns.times && f.burst_width <= t.burst_seconds;
    let prompt = columns.times && f.median_delay <= t.prompt_seconds && f.post_delay_p80 <= t.prompt_seconds;
    let few =
        columns.authors && f.authors >= 1 && f.authors <= t.few_creators && f.author_coverage >= t.every_post;
    let life = f.outside_ordinary_share >= t.ordinary_life;
    let v = columns.words;
    let mut text = Vec::new();
    if columns.times {
        text.push(w.timing());
    }
    text.push(w.supply());
    let kind = if columns.reciprocity && has(Evidence::Reciprocity) {
        ClusterKind::EngagementPod
    } else if columns.authors && columns.times && (has(Evidence::Pool) || (few && prompt)) {
        text.push(format!(
            "the same pool acts on the {} of {} creator(s) soon after each one appears, on {} of their {} since its first: a per-post subscription",
            v.objects(),
            f.authors,
            percent(f.author_coverage, 0),
            v.objects()
        ));
        ClusterKind::Subscription
    } else if tight {
        if !prompt {
            text.push(format!(
                "the bursts come a median {} after each {}'s first {}: delivered when ordered, not in reaction to publication",
                w.d(f.median_delay),
                v.object(),
                v.noun()
            ));
        }
        ClusterKind::BotFarm
    } else if columns.times && !tight && life && (!columns.authors || f.authors > t.few_creators) {
        text.push(format!(
            "the {} are spread over hours and members keep ordinary activity of their own ({} of their {}): people working through the same list",
            v.nouns(),
            percent(f.outside_ordinary_share, 0),
            v.nouns()
        ));
        ClusterKind::PaidClickNetwork
    } else {
        text.push("the behaviour fits none of the kinds lockstep names (or the data's columns cannot tell which): coordinated".into());
        ClusterKind::Coordinated
    };
    (kind, text)
}

/// The organic description of a group that is not flagged.
fn organic(f: &ClusterFeatures, columns: Columns, t: &Thresholds) -> (ClusterKind, String) {
    let v = columns.words;
    if f.popular_post_share >= t.viral_popular_share {
        return (
            ClusterKind::OrganicViral,
            format!(
                "no signature of coordination: {} of the shared {} are among the {} of the data, where many accounts meet by chance",
                percent(f.popular_post_share, 0),
                v.objects(),
                v.most_objects()
            ),
        );
    }
    if columns.authors && f.authors <= 1 {
        return (
            ClusterKind::OrganicFandom,
            format!(
                "no signature of coordination: the shared {} are one creator's, and the group behaves like part of its audience",
                v.objects()
            ),
        );
    }
    (
        ClusterKind::OrganicTopical,
        format!(
            "no signature of coordination: the members' timing and choices follow the {}' own audiences — shared interests",
            v.objects()
        ),
    )
}

/// The sentences of a description.
struct Words<'f> {
    f: &'f ClusterFeatures,
    columns: Columns,
}

impl Words<'_> {
    fn d(&self, seconds: f64) -> String {
        let clock = if self.columns.times {
            Clock::Timestamps
        } else {
            Clock::Logical
        };
        duration(clock, clock.units(seconds), Style::Rounded)
    }

    /// Creators (or posts, without an author column).
    fn units(&self) -> &'static str {
        if self.columns.authors {
            "creators"
        } else {
            self.columns.words.objects()
        }
    }

    fn timing(&self) -> String {
        let v = self.columns.words;
        format!(
            "members' {} on a typical shared {} arrive within {} of each other, a median {} after the {}'s first {}",
            v.nouns(),
            v.object(),
            self.d(self.f.burst_width),
            self.d(self.f.median_delay),
            v.object(),
            v.noun()
        )
    }

    fn supply(&self) -> String {
        let v = self.columns.words;
        format!(
            "on a typical one of these {} {} of all its {} came from this group",
            v.objects(),
            percent(self.f.post_like_share, 0),
            v.nouns()
        )
    }

    fn evidence(&self, e: Evidence) -> String {
        let s = &self.f.signatures;
        let v = self.columns.words;
        match e {
            Evidence::Lockstep => format!(
                "on {} of the {} {} it serves the group {} in one burst that no organic explanation fits ({}): {:.1} times as many members inside their bursts as those explain, at a timescale of {}",
                s.lockstep_posts,
                s.served_posts,
                v.objects(),
                v.past_bare(),
                if self.columns.authors {
                    format!(
                        "the {}'s own audience, the creator's other {}, how fast {} arrive in the whole data set, each member's own pace and daily rhythm",
                        v.object(),
                        v.objects(),
                        v.nouns()
                    )
                } else {
                    format!(
                        "the {}'s own audience, how fast {} arrive in the whole data set, each member's own pace and daily rhythm",
                        v.object(),
                        v.nouns()
                    )
                },
                s.timing_ratio,
                self.d(s.timescale)
            ),
            Evidence::UnrelatedCreators => format!(
                "the same accounts act on {} whose other audiences barely meet: for a typical pair of them, members engage both {:.0} times as often as their other {} do",
                self.units(),
                s.unrelated_ratio,
                v.agents()
            ),
            Evidence::Breadth => format!(
                "each member engages {:.0} times as many of these {} as other accounts of the same activity that engage them",
                s.breadth_ratio,
                self.units()
            ),
            Evidence::Pool => format!(
                "each {} gets about the same number of members: their count varies {:.2} times as much as independent accounts' would — drawn from a pool",
                v.object(),
                s.quota_ratio
            ),
            Evidence::Reciprocity if !self.columns.authors => format!(
                "{} of the shared {} are members themselves, and {} of the members are among them: they {} each other",
                percent(self.f.reciprocity, 0),
                v.objects(),
                percent(self.f.member_author_share, 0),
                v.verb()
            ),
            Evidence::Reciprocity => format!(
                "{} of the shared {} were written by members themselves, and {} of the members wrote some: they {} each other's {}",
                percent(self.f.reciprocity, 0),
                v.objects(),
                percent(self.f.member_author_share, 0),
                v.verb(),
                v.objects()
            ),
            Evidence::SharedTexts => super::texts::describe(&self.f.texts, v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::signatures::Signatures;

    fn farm() -> ClusterFeatures {
        ClusterFeatures {
            size: 30,
            posts: 20,
            block_density: 0.6,
            colikes: 2000,
            expected_colikes: 3.5,
            burst_width: 300.0,
            median_delay: 7200.0,
            post_delay_p80: 20_000.0,
            authors: 15,
            author_coverage: 0.1,
            post_like_share: 0.95,
            outside_ordinary_share: 0.05,
            signatures: Signatures {
                lockstep_posts: 14,
                served_posts: 18,
                timing_ratio: 6.0,
                timescale: 600.0,
                ..Signatures::default()
            },
            ..ClusterFeatures::default()
        }
    }

    const ALL: Columns = Columns {
        times: true,
        authors: true,
        reciprocity: true,
        words: Interaction::Like,
    };

    fn flagged(evidence: &[Evidence]) -> Judgement {
        Judgement {
            flagged: true,
            evidence: evidence.to_vec(),
            log10_p: -20.0,
        }
    }

    #[test]
    fn types_follow_the_evidence_and_the_behaviour() {
        let p = ClassifyParams::default();
        let v = classify(&farm(), &flagged(&[Evidence::Lockstep]), ALL, &p);
        assert_eq!(v.kind, ClusterKind::BotFarm);
        assert!(
            v.reasons.iter().any(|r| r.contains("on 14 of the 18 posts")),
            "{:?}",
            v.reasons
        );
        assert!(
            v.reasons
                .iter()
                .any(|r| r.contains("2000 co-likes") && r.contains("chance predicts 3.5"))
        );
        let pod = ClusterFeatures {
            reciprocity: 0.9,
            member_author_share: 0.9,
            ..farm()
        };
        assert_eq!(
            classify(&pod, &flagged(&[Evidence::Reciprocity]), ALL, &p).kind,
            ClusterKind::EngagementPod
        );
        let sub = ClusterFeatures {
            authors: 2,
            author_coverage: 1.0,
            median_delay: 300.0,
            post_delay_p80: 600.0,
            ..farm()
        };
        assert_eq!(
            classify(&sub, &flagged(&[Evidence::Lockstep]), ALL, &p).kind,
            ClusterKind::Subscription
        );
        let click = ClusterFeatures {
            burst_width: 40_000.0,
            outside_ordinary_share: 0.6,
            ..farm()
        };
        assert_eq!(
            classify(&click, &flagged(&[Evidence::Breadth]), ALL, &p).kind,
            ClusterKind::PaidClickNetwork
        );
        // Evidence without a behaviour that fits a kind: coordinated.
        let other = ClusterFeatures {
            burst_width: 40_000.0,
            ..farm()
        };
        assert_eq!(
            classify(&other, &flagged(&[Evidence::UnrelatedCreators]), ALL, &p).kind,
            ClusterKind::Coordinated
        );
    }

    #[test]
    fn columns_that_are_absent_are_never_asserted() {
        let p = ClassifyParams::default();
        let no_authors = Columns {
            times: true,
            authors: false,
            reciprocity: false,
            words: Interaction::Like,
        };
        let v = classify(&farm(), &flagged(&[Evidence::UnrelatedCreators]), no_authors, &p);
        assert!(
            v.reasons
                .iter()
                .all(|r| !r.contains("creator") && !r.contains("author")),
            "{:?}",
            v.reasons
        );
        // A pod needs authors: the same evidence without them is only coordinated.
        let pod = ClusterFeatures {
            reciprocity: 0.9,
            member_author_share: 0.9,
            burst_width: 40_000.0,
            ..farm()
        };
        assert_eq!(
            classify(&pod, &flagged(&[Evidence::Reciprocity]), no_authors, &p).kind,
            ClusterKind::Coordinated
        );
        // In follow data without authors a followed account is its own author: members who
        // follow each other are a pod.
        let follows = Columns {
            reciprocity: true,
            words: Interaction::Follow,
            ..no_authors
        };
        assert_eq!(
            classify(&pod, &flagged(&[Evidence::Reciprocity]), follows, &p).kind,
            ClusterKind::EngagementPod
        );
        // Without times no timing sentence and no timing type.
        let logical = Columns {
            times: false,
            authors: true,
            reciprocity: true,
            words: Interaction::Like,
        };
        let v = classify(&farm(), &flagged(&[Evidence::Breadth]), logical, &p);
        assert_eq!(v.kind, ClusterKind::Coordinated);
        assert!(
            v.reasons.iter().all(|r| !r.contains("arrive within")),
            "{:?}",
            v.reasons
        );
    }

    /// Every sentence a description can say, for each kind of interaction: every reason of
    /// every type and evidence, with and without authors and times.
    fn every_sentence(words: Interaction) -> Vec<String> {
        let p = ClassifyParams::default();
        let all = [
            Evidence::Lockstep,
            Evidence::UnrelatedCreators,
            Evidence::Breadth,
            Evidence::Pool,
            Evidence::Reciprocity,
        ];
        let groups = [
            farm(),
            ClusterFeatures {
                reciprocity: 0.9,
                member_author_share: 0.9,
                ..farm()
            },
            ClusterFeatures {
                authors: 2,
                author_coverage: 1.0,
                median_delay: 300.0,
                post_delay_p80: 600.0,
                ..farm()
            },
            ClusterFeatures {
                burst_width: 40_000.0,
                outside_ordinary_share: 0.6,
                ..farm()
            },
            ClusterFeatures {
                burst_width: 40_000.0,
                ..farm()
            },
            ClusterFeatures {
                popular_post_share: 0.8,
                ..farm()
            },
            ClusterFeatures { authors: 1, ..farm() },
        ];
        let mut out = Vec::new();
        for (times, authors) in [(true, true), (true, false), (false, true), (false, false)] {
            let columns = Columns {
                times,
                authors,
                reciprocity: authors,
                words,
            };
            for f in &groups {
                for e in all {
                    out.extend(classify(f, &flagged(&[e]), columns, &p).reasons);
                }
                out.extend(classify(f, &flagged(&all), columns, &p).reasons);
                out.extend(classify(f, &Judgement::default(), columns, &p).reasons);
            }
        }
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn the_words_follow_the_interaction() {
        let likes = every_sentence(Interaction::Like);
        // The default words, exactly as before the vocabulary.
        for sentence in [
            "30 accounts acting on 20 shared posts (60 % of the possible likes in that block present)",
            "2000 co-likes between members where chance predicts 3.5",
            "members' likes on a typical shared post arrive within 5 min of each other, a median 2.0 h after the post's first like",
            "on a typical one of these posts 95 % of all its likes came from this group",
            "the bursts come a median 2.0 h after each post's first like: delivered when ordered, not in reaction to publication",
            "on 14 of the 18 posts it serves the group liked in one burst that no organic explanation fits (the post's own audience, the creator's other posts, how fast likes arrive in the whole data set, each member's own pace and daily rhythm): 6.0 times as many members inside their bursts as those explain, at a timescale of 10 min",
            "90 % of the shared posts were written by members themselves, and 90 % of the members wrote some: they like each other's posts",
            "no signature of coordination: 80 % of the shared posts are among the most-liked posts of the data, where many accounts meet by chance",
        ] {
            assert!(likes.iter().any(|r| r == sentence), "{sentence}\n{likes:#?}");
        }
        let follows = every_sentence(Interaction::Follow);
        assert_eq!(follows.len(), likes.len());
        // "Behaves like part of its audience" (organic only) is not the interaction; nor is
        // the type's name, "per-post subscription".
        let plain = |r: &str| r.replace("behaves like part", "").replace("per-post", "");
        for r in &follows {
            assert!(!plain(r).to_lowercase().contains("like"), "{r}");
            assert!(!plain(r).contains("post"), "{r}");
        }
        for sentence in [
            "30 accounts acting on 20 shared followed accounts (60 % of the possible follows in that block present)",
            "2000 co-follows between members where chance predicts 3.5",
            "on 14 of the 18 followed accounts it serves the group followed in one burst that no organic explanation fits (the followed account's own audience, the creator's other followed accounts, how fast follows arrive in the whole data set, each member's own pace and daily rhythm): 6.0 times as many members inside their bursts as those explain, at a timescale of 10 min",
            "no signature of coordination: 80 % of the shared followed accounts are among the most-followed accounts of the data, where many accounts meet by chance",
        ] {
            assert!(follows.iter().any(|r| r == sentence), "{sentence}\n{follows:#?}");
        }
        for words in [Interaction::Comment, Interaction::Share, Interaction::Repost] {
            for r in every_sentence(words) {
                assert!(!plain(&r).to_lowercase().contains("like"), "{words:?}: {r}");
            }
        }
    }

    #[test]
    fn an_unflagged_group_gets_an_organic_description() {
        let p = ClassifyParams::default();
        let viral = ClusterFeatures {
            popular_post_share: 0.8,
            ..farm()
        };
        let v = classify(&viral, &Judgement::default(), ALL, &p);
        assert_eq!(v.kind, ClusterKind::OrganicViral);
        assert_eq!(v.confidence, 0.0);
        let fans = ClusterFeatures { authors: 1, ..farm() };
        assert_eq!(
            classify(&fans, &Judgement::default(), ALL, &p).kind,
            ClusterKind::OrganicFandom
        );
        assert_eq!(
            classify(&farm(), &Judgement::default(), ALL, &p).kind,
            ClusterKind::OrganicTopical
        );
        // Tiny expectations keep their digits.
        assert_eq!(expectation(0.00004), "4.0e-5");
    }
}
