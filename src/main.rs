use std::process::ExitCode;

fn main() -> ExitCode {
    kata::run(std::env::args_os()).into()
}
