//! Scores a detection run (`accounts.csv` written by `lockstep detect`) against the truth of a
//! synthetic world (`truth.csv` written by `lockstep synth`).
//!
//! An account counts as predicted coordinated when its `flagged` value is true. Accounts of
//! the truth file missing from accounts.csv count as not flagged (they gave no like the
//! detector saw). Coordinated roles are bot_farm, click_worker, pod_member and
//! subscription_bot; organic accounts and fans are negatives. When accounts.csv has a
//! `cluster_type` column, each coordinated role is also scored on whether the predicted type
//! names it (bot_farm ↔ `bot_farm`, click_worker ↔ `paid_click_network`,
//! pod_member ↔ `engagement_pod`, subscription_bot ↔ `subscription`).
//!
//! False-positive rates are also reported per organic look-alike: fans (role `fan`), heavy
//! users (group `heavy`), members of topical communities (groups `community-<k>`), and — when
//! the world's rows and items files are at hand (by default `likes.csv` and `posts.csv`, or
//! `follows.csv` and `followed.csv`, next to the truth file) — organic accounts with at least
//! one like (follow) on a viral post (an account with a follow surge).

use crate::synth::Role;
use serde::Serialize;
use std::collections::HashSet;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Why an evaluation could not be made. Every variant names the file; value errors also the
/// line (1 = header) and the column.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The file could not be opened or read.
    #[error("{}: cannot read: {source}", .path.display())]
    Io {
        /// File.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// The CSV itself is malformed (e.g. a row with the wrong number of fields).
    #[error("{}: line {line}: {message}", .path.display())]
    Csv {
        /// File.
        path: PathBuf,
        /// Line number (1 = header).
        line: u64,
        /// What the CSV reader said.
        message: String,
    },
    /// A required column is absent from the header.
    #[error("{}: line 1: no column {column:?} in the header ({header}); {hint}", .path.display())]
    MissingColumn {
        /// File.
        path: PathBuf,
        /// Missing column.
        column: &'static str,
        /// The header as read.
        header: String,
        /// What file was expected.
        hint: &'static str,
    },
    /// A value cannot be read.
    #[error("{}: line {line}, column {column_number} ({column:?}): {message}", .path.display())]
    BadValue {
        /// File.
        path: PathBuf,
        /// Line number.
        line: u64,
        /// Column name.
        column: String,
        /// 1-based column number.
        column_number: usize,
        /// What is wrong.
        message: String,
    },
    /// accounts.csv names an account the truth file does not know.
    #[error(
        "{}: line {line}, column {column_number} (\"account_id\"): account {account:?} is not in the truth file {} — is this the truth of the world the detector ran on?",
        .path.display(), .truth.display()
    )]
    UnknownAccount {
        /// accounts.csv.
        path: PathBuf,
        /// Line number.
        line: u64,
        /// 1-based column number of account_id.
        column_number: usize,
        /// The account.
        account: String,
        /// The truth file.
        truth: PathBuf,
    },
    /// The same account twice in one file.
    #[error("{}: line {line}, column {column_number} (\"account_id\"): account {account:?} already appeared on line {first}", .path.display())]
    Duplicate {
        /// File.
        path: PathBuf,
        /// Line number.
        line: u64,
        /// 1-based column number of account_id.
        column_number: usize,
        /// The account.
        account: String,
        /// Line of the first occurrence.
        first: u64,
    },
    /// The truth file has no rows.
    #[error("{}: no accounts in the truth file", .path.display())]
    EmptyTruth {
        /// File.
        path: PathBuf,
    },
}

/// Results for one role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleEval {
    /// The role.
    pub role: Role,
    /// Whether the role is coordinated (a positive).
    pub coordinated: bool,
    /// Accounts with this role in the truth file.
    pub accounts: usize,
    /// Of them, flagged.
    pub flagged: usize,
    /// flagged / accounts: recall for coordinated roles, false-positive rate for organic and
    /// fan. None when the role has no accounts.
    pub recall: Option<f64>,
}

/// Results for one group (planted group or fandom).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupEval {
    /// Group name from the truth file.
    pub group: String,
    /// Role of its members.
    pub role: Role,
    /// Members in the truth file.
    pub accounts: usize,
    /// Of them, flagged.
    pub flagged: usize,
    /// flagged / accounts.
    pub recall: Option<f64>,
}

/// Precision, recall and F1 over all coordinated roles (flagged = predicted coordinated).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overall {
    /// Coordinated accounts in the truth file.
    pub coordinated_accounts: usize,
    /// Flagged accounts (any role).
    pub flagged: usize,
    /// Flagged coordinated accounts.
    pub true_positives: usize,
    /// Flagged organic accounts and fans.
    pub false_positives: usize,
    /// Coordinated accounts not flagged.
    pub false_negatives: usize,
    /// TP / (TP + FP); None when nothing is flagged.
    pub precision: Option<f64>,
    /// TP / (TP + FN); None when there is no coordinated account (null world).
    pub recall: Option<f64>,
    /// 2TP / (2TP + FP + FN); None when both are zero.
    pub f1: Option<f64>,
}

/// Typed results for one coordinated role: the predicted `cluster_type` must name the role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypedEval {
    /// The role.
    pub role: Role,
    /// The `cluster_type` that names it.
    pub cluster_type: &'static str,
    /// Accounts with this role.
    pub accounts: usize,
    /// Flagged accounts with this cluster_type (any role).
    pub predicted: usize,
    /// Of them, with this role.
    pub correct: usize,
    /// correct / predicted.
    pub precision: Option<f64>,
    /// correct / accounts.
    pub recall: Option<f64>,
    /// 2·correct / (predicted + accounts).
    pub f1: Option<f64>,
}

/// How the flagged accounts of one role were typed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfusionRow {
    /// True role.
    pub role: Role,
    /// Predicted cluster_type → accounts; `(not flagged)` and `(no type)` included.
    pub types: BTreeMap<String, usize>,
}

/// False positives among one kind of organic look-alike.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LookalikeEval {
    /// `organic`, `fans`, `heavy`, `communities` or `viral_likers`.
    pub lookalike: &'static str,
    /// Which accounts count.
    pub definition: &'static str,
    /// Such accounts in the truth file.
    pub accounts: usize,
    /// Of them, flagged.
    pub flagged: usize,
    /// flagged / accounts; None when there are none.
    pub false_positive_rate: Option<f64>,
}

/// The world files used to find the likers of viral posts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorldFiles {
    /// The rows: likes.csv (account,post,…) or follows.csv (follower,followed,…).
    pub rows: PathBuf,
    /// The truth about items: posts.csv (post_id,…,kind) or followed.csv (account_id,kind).
    pub items: PathBuf,
}

impl WorldFiles {
    /// `likes.csv` and `posts.csv`, or `follows.csv` and `followed.csv`, in the directory of
    /// `truth`, when both exist.
    pub fn beside(truth: &Path) -> Option<WorldFiles> {
        let dir = truth.parent().unwrap_or(Path::new("."));
        [("likes.csv", "posts.csv"), ("follows.csv", "followed.csv")]
            .iter()
            .map(|(r, i)| WorldFiles {
                rows: dir.join(r),
                items: dir.join(i),
            })
            .find(|w| w.rows.is_file() && w.items.is_file())
    }
}

/// A detection run scored against the truth.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// Truth file as given.
    pub truth_file: String,
    /// accounts.csv as given.
    pub accounts_file: String,
    /// Rows of the truth file.
    pub truth_accounts: usize,
    /// Rows of accounts.csv.
    pub listed_accounts: usize,
    /// Truth accounts absent from accounts.csv (counted as not flagged).
    pub absent_accounts: usize,
    /// Per role, in the order organic, fan, bot_farm, click_worker, pod_member,
    /// subscription_bot.
    pub roles: Vec<RoleEval>,
    /// Over the coordinated roles.
    pub overall: Overall,
    /// Flagged organic accounts / organic accounts.
    pub false_positive_rate_organic: Option<f64>,
    /// Flagged fans / fans.
    pub false_positive_rate_fans: Option<f64>,
    /// Per group, sorted by name.
    pub groups: Vec<GroupEval>,
    /// Typed scores, when accounts.csv has a `cluster_type` column.
    pub typed: Option<Vec<TypedEval>>,
    /// Predicted types per true role, when accounts.csv has a `cluster_type` column.
    pub type_confusion: Option<Vec<ConfusionRow>>,
    /// Flagged heavy users (group `heavy`) / heavy users; None when the truth marks none.
    pub false_positive_rate_heavy: Option<f64>,
    /// Flagged organic accounts with ≥ 1 like (follow) on a viral post (account) / such
    /// accounts; None without the world's rows and items files.
    pub false_positive_rate_viral_likers: Option<f64>,
    /// Flagged members of topical communities (groups `community-<k>`) / members.
    pub false_positive_rate_communities: Option<f64>,
    /// Every look-alike: organic, fans, heavy, communities, and viral_likers when measurable.
    pub lookalikes: Vec<LookalikeEval>,
    /// Recall of each planted kind (coordinated role) present in the truth.
    pub recall_planted: BTreeMap<String, Option<f64>>,
    /// The world files read for viral likers, if any.
    pub world_files: Option<WorldFiles>,
}

fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

fn io_err(path: &Path) -> impl Fn(csv::Error) -> EvalError + '_ {
    move |e: csv::Error| {
        let line = e.position().map(|p| p.line()).unwrap_or(0);
        match e.into_kind() {
            csv::ErrorKind::Io(source) => EvalError::Io {
                path: path.to_path_buf(),
                source,
            },
            kind => EvalError::Csv {
                path: path.to_path_buf(),
                line,
                message: csv_message(kind),
            },
        }
    }
}

fn csv_message(kind: csv::ErrorKind) -> String {
    match kind {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { err, .. } => format!("not valid UTF-8 ({err})"),
        other => format!("{:?}", other),
    }
}

fn open(path: &Path) -> Result<csv::Reader<std::fs::File>, EvalError> {
    let file = std::fs::File::open(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(file))
}

fn find_column(headers: &csv::StringRecord, name: &'static str) -> Option<usize> {
    headers
        .iter()
        .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
}

fn require(
    path: &Path,
    headers: &csv::StringRecord,
    name: &'static str,
    hint: &'static str,
) -> Result<usize, EvalError> {
    find_column(headers, name).ok_or_else(|| EvalError::MissingColumn {
        path: path.to_path_buf(),
        column: name,
        header: headers.iter().collect::<Vec<_>>().join(","),
        hint,
    })
}

struct TruthEntry {
    role: Role,
    group: String,
}

/// Truth rows in file order, and account id → row.
type Truth = (Vec<(String, TruthEntry)>, HashMap<String, usize>);

fn read_truth(path: &Path) -> Result<Truth, EvalError> {
    const HINT: &str = "expected the truth.csv of `lockstep synth` (account_id,role,group)";
    let mut rdr = open(path)?;
    let headers = rdr.headers().map_err(io_err(path))?.clone();
    let c_id = require(path, &headers, "account_id", HINT)?;
    let c_role = require(path, &headers, "role", HINT)?;
    let c_group = find_column(&headers, "group");
    let mut rows = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut lines: Vec<u64> = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(io_err(path))?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let id = rec.get(c_id).unwrap_or("").to_string();
        if id.is_empty() {
            return Err(EvalError::BadValue {
                path: path.to_path_buf(),
                line,
                column: "account_id".into(),
                column_number: c_id + 1,
                message: "empty account id".into(),
            });
        }
        let role_text = rec.get(c_role).unwrap_or("");
        let role: Role = role_text.parse().map_err(|message| EvalError::BadValue {
            path: path.to_path_buf(),
            line,
            column: "role".into(),
            column_number: c_role + 1,
            message,
        })?;
        let group = c_group.and_then(|c| rec.get(c)).unwrap_or("").to_string();
        if let Some(&first) = index.get(&id) {
            return Err(EvalError::Duplicate {
                path: path.to_path_buf(),
                line,
                column_number: c_id + 1,
                account: id,
                first: lines[first],
            });
        }
        index.insert(id.clone(), rows.len());
        lines.push(line);
        rows.push((id, TruthEntry { role, group }));
    }
    if rows.is_empty() {
        return Err(EvalError::EmptyTruth {
            path: path.to_path_buf(),
        });
    }
    Ok((rows, index))
}

fn parse_flag(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// Reads the kinds of items and the rows of a world: which truth rows interacted with at
/// least one viral item.
fn viral_likers(
    files: &WorldFiles,
    index: &HashMap<String, usize>,
    n: usize,
) -> Result<Vec<bool>, EvalError> {
    const ITEMS_HINT: &str =
        "expected the posts.csv (post_id,…,kind) or followed.csv (account_id,kind) of `lockstep synth`";
    const ROWS_HINT: &str =
        "expected the likes.csv (account,post,…) or follows.csv (follower,followed,…) of `lockstep synth`";
    let path = &files.items;
    let mut rdr = open(path)?;
    let headers = rdr.headers().map_err(io_err(path))?.clone();
    let c_id = match find_column(&headers, "post_id") {
        Some(c) => c,
        None => require(path, &headers, "account_id", ITEMS_HINT)?,
    };
    let c_kind = require(path, &headers, "kind", ITEMS_HINT)?;
    let mut viral: HashSet<Box<[u8]>> = HashSet::new();
    let mut rec = csv::ByteRecord::new();
    while rdr.read_byte_record(&mut rec).map_err(io_err(path))? {
        if rec.get(c_kind) == Some(b"viral".as_slice()) {
            viral.insert(rec.get(c_id).unwrap_or_default().into());
        }
    }
    let mut out = vec![false; n];
    if viral.is_empty() {
        return Ok(out);
    }
    let path = &files.rows;
    let mut rdr = open(path)?;
    let headers = rdr.headers().map_err(io_err(path))?.clone();
    let c_acc = match find_column(&headers, "account") {
        Some(c) => c,
        None => require(path, &headers, "follower", ROWS_HINT)?,
    };
    let c_item = match find_column(&headers, "post") {
        Some(c) => c,
        None => require(path, &headers, "followed", ROWS_HINT)?,
    };
    while rdr.read_byte_record(&mut rec).map_err(io_err(path))? {
        if !viral.contains(rec.get(c_item).unwrap_or_default()) {
            continue;
        }
        let acc = std::str::from_utf8(rec.get(c_acc).unwrap_or_default()).unwrap_or("");
        if let Some(&i) = index.get(acc) {
            out[i] = true;
        }
    }
    Ok(out)
}

/// Scores `accounts` (from `lockstep detect`) against `truth` (from `lockstep synth`), with
/// the world files next to the truth file when they are there ([`WorldFiles::beside`]).
pub fn evaluate(truth: &Path, accounts: &Path) -> Result<Evaluation, EvalError> {
    evaluate_with(truth, accounts, WorldFiles::beside(truth).as_ref())
}

/// Scores `accounts` against `truth`; `world` (rows and items files) gives the likers of
/// viral posts.
pub fn evaluate_with(
    truth: &Path,
    accounts: &Path,
    world: Option<&WorldFiles>,
) -> Result<Evaluation, EvalError> {
    const HINT: &str = "expected the accounts.csv of `lockstep detect` (account_id,flagged,cluster_id,...)";
    let (rows, index) = read_truth(truth)?;
    let n = rows.len();
    let mut flagged = vec![false; n];
    let mut typ: Vec<Option<String>> = vec![None; n];
    let mut seen_line: Vec<u64> = vec![0; n];

    let mut rdr = open(accounts)?;
    let headers = rdr.headers().map_err(io_err(accounts))?.clone();
    let c_id = require(accounts, &headers, "account_id", HINT)?;
    let c_flag = require(accounts, &headers, "flagged", HINT)?;
    let c_type = find_column(&headers, "cluster_type");
    let mut listed = 0usize;
    for rec in rdr.records() {
        let rec = rec.map_err(io_err(accounts))?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let id = rec.get(c_id).unwrap_or("");
        let Some(&i) = index.get(id) else {
            return Err(EvalError::UnknownAccount {
                path: accounts.to_path_buf(),
                line,
                column_number: c_id + 1,
                account: id.to_string(),
                truth: truth.to_path_buf(),
            });
        };
        if seen_line[i] != 0 {
            return Err(EvalError::Duplicate {
                path: accounts.to_path_buf(),
                line,
                column_number: c_id + 1,
                account: id.to_string(),
                first: seen_line[i],
            });
        }
        seen_line[i] = line.max(1);
        let text = rec.get(c_flag).unwrap_or("");
        let f = parse_flag(text).ok_or_else(|| EvalError::BadValue {
            path: accounts.to_path_buf(),
            line,
            column: "flagged".into(),
            column_number: c_flag + 1,
            message: format!("{text:?} is not a flag: use true/false or 1/0"),
        })?;
        flagged[i] = f;
        if let Some(c) = c_type {
            let t = rec.get(c).unwrap_or("").trim();
            if !t.is_empty() {
                typ[i] = Some(t.to_ascii_lowercase());
            }
        }
        listed += 1;
    }

    // Per role.
    let mut roles: Vec<RoleEval> = Role::ALL
        .iter()
        .map(|&role| RoleEval {
            role,
            coordinated: role.is_coordinated(),
            accounts: 0,
            flagged: 0,
            recall: None,
        })
        .collect();
    let role_idx = |r: Role| Role::ALL.iter().position(|&x| x == r).unwrap_or(0);
    let mut groups: BTreeMap<String, GroupEval> = BTreeMap::new();
    for (i, (_, e)) in rows.iter().enumerate() {
        let r = &mut roles[role_idx(e.role)];
        r.accounts += 1;
        r.flagged += flagged[i] as usize;
        if !e.group.is_empty() {
            let g = groups.entry(e.group.clone()).or_insert_with(|| GroupEval {
                group: e.group.clone(),
                role: e.role,
                accounts: 0,
                flagged: 0,
                recall: None,
            });
            g.accounts += 1;
            g.flagged += flagged[i] as usize;
        }
    }
    for r in roles.iter_mut() {
        r.recall = ratio(r.flagged, r.accounts);
    }
    let groups: Vec<GroupEval> = groups
        .into_values()
        .map(|mut g| {
            g.recall = ratio(g.flagged, g.accounts);
            g
        })
        .collect();

    // Overall.
    let (mut tp, mut fp, mut fneg) = (0, 0, 0);
    for (i, (_, e)) in rows.iter().enumerate() {
        match (e.role.is_coordinated(), flagged[i]) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fneg += 1,
            (false, false) => {}
        }
    }
    let overall = Overall {
        coordinated_accounts: tp + fneg,
        flagged: tp + fp,
        true_positives: tp,
        false_positives: fp,
        false_negatives: fneg,
        precision: ratio(tp, tp + fp),
        recall: ratio(tp, tp + fneg),
        f1: ratio(2 * tp, 2 * tp + fp + fneg),
    };

    // Typed.
    let (typed, type_confusion) = if c_type.is_some() {
        let mut typed = Vec::new();
        for role in Role::ALL.iter().copied().filter(|r| r.is_coordinated()) {
            let want = role.cluster_type().unwrap_or("");
            let (mut accounts_n, mut predicted, mut correct) = (0, 0, 0);
            for (i, (_, e)) in rows.iter().enumerate() {
                let is_role = e.role == role;
                let pred = flagged[i] && typ[i].as_deref() == Some(want);
                accounts_n += is_role as usize;
                predicted += pred as usize;
                correct += (pred && is_role) as usize;
            }
            typed.push(TypedEval {
                role,
                cluster_type: want,
                accounts: accounts_n,
                predicted,
                correct,
                precision: ratio(correct, predicted),
                recall: ratio(correct, accounts_n),
                f1: ratio(2 * correct, predicted + accounts_n),
            });
        }
        let mut conf: Vec<ConfusionRow> = Vec::new();
        for role in Role::ALL {
            let mut types: BTreeMap<String, usize> = BTreeMap::new();
            for (i, (_, e)) in rows.iter().enumerate() {
                if e.role != role {
                    continue;
                }
                let key = if !flagged[i] {
                    "(not flagged)".to_string()
                } else {
                    typ[i].clone().unwrap_or_else(|| "(no type)".to_string())
                };
                *types.entry(key).or_default() += 1;
            }
            if !types.is_empty() {
                conf.push(ConfusionRow { role, types });
            }
        }
        (Some(typed), Some(conf))
    } else {
        (None, None)
    };

    // Look-alikes.
    let count = |member: &dyn Fn(usize, &TruthEntry) -> bool| {
        let (mut a, mut f) = (0, 0);
        for (i, (_, e)) in rows.iter().enumerate() {
            if member(i, e) {
                a += 1;
                f += flagged[i] as usize;
            }
        }
        (a, f)
    };
    let look = |lookalike, definition, (accounts, flagged): (usize, usize)| LookalikeEval {
        lookalike,
        definition,
        accounts,
        flagged,
        false_positive_rate: ratio(flagged, accounts),
    };
    let mut lookalikes = vec![
        look(
            "organic",
            "role organic (in worlds that mark them, heavy users and community members are organic too)",
            count(&|_, e| e.role == Role::Organic),
        ),
        look("fans", "role fan", count(&|_, e| e.role == Role::Fan)),
        look(
            "heavy",
            "group heavy (organic accounts with thousands of likes)",
            count(&|_, e| e.group == "heavy"),
        ),
        look(
            "communities",
            "groups community-<k> (members of topical communities)",
            count(&|_, e| e.group.starts_with("community-")),
        ),
    ];
    if let Some(w) = world {
        let liked = viral_likers(w, &index, n)?;
        lookalikes.push(look(
            "viral_likers",
            "role organic with at least one like (follow) on a viral post (account)",
            count(&|i, e| e.role == Role::Organic && liked[i]),
        ));
    }
    let rate = |name: &str| {
        lookalikes
            .iter()
            .find(|l| l.lookalike == name)
            .and_then(|l| l.false_positive_rate)
    };
    let (fpr_heavy, fpr_viral, fpr_comm) = (rate("heavy"), rate("viral_likers"), rate("communities"));
    let recall_planted: BTreeMap<String, Option<f64>> = roles
        .iter()
        .filter(|r| r.coordinated && r.accounts > 0)
        .map(|r| (r.role.name().to_string(), r.recall))
        .collect();

    let fpr = |r: Role| roles[role_idx(r)].recall;
    Ok(Evaluation {
        truth_file: truth.display().to_string(),
        accounts_file: accounts.display().to_string(),
        truth_accounts: n,
        listed_accounts: listed,
        absent_accounts: seen_line.iter().filter(|&&l| l == 0).count(),
        false_positive_rate_organic: fpr(Role::Organic),
        false_positive_rate_fans: fpr(Role::Fan),
        roles,
        overall,
        groups,
        typed,
        type_confusion,
        false_positive_rate_heavy: fpr_heavy,
        false_positive_rate_viral_likers: fpr_viral,
        false_positive_rate_communities: fpr_comm,
        lookalikes,
        recall_planted,
        world_files: world.cloned(),
    })
}

fn pct(x: Option<f64>) -> String {
    match x {
        Some(v) => crate::text::percent(v, 1),
        None => "—".into(),
    }
}

fn num(x: Option<f64>) -> String {
    match x {
        Some(v) => format!("{v:.3}"),
        None => "—".into(),
    }
}

/// Aligned columns: numbers right-aligned, text left-aligned. Widths count characters.
fn table(out: &mut String, head: &[&str], rows: &[Vec<String>]) {
    let mut w: Vec<usize> = head.iter().map(|h| h.chars().count()).collect();
    let mut numeric = vec![true; head.len()];
    for r in rows {
        for (j, c) in r.iter().enumerate() {
            w[j] = w[j].max(c.chars().count());
            let first = c.chars().next().unwrap_or('0');
            numeric[j] &= first.is_ascii_digit() || first == '—';
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut s = String::new();
        for (j, c) in cells.iter().enumerate() {
            let pad = " ".repeat(w[j] - c.chars().count());
            if j > 0 {
                s.push_str("  ");
            }
            if numeric[j] {
                s.push_str(&pad);
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&pad);
            }
        }
        s.trim_end().to_string()
    };
    out.push_str(&line(head.to_vec()));
    out.push('\n');
    for r in rows {
        out.push_str(&line(r.iter().map(|s| s.as_str()).collect()));
        out.push('\n');
    }
}

impl Evaluation {
    /// A human-readable report with aligned tables.
    pub fn to_table(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "Evaluation of {} against {}",
            self.accounts_file, self.truth_file
        );
        let _ = writeln!(
            o,
            "{} accounts in the truth, {} listed by the detector, {} absent (counted as not flagged)\n",
            self.truth_accounts, self.listed_accounts, self.absent_accounts
        );
        let rows: Vec<Vec<String>> = self
            .roles
            .iter()
            .filter(|r| r.accounts > 0)
            .map(|r| {
                vec![
                    r.role.name().to_string(),
                    r.accounts.to_string(),
                    r.flagged.to_string(),
                    pct(r.recall),
                    if r.coordinated {
                        "recall".into()
                    } else {
                        "false positives".into()
                    },
                ]
            })
            .collect();
        table(
            &mut o,
            &["role", "accounts", "flagged", "share", "meaning"],
            &rows,
        );
        let ov = &self.overall;
        let _ = writeln!(
            o,
            "\ncoordinated roles: precision {}  recall {}  F1 {}  (TP {}, FP {}, FN {})",
            num(ov.precision),
            num(ov.recall),
            num(ov.f1),
            ov.true_positives,
            ov.false_positives,
            ov.false_negatives
        );
        let _ = writeln!(
            o,
            "false-positive rate: organic {}, fans {}",
            pct(self.false_positive_rate_organic),
            pct(self.false_positive_rate_fans)
        );
        let more: Vec<String> = self
            .lookalikes
            .iter()
            .filter(|l| !matches!(l.lookalike, "organic" | "fans") && l.accounts > 0)
            .map(|l| {
                format!(
                    "{} {} ({} of {})",
                    l.lookalike.replace('_', " "),
                    pct(l.false_positive_rate),
                    l.flagged,
                    l.accounts
                )
            })
            .collect();
        if !more.is_empty() {
            let _ = writeln!(o, "false-positive rate among look-alikes: {}", more.join(", "));
        }
        let shown: Vec<&GroupEval> = self
            .groups
            .iter()
            .filter(|g| g.role.is_coordinated() || g.flagged > 0)
            .collect();
        if !shown.is_empty() {
            o.push('\n');
            let rows: Vec<Vec<String>> = shown
                .iter()
                .map(|g| {
                    vec![
                        g.group.clone(),
                        g.role.name().to_string(),
                        g.accounts.to_string(),
                        g.flagged.to_string(),
                        pct(g.recall),
                    ]
                })
                .collect();
            table(&mut o, &["group", "role", "accounts", "flagged", "share"], &rows);
            let quiet = |fandom: bool| {
                self.groups
                    .iter()
                    .filter(|g| !g.role.is_coordinated() && g.flagged == 0 && (g.role == Role::Fan) == fandom)
                    .count()
            };
            if quiet(true) > 0 {
                let _ = writeln!(o, "({} fandoms with no flagged fan not shown)", quiet(true));
            }
            if quiet(false) > 0 {
                let _ = writeln!(
                    o,
                    "({} other look-alike groups with no flagged account not shown)",
                    quiet(false)
                );
            }
        }
        if let Some(typed) = &self.typed {
            let _ = writeln!(o, "\ntyped (the cluster_type must name the role):");
            let rows: Vec<Vec<String>> = typed
                .iter()
                .filter(|t| t.accounts > 0 || t.predicted > 0)
                .map(|t| {
                    vec![
                        t.role.name().to_string(),
                        t.cluster_type.to_string(),
                        t.accounts.to_string(),
                        t.predicted.to_string(),
                        t.correct.to_string(),
                        num(t.precision),
                        num(t.recall),
                        num(t.f1),
                    ]
                })
                .collect();
            table(
                &mut o,
                &[
                    "role",
                    "cluster_type",
                    "accounts",
                    "predicted",
                    "correct",
                    "precision",
                    "recall",
                    "F1",
                ],
                &rows,
            );
        }
        if let Some(conf) = &self.type_confusion {
            let _ = writeln!(o, "\npredicted types by true role:");
            for c in conf {
                let parts: Vec<String> = c.types.iter().map(|(k, v)| format!("{k} {v}")).collect();
                let _ = writeln!(o, "  {:<17} {}", c.role.name(), parts.join(", "));
            }
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn files(truth: &str, accounts: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("truth.csv");
        let a = dir.path().join("accounts.csv");
        fs::write(&t, truth).unwrap();
        fs::write(&a, accounts).unwrap();
        (dir, t, a)
    }

    const TRUTH: &str = "account_id,role,group
u01,organic,
u02,organic,
u03,organic,
u04,organic,
u05,fan,fandom-u01
u06,fan,fandom-u01
u07,bot_farm,farm-1
u08,bot_farm,farm-1
u09,bot_farm,farm-1
u10,bot_farm,farm-1
u11,pod_member,pod-1
u12,pod_member,pod-1
u13,click_worker,clicknet-1
u14,subscription_bot,sub-1
";

    #[test]
    fn exact_numbers_without_types() {
        // Flagged: u02 (organic FP), u05 (fan FP), u07 u08 u09 (farm), u11 (pod), u14 (sub).
        // u10, u12, u13 missed; u04 and u13 absent from accounts.csv.
        let acc = "account_id,flagged,cluster_id,score,likes
u01,false,,0.1,3
u02,true,4,0.9,10
u03,0,,0,1
u05,TRUE,4,0.8,7
u06,false,,0.2,7
u07,true,1,0.99,12
u08,1,1,0.98,12
u09,true,1,0.97,11
u10,false,,0.5,3
u11,true,2,0.9,30
u12,false,,0.4,20
u14,true,3,0.9,5
";
        let (_d, t, a) = files(TRUTH, acc);
        let e = evaluate(&t, &a).unwrap();
        assert_eq!(e.truth_accounts, 14);
        assert_eq!(e.listed_accounts, 12);
        assert_eq!(e.absent_accounts, 2);
        let r = |role: Role| e.roles.iter().find(|x| x.role == role).unwrap().clone();
        assert_eq!((r(Role::Organic).accounts, r(Role::Organic).flagged), (4, 1));
        assert_eq!(r(Role::Organic).recall, Some(0.25));
        assert_eq!((r(Role::Fan).accounts, r(Role::Fan).flagged), (2, 1));
        assert_eq!((r(Role::BotFarm).accounts, r(Role::BotFarm).flagged), (4, 3));
        assert_eq!(r(Role::BotFarm).recall, Some(0.75));
        assert_eq!(r(Role::PodMember).recall, Some(0.5));
        assert_eq!(r(Role::ClickWorker).recall, Some(0.0));
        assert_eq!(r(Role::SubscriptionBot).recall, Some(1.0));
        let o = &e.overall;
        assert_eq!(o.coordinated_accounts, 8);
        assert_eq!(
            (o.true_positives, o.false_positives, o.false_negatives),
            (5, 2, 3)
        );
        assert_eq!(o.precision, Some(5.0 / 7.0));
        assert_eq!(o.recall, Some(5.0 / 8.0));
        assert_eq!(o.f1, Some(10.0 / 15.0));
        assert_eq!(e.false_positive_rate_organic, Some(0.25));
        assert_eq!(e.false_positive_rate_fans, Some(0.5));
        assert!(e.typed.is_none());
        let farm = e.groups.iter().find(|g| g.group == "farm-1").unwrap();
        assert_eq!((farm.accounts, farm.flagged), (4, 3));
        assert_eq!(e.groups.len(), 5);
        let table = e.to_table();
        assert!(table.contains("bot_farm"), "{table}");
        assert!(table.contains("75.0 %"), "{table}");
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains("\"role\":\"bot_farm\""), "{json}");
    }

    #[test]
    fn exact_typed_numbers() {
        let acc = "account_id,flagged,cluster_id,score,likes,cluster_type
u01,false,,0,1,
u02,true,4,0.9,10,bot_farm
u05,true,5,0.8,7,engagement_pod
u07,true,1,0.99,12,bot_farm
u08,true,1,0.98,12,bot_farm
u09,true,1,0.97,11,subscription
u11,true,2,0.9,30,engagement_pod
u12,true,2,0.9,30,engagement_pod
u13,true,3,0.9,30,paid_click_network
u14,true,3,0.9,5,
";
        let (_d, t, a) = files(TRUTH, acc);
        let e = evaluate(&t, &a).unwrap();
        let typed = e.typed.as_ref().unwrap();
        let ty = |role: Role| typed.iter().find(|x| x.role == role).unwrap().clone();
        // bot_farm: predicted u02 u07 u08 → correct 2 of 4 farm bots.
        let f = ty(Role::BotFarm);
        assert_eq!((f.accounts, f.predicted, f.correct), (4, 3, 2));
        assert_eq!(f.precision, Some(2.0 / 3.0));
        assert_eq!(f.recall, Some(0.5));
        assert_eq!(f.f1, Some(4.0 / 7.0));
        // pods: predicted u05 u11 u12 → correct 2 of 2.
        let p = ty(Role::PodMember);
        assert_eq!((p.accounts, p.predicted, p.correct), (2, 3, 2));
        assert_eq!(p.recall, Some(1.0));
        // subscription: predicted u09 (a farm bot) → 0 of 1; u14 flagged without a type.
        let s = ty(Role::SubscriptionBot);
        assert_eq!((s.accounts, s.predicted, s.correct), (1, 1, 0));
        assert_eq!(s.precision, Some(0.0));
        assert_eq!(s.f1, Some(0.0));
        let c = ty(Role::ClickWorker);
        assert_eq!((c.predicted, c.correct, c.f1), (1, 1, Some(1.0)));
        let conf = e.type_confusion.as_ref().unwrap();
        let farm = conf.iter().find(|r| r.role == Role::BotFarm).unwrap();
        assert_eq!(farm.types.get("bot_farm"), Some(&2));
        assert_eq!(farm.types.get("subscription"), Some(&1));
        assert_eq!(farm.types.get("(not flagged)"), Some(&1));
        let sub = conf.iter().find(|r| r.role == Role::SubscriptionBot).unwrap();
        assert_eq!(sub.types.get("(no type)"), Some(&1));
        // untyped overall is unchanged by types: 8 flagged coordinated? u07 u08 u09 u11 u12 u13 u14 = 7.
        assert_eq!(e.overall.true_positives, 7);
        assert_eq!(e.overall.false_positives, 2);
        assert!(e.to_table().contains("paid_click_network"));
    }

    #[test]
    fn null_world_has_no_recall() {
        let (_d, t, a) = files(
            "account_id,role,group\nu1,organic,\nu2,fan,fandom-u1\n",
            "account_id,flagged\nu1,false\nu2,false\n",
        );
        let e = evaluate(&t, &a).unwrap();
        assert_eq!(e.overall.recall, None);
        assert_eq!(e.overall.precision, None);
        assert_eq!(e.overall.f1, None);
        assert_eq!(e.false_positive_rate_organic, Some(0.0));
        assert!(e.to_table().contains('—'));
    }

    /// Truth with look-alikes marked: heavy users, a community, viral likers (via the rows).
    const LOOK_TRUTH: &str = "account_id,role,group
a1,organic,
a2,organic,
a3,organic,heavy
a4,organic,heavy
a5,organic,community-1
a6,organic,community-1
a7,organic,community-1
a8,fan,fandom-a1
a9,fan,fandom-a1
b1,bot_farm,farm-1
b2,bot_farm,farm-1
s1,subscription_bot,sub-1
";

    #[test]
    fn lookalike_rates_from_groups_and_viral_posts() {
        // Flagged: a2 (organic, viral liker), a3 (heavy, viral liker), a5 (community),
        // a8 (fan, viral liker), b1 (farm). Viral post v1; a1, a2, a3, a8 and b2 liked it.
        let acc = "account_id,flagged
a1,false
a2,true
a3,true
a4,false
a5,true
a6,false
a7,false
a8,true
a9,false
b1,true
b2,false
s1,false
";
        let (d, t, a) = files(LOOK_TRUTH, acc);
        let likes = d.path().join("likes.csv");
        let posts = d.path().join("posts.csv");
        fs::write(
            &likes,
            "account,post,time,author
a1,v1,2024-03-01,a9
a2,v1,2024-03-01T10:00:00Z,a9
a3,v1,2024-03-02,a9
a3,o1,2024-03-02,a9
a8,v1,2024-03-02,a9
b2,v1,2024-03-02,a9
a4,o1,2024-03-02,a9
a5,o2,2024-03-02,a9
",
        )
        .unwrap();
        fs::write(
            &posts,
            "post_id,author,published,kind\nv1,a9,2024-03-01,viral\no1,a9,2024-03-01,organic\no2,a9,2024-03-01,farm_order\n",
        )
        .unwrap();
        // The files next to the truth are found by `evaluate`.
        let e = evaluate(&t, &a).unwrap();
        assert_eq!(
            e.world_files,
            Some(WorldFiles {
                rows: likes.clone(),
                items: posts.clone()
            })
        );
        // Existing keys keep their meaning: organic role (7 accounts, 3 flagged), fans.
        assert_eq!(e.false_positive_rate_organic, Some(3.0 / 7.0));
        assert_eq!(e.false_positive_rate_fans, Some(0.5));
        assert_eq!(e.false_positive_rate_heavy, Some(0.5));
        assert_eq!(e.false_positive_rate_communities, Some(1.0 / 3.0));
        // Viral likers: organic accounts with a like on v1 = a1, a2, a3 (fan a8 and bot b2 are
        // not organic); flagged a2, a3.
        assert_eq!(e.false_positive_rate_viral_likers, Some(2.0 / 3.0));
        let v = e
            .lookalikes
            .iter()
            .find(|l| l.lookalike == "viral_likers")
            .unwrap();
        assert_eq!((v.accounts, v.flagged), (3, 2));
        let names: Vec<&str> = e.lookalikes.iter().map(|l| l.lookalike).collect();
        assert_eq!(names, ["organic", "fans", "heavy", "communities", "viral_likers"]);
        assert_eq!(e.recall_planted.len(), 2);
        assert_eq!(e.recall_planted["bot_farm"], Some(0.5));
        assert_eq!(e.recall_planted["subscription_bot"], Some(0.0));
        let table = e.to_table();
        assert!(table.contains("heavy 50.0 % (1 of 2)"), "{table}");
        assert!(table.contains("viral likers 66.7 % (2 of 3)"), "{table}");
        let json = serde_json::to_value(&e).unwrap();
        for key in [
            "overall",
            "roles",
            "typed",
            "false_positive_rate_organic",
            "false_positive_rate_fans",
            "false_positive_rate_heavy",
            "false_positive_rate_viral_likers",
            "false_positive_rate_communities",
            "lookalikes",
            "recall_planted",
        ] {
            assert!(json.get(key).is_some(), "no key {key}");
        }

        // Without world files: no viral likers, the rest unchanged.
        let e = evaluate_with(&t, &a, None).unwrap();
        assert_eq!(e.false_positive_rate_viral_likers, None);
        assert_eq!(e.false_positive_rate_heavy, Some(0.5));
        assert!(e.lookalikes.iter().all(|l| l.lookalike != "viral_likers"));

        // A follow world's files: followers of an account with a follow surge.
        let follows = d.path().join("follows.csv");
        let followed = d.path().join("followed.csv");
        fs::write(&follows, "follower,followed\na1,a9\na4,a9\nb1,a1\n").unwrap();
        fs::write(&followed, "account_id,kind\na1,farm_order\na9,viral\n").unwrap();
        let w = WorldFiles {
            rows: follows,
            items: followed,
        };
        let e = evaluate_with(&t, &a, Some(&w)).unwrap();
        let v = e
            .lookalikes
            .iter()
            .find(|l| l.lookalike == "viral_likers")
            .unwrap();
        assert_eq!((v.accounts, v.flagged), (2, 0));
    }

    #[test]
    fn old_worlds_have_no_heavy_rate() {
        let (_d, t, a) = files(TRUTH, "account_id,flagged\nu01,true\n");
        let e = evaluate(&t, &a).unwrap();
        assert_eq!(e.false_positive_rate_heavy, None);
        assert_eq!(e.false_positive_rate_communities, None);
        assert_eq!(e.false_positive_rate_viral_likers, None);
        assert_eq!(e.false_positive_rate_organic, Some(0.25));
        assert!(!e.to_table().contains("look-alikes"));
    }

    fn err(truth: &str, accounts: &str) -> String {
        let (_d, t, a) = files(truth, accounts);
        evaluate(&t, &a).unwrap_err().to_string()
    }

    #[test]
    fn bad_input_names_file_line_and_column() {
        let m = err(TRUTH, "account_id,flagged\nu01,false\nu02,maybe\n");
        assert!(m.contains("accounts.csv: line 3, column 2 (\"flagged\")"), "{m}");
        assert!(m.contains("\"maybe\""), "{m}");

        let m = err(TRUTH, "account_id,score\nu01,1\n");
        assert!(m.contains("accounts.csv: line 1: no column \"flagged\""), "{m}");

        let m = err(TRUTH, "account_id,flagged\nu01,false\nzz9,true\n");
        assert!(m.contains("accounts.csv: line 3, column 1"), "{m}");
        assert!(m.contains("\"zz9\" is not in the truth file"), "{m}");
        assert!(m.contains("truth.csv"), "{m}");

        let m = err(
            "account_id,role,group\nu1,organic,\nu2,robot,\n",
            "account_id,flagged\n",
        );
        assert!(m.contains("truth.csv: line 3, column 2 (\"role\")"), "{m}");
        assert!(m.contains("unknown role \"robot\""), "{m}");

        let m = err("account_id,group\nu1,\n", "account_id,flagged\n");
        assert!(m.contains("truth.csv: line 1: no column \"role\""), "{m}");

        let m = err(TRUTH, "account_id,flagged\nu01,false\nu01,true\n");
        assert!(
            m.contains("line 3") && m.contains("already appeared on line 2"),
            "{m}"
        );

        let m = err(TRUTH, "account_id,flagged\nu01,false,extra\n");
        assert!(m.contains("accounts.csv: line 2"), "{m}");

        let m = err("account_id,role,group\n", "account_id,flagged\n");
        assert!(m.contains("no accounts"), "{m}");

        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.csv");
        let e = evaluate(&missing, &missing).unwrap_err().to_string();
        assert!(e.contains("nope.csv: cannot read"), "{e}");
    }
}
