//! `[[fixture]]`: the files a case starts with, shared and per case.

use std::collections::HashSet;

use super::Checker;
use crate::exercise::code::Code;
use crate::exercise::diagnostic::Diagnostic;
use crate::exercise::manifest::RawFixture;
use crate::exercise::model::{Fixture, FixtureContents};

impl Checker<'_> {
    /// `raw` checked and laid over `base` (a path in both is taken from `raw`).
    pub(super) fn fixtures(&mut self, raw: &[RawFixture], base: &[Fixture]) -> Vec<Fixture> {
        let mut fixtures: Vec<Fixture> = base.to_vec();
        let mut seen = HashSet::new();
        for fixture in raw {
            let span = fixture.path.span();
            let Some(path) = normalise_fixture_path(fixture.path.get_ref()) else {
                self.push(
                    Diagnostic::error(Code::FixturePath, span, format!("`{}` is not a relative path inside the working directory", fixture.path.get_ref()))
                        .with_help("write paths like `data.txt` or `root/sub/b.txt`, without `..` or a leading `/`"),
                );
                continue;
            };
            if !seen.insert(path.clone()) {
                self.push(Diagnostic::error(
                    Code::DuplicateFixture,
                    span,
                    format!("`{path}` is given twice"),
                ));
                continue;
            }
            let contents = match (&fixture.text, &fixture.hex, fixture.dir) {
                (Some(text), None, false) => FixtureContents::File(text.clone().into_bytes()),
                (None, Some(hex), false) => match decode_hex(hex.get_ref()) {
                    Some(bytes) => FixtureContents::File(bytes),
                    None => {
                        self.push(Diagnostic::error(
                            Code::BadHex,
                            hex.span(),
                            "`hex` must be pairs of hexadecimal digits",
                        ));
                        continue;
                    }
                },
                (None, None, true) => FixtureContents::Directory,
                _ => {
                    self.push(Diagnostic::error(
                        Code::FixtureContents,
                        span,
                        format!(
                            "fixture `{path}` needs exactly one of `text`, `hex` or `dir = true`"
                        ),
                    ));
                    continue;
                }
            };
            fixtures.retain(|existing| existing.path != path);
            fixtures.push(Fixture { path, contents });
        }
        fixtures
    }
}

/// `a/./b/` → `a/b`; `None` for absolute paths, `..`, or nothing at all.
fn normalise_fixture_path(path: &str) -> Option<String> {
    if path.starts_with('/') || path.contains('\\') || path.contains('\0') {
        return None;
    }
    let parts: Vec<&str> = path
        .split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect();
    if parts.is_empty() || parts.contains(&"..") {
        return None;
    }
    Some(parts.join("/"))
}

/// Pairs of hex digits, whitespace between them ignored; `None` for anything else (including
/// non-ASCII text, which byte offsets would cut through).
fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_digit(16).and_then(|d| u8::try_from(d).ok()))
        .collect::<Option<_>>()?;
    let pairs = digits.chunks_exact(2);
    if !pairs.remainder().is_empty() {
        return None;
    }
    Some(
        pairs
            .map(|pair| pair.iter().fold(0, |byte, d| byte * 16 + d))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_paths_stay_inside_the_working_directory() {
        assert_eq!(
            normalise_fixture_path("data.txt").as_deref(),
            Some("data.txt")
        );
        assert_eq!(
            normalise_fixture_path("./root//sub/").as_deref(),
            Some("root/sub")
        );
        assert_eq!(normalise_fixture_path("/etc/passwd"), None);
        assert_eq!(normalise_fixture_path("a/../../b"), None);
        assert_eq!(normalise_fixture_path(""), None);
        assert_eq!(decode_hex("00 ff 41"), Some(vec![0, 255, 65]));
        assert_eq!(decode_hex("abc"), None);
        // Multi-byte characters once cut a byte slice in two.
        assert_eq!(decode_hex("aéb"), None);
        assert_eq!(decode_hex("éé"), None);
        assert_eq!(decode_hex("+1"), None);
    }
}
