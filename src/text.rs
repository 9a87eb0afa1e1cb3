//! Small text helpers shared by the stages: safe display of hostile names in diagnostics.

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
    fn truncation_marks_the_cut() {
        assert_eq!(truncate_chars("abcdef", 4), "abc…");
        assert_eq!(truncate_chars("abc", 4), "abc");
    }
}
