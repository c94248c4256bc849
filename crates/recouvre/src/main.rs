//! The `recouvre` binary: everything is in the library (`src/lib.rs`).

fn main() -> std::process::ExitCode {
    recouvre::main()
}
