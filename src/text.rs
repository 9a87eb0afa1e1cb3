//! Words and escaping, in one place: numbers and percentages for reading, safe display of
//! hostile names in diagnostics and pages (bidi isolation), and the one XML/HTML escaper every
//! writer (GEXF, GraphML, SVG plots) uses. Durations and times are written by [`crate::clock`].

use std::borrow::Cow;

/// A share (0..1) as a percentage with `decimals` decimals: `percent(0.25, 0)` is `25 %`.
pub fn percent(share: f64, decimals: usize) -> String {
    format!("{:.decimals$} %", 100.0 * share)
}

/// The thousands separator of numbers for reading: a narrow no-break space (U+202F), as ISO
/// 80000 writes them. Neither a comma nor a dot: in many newsrooms one of them is the decimal
/// sign, and `1,234` would read as one and a bit.
pub const THOUSANDS: char = '\u{202F}';

/// Group the digits of an integer's text in threes: `group("-1234567")` is `-1 234 567`.
fn group(digits: &str) -> String {
    let (sign, digits) = match digits.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", digits),
    };
    let mut out = String::with_capacity(sign.len() + digits.len() * 2);
    out.push_str(sign);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(THOUSANDS);
        }
        out.push(c);
    }
    out
}

/// A count for reading, thousands grouped: `count(1234567)` is `1 234 567`.
pub fn count(n: u64) -> String {
    group(&n.to_string())
}

/// A measured number for reading, to about three significant digits, thousands grouped:
/// `12 346`, `36`, `1.5`, `0.0234`, `1.0e-7`; `–` when not finite.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    if x == 0.0 {
        return "0".into();
    }
    let a = x.abs();
    if a >= 1000.0 {
        group(&format!("{x:.0}"))
    } else if a >= 1.0 {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else if a >= 0.001 {
        let digits = (2 - a.log10().floor() as i32).max(0) as usize;
        let s = format!("{x:.digits$}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        format!("{x:.1e}")
    }
}

/// `name` made safe to isolate: the bidi isolate controls it holds (U+2066–U+2069) become
/// U+FFFD, so that a name cannot close the isolate put around it (a `<bdi>` in HTML, or
/// [`isolate`]) and reverse the text after it. Its other controls (U+202E…) end with the
/// isolate.
pub fn isolable(name: &str) -> Cow<'_, str> {
    const ISOLATES: [char; 4] = ['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'];
    if name.contains(ISOLATES) {
        Cow::Owned(name.replace(ISOLATES, "\u{FFFD}"))
    } else {
        Cow::Borrowed(name)
    }
}

/// A name isolated in plain text (SVG text, a page title): between FIRST STRONG ISOLATE and
/// POP DIRECTIONAL ISOLATE, so right-to-left letters or a U+202E in it cannot reorder the
/// words around it.
pub fn isolate(name: &str) -> String {
    format!("\u{2068}{}\u{2069}", isolable(name))
}

/// True for characters XML 1.0 allows in a document.
pub fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Where an escaped value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// A quoted attribute value: quotes escaped, tab and line breaks as character references
    /// (a parser would otherwise turn them into spaces).
    Attribute,
    /// Character data: `&`, `<`, `>` escaped, carriage returns as a character reference.
    Text,
    /// Markup that is also embedded in HTML (the SVG plots inside report.html): as an
    /// attribute, with the apostrophe as `&#39;`, which every HTML version reads.
    Html,
}

/// Escape `s` for XML (and HTML, which reads the same entities). Characters XML 1.0 forbids
/// are dropped (writers that must count them clean the value first). quick-xml does the
/// escaping (and writes `\r` as `&#13;`); attributes also get tab and line feed as character
/// references, which a parser would otherwise turn into spaces.
pub fn escape_xml(s: &str, markup: Markup) -> Cow<'_, str> {
    let cleaned: Cow<'_, str> = if s.chars().all(xml_allowed) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| xml_allowed(c)).collect())
    };
    let escaped = match (cleaned, markup) {
        (Cow::Borrowed(b), Markup::Text) => quick_xml::escape::partial_escape(b),
        (Cow::Borrowed(b), _) => quick_xml::escape::escape(b),
        (Cow::Owned(o), Markup::Text) => {
            Cow::Owned(quick_xml::escape::partial_escape(o.as_str()).into_owned())
        }
        (Cow::Owned(o), _) => Cow::Owned(quick_xml::escape::escape(o.as_str()).into_owned()),
    };
    let escaped = if markup != Markup::Text && escaped.contains(['\t', '\n']) {
        Cow::Owned(escaped.replace('\t', "&#9;").replace('\n', "&#10;"))
    } else {
        escaped
    };
    if markup == Markup::Html && escaped.contains("&apos;") {
        Cow::Owned(escaped.replace("&apos;", "&#39;"))
    } else {
        escaped
    }
}

/// True for characters that reorder or hide text when displayed (bidi controls, zero-width).
pub fn is_format_char(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// Quote a user-supplied string for a terminal message: control and bidi characters escaped,
/// so an account name cannot move the cursor, recolour the terminal or reverse the text.
pub fn quote_for_terminal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c.is_control() || is_format_char(c) {
            out.extend(c.escape_unicode());
        } else if c == '"' || c == '\\' {
            out.push('\\');
            out.push(c);
        } else {
            out.push(c);
        }
    }
    out.push('"');
    out
}

/// Shorten a string to at most `max` characters for a message, marking the cut with `…`.
pub fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_quoting_escapes_controls_and_bidi() {
        assert_eq!(quote_for_terminal("plain"), "\"plain\"");
        assert_eq!(quote_for_terminal("a\u{1b}[31mb"), "\"a\\u{1b}[31mb\"");
        assert_eq!(quote_for_terminal("x\u{202E}y"), "\"x\\u{202e}y\"");
        assert_eq!(quote_for_terminal("q\"\\"), "\"q\\\"\\\\\"");
    }

    #[test]
    fn escaping_covers_every_markup_character() {
        let hostile = "<script>alert('x') & \"y\"</script>\u{1}\t\r\n";
        assert_eq!(
            escape_xml(hostile, Markup::Attribute),
            "&lt;script&gt;alert(&apos;x&apos;) &amp; &quot;y&quot;&lt;/script&gt;&#9;&#13;&#10;"
        );
        assert_eq!(
            escape_xml(hostile, Markup::Text),
            "&lt;script&gt;alert('x') &amp; \"y\"&lt;/script&gt;\t&#13;\n"
        );
        assert_eq!(escape_xml("it's", Markup::Html), "it&#39;s");
        assert!(matches!(escape_xml("plain", Markup::Attribute), Cow::Borrowed(_)));
    }

    #[test]
    fn numbers_group_thousands_with_a_narrow_space() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1\u{202F}000");
        assert_eq!(count(1_234_567), "1\u{202F}234\u{202F}567");
        assert_eq!(group("-1234567"), "-1\u{202F}234\u{202F}567");
        assert_eq!(number(36.0), "36");
        assert_eq!(number(0.0234), "0.0234");
        assert_eq!(number(1.5), "1.5");
        assert_eq!(number(1234.4), "1\u{202F}234");
        assert_eq!(number(12345.6), "12\u{202F}346");
        assert_eq!(number(-98765.0), "-98\u{202F}765");
        assert_eq!(number(1e-7), "1.0e-7");
        assert_eq!(number(f64::NAN), "–");
    }

    #[test]
    fn names_are_isolated_and_cannot_break_out() {
        assert_eq!(isolate("\u{202E}evil"), "\u{2068}\u{202E}evil\u{2069}");
        // A PDI inside the name would close the isolate early: it is replaced.
        assert_eq!(
            isolate("a\u{2069}\u{202E}b"),
            "\u{2068}a\u{FFFD}\u{202E}b\u{2069}"
        );
        assert!(matches!(isolable("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn percentages_round_as_asked() {
        assert_eq!(percent(0.254, 0), "25 %");
        assert_eq!(percent(0.254, 1), "25.4 %");
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate_chars("abcdef", 4), "abc…");
        assert_eq!(truncate_chars("abc", 4), "abc");
    }
}
