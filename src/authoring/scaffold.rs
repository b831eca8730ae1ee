//! `kata new`: the text of a new exercise file.
//!
//! The file loads as soon as it is written, explains every section in comments (optional
//! sections are there, commented out), and points editors at the JSON Schema. It is not valid
//! yet on purpose: its one case has no `expect` and its reference raises, so `kata validate`
//! says what is left to do until the author has written a reference and a case.

use clap::ValueEnum;

/// What a scaffold is about: the names it derives from the id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Names {
    pub id: String,
    /// "Two sum" for `two-sum`.
    pub title: String,
    /// `two_sum`: what the starter defines for `call`, `script` and `stdin` exercises.
    pub function: String,
    /// `TwoSum`: what the starter defines for `ops` exercises.
    pub class: String,
}

impl Names {
    /// Names derived from a valid id (lowercase words joined by hyphens).
    pub(crate) fn from_id(id: &str) -> Names {
        let words: Vec<&str> = id.split('-').collect();
        let mut title = words.join(" ");
        if let Some(first) = title.get(..1) {
            title = first.to_uppercase() + &title[1..];
        }
        let starts_with_digit = id.starts_with(|c: char| c.is_ascii_digit());
        let function = if starts_with_digit {
            format!("solve_{}", words.join("_"))
        } else {
            words.join("_")
        };
        let camel: String = words
            .iter()
            .map(|word| {
                let mut chars = word.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_ascii_uppercase().to_string() + chars.as_str()
                })
            })
            .collect();
        let class = if starts_with_digit {
            format!("Solution{camel}")
        } else {
            camel
        };
        Names {
            id: id.to_string(),
            title,
            function,
            class,
        }
    }
}

/// The new file's text. `schema` is the path written in the `#:schema` directive, relative to
/// the file; `path` is how the file is named in the instructions at its top.
pub(crate) fn exercise_file(names: &Names, kind: CaseKind, schema: &str, path: &str) -> String {
    let Names { id, title, .. } = names;
    let code = Code::for_kind(names, kind);
    let mut text = format!(
        r#"#:schema {schema}
# A kata exercise. docs/exercise-format.md describes every key; with the line above, editors
# that use taplo (in VS Code: Even Better TOML) complete keys and flag mistakes as you type.
#
# Once the prompt, the starter, the reference and a first case are written:
#   kata record {path}               fills in each case's `expect` from the reference
#   kata validate --mutants {path}   proves the cases, and shows what they miss

format = 1
title = "{title}"
difficulty = "easy"        # easy | medium | hard
tags = []                  # lowercase-with-hyphens topics, e.g. ["arrays", "hash-map"]
# teaches = "One line: what solving it teaches."
# sources = ["Where the question comes from, e.g. an article and its question number"]

# The task, in Markdown: enough to solve the exercise from, with an example.
prompt = """
TODO: {task}

Example:

{example}
"""

# Revealed one at a time by `kata hint {id} N`, gentlest first.
# hints = [
#     "A first nudge.",
# ]

# What a learner starts from (`kata start {id}`). It must compile, and some case must fail it.
starter = '''
{starter}'''

# A correct solution: every case must accept it. `kata validate --mutants` also plants small
# bugs in it one at a time, and lists those no case catches.
reference = '''
{reference}'''

# Code kata provides: `code` defines names the candidate can use as globals, `cases` helpers
# only the cases see; `modules` adds stock helpers ("linked_list", "binary_tree").
# [support]
# modules = ["linked_list"]
# code = '''
# '''
# cases = '''
# '''

# How results are compared, unless a case names its own `compare`.
# [compare]
# value = "exact"          # exact | unordered | unordered-deep | float    (call and ops cases)
# text = "rstrip"          # exact | rstrip | tokens                       (script and stdin cases)

# Limits for every case; one case can override them: `limits = {{ cpu_ms = 5000 }}`.
# [limits]
# cpu_ms = 2000
# memory_mb = 256

# Files every case's working directory starts with.
# [[fixture]]
# path = "data.txt"
# text = "1\n2\n"

"#,
        task = code.task,
        example = code.example,
        starter = code.starter,
        reference = code.reference,
    );
    text.push_str(&code.case);
    text.push_str(&format!(
        r#"
# Known-wrong solutions: some case must reject each one (with `verdict`, with that verdict; with
# `caught_by`, by those cases). `kata validate` shows which case catches which.
# [[wrong]]
# name = "a-typical-mistake"
# why = "What is wrong with it."
# caught_by = ["the example from the prompt"]
# code = '''
{wrong}# '''

# Mutants of the reference that behave exactly like it, so no case can catch them: copy the
# id `kata validate --mutants` prints, and say why.
# [[equivalent]]
# mutant = "0123abcd"
# why = "Why no input can tell it from the reference."
"#,
        wrong = code
            .starter
            .lines()
            .map(|line| format!("# {line}\n").replace("# \n", "#\n"))
            .collect::<String>(),
    ));
    text
}

/// The parts of the file that depend on the kind of case.
struct Code {
    task: String,
    example: String,
    starter: String,
    reference: String,
    case: String,
}

const FIRST_CASE: &str = "the example from the prompt";
const CASE_COMMENT: &str = "# One [[case]] per test; it runs in a fresh sandbox. Leave `expect` out and `kata record`\n# writes it from the reference; `hidden = true` shows learners the verdict only.\n";

impl Code {
    fn for_kind(names: &Names, kind: CaseKind) -> Code {
        let Names {
            function, class, ..
        } = names;
        match kind {
            CaseKind::Call => Code {
                task: format!("write `{function}(value)`, which returns ..."),
                example: format!("    {function}(...)  ->  ..."),
                starter: format!(
                    "def {function}(value):\n    \"\"\"TODO: what it returns.\"\"\"\n    pass\n"
                ),
                reference: format!(
                    "def {function}(value):\n    raise NotImplementedError(\"write the reference solution\")\n"
                ),
                case: format!(
                    "{CASE_COMMENT}# `call` is a Python expression; `expect` is the value it should have, as a Python\n# literal, e.g. \"[1, 2]\" or \"raises(ValueError)\". A call case can instead be judged by how\n# its cost grows with `n`: `growth = {{ sizes = [100, 200, 400, 800], allows = \"n log n\" }}`\n# (see \"Growth cases\" in docs/exercise-format.md).\n[[case]]\nname = \"{FIRST_CASE}\"\ncall = \"{function}(0)\"\n"
                ),
            },
            CaseKind::Ops => Code {
                task: format!(
                    "write a class `{class}`: `{class}()` creates ..., `add(value)` ..."
                ),
                example: format!("    c = {class}()\n    c.add(1)  ->  ..."),
                starter: format!(
                    "class {class}:\n    def __init__(self):\n        pass\n\n    def add(self, value):\n        pass\n"
                ),
                reference: format!(
                    "class {class}:\n    def __init__(self):\n        raise NotImplementedError(\"write the reference solution\")\n\n    def add(self, value):\n        raise NotImplementedError\n"
                ),
                case: format!(
                    "{CASE_COMMENT}# `ops` names the class, then the methods to call; `args` holds one argument list per\n# entry. `expect` lists what each returned: None for the constructor, then each method's result.\n[[case]]\nname = \"{FIRST_CASE}\"\nops = [\"{class}\", \"add\"]\nargs = \"[[], [1]]\"\n"
                ),
            },
            CaseKind::Script => Code {
                task: format!("write `{function}(value)`, which prints ..."),
                example: format!("    >>> {function}(...)\n    ..."),
                starter: format!(
                    "def {function}(value):\n    \"\"\"TODO: what it prints.\"\"\"\n    pass\n"
                ),
                reference: format!(
                    "def {function}(value):\n    raise NotImplementedError(\"write the reference solution\")\n"
                ),
                case: format!(
                    "{CASE_COMMENT}# `script` runs after the candidate's module is loaded, with its names in scope; `expect`\n# is the text it should print.\n[[case]]\nname = \"{FIRST_CASE}\"\nscript = '''\n{function}(0)\n'''\n"
                ),
            },
            CaseKind::Stdin => Code {
                task: "write a program that reads ... from standard input and prints ...".to_string(),
                example: "    input:   ...\n    output:  ...".to_string(),
                starter: "def main():\n    line = input()\n    # TODO: print the answer\n\n\nmain()\n"
                    .to_string(),
                reference: "def main():\n    line = input()\n    raise NotImplementedError(\"write the reference solution\")\n\n\nmain()\n"
                    .to_string(),
                case: format!(
                    "{CASE_COMMENT}# `stdin` is the program's standard input; `expect` is the text it should print.\n[[case]]\nname = \"{FIRST_CASE}\"\nstdin = \"1\\n\"\n"
                ),
            },
        }
    }
}

/// The kinds of case, as `kata new --kind` offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CaseKind {
    /// `call`: the value of an expression, e.g. a function call.
    Call,
    /// `ops`: a class driven by method calls.
    Ops,
    /// `script`: what a snippet prints.
    Script,
    /// `stdin`: what a whole program prints for some input.
    Stdin,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_id() {
        let names = Names::from_id("two-sum");
        assert_eq!(names.title, "Two sum");
        assert_eq!(names.function, "two_sum");
        assert_eq!(names.class, "TwoSum");
        let names = Names::from_id("3-sum-closest");
        assert_eq!(names.title, "3 sum closest");
        assert_eq!(names.function, "solve_3_sum_closest");
        assert_eq!(names.class, "Solution3SumClosest");
    }
}
