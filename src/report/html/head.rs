//! The page's `<head>`: its title, its only style sheet and the policy that allows nothing else.

use std::fmt::Write;

use sha2::{Digest, Sha256};

use super::markup::line;
use crate::report::class::ClassReport;

/// The page's only style sheet, inlined (its hash is in the page's policy).
const STYLE: &str = include_str!("style.css");

/// The Content-Security-Policy: nothing may load or run; only the page's own style sheet
/// applies (by its hash, so an injected `<style>` or `style` attribute would not).
fn content_security_policy() -> String {
    let digest = Sha256::digest(STYLE.as_bytes());
    format!(
        "default-src 'none'; style-src 'sha256-{}'; base-uri 'none'; form-action 'none'",
        base64(&digest)
    )
}

pub(super) fn head(out: &mut String, class: &ClassReport) {
    let title = match &class.shard {
        Some(shard) => format!("kata: class report (shard {})", line(shard)),
        None => "kata: class report".to_string(),
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n",
        content_security_policy()
    );
}
/// Standard base64, padded (for the CSP hash; not worth a dependency).
pub(super) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
