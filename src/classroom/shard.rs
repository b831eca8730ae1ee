//! Sharding a class across CI jobs: `--shard K/N` grades a stable 1/N of the submissions.
//!
//! A submission's shard depends only on its student and exercise (a fixed hash, not Rust's
//! randomised one), so it stays in the same shard across runs and machines, and adding a
//! student does not move anyone else.

use std::fmt;
use std::str::FromStr;

/// Shard `index` of `count`, both 1-based as written: `2/3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// Whether this shard grades the submission of `student` for `exercise`.
    pub fn includes(self, student: &str, exercise: &str) -> bool {
        let hash = fnv1a(
            student.as_bytes(),
            fnv1a(&[0], fnv1a(exercise.as_bytes(), FNV_OFFSET)),
        );
        hash % u64::from(self.count) == u64::from(self.index - 1)
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv1a(bytes: &[u8], mut hash: u64) -> u64 {
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    hash
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let bad = || format!("`{text}` is not a shard: write K/N, e.g. 2/3, with 1 <= K <= N");
        let (index, count) = text.split_once('/').ok_or_else(bad)?;
        let index: u32 = index.trim().parse().map_err(|_| bad())?;
        let count: u32 = count.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
        assert_eq!(Shard { index: 2, count: 3 }.to_string(), "2/3");
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn every_submission_is_in_exactly_one_shard_and_shards_are_balanced() {
        let count = 4;
        let mut sizes = vec![0; count as usize];
        for student in 0..100 {
            for exercise in [
                "lru-cache",
                "three-sum",
                "is-valid-bst",
                "reverse-linked-list",
            ] {
                let student = format!("student-{student}");
                let shards: Vec<u32> = (1..=count)
                    .filter(|&index| Shard { index, count }.includes(&student, exercise))
                    .collect();
                assert_eq!(
                    shards.len(),
                    1,
                    "{student}/{exercise} is in shards {shards:?}"
                );
                sizes[shards[0] as usize - 1] += 1;
            }
        }
        // 400 submissions over 4 shards: each gets a fair share.
        assert!(
            sizes.iter().all(|&size| (70..=130).contains(&size)),
            "{sizes:?}"
        );
    }

    #[test]
    fn the_hash_is_stable() {
        // Pinned so that a change of hash (which would reshuffle every class) is noticed.
        assert!(Shard { index: 1, count: 1 }.includes("alice", "lru-cache"));
        let shard_of = |student: &str| {
            (1..=7).find(|&i| Shard { index: i, count: 7 }.includes(student, "lru-cache"))
        };
        assert_eq!(shard_of("alice"), shard_of("alice"));
        assert_eq!(fnv1a(b"a", FNV_OFFSET), 0xaf63_dc4c_8601_ec8c);
    }
}
