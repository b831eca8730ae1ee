//! Limits, usage and counts as people read them: `250 ms`, `64 KiB`, `226 M fuel`, `16,000`.
//! A leaf module, so grading, authoring and reports all say them the same way.

/// `2 s`, `1.5 s`, `250 ms`.
pub(crate) fn duration(value: std::time::Duration) -> String {
    let ms = value.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", value.as_secs_f64())
    }
}

/// `226 M fuel`, `8.0 G fuel`: the wasm sandbox's deterministic CPU measure.
pub(crate) fn fuel(units: u64) -> String {
    if units >= 10_000_000_000 {
        format!("{:.0} G fuel", units as f64 / 1e9)
    } else if units >= 1_000_000_000 {
        format!("{:.1} G fuel", units as f64 / 1e9)
    } else {
        format!("{} M fuel", units.div_ceil(1_000_000))
    }
}

/// `64 KiB`, `1 MiB`, `256 MiB`.
pub(crate) fn bytes(value: u64) -> String {
    if value >= 1 << 20 && value.is_multiple_of(1 << 20) {
        format!("{} MiB", value >> 20)
    } else if value >= 1 << 10 && value.is_multiple_of(1 << 10) {
        format!("{} KiB", value >> 10)
    } else {
        format!("{value} bytes")
    }
}

/// `16000` as `16,000`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(16_000), "16,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn units_read_naturally() {
        use std::time::Duration;
        assert_eq!(duration(Duration::from_millis(2000)), "2 s");
        assert_eq!(duration(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(duration(Duration::from_millis(250)), "250 ms");
        assert_eq!(bytes(256 << 20), "256 MiB");
        assert_eq!(bytes(64 << 10), "64 KiB");
        assert_eq!(bytes(100), "100 bytes");
        assert_eq!(fuel(225_723_774), "226 M fuel");
        assert_eq!(fuel(8_000_000_000), "8.0 G fuel");
        assert_eq!(fuel(160_000_000_000), "160 G fuel");
    }
}
