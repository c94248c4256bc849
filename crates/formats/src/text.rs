//! From the bytes of a text file to text: which encoding, which field separator.
//!
//! Files reach Recouvre from spreadsheets and accounting packages. Most are UTF-8, often
//! with a byte-order mark; French Excel still saves "CSV (séparateur : point-virgule)" in
//! Windows-1252, and its "Texte Unicode" export is UTF-16 with a byte-order mark. These
//! functions accept all three and refuse what would only come out as garbage.

use encoding_rs::{Encoding, WINDOWS_1252};
use std::borrow::Cow;

/// Why the bytes of a file could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct DecodeError {
    /// 1-based line of the first byte that could not be decoded.
    pub line: u64,
    pub reason: String,
}

/// The text of a file, without its byte-order mark.
///
/// - A UTF-8, UTF-16LE or UTF-16BE byte-order mark decides the encoding; the bytes must then
///   be valid in it.
/// - Without a mark, valid UTF-8 is read as UTF-8 (borrowed, no copy).
/// - Otherwise the file is read as Windows-1252, the encoding of French Excel exports, in
///   which every byte is a character. One exception: a file that holds well-formed UTF-8
///   accents (any non-ASCII character encoded as UTF-8) and invalid bytes is a damaged
///   UTF-8 file, not a Windows-1252 one (a Windows-1252 text practically never forms a
///   valid UTF-8 sequence by chance), and reading it as Windows-1252 would silently turn
///   every `é` into `Ã©`; it is refused with the line of the first invalid byte.
/// - A NUL character is refused with its line: no text file holds one (a binary file, or
///   a spreadsheet saved as another format), and PostgreSQL cannot store it.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
    let text = decode_any(bytes)?;
    if let Some(at) = text.find('\0') {
        return Err(DecodeError {
            line: line_of(text.as_bytes(), at),
            reason: "this line holds a NUL character (byte 0x00): a text file has none; \
                     is this a binary file, or a spreadsheet saved in another format?"
                .to_string(),
        });
    }
    Ok(text)
}

/// [`decode`] without the NUL check: for MT940, whose reader drops every control byte
/// (SWIFT envelopes hold SOH and ETX; some exports pad with NUL).
pub(crate) fn decode_any(bytes: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        return encoding
            .decode_without_bom_handling_and_without_replacement(body)
            .ok_or_else(|| DecodeError {
                line: first_invalid_line(encoding, body),
                reason: format!(
                    "the file starts with a {} byte-order mark but is not valid {}",
                    encoding.name(),
                    encoding.name()
                ),
            });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Cow::Borrowed(text));
    }
    let mut utf8_accents = false;
    let mut first_invalid = None;
    let mut offset = 0;
    for chunk in bytes.utf8_chunks() {
        utf8_accents |= !chunk.valid().is_ascii();
        offset += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            first_invalid.get_or_insert(offset);
        }
        offset += chunk.invalid().len();
    }
    if utf8_accents {
        let at = first_invalid.unwrap_or(0);
        return Err(DecodeError {
            line: line_of(bytes, at),
            reason: format!(
                "the file is UTF-8 but byte 0x{:02X} on this line is not: it mixes two encodings; save it again as UTF-8",
                bytes[at]
            ),
        });
    }
    Ok(WINDOWS_1252.decode_without_bom_handling(bytes).0)
}

/// The line of the first malformed sequence, for an encoding chosen by its byte-order mark.
fn first_invalid_line(encoding: &'static Encoding, body: &[u8]) -> u64 {
    if encoding == encoding_rs::UTF_8 {
        let valid = body.utf8_chunks().next().map_or(0, |c| c.valid().len());
        return line_of(body, valid);
    }
    // UTF-16: decode with replacement and count the line breaks before the first U+FFFD.
    let (text, _) = encoding.decode_without_bom_handling(body);
    let end = text.find('\u{fffd}').unwrap_or(text.len());
    1 + text[..end].matches('\n').count() as u64
}

/// 1-based line number of the byte at `offset`.
fn line_of(bytes: &[u8], offset: usize) -> u64 {
    1 + bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
}

/// The separators [`detect_delimiter`] chooses from, in order of preference when their
/// counts tie: the French `;` first, then TAB, then `,`.
pub const DELIMITERS: [u8; 3] = [b';', b'\t', b','];

/// The field separator of a CSV text, guessed from its first non-blank line (the header):
/// whichever of `;`, TAB and `,` occurs most often there outside double quotes. A header of
/// a single column has none of them; `,` is returned then (any choice reads it the same).
pub fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0_usize; DELIMITERS.len()];
    let mut in_quotes = false;
    let mut started = false;
    for b in text.bytes() {
        if in_quotes {
            // A doubled quote inside a quoted cell closes and reopens: same state after.
            in_quotes = b != b'"';
            continue;
        }
        match b {
            b'"' => {
                in_quotes = true;
                started = true;
            }
            b'\n' | b'\r' if started => break,
            b'\n' | b'\r' => {}
            _ => {
                started = true;
                if let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
                    counts[i] += 1;
                }
            }
        }
    }
    let mut best = (b',', 0);
    for (i, &d) in DELIMITERS.iter().enumerate() {
        if counts[i] > best.1 {
            best = (d, counts[i]);
        }
    }
    best.0
}

/// Physical line numbers of byte offsets in a text, for records read in order.
///
/// The `csv` crate's own `Position::line` undercounts on CRLF files and after blank lines
/// (it counts a record's line before skipping the rest of the previous terminator); its byte
/// offsets are exact. A record's reported offset may point at line breaks left over from
/// the previous record or at blank lines, so those are skipped first: the record's line is
/// the line of its first byte of content. Line breaks are `\n`, `\r\n` or a lone `\r`.
#[derive(Debug, Clone)]
pub(crate) struct LineCounter<'t> {
    text: &'t [u8],
    offset: usize,
    line: u64,
}

impl<'t> LineCounter<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        Self {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// The line of the first non-line-break byte at or after `offset`. Counting resumes
    /// from the previous call, so records read in file order cost one pass over the text
    /// in all; an offset smaller than the previous one is counted again from the top.
    pub(crate) fn line_at(&mut self, offset: usize) -> u64 {
        if offset < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        let mut start = offset.min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        for i in self.offset..start {
            let b = self.text[i];
            let lone_cr = b == b'\r' && self.text.get(i + 1) != Some(&b'\n');
            if b == b'\n' || lone_cr {
                self.line += 1;
            }
        }
        self.offset = start;
        self.line
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn utf8_is_borrowed_and_the_bom_dropped() {
        assert!(matches!(decode(b"a;b\n"), Ok(Cow::Borrowed("a;b\n"))));
        assert_eq!(decode(b"\xef\xbb\xbfa;b").unwrap(), "a;b");
    }

    #[test]
    fn windows_1252_is_the_fallback() {
        // 0xE9 is é, 0x80 is € and 0x92 is ’ in Windows-1252 (and invalid alone in UTF-8).
        assert_eq!(
            decode(b"Soci\xe9t\xe9 d\x92Ivry;12 \x80").unwrap(),
            "Société d’Ivry;12 €"
        );
    }

    #[test]
    fn utf16_with_a_bom_is_read() {
        // "é;1\n" in UTF-16LE: é is U+00E9.
        let bytes = b"\xff\xfe\xe9\x00;\x001\x00\n\x00";
        assert_eq!(decode(bytes).unwrap(), "é;1\n");
    }

    #[test]
    fn damaged_utf8_is_refused_with_its_line() {
        // Four well-formed é (C3 A9) and, on line 3, a lone 0xE9.
        let bytes = b"nom\nSoci\xc3\xa9t\xc3\xa9\nCaf\xe9 \xc3\xa9t\xc3\xa9\n";
        let err = decode(bytes).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.reason.contains("0xE9"), "{}", err.reason);
        // With a UTF-8 mark, any invalid byte is an error.
        assert_eq!(decode(b"\xef\xbb\xbfa\nb\xff").unwrap_err().line, 2);
    }

    #[test]
    fn one_cut_accent_among_as_many_good_ones_is_damaged_utf8_not_windows_1252() {
        // Issue 23: "Société" whose second é lost its second byte (C3 alone before a
        // space): one well-formed é, one invalid byte. Was read as Windows-1252
        // ("SociÃ©tÃ "), against the documentation.
        let err = decode(b"nom\nSoci\xc3\xa9t\xc3 SA\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.reason.contains("0xC3"), "{}", err.reason);
    }

    #[test]
    fn a_nul_byte_is_refused_with_its_line_whatever_the_encoding() {
        let err = decode(b"nom;montant\nACME\x00;12\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.reason.contains("NUL"), "{}", err.reason);
        // Windows-1252 (0xE9) and UTF-16 (whose NUL bytes are part of the encoding: only a
        // NUL character counts).
        assert_eq!(decode(b"a\nb\nCaf\xe9\x00\n").unwrap_err().line, 3);
        assert!(decode(b"\xff\xfea\x00\n\x00").is_ok());
        assert_eq!(decode(b"\xff\xfea\x00\n\x00\x00\x00").unwrap_err().line, 2);
    }

    #[test]
    fn delimiter_is_the_most_frequent_outside_quotes() {
        assert_eq!(detect_delimiter("a;b;c\n1,5;2,5;3\n"), b';');
        assert_eq!(detect_delimiter("a,b,c\n"), b',');
        assert_eq!(detect_delimiter("a\tb\tc\n"), b'\t');
        // Two commas inside quotes, one semicolon outside.
        assert_eq!(detect_delimiter("\"x,y,z\";b\n"), b';');
        // A quoted header cell spanning two lines.
        assert_eq!(detect_delimiter("\"a\nb,c,d\";e;f\n1,2,3,4\n"), b';');
        // Blank lines before the header are skipped.
        assert_eq!(detect_delimiter("\r\n\na;b\n"), b';');
        assert_eq!(detect_delimiter("single\n"), b',');
        assert_eq!(detect_delimiter(""), b',');
        // A tie goes to `;`.
        assert_eq!(detect_delimiter("a;b,c\n"), b';');
    }

    #[test]
    fn line_counter_skips_leftover_breaks() {
        // "h\r\n" then "a" at byte 3; csv reports the record at byte 2 (the LF).
        let mut lines = LineCounter::new("h\r\na\r\n\r\nb\rc\n\"x\ny\"\nz");
        assert_eq!(lines.line_at(0), 1);
        assert_eq!(lines.line_at(2), 2);
        // "b" on line 4 after a blank line; the offset given points at the blank line.
        assert_eq!(lines.line_at(5), 4);
        // A lone CR ends line 4: "c" is on line 5.
        assert_eq!(lines.line_at(10), 5);
        // The quoted cell spans lines 6 and 7; "z" is on line 8.
        assert_eq!(lines.line_at(13), 6);
        assert_eq!(lines.line_at(17), 8);
        // Going back restarts from the top.
        assert_eq!(lines.line_at(3), 2);
    }
}
