//! One parameter tree: every number that tunes the analysis, with its default and, next to it,
//! the reason for it.
//!
//! The tree is [`Params`]: the run's seed, false discovery rate and interaction kind (the
//! words of every reason and report, [`crate::vocab`]), then one branch per stage
//! (`colike`, `detect.<stage>`, `score`), each a struct with a `Default` defined in the stage's
//! own file. `lockstep detect --print-params` prints the defaults as TOML; `--params FILE`
//! (TOML, or JSON by the `.json` extension) overrides any part of it — keys left out keep their
//! defaults, an unknown key is an error naming it — and command-line flags override the file.
//! `manifest.json` records the whole tree as used.

use crate::colike::ColikeParams;
use crate::detect::DetectParams;
use crate::score::ScoreParams;
use crate::vocab::Interaction;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Every parameter of an analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Params {
    /// Seed of every randomised step (Leiden, MinHash, the layout): the same seed gives
    /// byte-identical outputs.
    pub seed: u64,
    /// False discovery rate of every test: co-like pairs (Benjamini–Hochberg over all pairs
    /// tested), recruits and grown posts (BH), groups (Bonferroni over the groups tried).
    pub fdr: f64,
    /// What an interaction is (`like`, `follow`, `comment`, `share`, `repost`): the words of
    /// the reasons, evidence, report and graph files. It changes no number and no machine name
    /// (column names, attribute ids, types).
    pub interaction: Interaction,
    /// Stage 3: the co-like projection.
    pub colike: ColikeParams,
    /// Stage 3b: near-duplicate comments (when the data has a text column).
    pub comments: crate::comments::CommentParams,
    /// Stage 4: detection, by stage.
    pub detect: DetectParams,
    /// Stage 5: account scores.
    pub score: ScoreParams,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            seed: 0,
            fdr: 0.01,
            interaction: Interaction::Like,
            colike: ColikeParams::default(),
            comments: crate::comments::CommentParams::default(),
            detect: DetectParams::default(),
            score: ScoreParams::default(),
        }
    }
}

impl Params {
    /// Read a parameter file (TOML; JSON when the name ends in `.json`) over the defaults.
    /// Errors name the file and, for an unknown key or a wrong value, the key.
    pub fn from_file(path: &Path) -> Result<Params, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let parsed = if json {
            serde_json::from_str(&text).map_err(|e| e.to_string())
        } else {
            toml::from_str(&text).map_err(|e| e.to_string())
        };
        let params: Params = parsed.map_err(|e| format!("{}: {}", path.display(), e.trim_end()))?;
        params
            .validate()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(params)
    }

    /// The tree as TOML, for `--print-params`.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// Check values no stage can work with.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.fdr > 0.0 && self.fdr <= 1.0) {
            return Err(format!("fdr must be in (0, 1], not {}", self.fdr));
        }
        if self.colike.windows.is_empty() || self.colike.windows.len() > crate::colike::MAX_WINDOWS {
            return Err(format!(
                "colike.windows: give between 1 and {} windows",
                crate::colike::MAX_WINDOWS
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn the_printed_defaults_read_back_as_the_defaults() {
        let text = Params::default().to_toml();
        assert!(text.contains("fdr = 0.01"), "{text}");
        assert!(text.contains("[detect.bursts]"), "{text}");
        let (_dir, path) = write("p.toml", &text);
        assert_eq!(Params::from_file(&path).unwrap(), Params::default());
    }

    #[test]
    fn a_file_overrides_only_what_it_names() {
        let (_dir, path) = write("p.toml", "fdr = 0.05\n[detect.bursts]\nmin_burst = 7\n");
        let p = Params::from_file(&path).unwrap();
        assert_eq!(p.fdr, 0.05);
        assert_eq!(p.detect.bursts.min_burst, 7);
        assert_eq!(
            p.detect.bursts.min_share,
            Params::default().detect.bursts.min_share
        );
        let (_dir, path) = write("p.json", r#"{"colike": {"windows": ["10m", "1h"]}}"#);
        let p = Params::from_file(&path).unwrap();
        assert_eq!(p.colike.windows.len(), 2);
    }

    #[test]
    fn the_interaction_kind_reads_by_name_and_defaults_to_like() {
        assert_eq!(Params::default().interaction, Interaction::Like);
        assert!(Params::default().to_toml().contains("interaction = \"like\""));
        let (_dir, path) = write("p.toml", "interaction = \"follow\"\n");
        assert_eq!(Params::from_file(&path).unwrap().interaction, Interaction::Follow);
        let (_dir, path) = write("p.json", r#"{"interaction": "repost", "fdr": 0.05}"#);
        let p = Params::from_file(&path).unwrap();
        assert_eq!((p.interaction, p.fdr), (Interaction::Repost, 0.05));
        // A file from before the key keeps the default.
        let (_dir, path) = write("p.toml", "fdr = 0.05\n");
        assert_eq!(Params::from_file(&path).unwrap().interaction, Interaction::Like);
        let (_dir, path) = write("p.toml", "interaction = \"retweet\"\n");
        let e = Params::from_file(&path).unwrap_err();
        assert!(e.contains("retweet") || e.contains("interaction"), "{e}");
    }

    #[test]
    fn an_unknown_key_is_an_error_naming_it_and_the_file() {
        let (_dir, path) = write("p.toml", "[detect.bursts]\nmin_brust = 7\n");
        let e = Params::from_file(&path).unwrap_err();
        assert!(e.contains("min_brust") && e.contains("p.toml"), "{e}");
        let (_dir, path) = write("p.json", r#"{"detect": {"nope": 1}}"#);
        let e = Params::from_file(&path).unwrap_err();
        assert!(e.contains("nope") && e.contains("p.json"), "{e}");
        let (_dir, path) = write("p.toml", "fdr = 2.0\n");
        assert!(Params::from_file(&path).unwrap_err().contains("fdr"));
    }

    /// Numbers in the code of detection, scoring and the analysis driver, outside tests: a
    /// tuning number belongs in a `Default` of the parameter tree. Allowed elsewhere: 0, 1 and
    /// 2, array lengths, bit shifts, and named constants (numerical tolerances and caps, each
    /// with a doc comment).
    #[test]
    fn no_tuning_number_is_written_inline() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("detect"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.extend(["score.rs", "analysis.rs", "params.rs", "run.rs"].map(|f| root.join(f)));
        files.sort();
        let mut found = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            let mut depth_in_default: Option<i32> = None;
            for (i, line) in lines.iter().enumerate() {
                if line.trim_start().starts_with("#[cfg(test)]") {
                    break;
                }
                let code = strip(line);
                if code.trim_start().starts_with("impl Default for") {
                    depth_in_default = Some(0);
                }
                if let Some(d) = depth_in_default.as_mut() {
                    *d += code.matches('{').count() as i32 - code.matches('}').count() as i32;
                    if *d <= 0 && code.contains('}') {
                        depth_in_default = None;
                    }
                    continue;
                }
                let trimmed = code.trim_start();
                if trimmed.starts_with("const ") || trimmed.starts_with("pub const ") {
                    let documented = i > 0 && lines[i - 1].trim_start().starts_with("///");
                    assert!(
                        documented,
                        "{}:{}: a named constant needs a doc comment",
                        file.display(),
                        i + 1
                    );
                    continue;
                }
                for number in numbers(&code) {
                    found.push(format!("{}:{}: {number}: {}", file.display(), i + 1, line.trim()));
                }
            }
        }
        assert!(
            found.is_empty(),
            "tuning numbers written inline:\n{}",
            found.join("\n")
        );
    }

    /// The line without its comment and string literals.
    fn strip(line: &str) -> String {
        let mut out = String::new();
        let (mut in_string, mut escaped) = (false, false);
        let chars: Vec<char> = line.chars().collect();
        for (k, &c) in chars.iter().enumerate() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                }
                continue;
            }
            if c == '/' && chars.get(k + 1) == Some(&'/') {
                break;
            }
            if c == '"' {
                in_string = true;
                out.push_str("\"\"");
                continue;
            }
            out.push(c);
        }
        out
    }

    /// Numeric literals other than 0, 1, 2, array lengths (`; N]`) and shift amounts.
    fn numbers(code: &str) -> Vec<String> {
        let chars: Vec<char> = code.chars().collect();
        let mut out = Vec::new();
        let mut k = 0;
        while k < chars.len() {
            let starts = chars[k].is_ascii_digit()
                && (k == 0
                    || !(chars[k - 1].is_alphanumeric() || chars[k - 1] == '_' || chars[k - 1] == '.'));
            if !starts {
                k += 1;
                continue;
            }
            let begin = k;
            while k < chars.len()
                && (chars[k].is_ascii_alphanumeric()
                    || chars[k] == '_'
                    || (chars[k] == '.' && chars.get(k + 1).is_some_and(|c| c.is_ascii_digit())))
            {
                k += 1;
            }
            let literal: String = chars[begin..k].iter().collect();
            let before: String = chars[..begin].iter().collect::<String>().trim_end().to_string();
            let after: String = chars[k..].iter().collect::<String>().trim_start().to_string();
            let value = literal.replace('_', "");
            let suffixes = [
                "usize", "isize", "u64", "u32", "u16", "u8", "i64", "i32", "f64", "f32",
            ];
            let value = suffixes
                .iter()
                .find_map(|s| value.strip_suffix(s))
                .unwrap_or(&value);
            let small = matches!(value.parse::<f64>(), Ok(v) if v == 0.0 || v == 1.0 || v == 2.0);
            let array_len = before.ends_with(';') && after.starts_with(']');
            let shift = before.ends_with("<<") || before.ends_with(">>");
            let hex = literal.starts_with("0x");
            if !(small || array_len || shift || hex) {
                out.push(literal);
            }
        }
        out
    }
}
