//! A checked exercise: what the rest of kata works with.
//!
//! Everything here has been validated by [`super::load`]: names are unique, literals parse,
//! comparators fit their case kinds and limits are in range.

use super::allow::Allowance;
pub use super::case::{
    Case, CaseInput, Comparison, Expectation, Fixture, FixtureContents, Limits, OpStep, Sequences,
    TextComparator, TextInput, ValueComparator, ValueInput,
};
pub use super::growth::{Growth, GrowthClass};
use super::snippet::Snippets;
use crate::verdict::Verdict;

/// The exercise format this kata reads (`format = 1`).
pub const FORMAT: i64 = 1;

/// One exercise, loaded from `<id>.toml`.
#[derive(Debug, Clone)]
pub struct Exercise {
    /// The file stem, e.g. `lru-cache`.
    pub id: String,
    /// Where it was loaded from, for messages (`exercises/lru-cache.toml`).
    pub origin: String,
    pub title: String,
    pub difficulty: Difficulty,
    pub tags: Vec<String>,
    /// One line: what solving it teaches.
    pub teaches: Option<String>,
    /// Where the question comes from.
    pub sources: Vec<String>,
    /// Markdown.
    pub prompt: String,
    pub starter: String,
    pub hints: Vec<String>,
    pub reference: String,
    pub requires: Vec<Capability>,
    pub support: Support,
    /// Its Python, with where each piece is in the file (for the syntax check).
    pub snippets: Snippets,
    /// Lint warnings it silences on purpose.
    pub allowed: Vec<Allowance>,
    pub cases: Vec<Case>,
    pub wrong_solutions: Vec<WrongSolution>,
    /// Mutants of the reference the author has shown to behave exactly like it.
    pub equivalent_mutants: Vec<EquivalentMutant>,
    /// The LeetCode problem this exercise corresponds to, if any (`[leetcode]`).
    pub leetcode: Option<LeetCode>,
}

impl Exercise {
    /// The file name `kata start` writes: the id with underscores, so Python can import it.
    pub fn file_name(&self) -> String {
        format!("{}.py", self.id.replace('-', "_"))
    }

    /// The most points a submission can get.
    pub fn max_points(&self) -> u32 {
        self.cases.iter().map(|case| case.points).sum()
    }

    pub fn case(&self, name: &str) -> Option<&Case> {
        self.cases.iter().find(|case| case.name == name)
    }
}

/// An exercise as authoring tools load it, before every case has its expected result.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The exercise, without the cases that have no `expect` yet.
    pub exercise: Exercise,
    /// The cases without `expect`, in file order.
    pub unrecorded: Vec<UnrecordedCase>,
}

/// A case whose expected result is still to be written (or recorded from the reference).
#[derive(Debug, Clone)]
pub struct UnrecordedCase {
    pub name: String,
    /// The 1-based line of the case's `name` in the exercise file.
    pub line: usize,
    pub input: CaseInput,
    pub limits: Limits,
    pub fixtures: Vec<Fixture>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    pub const ALL: [Difficulty; 3] = [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard];

    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == text)
    }
}

/// Something an exercise needs from the sandbox beyond pure computation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Capability {
    Threads,
    Processes,
    Subprocess,
    Sockets,
    /// An asyncio event loop (it needs a socket pair, which WASI does not have).
    Asyncio,
}

impl Capability {
    pub const ALL: [Capability; 5] = [
        Capability::Threads,
        Capability::Processes,
        Capability::Subprocess,
        Capability::Sockets,
        Capability::Asyncio,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Capability::Threads => "threads",
            Capability::Processes => "processes",
            Capability::Subprocess => "subprocess",
            Capability::Sockets => "sockets",
            Capability::Asyncio => "asyncio",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// Code the exercise provides inside the sandbox.
#[derive(Debug, Clone, Default)]
pub struct Support {
    /// Stock modules shipped in `sandbox/support/`, by name.
    pub modules: Vec<String>,
    /// Visible to the candidate as globals, and to the cases.
    pub code: String,
    /// Visible to the cases only.
    pub cases: String,
    /// How a submission written for LeetCode is called instead of kata's entry points.
    pub leetcode: Option<LeetCodeEntry>,
}

/// The LeetCode problem an exercise corresponds to: `[leetcode]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeetCode {
    /// LeetCode's problem number, e.g. 15.
    pub problem: u32,
    /// The problem's slug, e.g. `3sum`.
    pub slug: String,
    pub entry: LeetCodeEntry,
}

/// Which of LeetCode's names stand for kata's entry points. Every name is a Python identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeetCodeEntry {
    /// kata's functions, each with the method of LeetCode's `class Solution` it corresponds to.
    Solution { functions: Vec<(String, String)> },
    /// A design problem: kata's class, LeetCode's name for it, and the methods whose names
    /// differ (kata's name, LeetCode's).
    Design {
        class: String,
        leetcode_class: String,
        methods: Vec<(String, String)>,
    },
}

impl LeetCodeEntry {
    /// kata's entry-point names this maps.
    pub fn kata_names(&self) -> Vec<&str> {
        match self {
            LeetCodeEntry::Solution { functions } => {
                functions.iter().map(|(ours, _)| ours.as_str()).collect()
            }
            LeetCodeEntry::Design { class, .. } => vec![class.as_str()],
        }
    }
}

/// A known-wrong solution and what must happen to it.
#[derive(Debug, Clone)]
pub struct WrongSolution {
    pub name: String,
    pub why: Option<String>,
    pub code: String,
    /// Some case must give exactly this verdict; `None` means any rejection will do.
    pub verdict: Option<Verdict>,
    /// These cases must each reject it.
    pub caught_by: Vec<String>,
}

/// A mutant of the reference solution that no case can catch, with the author's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EquivalentMutant {
    /// The id `kata validate --mutants` prints.
    pub id: String,
    pub why: String,
    /// The 1-based line of the entry in the exercise file.
    pub line: usize,
}
