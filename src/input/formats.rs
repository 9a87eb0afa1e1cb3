//! The exports of the collection tools journalists use, recognised by their fields and read
//! without column flags (`--from NAME` forces one).
//!
//! Each format names, for each role (account, post, time, author, text), where the value sits
//! in one of the tool's records, and why. The field names were read from each tool's own code
//! or documentation (the table in `README.md`, "Input formats"):
//!
//! | format | a row is | account | post | time | text |
//! |---|---|---|---|---|---|
//! | Zeeschuimer NDJSON, TikTok comments | a comment | `data.user.unique_id` (else `data.user.uid`) | `data.aweme_id` | `data.create_time` | `data.text` |
//! | Zeeschuimer NDJSON, TikTok posts | a video | `data.author.uniqueId` | `data.id` | `data.createTime` | `data.desc` |
//! | Zeeschuimer NDJSON, Instagram posts | a post | `data.user.username` (else `data.owner.username`) | `data.code` (else `data.shortcode`) | `data.taken_at` | `data.caption.text` |
//! | Zeeschuimer NDJSON, X | a retweet or a reply | `data.core.user_results.result.core.screen_name` (else `…legacy.screen_name`) | the retweeted tweet (`…retweeted_status_result.result.rest_id`) or the tweet replied to (`data.legacy.in_reply_to_status_id_str`) | `data.legacy.created_at` | a reply's `data.legacy.full_text` |
//! | 4CAT CSV, TikTok comments | a comment | `author` (the commenter) | `post_id` | `unix_timestamp` | `body` |
//! | 4CAT CSV, X/Twitter | a reply (`is_reply` = yes) | `author` | `thread_id` | `unix_timestamp` | `body` |
//! | 4CAT CSV, Instagram | a post | `author` | `id` | `unix_timestamp` | `body` |
//! | TikTok Research API, videos | a video | `username` | `id` | `create_time` | `video_description` |
//! | TikTok Research API, liked videos | a like | the queried user | `id` | none | — |
//! | twarc2 JSONL, tweets | a retweet or a reply | `author_id` | `referenced_tweets` of type `retweeted` (else `replied_to`) | `created_at` | a reply's `text` |
//! | twarc2 JSONL, liking users / retweeted by | a like or a retweet | `data[].id` | the tweet in `__twarc.url` | none | — |
//! | twarc-csv CSV | a retweet | `author_id` (the retweeter) | `referenced_tweets.retweeted.id` | `created_at` | — |
//! | Bluesky `app.bsky.feed.getLikes` JSON | a like | `likes[].actor.did` | `uri` | `likes[].createdAt` | — |
//!
//! A post export (videos, Instagram posts) links accounts only through their captions (the
//! text layer): each row is its own post. A retweet's text is the original tweet's, so text is
//! read only from replies and comments, never from retweets.

use super::columns::{ColumnSpec, Role};
use super::time::TimeFormat;
use serde::Serialize;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// A collection tool's export lockstep reads without column flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceFormat {
    /// Zeeschuimer NDJSON of TikTok comments (`source_platform` `tiktok-comments`).
    ZeeschuimerTiktokComments,
    /// Zeeschuimer NDJSON of TikTok videos (`tiktok.com`).
    ZeeschuimerTiktok,
    /// Zeeschuimer NDJSON of Instagram posts (`instagram.com`).
    ZeeschuimerInstagram,
    /// Zeeschuimer NDJSON of X/Twitter (`twitter.com`): retweets and replies.
    ZeeschuimerX,
    /// 4CAT's CSV export of TikTok comments (also Zeeschuimer's own CSV download).
    FourcatTiktokComments,
    /// 4CAT's CSV export of X/Twitter: replies.
    FourcatX,
    /// 4CAT's CSV export of Instagram posts.
    FourcatInstagram,
    /// TikTok Research API video query responses (`data.videos`).
    TiktokApiVideos,
    /// TikTok Research API comment responses (`data.comments`): no commenter, refused.
    TiktokApiComments,
    /// TikTok Research API liked-video responses (`data.user_liked_videos`), one queried user
    /// per file.
    TiktokApiLikedVideos,
    /// twarc2 JSONL of tweets (search, timelines; pages or flattened): retweets and replies.
    TwarcTweets,
    /// twarc2 JSONL of users who liked or retweeted a tweet (`liking-users`, `retweeted-by`).
    TwarcUsers,
    /// twarc-csv's CSV of tweets: retweets.
    TwarcCsv,
    /// Bluesky `app.bsky.feed.getLikes` responses.
    BlueskyLikes,
}

impl SourceFormat {
    /// Every format, in the order of the README table.
    pub const ALL: [SourceFormat; 14] = [
        SourceFormat::ZeeschuimerTiktokComments,
        SourceFormat::ZeeschuimerTiktok,
        SourceFormat::ZeeschuimerInstagram,
        SourceFormat::ZeeschuimerX,
        SourceFormat::FourcatTiktokComments,
        SourceFormat::FourcatX,
        SourceFormat::FourcatInstagram,
        SourceFormat::TiktokApiVideos,
        SourceFormat::TiktokApiComments,
        SourceFormat::TiktokApiLikedVideos,
        SourceFormat::TwarcTweets,
        SourceFormat::TwarcUsers,
        SourceFormat::TwarcCsv,
        SourceFormat::BlueskyLikes,
    ];

    /// The name used by `--from`, `inspect` and the manifest.
    pub fn name(self) -> &'static str {
        match self {
            SourceFormat::ZeeschuimerTiktokComments => "zeeschuimer-tiktok-comments",
            SourceFormat::ZeeschuimerTiktok => "zeeschuimer-tiktok",
            SourceFormat::ZeeschuimerInstagram => "zeeschuimer-instagram",
            SourceFormat::ZeeschuimerX => "zeeschuimer-x",
            SourceFormat::FourcatTiktokComments => "4cat-tiktok-comments",
            SourceFormat::FourcatX => "4cat-x",
            SourceFormat::FourcatInstagram => "4cat-instagram",
            SourceFormat::TiktokApiVideos => "tiktok-api-videos",
            SourceFormat::TiktokApiComments => "tiktok-api-comments",
            SourceFormat::TiktokApiLikedVideos => "tiktok-api-liked-videos",
            SourceFormat::TwarcTweets => "twarc2-tweets",
            SourceFormat::TwarcUsers => "twarc2-users",
            SourceFormat::TwarcCsv => "twarc2-csv",
            SourceFormat::BlueskyLikes => "bluesky-likes",
        }
    }

    /// The tool and what it exported, in words.
    pub fn description(self) -> &'static str {
        match self {
            SourceFormat::ZeeschuimerTiktokComments => "Zeeschuimer NDJSON of TikTok comments",
            SourceFormat::ZeeschuimerTiktok => "Zeeschuimer NDJSON of TikTok videos",
            SourceFormat::ZeeschuimerInstagram => "Zeeschuimer NDJSON of Instagram posts",
            SourceFormat::ZeeschuimerX => "Zeeschuimer NDJSON of X/Twitter posts",
            SourceFormat::FourcatTiktokComments => "4CAT CSV export of TikTok comments",
            SourceFormat::FourcatX => "4CAT CSV export of X/Twitter posts",
            SourceFormat::FourcatInstagram => "4CAT CSV export of Instagram posts",
            SourceFormat::TiktokApiVideos => "TikTok Research API videos",
            SourceFormat::TiktokApiComments => "TikTok Research API comments",
            SourceFormat::TiktokApiLikedVideos => "TikTok Research API liked videos",
            SourceFormat::TwarcTweets => "twarc2 JSONL of tweets",
            SourceFormat::TwarcUsers => "twarc2 JSONL of liking or retweeting users",
            SourceFormat::TwarcCsv => "twarc-csv CSV of tweets",
            SourceFormat::BlueskyLikes => "Bluesky app.bsky.feed.getLikes JSON",
        }
    }

    /// What one row of the analysis is in this format, in words.
    pub fn row_is(self) -> &'static str {
        match self {
            SourceFormat::ZeeschuimerTiktokComments | SourceFormat::FourcatTiktokComments => {
                "a comment: account = the commenter, post = the video"
            }
            SourceFormat::ZeeschuimerTiktok
            | SourceFormat::ZeeschuimerInstagram
            | SourceFormat::FourcatInstagram
            | SourceFormat::TiktokApiVideos => {
                "a post by its author (each row its own post): accounts are linked only by near-duplicate captions"
            }
            SourceFormat::ZeeschuimerX | SourceFormat::TwarcTweets => {
                "a retweet (post = the retweeted tweet) or a reply (post = the tweet replied to, text = the reply); original tweets are skipped"
            }
            SourceFormat::FourcatX => {
                "a reply (post = the conversation, text = the reply); rows that are not replies are skipped (4CAT's export has no retweeted tweet id)"
            }
            SourceFormat::TiktokApiComments => "a comment without its commenter",
            SourceFormat::TiktokApiLikedVideos => {
                "a like by the queried user (no like time: each video's row order is the time)"
            }
            SourceFormat::TwarcUsers => "a like or retweet of the tweet named in __twarc.url (no time)",
            SourceFormat::TwarcCsv => {
                "a retweet: account = author_id (the retweeter); rows that are not retweets are skipped"
            }
            SourceFormat::BlueskyLikes => "a like of the post in uri",
        }
    }

    /// The interaction kind that words this format's reasons (`--interaction`).
    pub fn interaction(self) -> crate::vocab::Interaction {
        use crate::vocab::Interaction;
        match self {
            SourceFormat::ZeeschuimerTiktokComments
            | SourceFormat::FourcatTiktokComments
            | SourceFormat::FourcatX
            | SourceFormat::TiktokApiComments => Interaction::Comment,
            SourceFormat::ZeeschuimerX | SourceFormat::TwarcTweets | SourceFormat::TwarcCsv => {
                Interaction::Repost
            }
            SourceFormat::TiktokApiLikedVideos | SourceFormat::TwarcUsers | SourceFormat::BlueskyLikes => {
                Interaction::Like
            }
            SourceFormat::ZeeschuimerTiktok
            | SourceFormat::ZeeschuimerInstagram
            | SourceFormat::FourcatInstagram
            | SourceFormat::TiktokApiVideos => Interaction::Share,
        }
    }

    /// True for the formats read from CSV (the others are JSON).
    pub fn is_csv(self) -> bool {
        matches!(
            self,
            SourceFormat::FourcatTiktokComments
                | SourceFormat::FourcatX
                | SourceFormat::FourcatInstagram
                | SourceFormat::TwarcCsv
        )
    }

    /// True when every row is its own post (a post export: only texts link accounts).
    pub fn rows_are_posts(self) -> bool {
        matches!(
            self,
            SourceFormat::ZeeschuimerTiktok
                | SourceFormat::ZeeschuimerInstagram
                | SourceFormat::FourcatInstagram
                | SourceFormat::TiktokApiVideos
        )
    }
}

impl fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for SourceFormat {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl FromStr for SourceFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim().to_ascii_lowercase();
        let alias = match t.as_str() {
            "zeeschuimer" | "zeeschuimer-tiktok-comments" | "tiktok-comments" => {
                Some(SourceFormat::ZeeschuimerTiktokComments)
            }
            "4cat" | "4cat-tiktok-comments" => Some(SourceFormat::FourcatTiktokComments),
            "zeeschuimer-twitter" => Some(SourceFormat::ZeeschuimerX),
            "4cat-twitter" => Some(SourceFormat::FourcatX),
            "twarc2" | "twarc" | "twarc2-jsonl" => Some(SourceFormat::TwarcTweets),
            "twarc-csv" => Some(SourceFormat::TwarcCsv),
            "bluesky" | "bsky" => Some(SourceFormat::BlueskyLikes),
            _ => None,
        };
        alias
            .or_else(|| SourceFormat::ALL.into_iter().find(|f| f.name() == t))
            .ok_or_else(|| {
                let names: Vec<&str> = SourceFormat::ALL.iter().map(|f| f.name()).collect();
                format!("unknown export format {s:?}: use one of {}", names.join(", "))
            })
    }
}

/// What a named CSV format reads: for each role the columns to use, best first.
struct CsvProfile {
    account: &'static [&'static str],
    post: &'static [&'static str],
    time: &'static [&'static str],
    author: &'static [&'static str],
    text: &'static [&'static str],
    /// Keep only rows whose value in this column is one of these.
    keep: Option<(&'static str, &'static [&'static str])>,
    /// Why each role is read from its column (account, post, time, author, text).
    why: [&'static str; 5],
}

fn csv_profile(f: SourceFormat) -> Option<CsvProfile> {
    Some(match f {
        SourceFormat::FourcatTiktokComments => CsvProfile {
            account: &["author"],
            post: &["post_id", "thread_id"],
            time: &["unix_timestamp", "timestamp"],
            author: &[],
            text: &["body"],
            keep: None,
            why: [
                "4CAT's `author` is the commenter",
                "the video commented on",
                "`unix_timestamp` is epoch seconds (4CAT's `timestamp` has no time zone)",
                "",
                "the comment",
            ],
        },
        SourceFormat::FourcatX => CsvProfile {
            account: &["author", "author_id"],
            post: &["thread_id"],
            time: &["unix_timestamp", "timestamp"],
            author: &[],
            text: &["body"],
            keep: Some(("is_reply", &["yes"])),
            why: [
                "who replied",
                "the conversation replied to (4CAT keeps no retweeted tweet id)",
                "`unix_timestamp` is epoch seconds (4CAT's `timestamp` has no time zone)",
                "",
                "the reply",
            ],
        },
        SourceFormat::FourcatInstagram => CsvProfile {
            account: &["author", "author_id"],
            post: &["id"],
            time: &["unix_timestamp", "timestamp"],
            author: &[],
            text: &["body"],
            keep: None,
            why: [
                "who posted",
                "the post itself: accounts are linked by their captions only",
                "`unix_timestamp` is epoch seconds (4CAT's `timestamp` has no time zone)",
                "",
                "the caption",
            ],
        },
        SourceFormat::TwarcCsv => CsvProfile {
            account: &["author_id", "author.id"],
            post: &["referenced_tweets.retweeted.id"],
            time: &["created_at"],
            author: &["retweeted_user_id"],
            text: &[],
            keep: None,
            why: [
                "`author_id` of a retweet is the retweeter",
                "the retweeted tweet (rows without one are not retweets and are skipped)",
                "when the retweet was made",
                "who wrote the retweeted tweet",
                "",
            ],
        },
        _ => return None,
    })
}

/// The columns each named CSV format is recognised by (all must be present).
fn csv_signature(f: SourceFormat) -> &'static [&'static str] {
    match f {
        SourceFormat::FourcatTiktokComments => &[
            "id",
            "thread_id",
            "author",
            "body",
            "unix_timestamp",
            "post_id",
            "is_comment_on_comment",
        ],
        SourceFormat::FourcatX => &[
            "id",
            "thread_id",
            "author",
            "body",
            "unix_timestamp",
            "is_retweet",
            "is_reply",
        ],
        SourceFormat::FourcatInstagram => &[
            "id",
            "thread_id",
            "author",
            "body",
            "unix_timestamp",
            "media_type",
        ],
        SourceFormat::TwarcCsv => &["id", "author_id", "referenced_tweets.retweeted.id", "created_at"],
        _ => &[],
    }
}

/// The named CSV format a header belongs to, if any.
pub fn recognise_header(headers: &[String]) -> Option<SourceFormat> {
    let has = |name: &str| {
        headers
            .iter()
            .any(|h| h.trim().trim_start_matches('\u{FEFF}') == name)
    };
    SourceFormat::ALL
        .into_iter()
        .filter(|f| f.is_csv())
        .find(|&f| csv_signature(f).iter().all(|c| has(c)))
}

/// A file's columns as decided: the effective column names (flags first, then the format's),
/// the time format, the row filter and why each role was chosen.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    /// The column names to use (any role left `None` is detected from the usual names).
    pub spec: ColumnSpec,
    /// The time format to use.
    pub time_format: TimeFormat,
    /// A row filter (column, accepted values).
    pub keep: Option<(String, &'static [&'static str])>,
    /// The recognised export format, if any.
    pub source: Option<SourceFormat>,
    /// Why each role was read from its column, by role.
    pub why: Vec<(Role, String)>,
}

/// Decide a CSV (or flat JSON) file's columns from its header: the user's flags win; a
/// recognised (or `--from`-forced) export format fills in the rest.
pub fn resolve_header(
    path: &Path,
    headers: &[String],
    spec: &ColumnSpec,
    time_format: &TimeFormat,
) -> Result<Resolved, String> {
    let source = match spec.from {
        Some(f) if !f.is_csv() => {
            return Err(format!(
                "--from {f} is a JSON format, but {} was read as CSV; give a .json/.ndjson file or --input-format jsonl",
                path.display()
            ));
        }
        Some(f) => Some(f),
        None => recognise_header(headers),
    };
    let mut out = Resolved {
        spec: spec.clone(),
        time_format: time_format.clone(),
        keep: None,
        source,
        why: Vec::new(),
    };
    let Some(profile) = source.and_then(csv_profile) else {
        return Ok(out);
    };
    let find = |names: &[&str]| {
        names
            .iter()
            .find(|n| {
                headers
                    .iter()
                    .any(|h| h.trim().trim_start_matches('\u{FEFF}') == **n)
            })
            .map(|n| n.to_string())
    };
    let roles: [(Role, &[&str], &mut Option<String>); 5] = [
        (Role::Account, profile.account, &mut out.spec.account),
        (Role::Post, profile.post, &mut out.spec.post),
        (Role::Time, profile.time, &mut out.spec.time),
        (Role::Author, profile.author, &mut out.spec.author),
        (Role::Text, profile.text, &mut out.spec.text),
    ];
    for (k, (role, names, slot)) in roles.into_iter().enumerate() {
        if slot.is_some() || names.is_empty() {
            continue;
        }
        if let Some(name) = find(names) {
            out.why.push((role, format!("{name}: {}", profile.why[k])));
            *slot = Some(name);
        }
    }
    // A format without an author or text column must not pick one up by its usual name
    // (4CAT's `author` is the commenter, not the video's author).
    if profile.author.is_empty() && spec.author.is_none() {
        out.spec.no_author = true;
    }
    if profile.text.is_empty() && spec.text.is_none() {
        out.spec.no_text = true;
    }
    if let Some((column, values)) = profile.keep
        && headers.iter().any(|h| h == column)
    {
        out.keep = Some((column.to_string(), values));
    }
    if matches!(time_format, TimeFormat::Auto) && out.spec.time.as_deref() == Some("unix_timestamp") {
        out.time_format = TimeFormat::EpochSeconds;
    }
    Ok(out)
}

/// The queried user of a file listing one user's liked videos: the file name without its
/// extensions and the words `liked`, `likes`, `videos`, `user`, `tiktok` and separators, or
/// `None` when nothing is left.
pub fn queried_user_from_name(path: &Path) -> Option<String> {
    let mut stem = path.file_name()?.to_string_lossy().to_string();
    for ext in [".gz", ".ndjson", ".jsonl", ".json"] {
        if stem.to_ascii_lowercase().ends_with(ext) {
            stem.truncate(stem.len() - ext.len());
        }
    }
    let noise = [
        "liked", "likes", "like", "videos", "video", "user", "tiktok", "research", "api",
    ];
    let words: Vec<&str> = stem
        .split(['_', '-', ' '])
        .filter(|w| !w.is_empty() && !noise.contains(&w.to_ascii_lowercase().as_str()))
        .collect();
    (!words.is_empty()).then(|| words.join("_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    /// The header of 4CAT's TikTok comments export (datasources/tiktok_comments, map_item).
    fn fourcat_tiktok_comments() -> Vec<String> {
        h(&[
            "collected_from_url",
            "id",
            "thread_id",
            "author",
            "author_full",
            "author_avatar_url",
            "body",
            "timestamp",
            "unix_timestamp",
            "likes",
            "replies",
            "post_id",
            "post_url",
            "post_body",
            "comment_url",
            "is_liked_by_post_author",
            "is_sticky",
            "is_comment_on_comment",
            "language_guess",
        ])
    }

    #[test]
    fn names_round_trip_and_aliases_read() {
        for f in SourceFormat::ALL {
            assert_eq!(f.name().parse::<SourceFormat>().unwrap(), f);
        }
        assert_eq!(
            "4cat".parse::<SourceFormat>().unwrap(),
            SourceFormat::FourcatTiktokComments
        );
        assert_eq!(
            "twarc2".parse::<SourceFormat>().unwrap(),
            SourceFormat::TwarcTweets
        );
        let e = "nope".parse::<SourceFormat>().unwrap_err();
        assert!(
            e.contains("zeeschuimer-tiktok-comments") && e.contains("bluesky-likes"),
            "{e}"
        );
    }

    #[test]
    fn fourcat_tiktok_comments_reads_the_commenter_and_epoch_seconds() {
        let headers = fourcat_tiktok_comments();
        assert_eq!(
            recognise_header(&headers),
            Some(SourceFormat::FourcatTiktokComments)
        );
        let r = resolve_header(
            Path::new("x.csv"),
            &headers,
            &ColumnSpec::default(),
            &TimeFormat::Auto,
        )
        .unwrap();
        assert_eq!(r.spec.account.as_deref(), Some("author"));
        assert_eq!(r.spec.post.as_deref(), Some("post_id"));
        assert_eq!(r.spec.time.as_deref(), Some("unix_timestamp"));
        assert_eq!(r.spec.text.as_deref(), Some("body"));
        // `author` is the commenter: no author column is picked by its usual name.
        assert!(r.spec.no_author && r.spec.author.is_none());
        assert_eq!(r.time_format, TimeFormat::EpochSeconds);
        assert!(
            r.why
                .iter()
                .any(|(role, w)| *role == Role::Account && w.contains("commenter"))
        );
        // A flag wins over the format.
        let spec = ColumnSpec {
            post: Some("thread_id".into()),
            ..Default::default()
        };
        let r = resolve_header(Path::new("x.csv"), &headers, &spec, &TimeFormat::Auto).unwrap();
        assert_eq!(r.spec.post.as_deref(), Some("thread_id"));
    }

    #[test]
    fn twarc_csv_reads_retweets_without_their_copied_text() {
        let headers = h(&[
            "id",
            "conversation_id",
            "referenced_tweets.replied_to.id",
            "referenced_tweets.retweeted.id",
            "referenced_tweets.quoted.id",
            "author_id",
            "retweeted_user_id",
            "created_at",
            "text",
            "author.username",
            "__twarc.url",
        ]);
        assert_eq!(recognise_header(&headers), Some(SourceFormat::TwarcCsv));
        let r = resolve_header(
            Path::new("t.csv"),
            &headers,
            &ColumnSpec::default(),
            &TimeFormat::Auto,
        )
        .unwrap();
        assert_eq!(r.spec.account.as_deref(), Some("author_id"));
        assert_eq!(r.spec.post.as_deref(), Some("referenced_tweets.retweeted.id"));
        assert_eq!(r.spec.author.as_deref(), Some("retweeted_user_id"));
        assert!(
            r.spec.no_text,
            "a retweet's text is the original's, never a comment"
        );
    }

    #[test]
    fn fourcat_x_keeps_replies_only() {
        let headers = h(&[
            "id",
            "thread_id",
            "timestamp",
            "unix_timestamp",
            "body",
            "author",
            "author_id",
            "is_retweet",
            "retweeted_user",
            "is_reply",
            "replied_author",
        ]);
        let r = resolve_header(
            Path::new("x.csv"),
            &headers,
            &ColumnSpec::default(),
            &TimeFormat::Auto,
        )
        .unwrap();
        assert_eq!(r.source, Some(SourceFormat::FourcatX));
        assert_eq!(r.keep, Some(("is_reply".to_string(), &["yes"][..])));
    }

    #[test]
    fn plain_headers_are_no_named_format_and_json_formats_are_refused_for_csv() {
        let headers = h(&["account", "post", "time"]);
        assert_eq!(recognise_header(&headers), None);
        let r = resolve_header(
            Path::new("a.csv"),
            &headers,
            &ColumnSpec::default(),
            &TimeFormat::Auto,
        )
        .unwrap();
        assert_eq!(r.spec, ColumnSpec::default());
        let spec = ColumnSpec {
            from: Some(SourceFormat::BlueskyLikes),
            ..Default::default()
        };
        let e = resolve_header(Path::new("a.csv"), &headers, &spec, &TimeFormat::Auto).unwrap_err();
        assert!(e.contains("JSON format"), "{e}");
    }

    #[test]
    fn queried_user_comes_from_the_file_name() {
        let q = |s: &str| queried_user_from_name(Path::new(s));
        assert_eq!(q("liked_videos_anna.k.json").as_deref(), Some("anna.k"));
        assert_eq!(q("dir/anna_k-liked-videos.json").as_deref(), Some("anna_k"));
        assert_eq!(q("liked_videos.json"), None);
    }
}
