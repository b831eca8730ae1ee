//! The catalogue and the sandbox files are compiled into the binary (include_dir!,
//! include_str!); tell cargo to rebuild when they change.

fn main() {
    println!("cargo:rerun-if-changed=exercises");
    println!("cargo:rerun-if-changed=sandbox");
}
