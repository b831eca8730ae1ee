//! Files that go into every sandbox (the harness, the fork server, the stock support modules),
//! embedded in the binary so kata runs from anywhere. A leaf module: the exercise model checks
//! support module names against it and both sandboxes install its files.

/// The one driver both backends run inside the sandbox.
pub const HARNESS: &str = include_str!("../sandbox/harness.py");

/// The fork server of a warm box (subprocess sandbox): imports the harness once, forks each case.
pub const ZYGOTE: &str = include_str!("../sandbox/zygote.py");

/// Stock helper modules an exercise can ask for with `[support] modules = [...]`.
const STOCK_MODULES: &[(&str, &str)] = &[
    (
        "binary_tree",
        include_str!("../sandbox/support/binary_tree.py"),
    ),
    (
        "linked_list",
        include_str!("../sandbox/support/linked_list.py"),
    ),
];

/// The names of the stock modules, for messages.
pub const STOCK_MODULE_NAMES: &[&str] = &["binary_tree", "linked_list"];

/// The source of a stock module.
pub fn stock_module(name: &str) -> Option<&'static str> {
    STOCK_MODULES
        .iter()
        .find(|(stock, _)| *stock == name)
        .map(|(_, source)| *source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_list_every_module() {
        let names: Vec<&str> = STOCK_MODULES.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, STOCK_MODULE_NAMES);
    }
}
