//! Which input column holds the account, the post, the time, the post's author and the text.
//!
//! Each role is either named by a flag (`--account-col` …), set by a recognised export format
//! ([`super::formats`]), or detected from the usual names. Nothing here assumes the interaction
//! is a like: a "post" may be a followed account, a URL or a video, and the detection lists
//! include those names.

use serde::Serialize;

/// The roles a column can play.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Who acted (the liker, follower, commenter…).
    Account,
    /// What was acted on (post, video, URL, followed account…).
    Post,
    /// When.
    Time,
    /// Who made the post (optional).
    Author,
    /// What the account wrote (optional: comments, replies, captions).
    Text,
}

impl Role {
    /// The role's name as used in flags (`--account-col`) and messages.
    pub fn name(self) -> &'static str {
        match self {
            Role::Account => "account",
            Role::Post => "post",
            Role::Time => "time",
            Role::Author => "author",
            Role::Text => "text",
        }
    }

    /// Column names detected for this role, best first (compared case-insensitively).
    pub fn candidates(self) -> &'static [&'static str] {
        match self {
            Role::Account => &[
                "account",
                "account_id",
                "liker",
                "liker_id",
                "user",
                "user_id",
                "userid",
                "username",
                "user_name",
                "screen_name",
                "handle",
                "actor",
                "actor_id",
                "follower",
                "follower_id",
                "commenter",
                "commenter_id",
                "sharer",
                "from",
                "source",
            ],
            Role::Post => &[
                "post",
                "post_id",
                "postid",
                "object",
                "object_id",
                "item",
                "item_id",
                "video",
                "video_id",
                "tweet",
                "tweet_id",
                "status_id",
                "media_id",
                "page",
                "page_id",
                "target",
                "target_id",
                "followed",
                "followed_id",
                "followee",
                "followee_id",
                "url",
                "link",
                "repost_id",
                "to",
            ],
            Role::Time => &[
                "time",
                "timestamp",
                "ts",
                "created_at",
                "liked_at",
                "followed_at",
                "shared_at",
                "commented_at",
                "datetime",
                "date_time",
                "date",
                "time_stamp",
                "timestamp_share",
                "event_time",
                "created",
            ],
            Role::Author => &[
                "author",
                "author_id",
                "post_author",
                "post_author_id",
                "creator",
                "creator_id",
                "owner",
                "owner_id",
                "poster",
                "poster_id",
                "channel",
                "channel_id",
            ],
            Role::Text => &[
                "text",
                "comment",
                "comment_text",
                "body",
                "message",
                "content",
                "caption",
                "full_text",
            ],
        }
    }
}

/// Column names given on the command line; `None` means "detect".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ColumnSpec {
    /// `--account-col`.
    pub account: Option<String>,
    /// `--post-col`.
    pub post: Option<String>,
    /// `--time-col`.
    pub time: Option<String>,
    /// `--author-col`.
    pub author: Option<String>,
    /// `--no-time`: ignore any time column and use logical time.
    pub no_time: bool,
    /// `--text-col`: the comment text (compared for near-duplicates, see [`crate::comments`]).
    pub text: Option<String>,
    /// `--no-text`: ignore any text column.
    pub no_text: bool,
    /// Pick no author column (a format whose `author` column is the acting account).
    pub no_author: bool,
    /// `--from`: read every file as this collection tool's export instead of recognising it.
    pub from: Option<super::formats::SourceFormat>,
    /// `--queried-user`: the account of a file that lists one user's likes (TikTok Research API
    /// liked videos); by default taken from the file name.
    pub queried_user: Option<String>,
}

/// The columns chosen in one file, as indices into its header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnChoice {
    /// Account column index.
    pub account: usize,
    /// Post column index.
    pub post: usize,
    /// Time column index, if any.
    pub time: Option<usize>,
    /// Author column index, if any.
    pub author: Option<usize>,
    /// Text column index, if any.
    pub text: Option<usize>,
    /// Keep only rows whose value in this column is one of these (a named format's filter, such
    /// as 4CAT's `is_reply = yes`).
    pub keep: Option<(usize, &'static [&'static str])>,
}

/// The header names of the chosen columns, for messages and the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChosenNames {
    /// Account column.
    pub account: String,
    /// Post column.
    pub post: String,
    /// Time column, if any.
    pub time: Option<String>,
    /// Author column, if any.
    pub author: Option<String>,
    /// Text column, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

fn normalise(name: &str) -> String {
    name.trim().trim_start_matches('\u{FEFF}').to_ascii_lowercase()
}

fn find_named(headers: &[String], wanted: &str) -> Option<usize> {
    let exact = headers.iter().position(|h| h == wanted);
    exact.or_else(|| {
        let w = normalise(wanted);
        headers.iter().position(|h| normalise(h) == w)
    })
}

fn detect(headers: &[String], role: Role, taken: &[usize]) -> Option<usize> {
    let normalised: Vec<String> = headers.iter().map(|h| normalise(h)).collect();
    role.candidates().iter().find_map(|cand| {
        normalised
            .iter()
            .enumerate()
            .position(|(i, h)| h == cand && !taken.contains(&i))
    })
}

/// Choose the columns for each role from a file's header. Errors are messages for [`super::InputError`].
pub fn choose(headers: &[String], spec: &ColumnSpec) -> Result<ColumnChoice, String> {
    let listing = || {
        headers
            .iter()
            .map(|h| crate::text::quote_for_terminal(h))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut taken: Vec<usize> = Vec::new();
    let mut pick = |role: Role, named: &Option<String>, required: bool| -> Result<Option<usize>, String> {
        let found = match named {
            Some(name) => match find_named(headers, name) {
                Some(i) => Some(i),
                None => {
                    return Err(format!(
                        "no column {} (given by --{}-col); the columns are: {}",
                        crate::text::quote_for_terminal(name),
                        role.name(),
                        listing()
                    ));
                }
            },
            None => detect(headers, role, &taken),
        };
        match found {
            Some(i) => {
                taken.push(i);
                Ok(Some(i))
            }
            None if required => Err(format!(
                "no {} column found; the columns are: {}. Name it with --{}-col (looked for: {})",
                role.name(),
                listing(),
                role.name(),
                role.candidates().join(", ")
            )),
            None => Ok(None),
        }
    };
    let account = pick(Role::Account, &spec.account, true)?.unwrap_or_default();
    let post = pick(Role::Post, &spec.post, true)?.unwrap_or_default();
    let time = if spec.no_time {
        None
    } else {
        pick(Role::Time, &spec.time, false)?
    };
    let author = if spec.no_author && spec.author.is_none() {
        None
    } else {
        pick(Role::Author, &spec.author, false)?
    };
    let text = if spec.no_text {
        None
    } else {
        pick(Role::Text, &spec.text, false)?
    };
    if account == post {
        return Err(format!(
            "the account and post columns are the same column ({})",
            crate::text::quote_for_terminal(&headers[account])
        ));
    }
    Ok(ColumnChoice {
        account,
        post,
        time,
        author,
        text,
        keep: None,
    })
}

impl ColumnChoice {
    /// The header names of the chosen columns.
    pub fn names(&self, headers: &[String]) -> ChosenNames {
        ChosenNames {
            account: headers[self.account].clone(),
            post: headers[self.post].clone(),
            time: self.time.map(|i| headers[i].clone()),
            author: self.author.map(|i| headers[i].clone()),
            text: self.text.map(|i| headers[i].clone()),
        }
    }

    /// The largest column index used, to check a row is long enough.
    pub fn max_index(&self) -> usize {
        [
            Some(self.account),
            Some(self.post),
            self.time,
            self.author,
            self.text,
            self.keep.map(|k| k.0),
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn detects_usual_names_case_insensitively() {
        let headers = h(&["User_ID", "Video", "Created_At", "Creator"]);
        let c = choose(&headers, &ColumnSpec::default()).unwrap();
        assert_eq!(
            c,
            ColumnChoice {
                account: 0,
                post: 1,
                time: Some(2),
                author: Some(3),
                text: None,
                keep: None,
            }
        );
    }

    #[test]
    fn coortweet_layout_prefers_object_over_content() {
        let headers = h(&["object_id", "account_id", "content_id", "timestamp_share"]);
        let c = choose(&headers, &ColumnSpec::default()).unwrap();
        assert_eq!(
            c,
            ColumnChoice {
                account: 1,
                post: 0,
                time: Some(3),
                author: None,
                text: None,
                keep: None,
            }
        );
    }

    #[test]
    fn named_columns_win_and_missing_ones_are_listed() {
        let headers = h(&["a", "b", "when"]);
        let spec = ColumnSpec {
            account: Some("a".into()),
            post: Some("b".into()),
            time: Some("when".into()),
            ..Default::default()
        };
        assert_eq!(
            choose(&headers, &spec).unwrap(),
            ColumnChoice {
                account: 0,
                post: 1,
                time: Some(2),
                author: None,
                text: None,
                keep: None,
            }
        );
        let bad = ColumnSpec {
            account: Some("nope".into()),
            ..spec
        };
        let err = choose(&headers, &bad).unwrap_err();
        assert!(
            err.starts_with(
                "no column \"nope\" (given by --account-col); the columns are: \"a\", \"b\", \"when\""
            ),
            "{err}"
        );
    }

    #[test]
    fn missing_post_column_is_an_error_naming_the_flag() {
        let err = choose(&h(&["account", "time"]), &ColumnSpec::default()).unwrap_err();
        assert!(err.contains("no post column found"), "{err}");
        assert!(err.contains("--post-col"), "{err}");
    }

    #[test]
    fn no_time_ignores_a_time_column() {
        let spec = ColumnSpec {
            no_time: true,
            ..Default::default()
        };
        let c = choose(&h(&["account", "post", "time"]), &spec).unwrap();
        assert_eq!(c.time, None);
    }

    #[test]
    fn bom_in_first_header_is_ignored() {
        let c = choose(
            &h(&["\u{FEFF}user_id", "repost_id", "timestamp"]),
            &ColumnSpec::default(),
        )
        .unwrap();
        assert_eq!(c.account, 0);
        assert_eq!(c.post, 1);
    }
}
