use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().collect();
    // The sandbox helper is this same binary, started again by the grader (see
    // `kata::isolation::helper`); it must not go through the command-line parser.
    if args
        .get(1)
        .is_some_and(|arg| arg == kata::isolation::helper::ARG)
    {
        return kata::isolation::helper::main(&args);
    }
    kata::run(args).into()
}
