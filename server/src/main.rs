//! The `switchboard` binary: see `switchboard --help`.

fn main() -> std::process::ExitCode {
    server::passwords::give_back_large_blocks();
    server::cli::main()
}
