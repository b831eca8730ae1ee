//! Stable codes for the problems an exercise file can have, e.g. `E0105` for an unknown key.
//!
//! A code names a kind of problem, not one message: the words may improve, the code stays, so
//! authors and tools can search for it, and docs/exercise-format.md ("Diagnostic codes") says
//! for each what it means and what to do. The hundreds group the codes by what they are about:
//! 01 the file itself, 02 the exercise's own keys and its Python, 03 cases, 04 comparing,
//! 05 limits, 06 fixtures, 07 wrong solutions, equivalent mutants and `allow`, 08 `[leetcode]`.
//! A code is never reused for another kind of problem.

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal,)*) => {
        /// One kind of problem in an exercise file.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as shown to authors, e.g. `E0105`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }
        }
    };
}

codes! {
    /// The file is not valid TOML.
    TomlSyntax = "E0101",
    /// The file has no `format` key.
    MissingFormat = "E0102",
    /// The file is in a newer format than this kata reads.
    NewerFormat = "E0103",
    /// `format` is not the integer this kata reads.
    BadFormat = "E0104",
    /// A key the format does not have (often a typo).
    UnknownKey = "E0105",
    /// `case`, `wrong` or `equivalent` is not a list of tables.
    NotArrayOfTables = "E0106",
    /// A value has the wrong TOML type, or a required key is missing.
    WrongType = "E0107",

    /// The file name is not a valid exercise id.
    InvalidId = "E0201",
    /// A text that must say something is empty.
    EmptyText = "E0202",
    /// `difficulty` is not one of the known difficulties.
    UnknownDifficulty = "E0203",
    /// A tag is not lowercase words joined by hyphens.
    BadTag = "E0204",
    /// A tag is listed twice.
    DuplicateTag = "E0205",
    /// `requires` names an unknown capability.
    UnknownCapability = "E0206",
    /// `[support] modules` names a module kata does not ship.
    UnknownStockModule = "E0207",
    /// Python in the file (starter, reference, support, a `call`, a `script`, a wrong
    /// solution) does not compile.
    PythonSyntax = "E0208",

    /// The exercise has no cases.
    NoCases = "E0301",
    /// A case's name is empty.
    EmptyCaseName = "E0302",
    /// Two cases have the same name.
    DuplicateCaseName = "E0303",
    /// A case gives none, or more than one, of `call`, `ops`, `script` and `stdin`.
    CaseInput = "E0304",
    /// `args` without `ops`.
    ArgsWithoutOps = "E0305",
    /// `ops` is empty.
    EmptyOps = "E0306",
    /// A name that must be a Python identifier is not one.
    NotPythonName = "E0307",
    /// `ops` without `args`.
    OpsWithoutArgs = "E0308",
    /// `args` is not one argument list per operation.
    ArgsShape = "E0309",
    /// A case has no `expect`.
    MissingExpect = "E0310",
    /// An `ops` case's `expect` is not one result per operation.
    OpsExpectShape = "E0311",
    /// A value is not a Python literal.
    NotLiteral = "E0312",
    /// `points` is out of range.
    PointsRange = "E0313",
    /// `growth` on a case that is not a `call`.
    GrowthNotCall = "E0314",
    /// `growth.allows` is not a growth class.
    UnknownGrowthClass = "E0315",
    /// `growth.sizes` has too few or too many sizes.
    GrowthSizeCount = "E0316",
    /// A growth size is zero or negative.
    GrowthSizeNotPositive = "E0317",
    /// Growth sizes are not strictly increasing.
    GrowthSizesNotIncreasing = "E0318",
    /// The largest growth size is less than 4 times the smallest.
    GrowthSizesTooClose = "E0319",

    /// Not a value comparator (for `call` and `ops` cases).
    UnknownValueComparator = "E0401",
    /// Not a text comparator (for `script` and `stdin` cases).
    UnknownTextComparator = "E0402",
    /// Not a `sequences` setting.
    UnknownSequences = "E0403",
    /// `sequences` on a case that compares text.
    SequencesOnText = "E0404",
    /// A tolerance without `compare = "float"`.
    ToleranceWithoutFloat = "E0405",
    /// A tolerance on a case that compares text.
    ToleranceOnText = "E0406",
    /// A tolerance that is negative or not finite.
    BadTolerance = "E0407",

    /// A limit is out of its range.
    LimitRange = "E0501",
    /// `memory_mb` too small for Python to start.
    MemoryTooSmall = "E0502",
    /// `wall_ms` is shorter than `cpu_ms`.
    WallBelowCpu = "E0503",

    /// A fixture path leaves the working directory.
    FixturePath = "E0601",
    /// A fixture path is given twice in one list.
    DuplicateFixture = "E0602",
    /// A fixture's `hex` is not pairs of hex digits.
    BadHex = "E0603",
    /// A fixture gives none, or more than one, of `text`, `hex` and `dir`.
    FixtureContents = "E0604",

    /// A wrong solution has no name.
    EmptyWrongName = "E0701",
    /// Two wrong solutions have the same name.
    DuplicateWrongName = "E0702",
    /// A wrong solution is expected to be accepted.
    WrongExpectedAccepted = "E0703",
    /// Not a verdict.
    UnknownVerdict = "E0704",
    /// `caught_by` names a case the exercise does not have.
    UnknownCase = "E0705",
    /// Not a mutant id.
    BadMutantId = "E0706",
    /// A mutant is marked equivalent twice.
    DuplicateEquivalent = "E0707",
    /// `allow` names an unknown lint.
    UnknownLint = "E0708",
    /// `allow` in a place its lint is never about.
    MisplacedAllow = "E0709",
    /// `allow` without a reason.
    AllowWithoutReason = "E0710",

    /// `problem` is not a LeetCode problem number.
    LeetCodeProblem = "E0801",
    /// `slug` is not a LeetCode slug.
    LeetCodeSlug = "E0802",
    /// `methods` or `leetcode_class` without `class`.
    LeetCodeNeedsClass = "E0803",
    /// Both `functions` and `class`.
    LeetCodeBothEntries = "E0804",
    /// Neither `functions` nor `class`.
    LeetCodeNoEntry = "E0805",
    /// `[leetcode]` maps a name the reference does not define.
    LeetCodeUndefined = "E0806",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The codes the table in docs/exercise-format.md ("Diagnostic codes") documents, in order.
    fn documented() -> Vec<String> {
        let doc = include_str!("../../docs/exercise-format.md");
        let section = doc
            .split("\n## Diagnostic codes\n")
            .nth(1)
            .expect("docs/exercise-format.md has a \"Diagnostic codes\" section");
        section
            .lines()
            .take_while(|line| !line.starts_with("## "))
            .filter_map(|line| line.strip_prefix("| `"))
            .filter_map(|row| row.split_once('`'))
            .map(|(code, _)| code.to_string())
            .collect()
    }

    #[test]
    fn every_code_is_documented_once_and_nothing_else_is() {
        let documented = documented();
        let codes: Vec<String> = Code::ALL.iter().map(|c| c.as_str().to_string()).collect();
        assert_eq!(
            documented, codes,
            "the table lists exactly the codes, in order"
        );
    }

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} is used twice");
            assert!(
                text.len() == 5
                    && text.starts_with('E')
                    && text[1..].bytes().all(|b| b.is_ascii_digit()),
                "{text}"
            );
        }
    }
}
