//! The words of an interaction, in one place: what the reader of a reason, the report, an
//! evidence file or a graph file is told the accounts did.
//!
//! lockstep counts any interaction of an account with an object the same way — a like of a
//! post, a follow of an account, a comment on, share or repost of a post — and only the words
//! change ([`Interaction`], chosen with `--interaction` or the parameter `interaction`). Machine
//! names never change with it: column names (`likes`, `colikes`, `first_like`…), attribute ids,
//! file names and type names (`bot_farm`…) are a contract with the reader's scripts.

use serde::{Deserialize, Serialize};

/// What an interaction is: sets the words of every human-facing text, never a machine name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Interaction {
    /// An account likes a post (the default).
    #[default]
    Like,
    /// An account follows another account (the "post" is the followed account).
    Follow,
    /// An account comments on a post.
    Comment,
    /// An account shares a post.
    Share,
    /// An account reposts (retweets, boosts) a post.
    Repost,
}

impl Interaction {
    /// Every kind, in a fixed order.
    pub const ALL: [Interaction; 5] = [
        Interaction::Like,
        Interaction::Follow,
        Interaction::Comment,
        Interaction::Share,
        Interaction::Repost,
    ];

    /// The name in parameter files, the manifest and on the command line (`like`, `follow`…).
    pub fn as_str(self) -> &'static str {
        match self {
            Interaction::Like => "like",
            Interaction::Follow => "follow",
            Interaction::Comment => "comment",
            Interaction::Share => "share",
            Interaction::Repost => "repost",
        }
    }

    /// One interaction, as a noun: "like", "follow", "comment", "share", "repost".
    pub fn noun(self) -> &'static str {
        self.as_str()
    }

    /// Several interactions, as a noun: "likes", "follows", "comments", "shares", "reposts".
    pub fn nouns(self) -> &'static str {
        match self {
            Interaction::Like => "likes",
            Interaction::Follow => "follows",
            Interaction::Comment => "comments",
            Interaction::Share => "shares",
            Interaction::Repost => "reposts",
        }
    }

    /// `n` interactions with the number: "1 like", "3 likes".
    pub fn count(self, n: usize) -> String {
        let word = if n == 1 { self.noun() } else { self.nouns() };
        format!("{n} {word}")
    }

    /// The verb after a plural subject, with its object's preposition: "like", "follow",
    /// "comment on", "share", "repost" ("members like each other's posts").
    pub fn verb(self) -> &'static str {
        match self {
            Interaction::Like => "like",
            Interaction::Follow => "follow",
            Interaction::Comment => "comment on",
            Interaction::Share => "share",
            Interaction::Repost => "repost",
        }
    }

    /// The verb after a singular subject: "likes", "follows", "comments on", "shares",
    /// "reposts" ("a pool that likes every new post").
    pub fn verb_s(self) -> &'static str {
        match self {
            Interaction::Like => "likes",
            Interaction::Follow => "follows",
            Interaction::Comment => "comments on",
            Interaction::Share => "shares",
            Interaction::Repost => "reposts",
        }
    }

    /// The past tense, with its object's preposition: "liked", "followed", "commented on",
    /// "shared", "reposted".
    pub fn past(self) -> &'static str {
        match self {
            Interaction::Like => "liked",
            Interaction::Follow => "followed",
            Interaction::Comment => "commented on",
            Interaction::Share => "shared",
            Interaction::Repost => "reposted",
        }
    }

    /// The past tense without an object: "liked", "followed", "commented", "shared",
    /// "reposted" ("at least 4 of the 4 accounts liked within 1 h of each other").
    pub fn past_bare(self) -> &'static str {
        match self {
            Interaction::Comment => "commented",
            other => other.past(),
        }
    }

    /// The -ing form, with its object's preposition: "liking", "following", "commenting on",
    /// "sharing", "reposting" ("liking that many of these posts").
    pub fn gerund(self) -> &'static str {
        match self {
            Interaction::Like => "liking",
            Interaction::Follow => "following",
            Interaction::Comment => "commenting on",
            Interaction::Share => "sharing",
            Interaction::Repost => "reposting",
        }
    }

    /// The activity as a noun, without an object: "liking", "following", "commenting",
    /// "sharing", "reposting" ("Coordinated liking").
    pub fn activity(self) -> &'static str {
        match self {
            Interaction::Like => "liking",
            Interaction::Follow => "following",
            Interaction::Comment => "commenting",
            Interaction::Share => "sharing",
            Interaction::Repost => "reposting",
        }
    }

    /// Who interacts with an object: "likers", "followers", "commenters", "sharers",
    /// "reposters" ("their other likers").
    pub fn agents(self) -> &'static str {
        match self {
            Interaction::Like => "likers",
            Interaction::Follow => "followers",
            Interaction::Comment => "commenters",
            Interaction::Share => "sharers",
            Interaction::Repost => "reposters",
        }
    }

    /// Two accounts acting on the same object close in time, as a noun or modifier: "co-like",
    /// "co-follow", "co-comment", "co-share", "co-repost" ("the co-like window").
    pub fn co_noun(self) -> &'static str {
        match self {
            Interaction::Like => "co-like",
            Interaction::Follow => "co-follow",
            Interaction::Comment => "co-comment",
            Interaction::Share => "co-share",
            Interaction::Repost => "co-repost",
        }
    }

    /// The plural of [`Self::co_noun`]: "co-likes", "co-follows", "co-comments", "co-shares",
    /// "co-reposts".
    pub fn co_nouns(self) -> &'static str {
        match self {
            Interaction::Like => "co-likes",
            Interaction::Follow => "co-follows",
            Interaction::Comment => "co-comments",
            Interaction::Share => "co-shares",
            Interaction::Repost => "co-reposts",
        }
    }

    /// What is acted on, one: "post"; for follows "followed account".
    pub fn object(self) -> &'static str {
        match self {
            Interaction::Follow => "followed account",
            _ => "post",
        }
    }

    /// What is acted on, several: "posts"; for follows "followed accounts".
    pub fn objects(self) -> &'static str {
        match self {
            Interaction::Follow => "followed accounts",
            _ => "posts",
        }
    }

    /// `n` objects with the number: "1 post", "6 posts", "6 followed accounts".
    pub fn count_objects(self, n: usize) -> String {
        let word = if n == 1 { self.object() } else { self.objects() };
        format!("{n} {word}")
    }

    /// The objects acted on, as one phrase: "liked posts", "followed accounts", "posts
    /// commented on", "shared posts", "reposted posts".
    pub fn past_objects(self) -> &'static str {
        match self {
            Interaction::Like => "liked posts",
            Interaction::Follow => "followed accounts",
            Interaction::Comment => "posts commented on",
            Interaction::Share => "shared posts",
            Interaction::Repost => "reposted posts",
        }
    }

    /// The objects with the most interactions: "most-liked posts", "most-followed accounts",
    /// "most-commented posts", "most-shared posts", "most-reposted posts".
    pub fn most_objects(self) -> &'static str {
        match self {
            Interaction::Like => "most-liked posts",
            Interaction::Follow => "most-followed accounts",
            Interaction::Comment => "most-commented posts",
            Interaction::Share => "most-shared posts",
            Interaction::Repost => "most-reposted posts",
        }
    }
}

impl std::fmt::Display for Interaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `s` with its first letter in upper case, for a title or the start of a sentence
/// ("co-likes" → "Co-likes").
pub fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The words of an interaction as one serialisable value, for templates (the report).
#[derive(Debug, Clone, Serialize)]
pub struct Words {
    /// [`Interaction::noun`].
    pub noun: &'static str,
    /// [`Interaction::nouns`].
    pub nouns: &'static str,
    /// [`Interaction::verb`].
    pub verb: &'static str,
    /// [`Interaction::verb_s`].
    pub verb_s: &'static str,
    /// [`Interaction::past`].
    pub past: &'static str,
    /// [`Interaction::gerund`].
    pub gerund: &'static str,
    /// [`Interaction::activity`].
    pub activity: &'static str,
    /// [`Interaction::co_noun`].
    pub co_noun: &'static str,
    /// [`Interaction::co_nouns`].
    pub co_nouns: &'static str,
    /// [`Interaction::object`].
    pub object: &'static str,
    /// [`Interaction::objects`].
    pub objects: &'static str,
}

impl From<Interaction> for Words {
    fn from(w: Interaction) -> Self {
        Words {
            noun: w.noun(),
            nouns: w.nouns(),
            verb: w.verb(),
            verb_s: w.verb_s(),
            past: w.past(),
            gerund: w.gerund(),
            activity: w.activity(),
            co_noun: w.co_noun(),
            co_nouns: w.co_nouns(),
            object: w.object(),
            objects: w.objects(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word of every kind, exactly (in the order of [`Interaction::ALL`]: like, follow,
    /// comment, share, repost).
    #[test]
    fn every_kind_has_its_exact_words() {
        use Interaction as I;
        let words = |f: fn(I) -> &'static str| I::ALL.map(f);
        assert_eq!(words(I::as_str), ["like", "follow", "comment", "share", "repost"]);
        assert_eq!(words(I::noun), ["like", "follow", "comment", "share", "repost"]);
        assert_eq!(
            words(I::nouns),
            ["likes", "follows", "comments", "shares", "reposts"]
        );
        assert_eq!(
            words(I::verb),
            ["like", "follow", "comment on", "share", "repost"]
        );
        assert_eq!(
            words(I::verb_s),
            ["likes", "follows", "comments on", "shares", "reposts"]
        );
        assert_eq!(
            words(I::past),
            ["liked", "followed", "commented on", "shared", "reposted"]
        );
        assert_eq!(
            words(I::past_bare),
            ["liked", "followed", "commented", "shared", "reposted"]
        );
        assert_eq!(
            words(I::gerund),
            ["liking", "following", "commenting on", "sharing", "reposting"]
        );
        assert_eq!(
            words(I::activity),
            ["liking", "following", "commenting", "sharing", "reposting"]
        );
        assert_eq!(
            words(I::agents),
            ["likers", "followers", "commenters", "sharers", "reposters"]
        );
        assert_eq!(
            words(I::co_noun),
            ["co-like", "co-follow", "co-comment", "co-share", "co-repost"]
        );
        assert_eq!(
            words(I::co_nouns),
            ["co-likes", "co-follows", "co-comments", "co-shares", "co-reposts"]
        );
        assert_eq!(
            words(I::object),
            ["post", "followed account", "post", "post", "post"]
        );
        assert_eq!(
            words(I::objects),
            ["posts", "followed accounts", "posts", "posts", "posts"]
        );
        assert_eq!(
            words(I::past_objects),
            [
                "liked posts",
                "followed accounts",
                "posts commented on",
                "shared posts",
                "reposted posts"
            ]
        );
        assert_eq!(
            words(I::most_objects),
            [
                "most-liked posts",
                "most-followed accounts",
                "most-commented posts",
                "most-shared posts",
                "most-reposted posts"
            ]
        );
    }

    #[test]
    fn counts_agree_with_their_number() {
        assert_eq!(Interaction::Like.count(1), "1 like");
        assert_eq!(Interaction::Like.count(24), "24 likes");
        assert_eq!(Interaction::Follow.count(0), "0 follows");
        assert_eq!(Interaction::Follow.count_objects(1), "1 followed account");
        assert_eq!(Interaction::Follow.count_objects(6), "6 followed accounts");
        assert_eq!(Interaction::Share.count_objects(6), "6 posts");
        assert_eq!(capitalized("co-likes"), "Co-likes");
        assert_eq!(capitalized(""), "");
    }

    #[test]
    fn names_read_and_write_in_lower_case_and_default_to_like() {
        assert_eq!(Interaction::default(), Interaction::Like);
        for w in Interaction::ALL {
            assert_eq!(serde_json::to_string(&w).unwrap(), format!("\"{}\"", w.as_str()));
            let back: Interaction = serde_json::from_str(&format!("\"{w}\"")).unwrap();
            assert_eq!(back, w);
            let value = clap::ValueEnum::to_possible_value(&w).unwrap();
            assert_eq!(value.get_name(), w.as_str());
        }
        assert!(serde_json::from_str::<Interaction>("\"Like\"").is_err());
        assert!(serde_json::from_str::<Interaction>("\"retweet\"").is_err());
        let words = Words::from(Interaction::Follow);
        assert_eq!(
            (words.nouns, words.co_nouns, words.objects),
            ("follows", "co-follows", "followed accounts")
        );
    }
}
