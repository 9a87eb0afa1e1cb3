//! A comment's words, as compared for near-duplicates: the variations a script's workers add
//! to a suggested text — case, punctuation, emoji, word order, styled letters — are removed,
//! so that what remains is the set of words.
//!
//! 1. a text starting with `RT @` is a retweet's copy of another's words, never a comment:
//!    it has no words here;
//! 2. Unicode NFKC (the `unicode-normalization` crate) folds compatibility forms: 𝐛𝐨𝐥𝐝 and
//!    𝘪𝘵𝘢𝘭𝘪𝘤 "math" letters, full-width Ｌｅｔｔｅｒｓ and ligatures (ﬁ) become plain letters;
//! 3. lower case;
//! 4. every character that is not a letter or a digit (punctuation, symbols, emoji, joiners)
//!    separates words;
//! 5. the words, in order of first appearance, without repeats (word order and repetition are
//!    ignored by the set comparison that follows).
//!
//! A text with no words left (only emoji or punctuation: "❤️❤️", "😂", "!!!") takes no part in
//! near-duplicate matching: it can say nothing about who copied whom.

use unicode_normalization::UnicodeNormalization;

/// The words of a comment; empty when it has none (or is a retweet's copy).
pub fn words(text: &str) -> Vec<String> {
    if text.trim_start().starts_with("RT @") {
        return Vec::new();
    }
    let folded: String = text
        .nfkc()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut out: Vec<String> = Vec::new();
    for w in folded.split_whitespace() {
        if !out.iter().any(|x| x == w) {
            out.push(w.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variations_of_one_text_give_the_same_words() {
        let base = words("Best shop ever, order at glowskin now!");
        assert_eq!(base, ["best", "shop", "ever", "order", "at", "glowskin", "now"]);
        for variant in [
            "BEST SHOP EVER order at GLOWSKIN now",
            "best shop ever!!! 😍😍 order at glowskin now 🔥",
            "𝐁𝐞𝐬𝐭 𝐬𝐡𝐨𝐩 𝐞𝐯𝐞𝐫, order at glowskin now",
            "Ｂｅｓｔ shop ever — order at glowskin now",
        ] {
            assert_eq!(words(variant), base, "{variant}");
        }
        let mut shuffled = words("order at glowskin now, best shop ever");
        shuffled.sort();
        let mut sorted = base.clone();
        sorted.sort();
        assert_eq!(shuffled, sorted);
    }

    #[test]
    fn emoji_only_and_retweets_have_no_words() {
        assert!(words("❤️❤️").is_empty());
        assert!(words("😂").is_empty());
        assert!(words("!!! ...").is_empty());
        assert!(words("RT @someone: buy now at glowskin").is_empty());
        assert_eq!(words("nice"), ["nice"]);
        assert_eq!(words("nice nice NICE"), ["nice"]);
        assert_eq!(words("ﬁrst"), ["first"]);
        assert_eq!(words("Ünïcödé straße 2024"), ["ünïcödé", "straße", "2024"]);
    }
}
